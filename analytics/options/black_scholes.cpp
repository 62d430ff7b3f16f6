#include "analytics/options/black_scholes.hpp"

#include "analytics/options/normal.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace sc::options {

namespace {

constexpr double inv_sqrt2 = 0.70710678118654752440;
constexpr double inv_sqrt_2pi = 0.39894228040143267794;
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// Highest odd order of the small-s series. Far more than the region where it is used
/// needs (the terms fall at least like (s/4)^2 per order there).
constexpr int series_max_order = 41;

/// inverse_pair[n] = 1 / ((n + 1) (n + 2)): the factorial steps of the series, so that
/// its loops need no division.
struct inverse_pairs {
  double v[series_max_order + 1] = {};
  constexpr inverse_pairs() {
    for (int n = 0; n <= series_max_order; ++n)
      v[n] = 1.0 / ((n + 1.0) * (n + 2.0));
  }
  constexpr double operator[](int n) const { return v[n]; }
};
constexpr inverse_pairs inverse_pair{};

/// Deepest start of the backward recurrence of the moments (otm_series, h <= -2).
constexpr int moment_max_depth = series_max_order + 4 + 85;
/// inverse_int[n] = 1 / n, n >= 1.
struct inverse_ints {
  double v[moment_max_depth + 1] = {};
  constexpr inverse_ints() {
    for (int n = 1; n <= moment_max_depth; ++n)
      v[n] = 1.0 / n;
  }
  constexpr double operator[](int n) const { return v[n]; }
};
constexpr inverse_ints inverse_int{};

/// The moments M_n(h) = integral_0^inf u^n exp(h u - u^2/2) du (h <= 0) are the
/// derivatives of Y(h) = N(h)/phi(h) and obey
///   M_{n+1} = n M_{n-1} + h M_n,  M_0 = Y(h),  M_1 = 1 + h Y(h).
/// The series below needs the ratios rho_n = M_n / M_0.
///
/// Small-s form of the out-of-the-money normalised price, with h = x/s, t = s/2:
///   b = exp(-(h^2+t^2)/2)/sqrt(2 pi) [Y(h+t) - Y(h-t)]
///     = 2 exp(-t^2/2) N(h) sum_{n odd} rho_n t^n / n!
/// The Taylor coefficients of Y are the (positive) moments, so nothing cancels.
/// The factor exp(-(h^2+t^2)/2)/sqrt(2 pi) is the vega b'(s); a caller that already has
/// it passes it as `vega` (0 means: compute it here).
double otm_series(double h, double t, double vega = 0) {
  const double a = -h, t2 = t * t;
  double sum = 0;
  if (a < 2) {
    // Close to h = 0 the forward recurrence is harmless (its error growth, about
    // exp(2 a sqrt(n)), is far outweighed by the 1/n! of the terms it feeds). The moments
    // are summed unnormalised: N(h) rho_n = phi(h) M_n, which saves a second erfc and a
    // division per term.
    const double pdf_h = norm_pdf(h);
    const double m0 = norm_cdf(h) / pdf_h;
    double prev = m0, cur = 1 - a * m0; // M_0, M_1
    double term_scale = t;              // t^n / n!
    const double a2 = a * a;
    for (int n = 1; n <= series_max_order; n += 2) {
      const double term = term_scale * cur;
      sum += term;
      if (term < 1e-17 * sum) break;
      // Advance two orders, M_{n+1} = n M_{n-1} - a M_n and
      // M_{n+2} = (n + 1) M_n - a M_{n+1} = (n + 1 + a^2) M_n - a n M_{n-1}: both from
      // the previous pair, so the two updates run side by side.
      const double next = n * prev - a * cur;
      cur = (n + 1 + a2) * cur - (a * n) * prev;
      prev = next;
      term_scale *= t2 * inverse_pair[n];
    }
    // exp(-t^2/2) phi(h) is the vega
    return 2 * (vega > 0 ? vega : std::exp(-0.5 * t2) * pdf_h) * sum;
  } else {
    // For h <= -2 the forward recurrence would cancel; the moments are the minimal
    // solution of the recurrence, so they come from it run backwards (Miller's method)
    // from far out, where they start in the ratio of the asymptote
    // r_n = M_n / M_{n-1} ~ (sqrt(a^2 + 4n) - a) / 2, and are normalised by M_0 at the
    // end. Every quantity is positive, and the error of the start is damped by about
    // r_n / (a + r_n) per step, which is why the start moves out as a shrinks.
    // The terms fall at least like (t/a)^2 per order (r_n < n/a), so the highest order
    // that can matter follows from t/a.
    // Below h = -38.5 N(h) underflows and so does b; stopping here also keeps the
    // unnormalised moments (growth about e^a at most) far from overflow.
    const double cdf_h = norm_cdf(h);
    if (cdf_h == 0) return 0;
    const double q = t / a;
    const int top = q <= 0.01      ? 11
                    : q <= 0.05    ? 15
                    : q <= 1.0 / 7 ? 23
                                   : series_max_order;
    // How far out the start must lie for the first moments to settle to the last bit,
    // measured against extended precision for h in [-38, -2] and t/a up to 0.3 (about
    // 89 levels at a = 2, 50 at a = 3, top + 1 from a = 6 on), with a margin.
    const int depth = top + 4 + static_cast<int>(340 / (a * a));
    double moments[series_max_order + 2];
    double upper = 0.5 * (std::sqrt(a * a + 4.0 * (depth + 1)) - a); // M_{depth+1}
    double cur = 1;                                                  // M_depth
    // M_{n-1} = (M_{n+1} + a M_n) / n
    for (int n = depth; n >= 1; --n) {
      const double lower = (upper + a * cur) * inverse_int[n];
      upper = cur;
      cur = lower;
      if (n - 1 <= top) moments[n - 1] = lower;
    }
    // moments[n] / moments[0] = rho_n; sum the series unnormalised, divide once.
    double term_scale = t;
    for (int n = 1; n <= top; n += 2) {
      const double term = term_scale * moments[n];
      sum += term;
      if (term < 1e-17 * sum) break;
      term_scale *= t2 * inverse_pair[n];
    }
    return 2 * std::exp(-0.5 * t2) * cdf_h * (sum / moments[0]);
  }
}

} // namespace

