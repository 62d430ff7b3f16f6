#include "analytics/options/implied_vol.hpp"

#include "analytics/options/normal.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace sc::options {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double sqrt3 = 1.73205080756887729353;
constexpr double inv_sqrt2 = 0.70710678118654752440;
constexpr double inv_sqrt_2pi = 0.39894228040143267794;
constexpr double sqrt_2pi = 2.50662827463100050242;
/// 2 pi / sqrt(27): scale of the lower-branch transform, which matches the s -> 0
/// asymptote b(x, s) ~ s^3 / (sqrt(2 pi) x^2) exp(-x^2 / (2 s^2)).
constexpr double lower_map_scale = 1.20919957615614523373;
constexpr int max_iterations = 2;
/// Relative size of the first Householder correction below which the second is skipped.
constexpr double skip_second = 1e-5;

iv_result fail(iv_error e) {
  return {nan, e};
}

// -- the normalised Black function and its s-derivatives (x < 0 throughout) ----------

/// db/ds = exp(-x^2/(2 s^2) - s^2/8) / sqrt(2 pi)
double black_vega(double x, double s) {
  const double h = x / s;
  return inv_sqrt_2pi * std::exp(-0.5 * h * h - 0.125 * s * s);
}
/// b''/b' (householder_step also forms b'''/b' = (b''/b')^2 - 3 x^2/s^4 - 1/4)
double b2_ratio(double x, double s) {
  return x * x / (s * s * s) - 0.25 * s;
}
/// b_max - b(x, s) = e^{x/2} N(-h-t) + e^{-x/2} N(h-t): a sum, so accurate near b_max.
double black_complement(double x, double s, double b_max) {
  const double h = x / s, t = 0.5 * s;
  return b_max * norm_cdf(-h - t) + norm_cdf(h - t) / b_max;
}

/// Bits the direct difference e^{x/2} N(h+t) - e^{-x/2} N(h-t) may lose before a
/// value for the first guess is taken from the series instead (2^-20: the guess then
/// carries a relative error near 1e-10, which the first iteration step removes).
constexpr double guess_cancellation_limit = 0x1p-20;
/// Bits the same difference may lose inside an iteration step, where the value must be
/// exact to the last bits: at most 2 (the difference is at least a quarter of e^{x/2}
/// N(h+t)).
constexpr double step_cancellation_limit = 0.25;

/// b(x, s) good enough to place the first guess (see guess_cancellation_limit).
double black_for_guess(double x, double s, double b_max, double inv_b_max) {
  const double h = x / s, t = 0.5 * s;
  const double t1 = b_max * norm_cdf(h + t);
  if (t1 == 0) return 0;
  const double d = t1 - norm_cdf(h - t) * inv_b_max;
  if (d > guess_cancellation_limit * t1) return d;
  return detail::otm_series_value(x, s);
}

/// How an iteration step evaluates b: not yet known, by the direct difference, or by
/// the series. The choice of the first step carries to the second, whose s differs by
/// the first correction only.
enum class black_form { unknown, direct, series };

/// b(x, s) to full precision inside an iteration step, with the vega b'(s) at hand.
/// Where the target beta shows that b lies in the cancelling region (beta at most a
/// quarter of the first term) the series is used straight away; a direct difference that
/// turns out to cancel after all falls back to it.
double black_for_step(double x, double s, double b_max, double vega, double beta,
                      black_form& form) {
  if (form != black_form::series) {
    const double h = x / s, t = 0.5 * s;
    const double t1 = b_max * norm_cdf(h + t);
    if (t1 == 0) return 0;
    if (form == black_form::direct || beta > step_cancellation_limit * t1) {
      const double d = t1 - norm_cdf(h - t) / b_max;
      if (d > step_cancellation_limit * t1) {
        form = black_form::direct;
        return d;
      }
    }
    form = black_form::series;
  }
  return detail::otm_series_value(x, s, vega);
}

// -- rational cubic interpolation (Delbourgo and Gregory) ----------------------------

enum class fit_end { left, right };

