#include "analytics/options/american.hpp"

#include "analytics/options/detail/quadrature.hpp"
#include "analytics/options/normal.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

namespace sc::options {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double pi = 3.14159265358979323846;
/// Tree steps where the closed form cannot be evaluated reliably.
constexpr int fallback_steps = 1001;

bool valid(const bsm_inputs& c) {
  return c.spot > 0 && c.strike > 0 && c.years >= 0 && c.vol >= 0 &&
         std::isfinite(c.spot) && std::isfinite(c.strike) && std::isfinite(c.years) &&
         std::isfinite(c.vol) && std::isfinite(c.rate) && std::isfinite(c.dividend_yield);
}

// -- bivariate normal CDF
// ----------------------------------------------------------------

/// The 20-point Gauss-Legendre rule on [-1, 1], computed once.
struct gauss_legendre {
  static constexpr int n = 20;
  std::array<double, n> x{}, w{};
  gauss_legendre() {
    std::vector<double> xs, ws;
    detail::legendre_rule(n, xs, ws);
    std::copy(xs.begin(), xs.end(), x.begin());
    std::copy(ws.begin(), ws.end(), w.begin());
  }
};

} // namespace

namespace detail {

/// P(X <= a, Y <= b) for standard normals with correlation rho, |rho| <= 0.9:
///   N(a) N(b) + 1/(2 pi) * integral_0^{asin rho} exp(-(a^2 + b^2 - 2ab sin t) / (2 cos^2
///   t)) dt
/// (the integrand is smooth there; Bjerksund-Stensland only needs rho = +-0.786). The
/// error is absolute (a few 1e-16), not relative: for rho < 0 the two parts cancel.
double bivariate_normal_cdf(double a, double b, double rho) {
  static const gauss_legendre gl;
  // The nodes depend on |rho| only (t -> -t flips the sign of sin t), and a caller asks
  // for one |rho| many times (Bjerksund-Stensland: +-0.786 twenty times per price), so
  // sin t and 1/(2 cos^2 t) at the nodes are kept for the last |rho| of this thread.
  struct nodes {
    double abs_rho = std::numeric_limits<double>::quiet_NaN();
    double half = 0;
    std::array<double, gauss_legendre::n> sin_t{}, inv_2cos2{};
  };
  thread_local nodes cache;
  const double abs_rho = std::fabs(rho);
  if (!(abs_rho == cache.abs_rho)) {
    cache.abs_rho = abs_rho;
    cache.half = 0.5 * std::asin(abs_rho);
    for (int i = 0; i < gauss_legendre::n; ++i) {
      const double st = std::sin(cache.half * (gl.x[i] + 1));
      cache.sin_t[i] = st;
      cache.inv_2cos2[i] = 1 / (2 * (1 - st * st));
    }
  }
  const double sign = rho < 0 ? -1.0 : 1.0;
  const double sq = a * a + b * b, cross = 2 * a * b * sign;
  double sum = 0;
  for (int i = 0; i < gauss_legendre::n; ++i)
    sum += gl.w[i] * std::exp(-(sq - cross * cache.sin_t[i]) * cache.inv_2cos2[i]);
  return norm_cdf(a) * norm_cdf(b) + sum * (sign * cache.half) / (2 * pi);
}

} // namespace detail

