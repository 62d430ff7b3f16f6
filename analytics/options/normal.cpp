#include "analytics/options/normal.hpp"

#include <cmath>
#include <limits>

namespace sc::options {

namespace {
constexpr double inv_sqrt2 = 0.70710678118654752440;
constexpr double inv_sqrt_2pi = 0.39894228040143267794;
constexpr double sqrt_2pi = 2.50662827463100050242;

/// Rational approximation of the lower-tail quantile for p <= 0.5 (Acklam's published
/// coefficients, relative error below 1.2e-9); refined afterwards.
double quantile_guess(double p) {
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
  if (p < 0.02425) {
    const double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const double q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/// One Halley step on F(x) = norm_cdf(x) - p, x <= 0 (lower tail, where erfc is exact
/// in relative terms). The residual is scaled by 1/pdf, so the step works in the tail.
double refine(double x, double p) {
  const double e = 0.5 * std::erfc(-x * inv_sqrt2) - p;
  const double u = e * sqrt_2pi * std::exp(0.5 * x * x);
  return x - u / (1 + 0.5 * x * u);
}
} // namespace

/// 1/n! for n = 0..11 (the Taylor polynomial of exp in erfcx's smallest range).
constexpr double inverse_factorial[] = {1.0,
                                        1.0,
                                        1.0 / 2,
                                        1.0 / 6,
                                        1.0 / 24,
                                        1.0 / 120,
                                        1.0 / 720,
                                        1.0 / 5040,
                                        1.0 / 40320,
                                        1.0 / 362880,
                                        1.0 / 3628800,
                                        1.0 / 39916800};

double erfcx(double x) {
  // Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23
  // (1969): erf on [0, 0.46875], exp(y^2) erfc on [0.46875, 4], and the asymptotic form
  // y exp(y^2) erfc = 1/sqrt(pi) - z P(z)/Q(z), z = 1/y^2, beyond 4.
  static constexpr double a[] = {3.20937758913846947e03, 3.77485237685302021e02,
                                 1.13864154151050156e02, 3.16112374387056560e00,
                                 1.85777706184603153e-1};
  static constexpr double b[] = {2.84423683343917062e03, 1.28261652607737228e03,
                                 2.44024637934444173e02, 2.36012909523441209e01};
  static constexpr double c[] = {5.64188496988670089e-1, 8.88314979438837594e00,
                                 6.61191906371416295e01, 2.98635138197400131e02,
                                 8.81952221241769090e02, 1.71204761263407058e03,
                                 2.05107837782607147e03, 1.23033935479799725e03,
                                 2.15311535474403846e-8};
  static constexpr double d[] = {1.57449261107098347e01, 1.17693950891312499e02,
                                 5.37181101862009858e02, 1.62138957456669019e03,
                                 3.29079923573345963e03, 4.36261909014324716e03,
                                 3.43936767414372164e03, 1.23033935480374942e03};
  static constexpr double p[] = {3.05326634961232344e-1, 3.60344899949804439e-1,
                                 1.25781726111229246e-1, 1.60837851487422766e-2,
                                 6.58749161529837803e-4, 1.63153871373020978e-2};
  static constexpr double q[] = {2.56852019228982242e00, 1.87295284992346725e00,
                                 5.27905102951428412e-1, 6.05183413124413191e-2,
                                 2.33520497626869185e-3};
  const double y = std::fabs(x);
  double r;
  if (y < 0.46875) {
    const double y2 = y * y;
    const double num = (((a[4] * y2 + a[3]) * y2 + a[2]) * y2 + a[1]) * y2 + a[0];
    const double den = ((((y2 + b[3]) * y2 + b[2]) * y2 + b[1]) * y2 + b[0]);
    // erfc(y) = 1 - y num/den >= 0.5, times exp(y^2) from its Taylor polynomial (y^2 <
    // 0.22: the degree-12 remainder is below 5e-19 and all terms are positive), which
    // is cheaper than a library exponential and as accurate.
    double e = 1.0 / 479001600;
    for (int n = 11; n >= 0; --n) e = e * y2 + inverse_factorial[n];
    r = e * (1 - y * num / den);
  } else if (y <= 4) {
    const double num =
      (((((((c[8] * y + c[0]) * y + c[1]) * y + c[2]) * y + c[3]) * y + c[4]) * y + c[5]) * y +
       c[6]) * y + c[7];
    const double den =
      (((((((y + d[0]) * y + d[1]) * y + d[2]) * y + d[3]) * y + d[4]) * y + d[5]) * y + d[6]) *
        y + d[7];
    r = num / den;
  } else {
    const double z = 1 / (y * y);
    const double num = ((((p[5] * z + p[0]) * z + p[1]) * z + p[2]) * z + p[3]) * z + p[4];
    const double den = ((((z + q[0]) * z + q[1]) * z + q[2]) * z + q[3]) * z + q[4];
    r = (0.56418958354775628695 - z * num / den) / y;
  }
  if (x >= 0) return r;
  // erfc(-y) = 2 - erfc(y); the exponential with a compensated square.
  const double y2 = y * y, y2_err = std::fma(y, y, -y2);
  const double e = std::exp(y2);
  return 2 * (e + e * y2_err) - r;
}

double norm_pdf(double x) { return inv_sqrt_2pi * std::exp(-0.5 * x * x); }

double norm_cdf(double x) { return 0.5 * std::erfc(-x * inv_sqrt2); }

double inverse_norm_cdf(double p) {
  if (!(p >= 0 && p <= 1)) return std::numeric_limits<double>::quiet_NaN();
  if (p == 0) return -std::numeric_limits<double>::infinity();
  if (p == 1) return std::numeric_limits<double>::infinity();
  if (p <= 0.5) return refine(quantile_guess(p), p);
  const double q = 1 - p; // exact for p >= 0.5
  return -refine(quantile_guess(q), q);
}

} // namespace sc::options