/// Shape-preserving rational cubic through (xl, yl), (xr, yr) with end slopes dl, dr,
/// evaluated at x. Its control parameter r (r = 3 is the cubic Hermite; large r tends
/// to the straight line) is chosen so that the second derivative at the given end is
/// y2, then raised where needed to keep the interpolant monotone,
/// r >= (dl + dr) / delta.
double rational_cubic(double x, double xl, double xr, double yl, double yr, double dl,
                      double dr, double y2, fit_end end) {
  const double h = xr - xl;
  if (!(h > 0)) return 0.5 * (yl + yr);
  const double inv_h = 1 / h, delta = (yr - yl) * inv_h;
  double r = (0.5 * h * y2 + dr - dl) / (end == fit_end::right ? dr - delta : delta - dl);
  const double r_min = delta != 0 ? (dl + dr) / delta : 0.0;
  if (!std::isfinite(r) || r < r_min) r = r_min;
  r = std::clamp(r, 0.0, 1e12);
  const double s = (x - xl) * inv_h, o = 1 - s;
  const double num = yr * s * s * s + (r * yr - h * dr) * s * s * o +
                     (r * yl + h * dl) * s * o * o + yl * o * o * o;
  return num / (1 + (r - 3) * s * o);
}

// -- the transforms of the outer branches ---------------------------------------------

/// Lower branch: f(s) = c |x| N(-z)^3, z = |x| / (sqrt(3) s), with f, f', f'' in s.
struct map_values {
  double f, fp, fpp;
};
map_values lower_map(double x, double s) {
  const double ax = std::fabs(x), z = ax / (sqrt3 * s);
  const double big_n = norm_cdf(-z), small_n = norm_pdf(z);
  const double c = lower_map_scale * ax;
  map_values m;
  m.f = c * big_n * big_n * big_n;
  m.fp = 3 * c * big_n * big_n * small_n * z / s;
  m.fpp = 3 * c * big_n * small_n * z / (s * s) * (2 * small_n * z + big_n * (z * z - 2));
  return m;
}
double lower_map_inverse(double x, double f) {
  const double ax = std::fabs(x);
  const double p = std::cbrt(f / (lower_map_scale * ax));
  const double z = -inverse_norm_cdf(p);
  return ax / (sqrt3 * z);
}
/// Upper branch: f(s) = N(-s/2).
map_values upper_map(double s) {
  const double n = norm_pdf(0.5 * s);
  return {norm_cdf(-0.5 * s), -0.5 * n, 0.125 * s * n};
}

/// d^2 f / d beta^2 from the s-derivatives: (f'' - f' b''/b') / b'^2.
double second_in_beta(const map_values& m, double x, double s, double vega) {
  return (m.fpp - m.fp * b2_ratio(x, s)) / (vega * vega);
}

enum class branch { lower, middle, upper };

/// What the iteration steps of one solve share.
struct solve_context {
  double x;       ///< ln(F/K) < 0
  double beta;    ///< the target price
  double b_max;   ///< e^{x/2}
  double ln_beta; ///< lower branch only
  black_form form = black_form::unknown;
  bool converged = false; ///< set by a middle-branch step that reached the last bit
};

/// Stopping rule of the fifth-order reversion below: the neglected remainder, estimated
/// as the last term times the ratio of the last terms, must be below 2^-58 of s (1/64
/// of an ulp), and the terms must fall by at least this ratio per order.
constexpr double reversion_max_ratio = 0.05;
constexpr double reversion_tolerance = 0x1p-58;