namespace {

using detail::bivariate_normal_cdf;

// -- Bjerksund-Stensland 2002
// ------------------------------------------------------------
//
// Notation of the paper: cost of carry b = r - q, t1 = (sqrt 5 - 1) T / 2, trigger prices
// I2 = X(T) on [0, t1] and I1 = X(t1) on [t1, T] with
//   X(tau) = B0 + (Binf - B0) (1 - exp h(tau)),  h(tau) = -(b tau + 2 sigma sqrt tau) K^2
//   / ((Binf - B0) B0), Binf = beta / (beta - 1) K,  B0 = max(K, r / (r - b) K), beta =
//   1/2 - b / sigma^2 + sqrt((b / sigma^2 - 1/2)^2 + 2 r / sigma^2).
// The price is the exact value of the feasible (not optimal) strategy "exercise when S
// reaches I2 before t1 or I1 after t1", a lower bound of the American value.

/// Bjerksund-Stensland 1993/2002 phi(S, T, gamma, H, I) multiplied by exp(log_scale):
///   e^{lambda} S^gamma [N(d) - (I/S)^kappa N(d - 2 ln(I/S) / (sigma sqrt T))],
///   lambda = (-r + gamma b + gamma (gamma - 1) sigma^2 / 2) T,
///   d = -(ln(S/H) + (b + (gamma - 1/2) sigma^2) T) / (sigma sqrt T),
///   kappa = 2 b / sigma^2 + 2 gamma - 1.
/// The scale lets the caller fold in alpha = (I - K) I^-beta without forming S^beta.
struct bs_params {
  double r, b, sigma;
};

/// ln N(x) without underflow: below x = -30 the asymptotic series of the Mills ratio,
/// N(x) = phi(x) / |x| (1 - 1/x^2 + 3/x^4 - 15/x^6 + ...), truncated where its terms drop
/// below 1e-16.
double log_norm_cdf(double x) {
  if (x > -30) return std::log(norm_cdf(x));
  const double z = 1 / (x * x);
  const double series =
      1 +
      z * (-1 + z * (3 + z * (-15 + z * (105 + z * (-945 + z * (10395 - z * 135135))))));
  return -0.5 * x * x - std::log(-x) - 0.5 * std::log(2 * pi) + std::log(series);
}

double phi_term(double s, double t, double g, double h, double i, double log_scale,
                const bs_params& p) {
  const double v2 = p.sigma * p.sigma, sq = p.sigma * std::sqrt(t);
  const double lambda = (-p.r + g * p.b + 0.5 * g * (g - 1) * v2) * t;
  const double d = -(std::log(s / h) + (p.b + (g - 0.5) * v2) * t) / sq;
  const double kappa = 2 * p.b / v2 + 2 * g - 1;
  const double log_is = std::log(i / s);
  const double lr = kappa * log_is;
  const double pre = lambda + g * std::log(s) + log_scale;
  // The reflected term through logs: (I/S)^kappa can overflow while N(.) underflows.
  return std::exp(pre + log_norm_cdf(d)) -
         std::exp(pre + lr + log_norm_cdf(d - 2 * log_is / sq));
}

/// psi(S, T, gamma, H, I2, I1, t1) multiplied by exp(log_scale): barrier I2 on [0, t1],
/// I1 on [t1, T], S_T <= H; the reflections of the path give four bivariate terms,
///   e^{lambda} S^gamma [M(-e1, -f1, rho) - (I2/S)^kappa M(-e2, -f2, rho)
///                       - (I1/S)^kappa M(-e3, -f3, -rho) + (I1/I2)^kappa M(-e4, -f4,
///                       -rho)],
///   e1 = (ln(S/I1) + mu t1) / (sigma sqrt t1),  e2 = (ln(I2^2/(S I1)) + mu t1) / (sigma
///   sqrt t1), e3 = (ln(S/I1) - mu t1) / (sigma sqrt t1),  e4 = (ln(I2^2/(S I1)) - mu t1)
///   / (sigma sqrt t1), f1 = (ln(S/H) + mu T) / (sigma sqrt T),     f2 = (ln(I2^2/(S H))
///   + mu T) / (sigma sqrt T), f3 = (ln(I1^2/(S H)) + mu T) / (sigma sqrt T), f4 = (ln(S
///   I1^2/(H I2^2)) + mu T) / (sigma sqrt T), mu = b + (gamma - 1/2) sigma^2, rho =
///   sqrt(t1 / T).
/// `amplification` collects the largest factor (as a log) that multiplies a bivariate
/// CDF: the CDF's error is absolute, so the term's error is that factor times about
/// 1e-16.
double psi_term(double s, double t, double g, double h, double i2, double i1, double t1,
                double log_scale, const bs_params& p, double& amplification) {
  const double v2 = p.sigma * p.sigma;
  const double sq1 = p.sigma * std::sqrt(t1), sq = p.sigma * std::sqrt(t);
  const double mu = p.b + (g - 0.5) * v2;
  const double ls = std::log(s), l1 = std::log(i1), l2 = std::log(i2), lh = std::log(h);
  const double e1 = (ls - l1 + mu * t1) / sq1;
  const double e2 = (2 * l2 - ls - l1 + mu * t1) / sq1;
  const double e3 = (ls - l1 - mu * t1) / sq1;
  const double e4 = (2 * l2 - ls - l1 - mu * t1) / sq1;
  const double f1 = (ls - lh + mu * t) / sq;
  const double f2 = (2 * l2 - ls - lh + mu * t) / sq;
  const double f3 = (2 * l1 - ls - lh + mu * t) / sq;
  const double f4 = (ls + 2 * l1 - lh - 2 * l2 + mu * t) / sq;
  const double rho = std::sqrt(t1 / t);
  const double lambda = (-p.r + g * p.b + 0.5 * g * (g - 1) * v2) * t;
  const double kappa = 2 * p.b / v2 + 2 * g - 1;
  const double r2 = kappa * (l2 - ls), r1 = kappa * (l1 - ls), r12 = kappa * (l1 - l2);
  const double pre = lambda + g * ls + log_scale;
  amplification = std::max({amplification, pre, pre + r2, pre + r1, pre + r12});
  return std::exp(pre) * bivariate_normal_cdf(-e1, -f1, rho) -
         std::exp(pre + r2) * bivariate_normal_cdf(-e2, -f2, rho) -
         std::exp(pre + r1) * bivariate_normal_cdf(-e3, -f3, -rho) +
         std::exp(pre + r12) * bivariate_normal_cdf(-e4, -f4, -rho);
}

/// American call, cost of carry b = r - q, with s, k > 0, t > 0, sigma > 0. Returns NaN
/// where the closed form cannot be evaluated to double precision (the caller falls back).
double bs2002_call(double s, double k, double t, double r, double q, double sigma) {
  const double b = r - q;
  const bsm_inputs euro{option_type::call, s, k, t, r, q, sigma};
  // Without a dividend yield and with r >= 0 a call is never exercised early.
  if (q <= 0 && r >= 0) return bsm_price(euro);
  const double v2 = sigma * sigma;
  const double beta =
      (0.5 - b / v2) + std::sqrt((b / v2 - 0.5) * (b / v2 - 0.5) + 2 * r / v2);
  // beta > 1 holds whenever q > 0; with q <= 0 and r < 0 it may not (no finite perpetual
  // boundary), and the method does not apply.
  if (!(beta > 1) || !std::isfinite(beta)) return nan;
  const double b_inf = beta / (beta - 1) * k;
  // B0 = max(K, r / q K); r / q is -inf or NaN for q = 0, r < 0, where B0 = K.
  const double b0 = q > 0 ? std::max(k, r / q * k) : k;
  if (!(b_inf > b0)) return nan;
  const double t1 = 0.5 * (std::sqrt(5.0) - 1) * t;
  const double scale = k * k / ((b_inf - b0) * b0);
  const double h1 = -(b * t1 + 2 * sigma * std::sqrt(t1)) * scale;
  const double h2 = -(b * t + 2 * sigma * std::sqrt(t)) * scale;
  // h(tau) > 0 (b tau + 2 sigma sqrt tau < 0: small vol and q well above r) puts the
  // trigger below B0, where exercise is never optimal (B0 is the optimal boundary's limit
  // at expiry): the method's trigger rule has broken down, so the caller falls back.
  if (h1 > 0 || h2 > 0) return nan;
  const double i1 = b0 - (b_inf - b0) * std::expm1(h1);
  const double i2 = b0 - (b_inf - b0) * std::expm1(h2);
  const double floor = std::max(bsm_price(euro), s - k);
  if (s >= i2) return floor; // the strategy exercises now
  // alpha_j S^beta = (I_j - K) (S / I_j)^beta, formed through logs: S^beta alone
  // overflows for small sigma (beta ~ 2 |b| / sigma^2).
  // Each term's multiplier (alpha_j, K or 1) is folded into its log scale.
  const double la1 = std::log(i1 - k) - beta * std::log(i1);
  const double la2 = std::log(i2 - k) - beta * std::log(i2);
  const double lk = std::log(k);
  const bs_params p{r, b, sigma};
  double amp = -std::numeric_limits<double>::infinity();
  const double c = std::exp(la2 + beta * std::log(s)) -
                   phi_term(s, t1, beta, i2, i2, la2, p) +
                   phi_term(s, t1, 1, i2, i2, 0, p) - phi_term(s, t1, 1, i1, i2, 0, p) -
                   phi_term(s, t1, 0, i2, i2, lk, p) + phi_term(s, t1, 0, i1, i2, lk, p) +
                   phi_term(s, t1, beta, i1, i2, la1, p) -
                   psi_term(s, t, beta, i1, i2, i1, t1, la1, p, amp) +
                   psi_term(s, t, 1, i1, i2, i1, t1, 0, p, amp) -
                   psi_term(s, t, 1, k, i2, i1, t1, 0, p, amp) -
                   psi_term(s, t, 0, i1, i2, i1, t1, lk, p, amp) +
                   psi_term(s, t, 0, k, i2, i1, t1, lk, p, amp);
  amp -= lk; // relative to the strike
  // A factor of e^amp strikes multiplies the absolute error of a bivariate CDF (about
  // 1e-16); beyond e^18 (small sigma, where kappa ~ 2b / sigma^2 makes the reflection
  // factors (I/S)^kappa huge) the sum is no longer reliable to 1e-8 of the strike.
  if (!std::isfinite(c) || amp > 18) return nan;
  // The approximation exercises on a flat boundary, a feasible but not optimal strategy;
  // never report less than the European value or the exercise value.
  return std::max(c, floor);
}

/// Value with no randomness left (vol == 0 or years == 0): the path is deterministic, so
/// the holder picks the best exercise date on it. The discounted payoff of exercising at
/// t, theta (S e^{-qt} - K e^{-rt}), has at most one critical point, where e^{(r-q)t} = r
/// K / (q S); the best of t = 0, t = T and that point is the exact optimum. A European
/// holder gets the t = T value.
double zero_vol_value(const bsm_inputs& c, exercise_style style) {
  const double theta = c.type == option_type::call ? 1.0 : -1.0;
  const auto payoff = [&](double t) {
    return theta *
           (c.spot * std::exp(-c.dividend_yield * t) - c.strike * std::exp(-c.rate * t));
  };
  double best = std::max(payoff(c.years), 0.0);
  if (style == exercise_style::european) return best;
  best = std::max(best, payoff(0));
  const double ratio = c.rate * c.strike / (c.dividend_yield * c.spot);
  const double t_star = std::log(ratio) / (c.rate - c.dividend_yield);
  if (ratio > 0 && t_star > 0 && t_star < c.years) best = std::max(best, payoff(t_star));
  return best;
}

} // namespace

