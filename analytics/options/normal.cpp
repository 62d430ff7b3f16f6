#include "analytics/options/normal.hpp"

#include <cmath>
#include <limits>

namespace sc::options {

namespace {
constexpr double inv_sqrt2 = 0.70710678118654752440;
constexpr double inv_sqrt_2pi = 0.39894228040143267794;
constexpr double sqrt_2pi = 2.50662827463100050242;

/// One Halley step on F(x) = norm_cdf(x) - p, x <= 0 (lower tail, where erfc is exact
/// in relative terms). The residual is scaled by 1/pdf, so the step works in the tail.
double refine(double x, double p) {
  const double e = 0.5 * std::erfc(-x * inv_sqrt2) - p;
  const double u = e * sqrt_2pi * std::exp(0.5 * x * x);
  return x - u / (1 + 0.5 * x * u);
}
} // namespace

double norm_pdf(double x) {
  return inv_sqrt_2pi * std::exp(-0.5 * x * x);
}

double norm_cdf(double x) {
  return 0.5 * std::erfc(-x * inv_sqrt2);
}

double inverse_norm_cdf_approx(double p) noexcept {
  // Acklam's published coefficients.
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double p_low = 0.02425;
  auto tail = [&](double q) {
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  };
  if (p < p_low) return tail(std::sqrt(-2 * std::log(p)));
  if (p > 1 - p_low) return -tail(std::sqrt(-2 * std::log1p(-p)));
  const double q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

double inverse_norm_cdf(double p) {
  if (!(p >= 0 && p <= 1)) return std::numeric_limits<double>::quiet_NaN();
  if (p == 0) return -std::numeric_limits<double>::infinity();
  if (p == 1) return std::numeric_limits<double>::infinity();
  if (p <= 0.5) return refine(inverse_norm_cdf_approx(p), p);
  const double q = 1 - p; // exact for p >= 0.5
  return -refine(inverse_norm_cdf_approx(q), q);
}

} // namespace sc::options