/// The step of the middle branch from the Taylor series of b about s inverted to fifth
/// order in nu = (beta - b) / b', with b^(k) / b' written through
/// L = (ln b')' = x^2/s^3 - s/4 and its derivatives -3x^2/s^4 - 1/4, 12x^2/s^5,
/// -60x^2/s^6. Its error is of sixth order in the distance to the root; where the terms
/// show that the remainder is far below one ulp, the iteration may stop at once.
/// Returns the correction, and NaN where the terms do not fall fast enough.
double reversion_step(double nu, double s, double inv_s, double h_s, double l1) {
  const double x2_s4 = h_s * h_s; // x^2 / s^4
  const double l2 = -3 * x2_s4 - 0.25, l3 = 12 * x2_s4 * inv_s,
               l4 = -60 * x2_s4 * inv_s * inv_s;
  // Normalised Taylor coefficients B_k = b^(k) / (k! b').
  const double l1_2 = l1 * l1;
  const double b2 = 0.5 * l1, b3 = (l1_2 + l2) * (1.0 / 6),
               b4 = (l1_2 * l1 + 3 * l1 * l2 + l3) * (1.0 / 24),
               b5 = (l1_2 * l1_2 + 6 * l1_2 * l2 + 4 * l1 * l3 + 3 * l2 * l2 + l4) *
                    (1.0 / 120);
  // Reversion of nu = D + B2 D^2 + B3 D^3 + B4 D^4 + B5 D^5.
  const double b2_2 = b2 * b2;
  const double c2 = -b2, c3 = 2 * b2_2 - b3, c4 = -5 * b2_2 * b2 + 5 * b2 * b3 - b4,
               c5 = 14 * b2_2 * b2_2 - 21 * b2_2 * b3 + 6 * b2 * b4 + 3 * b3 * b3 - b5;
  const double nu2 = nu * nu;
  const double t2 = c2 * nu2, t3 = c3 * nu2 * nu, t4 = c4 * nu2 * nu2,
               t5 = c5 * nu2 * nu2 * nu;
  const double ratio = std::max(std::fabs(t4 / t3), std::fabs(t5 / t4));
  if (!(ratio < reversion_max_ratio) ||
      !(std::fabs(t5) * ratio < reversion_tolerance * s))
    return std::numeric_limits<double>::quiet_NaN();
  return nu + t2 + t3 + t4 + t5;
}

/// One Householder step of order four on the branch's objective.
double householder_step(branch br, double s, solve_context& c) {
  const double x = c.x, beta = c.beta;
  // The vega and b2_ratio, b3_ratio with one division besides h = x/s.
  const double h = x / s, inv_s = 1 / s, h_s = h * inv_s;
  const double vega = inv_sqrt_2pi * std::exp(-0.5 * h * h - 0.125 * s * s);
  const double b2 = h * h_s - 0.25 * s, b3 = b2 * b2 - 3 * h_s * h_s - 0.25;
  double nu, h2, h3;
  if (br == branch::lower) {
    // g = 1/ln b(s) - 1/ln beta: nearly linear in s where b is tiny.
    const double b = black_for_step(x, s, c.b_max, vega, beta, c.form);
    if (!(b > 0) || !(vega > 0)) return s;
    const double ln_b = std::log(b), ln_beta = c.ln_beta, lambda = vega / b;
    const double inv_ln_b = 1 / ln_b;
    nu = ln_b * (ln_beta - ln_b) / (ln_beta * lambda);
    h2 = b2 - lambda * (ln_b + 2) * inv_ln_b;
    h3 = b3 + 2 * lambda * lambda * (1 + 3 * inv_ln_b * (1 + inv_ln_b)) -
         3 * b2 * lambda * (1 + 2 * inv_ln_b);
  } else if (br == branch::upper) {
    // g = ln(b_max - beta) - ln(b_max - b(s)): nearly linear where b approaches b_max.
    const double d = black_complement(x, s, c.b_max);
    if (!(d > 0) || !(vega > 0)) return s;
    const double mu = vega / d;
    nu = std::log(d / (c.b_max - beta)) / mu;
    h2 = b2 + mu;
    h3 = b3 + 3 * b2 * mu + 2 * mu * mu;
  } else {
    // 1/vega is formed while b is still being computed
    const double inv_vega = 1 / vega;
    const double b = black_for_step(x, s, c.b_max, vega, beta, c.form);
    if (!(vega > 0)) return s;
    nu = (beta - b) * inv_vega;
    h2 = b2;
    h3 = b3;
    if (!c.converged) {
      const double d = reversion_step(nu, s, inv_s, h_s, b2);
      if (std::isfinite(d) && s + d > 0) {
        c.converged = true;
        return s + d;
      }
    }
  }
  const double step = nu * (1 + 0.5 * h2 * nu) / (1 + nu * (h2 + h3 * nu * (1.0 / 6)));
  const double next = s + (std::isfinite(step) ? step : 0.0);
  // Never leave the domain: a wild step (far outside the region of the guess) halves s.
  return next > 0 ? next : 0.5 * s;
}