double bjerksund_stensland_price(const bsm_inputs& c) {
  if (!valid(c)) return nan;
  if (c.years == 0 || c.vol == 0) return zero_vol_value(c, exercise_style::american);
  // Put-call transformation: P(S, K, T, r, q) = C(K, S, T, q, r).
  const double v =
      c.type == option_type::call
          ? bs2002_call(c.spot, c.strike, c.years, c.rate, c.dividend_yield, c.vol)
          : bs2002_call(c.strike, c.spot, c.years, c.dividend_yield, c.rate, c.vol);
  if (std::isfinite(v)) return v;
  // Outside the closed form's reach (very small vol, a trigger rule that breaks down, or
  // a call with r < 0 and q <= 0): the tree, whose error at this step count is far below
  // the method's own.
  const double exercise =
      c.type == option_type::call ? c.spot - c.strike : c.strike - c.spot;
  return std::max({binomial_price(c, fallback_steps, exercise_style::american),
                   bsm_price(c), exercise});
}

namespace {

/// Prices one American contract at any spot, for its fixed strike, years, rates and
/// vol, from one solved boundary: the boundary of the put with strike 1 scales with the
/// strike, and a call's put-space strike is its spot, so spot bumps never re-solve it.
class boundary_pricer {
public:
  boundary_pricer(const bsm_inputs& c, const american_boundary_scheme& scheme) : c_(c) {
    if (!valid(c) || !scheme.valid()) {
      mode_ = mode::invalid;
      return;
    }
    if (c.years == 0 || c.vol == 0) {
      mode_ = mode::deterministic;
      return;
    }
    const bool call = c.type == option_type::call;
    // Put-space rates: a call is the put with r and q exchanged.
    const double r = call ? c.dividend_yield : c.rate;
    const double q = call ? c.rate : c.dividend_yield;
    if (r <= 0) {
      // Exercising a put pays r K - q S per unit time; with r <= 0 and q >= r that is
      // never positive where the put is in the money. With q < r <= 0 the exercise
      // region is a band between two boundaries, outside this method.
      mode_ = q >= r ? mode::european : mode::tree;
      return;
    }
    boundary_ = detail::solve_put_boundary(r, q, c.vol, c.years, scheme);
    mode_ = mode::boundary;
  }