namespace detail {

double log_moneyness(double spot, double strike) {
  const double ratio = spot / strike;
  // spot - strike is exact when the two are within a factor 2 (Sterbenz).
  if (ratio > 0.5 && ratio < 2) return std::log1p((spot - strike) / strike);
  return std::log(ratio);
}

double normalised_black_otm(double x, double s) {
  if (!(s > 0)) return 0;
  const double t = 0.5 * s;
  if (x == 0) return std::erf(t * inv_sqrt2); // N(t) - N(-t), exact in relative terms
  const double h = x / s;
  const double exp_half_x = std::exp(0.5 * x);
  const double t1 = exp_half_x * norm_cdf(h + t);
  const double t2 = norm_cdf(h - t) / exp_half_x;
  if (t1 == 0) return 0;
  // Accept the direct difference while it loses less than 3 bits (t1 + t2 < 7 (t1 - t2)).
  if (t1 - t2 > t1 * 0.25) return t1 - t2;
  return otm_series(h, t);
}

double otm_series_value(double x, double s) {
  return otm_series(x / s, 0.5 * s);
}

double otm_series_value(double x, double s, double vega) {
  return otm_series(x / s, 0.5 * s, vega);
}

} // namespace detail

double normalised_black(double x, double s, option_type type) {
  const double theta = type == option_type::call ? 1.0 : -1.0;
  const double otm = detail::normalised_black_otm(-std::fabs(x), s);
  if (theta * x > 0) {
    // e^{x/2} - e^{-x/2} = 2 sinh(x/2), exact in relative terms.
    return otm + theta * 2 * std::sinh(0.5 * x);
  }
  return otm;
}

double bsm_price(const bsm_inputs& in) {
  return bsm_greeks(in).price;
}