/// Total vol s for an out-of-the-money call, x < 0, 0 < beta < b_max = e^{x/2} (passed
/// in: the caller has it from the bound check).
double solve_otm(double x, double beta, double b_max) {
  const double ax = -x;
  const double s_c = std::sqrt(2 * ax);
  // At s_c the first term's argument h + t is 0, so N(h + t) = 1/2 and the vega is
  // e^{x/2}/sqrt(2 pi): one erfc for b_c and none for v_c. The difference cancels only
  // for tiny |x|; see guess_cancellation_limit.
  // The guess needs no last-bit accuracy, so 1/b_max is taken once.
  const double inv_b_max = 1 / b_max;
  const double t1_c = 0.5 * b_max;
  double b_c = t1_c - norm_cdf(-s_c) * inv_b_max;
  if (!(b_c > guess_cancellation_limit * t1_c)) b_c = detail::otm_series_value(x, s_c);
  const double inv_v_c = sqrt_2pi * inv_b_max; // 1 / b'(s_c)
  const double s_l = s_c - b_c * inv_v_c;
  const double s_u = s_c + (b_max - b_c) * inv_v_c;
  // Only the bounds on beta's side of b_c are needed.
  const double b_l =
      beta <= b_c && s_l > 0 ? black_for_guess(x, s_l, b_max, inv_b_max) : 0.0;
  branch br;
  double s;
  if (beta <= b_c && beta < b_l) {
    br = branch::lower;
    const map_values m = lower_map(x, s_l);
    const double v_l = black_vega(x, s_l);
    const double d_r = m.fp / v_l, d_l = 1;
    const double f = rational_cubic(beta, 0, b_l, 0, m.f, d_l, d_r,
                                    second_in_beta(m, x, s_l, v_l), fit_end::right);
    s = f > 0 ? lower_map_inverse(x, f) : s_l * 0.5;
  } else {
    if (beta <= b_c) {
      br = branch::middle;
      const double dl = 1 / black_vega(x, s_l), dr = inv_v_c;
      s = rational_cubic(beta, b_l, b_c, s_l, s_c, dl, dr, 0.0, fit_end::right);
    } else if (const double b_u = black_for_guess(x, s_u, b_max, inv_b_max);
               beta <= b_u) {
      br = branch::middle;
      const double dl = inv_v_c, dr = 1 / black_vega(x, s_u);
      s = rational_cubic(beta, b_c, b_u, s_c, s_u, dl, dr, 0.0, fit_end::left);
    } else {
      br = branch::upper;
      const map_values m = upper_map(s_u);
      const double v_u = black_vega(x, s_u);
      const double d_l = m.fp / v_u, d_r = -0.5;
      const double f = rational_cubic(beta, b_u, b_max, m.f, 0, d_l, d_r,
                                      second_in_beta(m, x, s_u, v_u), fit_end::left);
      // f in (0, N(-s_u/2)); the quantile of a lower-tail probability keeps full
      // precision.
      s = f > 0 ? -2 * inverse_norm_cdf(f) : 2 * s_u;
    }
  }
  solve_context c{x, beta, b_max, br == branch::lower ? std::log(beta) : 0.0};
  // The iteration converges with order four: a first correction below skip_second of s
  // leaves an error of order (skip_second)^4, far below one ulp, so the second step is
  // only taken when the first one moved s noticeably. In the middle branch the first
  // step also tries the sixth-order reversion step, which ends the iteration when its
  // own terms show the remainder is below the last bit (c.converged).
  const double s1 = householder_step(br, s, c);
  if (c.converged || std::fabs(s1 - s) < skip_second * s1) return s1;
  return householder_step(br, s1, c);
}

/// At the money (x = 0): b = erf(s / (2 sqrt 2)), solved by the same Householder steps.
double solve_atm(double beta) {
  double s = beta < 1e-3 ? beta * sqrt_2pi : -2 * inverse_norm_cdf(0.5 * (1 - beta));
  for (int i = 0; i < max_iterations; ++i) {
    const double t = 0.5 * s;
    const double b = std::erf(t * inv_sqrt2);
    const double vega = inv_sqrt_2pi * std::exp(-0.5 * t * t);
    const double nu = (beta - b) / vega;
    const double h2 = -0.25 * s, h3 = h2 * h2 - 0.25;
    const double step = nu * (1 + 0.5 * h2 * nu) / (1 + nu * (h2 + h3 * nu * (1.0 / 6)));
    if (std::isfinite(step)) s += step;
  }
  return s;
}

} // namespace