  double operator()(double spot) const {
    bsm_inputs c = c_;
    c.spot = spot;
    if (!(spot > 0) || !std::isfinite(spot)) return nan;
    switch (mode_) {
    case mode::invalid:
      return nan;
    case mode::deterministic:
      return zero_vol_value(c, exercise_style::american);
    case mode::european:
      return bsm_price(c);
    case mode::tree:
      return tree(c);
    case mode::boundary:
      break;
    }
    const bool call = c.type == option_type::call;
    const double v = call ? detail::put_price_from_boundary(boundary_, c.strike, spot)
                          : detail::put_price_from_boundary(boundary_, spot, c.strike);
    if (!std::isfinite(v)) return tree(c);
    const double exercise = call ? spot - c.strike : c.strike - spot;
    return std::max({v, bsm_price(c), exercise});
  }

private:
  enum class mode { invalid, deterministic, european, tree, boundary };
  static double tree(const bsm_inputs& c) {
    const double exercise =
        c.type == option_type::call ? c.spot - c.strike : c.strike - c.spot;
    const double t = binomial_price(c, fallback_steps, exercise_style::american);
    // The tree's extreme nodes overflow beyond vol^2 T of several hundred: no answer
    // rather than a wrong one.
    if (!std::isfinite(t)) return nan;
    return std::max({t, bsm_price(c), exercise});
  }
  bsm_inputs c_;
  mode mode_ = mode::invalid;
  detail::put_boundary boundary_;
};

} // namespace