greeks bsm_greeks(const bsm_inputs& in) {
  const double s0 = in.spot, k = in.strike, t = in.years, r = in.rate,
               q = in.dividend_yield, v = in.vol;
  greeks g;
  if (!(s0 > 0 && k > 0 && t >= 0 && v >= 0) || !std::isfinite(s0) || !std::isfinite(k) ||
      !std::isfinite(t) || !std::isfinite(r) || !std::isfinite(q) || !std::isfinite(v)) {
    g.price = g.delta = g.gamma = g.vega = g.theta = g.rho = g.vanna = g.volga = g.charm =
        nan;
    return g;
  }
  const double theta_sign = in.type == option_type::call ? 1.0 : -1.0;
  const double ln_sk = detail::log_moneyness(s0, k);
  const double x = ln_sk + (r - q) * t; // ln(F/K)
  const double dfq = std::exp(-q * t), dfr = std::exp(-r * t);
  // Discounted forward intrinsic value S e^{-qT} - K e^{-rT} = K e^{-rT} (e^x - 1).
  const double fwd_intrinsic = k * dfr * std::expm1(x);
  const bool itm = theta_sign * x > 0;
  const double sqrt_t = std::sqrt(t);
  const double s = v * sqrt_t;
  if (!(s > 0)) {
    g.price = itm ? theta_sign * fwd_intrinsic : 0.0;
    g.delta = itm ? theta_sign * dfq : 0.0;
    g.theta = itm ? theta_sign * (q * s0 * dfq - r * k * dfr) : 0.0;
    g.rho = itm ? theta_sign * k * t * dfr : 0.0;
    g.charm = itm ? theta_sign * q * dfq : 0.0;
    return g;
  }
  const double h = x / s;
  const double d1 = h + 0.5 * s, d2 = h - 0.5 * s;
  const double pdf1 = norm_pdf(d1);
  // One erfc per d: the smaller tail exactly, the larger one as 1 - smaller (which is
  // well conditioned because the smaller tail is at most 1/2).
  const double tail1 = norm_cdf(-std::fabs(d1)), tail2 = norm_cdf(-std::fabs(d2));
  const double cdf_d1 = d1 < 0 ? tail1 : 1 - tail1, cdf_md1 = d1 < 0 ? 1 - tail1 : tail1;
  const double cdf_d2 = d2 < 0 ? tail2 : 1 - tail2, cdf_md2 = d2 < 0 ? 1 - tail2 : tail2;
  const double n1 = theta_sign > 0 ? cdf_d1 : cdf_md1; // N(theta d1)
  const double n2 = theta_sign > 0 ? cdf_d2 : cdf_md2; // N(theta d2)

  // The out-of-the-money member of the pair (call when x <= 0, put otherwise), directly
  // in price units while the difference is well conditioned, else by the series.
  const double a = x <= 0 ? s0 * dfq * cdf_d1 : k * dfr * cdf_md2;
  const double b = x <= 0 ? k * dfr * cdf_d2 : s0 * dfq * cdf_md1;
  double otm = a - b;
  if (!(otm > 0.25 * a)) {
    // sqrt(F K) e^{-rT} = K e^{x/2 - rT}
    otm = a == 0 ? 0.0
                 : detail::otm_series_value(-std::fabs(x), s) * k *
                       std::exp(0.5 * x - r * t);
  }
  g.price = itm ? otm + theta_sign * fwd_intrinsic : otm;
  g.delta = theta_sign * dfq * n1;
  g.gamma = dfq * pdf1 / (s0 * s);
  g.vega = s0 * dfq * pdf1 * sqrt_t;
  g.theta = -s0 * dfq * pdf1 * v / (2 * sqrt_t) +
            theta_sign * (q * s0 * dfq * n1 - r * k * dfr * n2);
  g.rho = theta_sign * k * t * dfr * n2;
  g.vanna = -dfq * pdf1 * d2 / v;
  g.volga = g.vega * d1 * d2 / v;
  // d(d1)/d(years) = ((r - q) T + s^2/2 - ln(S/K)) / (2 T s); charm is minus
  // d(delta)/d(years) because calendar time runs against time to expiry.
  const double dd1_dt = ((r - q) * t + 0.5 * s * s - ln_sk) / (2 * t * s);
  g.charm = theta_sign * q * dfq * n1 - dfq * pdf1 * dd1_dt;
  return g;
}

} // namespace sc::options