const char* to_string(iv_error e) {
  switch (e) {
  case iv_error::none:
    return "none";
  case iv_error::invalid_input:
    return "invalid_input";
  case iv_error::below_intrinsic:
    return "below_intrinsic";
  case iv_error::above_maximum:
    return "above_maximum";
  case iv_error::no_convergence:
    return "no_convergence";
  }
  return "unknown";
}

iv_result implied_normalised_vol(double beta, double x, option_type type) {
  if (!std::isfinite(beta) || !std::isfinite(x)) return fail(iv_error::invalid_input);
  const double theta = type == option_type::call ? 1.0 : -1.0;
  // Reduce to an out-of-the-money call: subtract the normalised intrinsic value
  // 2 sinh(|x|/2) when in the money, and use b_put(x) = b_call(-x).
  double otm = beta;
  if (theta * x > 0) otm = beta - 2 * std::sinh(0.5 * std::fabs(x));
  const double x_otm = -std::fabs(x);
  if (otm < 0) return fail(iv_error::below_intrinsic);
  const double b_max = std::exp(0.5 * x_otm);
  if (otm >= b_max) return fail(iv_error::above_maximum);
  if (otm == 0) return {0.0, iv_error::none};
  const double s = x_otm == 0 ? solve_atm(otm) : solve_otm(x_otm, otm, b_max);
  // Only prices at the edge of underflow can defeat the iteration.
  if (!std::isfinite(s)) return fail(iv_error::no_convergence);
  return {s, iv_error::none};
}

iv_result implied_vol(const bsm_inputs& c, double price) {
  const double s0 = c.spot, k = c.strike, t = c.years, r = c.rate, q = c.dividend_yield;
  if (!(s0 > 0 && k > 0 && t > 0) || !std::isfinite(s0) || !std::isfinite(k) ||
      !std::isfinite(t) || !std::isfinite(r) || !std::isfinite(q) ||
      !std::isfinite(price) || price < 0)
    return fail(iv_error::invalid_input);
  const double theta = c.type == option_type::call ? 1.0 : -1.0;
  const double x = detail::log_moneyness(s0, k) + (r - q) * t;
  const double dfr = std::exp(-r * t);
  // Work on the time value in price units (the intrinsic part is exact there), then
  // normalise by sqrt(F K) e^{-rT} = K e^{x/2 - rT}.
  double time_value = price;
  if (theta * x > 0) time_value = price - theta * k * dfr * std::expm1(x);
  if (time_value < 0) return fail(iv_error::below_intrinsic);
  const double upper = c.type == option_type::call ? s0 * std::exp(-q * t) : k * dfr;
  if (price >= upper) return fail(iv_error::above_maximum);
  const double e_half_x = std::exp(0.5 * x);
  const double norm = k * dfr * e_half_x;
  const double x_otm = -std::fabs(x);
  const double beta = time_value / norm;
  const double b_max = x <= 0 ? e_half_x : std::exp(0.5 * x_otm);
  if (beta >= b_max) return fail(iv_error::above_maximum);
  if (beta == 0) return {0.0, iv_error::none};
  const double s = x_otm == 0 ? solve_atm(beta) : solve_otm(x_otm, beta, b_max);
  // Only prices at the edge of underflow (about 1e-300 of the strike) can defeat the
  // iteration; say so rather than return a number that is not a vol.
  if (!std::isfinite(s)) return fail(iv_error::no_convergence);
  return {s / std::sqrt(t), iv_error::none};
}

void implied_vol_batch(const iv_batch_inputs& in, double* vol, iv_error* error,
                       std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    const bsm_inputs c{in.type[i], in.spot[i],           in.strike[i], in.years[i],
                       in.rate[i], in.dividend_yield[i], 0.0};
    const iv_result res = implied_vol(c, in.price[i]);
    vol[i] = res.vol;
    if (error) error[i] = res.error;
  }
}

} // namespace sc::options