double american_boundary_price(const bsm_inputs& c,
                               const american_boundary_scheme& scheme) {
  return boundary_pricer(c, scheme)(c.spot);
}

double american_price(const bsm_inputs& c) {
  return american_boundary_price(c);
}

double binomial_price(const bsm_inputs& c, int steps, exercise_style style) {
  if (!valid(c) || steps < 1) return nan;
  if (c.years == 0 || c.vol == 0) return zero_vol_value(c, style);
  const int n = steps % 2 == 0 ? steps + 1 : steps;
  const double dt = c.years / n;
  const double s = c.vol * std::sqrt(c.years);
  const double x = std::log(c.spot / c.strike) + (c.rate - c.dividend_yield) * c.years;
  const double d1 = x / s + 0.5 * s, d2 = d1 - s;
  // Peizer-Pratt inversion (method 2) of the normal CDF onto the binomial, returned as
  // {p, 1 - p} with the smaller one computed directly: far from the money p rounds to 1
  // and 1 - p would be lost, which made u or d 0/0.
  struct prob {
    double p, q;
  };
  const auto inversion = [n](double z) {
    const double a = z / (n + 1.0 / 3 + 0.1 / (n + 1));
    const double e = std::exp(-a * a * (n + 1.0 / 6));
    const double root = std::sqrt(0.25 - 0.25 * e);
    const double tail = 0.25 * e / (0.5 + root); // 0.5 - root without cancellation
    return z >= 0 ? prob{1 - tail, tail} : prob{tail, 1 - tail};
  };
  const prob pp = inversion(d2), pb = inversion(d1);
  if (!(pp.p > 0 && pp.q > 0 && pb.p > 0 && pb.q > 0)) {
    // |d| beyond about 27 sqrt(steps): no step of the tree can reach the strike (the
    // probability is below 1e-300), so the path is deterministic to double precision.
    return zero_vol_value(c, style);
  }
  const double p = pp.p;
  const double growth = std::exp((c.rate - c.dividend_yield) * dt);
  // u p + d (1 - p) = growth and u p / growth = p_bar (Leisen-Reimer).
  const double u = growth * pb.p / pp.p;
  const double d = growth * pb.q / pp.q;
  const double disc = std::exp(-c.rate * dt);
  const double pu = disc * p, pd = disc * pp.q;
  const double theta = c.type == option_type::call ? 1.0 : -1.0;
  const bool american = style == exercise_style::american;
  std::vector<double> v(n + 1);
  const double ratio = u / d;
  double st = c.spot * std::pow(d, n);
  for (int j = 0; j <= n; ++j, st *= ratio)
    v[j] = std::max(theta * (st - c.strike), 0.0);
  for (int i = n - 1; i >= 0; --i) {
    double node = c.spot * std::pow(d, i);
    for (int j = 0; j <= i; ++j, node *= ratio) {
      const double cont = pu * v[j + 1] + pd * v[j];
      v[j] = american ? std::max(cont, theta * (node - c.strike)) : cont;
    }
  }
  return v[0];
}

greeks american_greeks(const bsm_inputs& c) {
  greeks g;
  if (!valid(c)) {
    g.price = g.delta = g.gamma = g.vega = g.theta = g.rho = g.vanna = g.volga = g.charm =
        nan;
    return g;
  }
  const american_boundary_scheme scheme;
  // Steps balance truncation (h^2) against the price's rounding (1e-15 / h^k).
  const double hs = 1e-3 * c.spot, hv = std::min(1e-3, 0.5 * c.vol),
               ht = std::min(1e-3, 0.5 * c.years), hr = 1e-4;
  const auto at = [&](double dv, double dt, double dr) {
    bsm_inputs x = c;
    x.vol += dv;
    x.years += dt;
    x.rate += dr;
    return boundary_pricer(x, scheme);
  };
  const boundary_pricer base = at(0, 0, 0);
  g.price = base(c.spot);
  const double up = base(c.spot + hs), dn = base(c.spot - hs);
  g.delta = (up - dn) / (2 * hs);
  g.gamma = (up - 2 * g.price + dn) / (hs * hs);
  if (hv > 0) {
    const boundary_pricer vu = at(hv, 0, 0), vd = at(-hv, 0, 0);
    g.vega = (vu(c.spot) - vd(c.spot)) / (2 * hv);
    g.volga = (vu(c.spot) - 2 * g.price + vd(c.spot)) / (hv * hv);
    g.vanna = (vu(c.spot + hs) - vd(c.spot + hs) - vu(c.spot - hs) + vd(c.spot - hs)) /
              (4 * hs * hv);
  }
  if (ht > 0) {
    // Calendar time runs against time to expiry.
    const boundary_pricer tu = at(0, ht, 0), td = at(0, -ht, 0);
    g.theta = -(tu(c.spot) - td(c.spot)) / (2 * ht);
    g.charm = -(tu(c.spot + hs) - tu(c.spot - hs) - td(c.spot + hs) + td(c.spot - hs)) /
              (4 * hs * ht);
  }
  const boundary_pricer ru = at(0, 0, hr), rd = at(0, 0, -hr);
  g.rho = (ru(c.spot) - rd(c.spot)) / (2 * hr);
  return g;
}

iv_result american_implied_vol(const bsm_inputs& contract, double price) {
  if (!valid(contract) || !(contract.years > 0) || !std::isfinite(price) || price < 0)
    return {nan, iv_error::invalid_input};
  const double exercise = contract.type == option_type::call
                              ? contract.spot - contract.strike
                              : contract.strike - contract.spot;
  if (price < std::max(exercise, 0.0)) return {nan, iv_error::below_intrinsic};
  const double upper =
      contract.type == option_type::call ? contract.spot : contract.strike;
  if (price >= upper) return {nan, iv_error::above_maximum};
  auto f = [&](double vol) {
    bsm_inputs x = contract;
    x.vol = vol;
    return american_price(x) - price;
  };
  double a = 1e-4, b = 2.0;
  double fa = f(a), fb = f(b);
  if (fa > 0) return {nan, iv_error::below_intrinsic}; // below the zero-vol value
  while (fb < 0 && b < 20) {
    a = b;
    fa = fb;
    b = std::min(2 * b, 20.0);
    fb = f(b);
  }
  if (fb < 0) return {nan, iv_error::above_maximum};
  if (fa == 0) return {a, iv_error::none};
  // Brent's method: inverse quadratic interpolation guarded by bisection.
  double c = a, fc = fa, d = b - a, e = d;
  for (int it = 0; it < 200; ++it) {
    if ((fb > 0) == (fc > 0)) {
      c = a;
      fc = fa;
      d = e = b - a;
    }
    if (std::fabs(fc) < std::fabs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const double tol = 2e-16 * std::fabs(b) + 0.5e-12;
    const double m = 0.5 * (c - b);
    if (std::fabs(m) <= tol || fb == 0) return {b, iv_error::none};
    if (std::fabs(e) >= tol && std::fabs(fa) > std::fabs(fb)) {
      double p, q;
      const double s = fb / fa;
      if (a == c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const double qq = fa / fc, r = fb / fc;
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0)
        q = -q;
      else
        p = -p;
      if (2 * p < std::min(3 * m * q - std::fabs(tol * q), std::fabs(e * q))) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    fa = fb;
    b += std::fabs(d) > tol ? d : (m > 0 ? tol : -tol);
    fb = f(b);
  }
  return {nan, iv_error::no_convergence};
}

} // namespace sc::options
