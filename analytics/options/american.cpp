#include "analytics/options/american.hpp"

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

bool valid(const bsm_inputs& c) {
  return c.spot > 0 && c.strike > 0 && c.years >= 0 && c.vol >= 0 && std::isfinite(c.spot) &&
         std::isfinite(c.strike) && std::isfinite(c.years) && std::isfinite(c.vol) &&
         std::isfinite(c.rate) && std::isfinite(c.dividend_yield);
}

// -- bivariate normal CDF ----------------------------------------------------------------

/// Gauss-Legendre nodes and weights on [-1, 1], computed once by Newton's method on the
/// Legendre polynomial.
struct gauss_legendre {
  static constexpr int n = 20;
  std::array<double, n> x{}, w{};
  gauss_legendre() {
    for (int i = 0; i < n; ++i) {
      double z = std::cos(pi * (i + 0.75) / (n + 0.5)), dp = 0;
      for (int it = 0; it < 100; ++it) {
        double p0 = 1, p1 = z;
        for (int k = 2; k <= n; ++k) {
          const double p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
          p0 = p1;
          p1 = p2;
        }
        dp = n * (z * p1 - p0) / (z * z - 1);
        const double dz = p1 / dp;
        z -= dz;
        if (std::fabs(dz) < 1e-16) break;
      }
      x[i] = z;
      w[i] = 2 / ((1 - z * z) * dp * dp);
    }
  }
};

/// P(X <= a, Y <= b) for standard normals with correlation rho, |rho| <= 0.9:
///   N(a) N(b) + 1/(2 pi) * integral_0^{asin rho} exp(-(a^2 + b^2 - 2ab sin t) / (2 cos^2 t)) dt
/// (the integrand is smooth there; Bjerksund-Stensland only needs rho = +-0.786).
double bivariate_cdf(double a, double b, double rho) {
  static const gauss_legendre gl;
  const double upper = std::asin(rho);
  const double half = 0.5 * upper;
  double sum = 0;
  for (int i = 0; i < gauss_legendre::n; ++i) {
    const double t = half * (gl.x[i] + 1);
    const double st = std::sin(t), ct2 = 1 - st * st;
    sum += gl.w[i] * std::exp(-(a * a + b * b - 2 * a * b * st) / (2 * ct2));
  }
  return norm_cdf(a) * norm_cdf(b) + sum * half / (2 * pi);
}

// -- Bjerksund-Stensland 2002 ------------------------------------------------------------

struct bs_params {
  double r, b, sigma;
};

/// e^{-rT} E[S_T^g 1{S_T <= h, no hit of barrier i before T}] (one-period term).
double phi_term(double s, double t, double g, double h, double i, const bs_params& p) {
  const double v2 = p.sigma * p.sigma, sq = p.sigma * std::sqrt(t);
  const double lambda = (-p.r + g * p.b + 0.5 * g * (g - 1) * v2) * t;
  const double d = -(std::log(s / h) + (p.b + (g - 0.5) * v2) * t) / sq;
  const double kappa = 2 * p.b / v2 + 2 * g - 1;
  return std::exp(lambda) * std::pow(s, g) *
         (norm_cdf(d) - std::pow(i / s, kappa) * norm_cdf(d - 2 * std::log(i / s) / sq));
}

/// The two-period term: barrier i2 on [0, t1], i1 on [t1, t], S_T <= h; the four
/// reflections of the path give the four bivariate terms.
double psi_term(double s, double t, double g, double h, double i2, double i1, double t1,
                const bs_params& p) {
  const double v2 = p.sigma * p.sigma;
  const double sq1 = p.sigma * std::sqrt(t1), sq = p.sigma * std::sqrt(t);
  const double mu = p.b + (g - 0.5) * v2;
  const double e1 = (std::log(s / i1) + mu * t1) / sq1;
  const double e2 = (std::log(i2 * i2 / (s * i1)) + mu * t1) / sq1;
  const double e3 = (std::log(i1 / s) + mu * t1) / sq1;
  const double e4 = (std::log(s * i1 / (i2 * i2)) + mu * t1) / sq1;
  const double f1 = (std::log(s / h) + mu * t) / sq;
  const double f2 = (std::log(i2 * i2 / (s * h)) + mu * t) / sq;
  const double f3 = (std::log(i1 * i1 / (s * h)) + mu * t) / sq;
  const double f4 = (std::log(s * i1 * i1 / (h * i2 * i2)) + mu * t) / sq;
  const double rho = std::sqrt(t1 / t);
  const double lambda = (-p.r + g * p.b + 0.5 * g * (g - 1) * v2) * t;
  const double kappa = 2 * p.b / v2 + 2 * g - 1;
  return std::exp(lambda) * std::pow(s, g) *
         (bivariate_cdf(-e1, -f1, rho) - std::pow(i2 / s, kappa) * bivariate_cdf(-e2, -f2, rho) -
          std::pow(i1 / s, kappa) * bivariate_cdf(e3, -f3, -rho) +
          std::pow(i1 / i2, kappa) * bivariate_cdf(e4, -f4, -rho));
}

/// American call, cost of carry b = r - q, with s, k > 0, t > 0, sigma > 0.
double bs2002_call(double s, double k, double t, double r, double q, double sigma) {
  const double b = r - q;
  const bsm_inputs euro{option_type::call, s, k, t, r, q, sigma};
  if (q <= 0) return bsm_price(euro); // never exercised early
  const double v2 = sigma * sigma;
  const double beta = (0.5 - b / v2) + std::sqrt((b / v2 - 0.5) * (b / v2 - 0.5) + 2 * r / v2);
  if (!(beta > 1) || !std::isfinite(beta)) {
    // Negative rates can leave the formula's assumptions; the tree is the fallback.
    return binomial_price(euro, 801, exercise_style::american);
  }
  const double b_inf = beta / (beta - 1) * k;
  const double b0 = std::max(k, r / (r - b) * k);
  const double t1 = 0.5 * (std::sqrt(5.0) - 1) * t;
  const double scale = k * k / ((b_inf - b0) * b0);
  const double h1 = -(b * t1 + 2 * sigma * std::sqrt(t1)) * scale;
  const double h2 = -(b * t + 2 * sigma * std::sqrt(t)) * scale;
  const double i1 = b0 + (b_inf - b0) * (1 - std::exp(h1));
  const double i2 = b0 + (b_inf - b0) * (1 - std::exp(h2));
  if (s >= i2) return s - k;
  const double a1 = (i1 - k) * std::pow(i1, -beta);
  const double a2 = (i2 - k) * std::pow(i2, -beta);
  const bs_params p{r, b, sigma};
  const double c =
    a2 * std::pow(s, beta) - a2 * phi_term(s, t1, beta, i2, i2, p) +
    phi_term(s, t1, 1, i2, i2, p) - phi_term(s, t1, 1, i1, i2, p) -
    k * phi_term(s, t1, 0, i2, i2, p) + k * phi_term(s, t1, 0, i1, i2, p) +
    a1 * phi_term(s, t1, beta, i1, i2, p) - a1 * psi_term(s, t, beta, i1, i2, i1, t1, p) +
    psi_term(s, t, 1, i1, i2, i1, t1, p) - psi_term(s, t, 1, k, i2, i1, t1, p) -
    k * psi_term(s, t, 0, i1, i2, i1, t1, p) + k * psi_term(s, t, 0, k, i2, i1, t1, p);
  // The approximation exercises on a flat boundary, so it is a lower bound; never report
  // less than the European value or the exercise value.
  return std::max({c, bsm_price(euro), s - k});
}

/// Exercise value with nothing left to decide (no time or no vol).
double degenerate_value(const bsm_inputs& c) {
  const double euro = bsm_price(c);
  const double exercise =
    c.type == option_type::call ? c.spot - c.strike : c.strike - c.spot;
  return std::max({euro, exercise, 0.0});
}

} // namespace

double bjerksund_stensland_price(const bsm_inputs& c) {
  if (!valid(c)) return nan;
  if (c.years == 0 || c.vol == 0) return degenerate_value(c);
  if (c.type == option_type::call)
    return bs2002_call(c.spot, c.strike, c.years, c.rate, c.dividend_yield, c.vol);
  // Put-call transformation: P(S, K, T, r, q) = C(K, S, T, q, r).
  return bs2002_call(c.strike, c.spot, c.years, c.dividend_yield, c.rate, c.vol);
}

double binomial_price(const bsm_inputs& c, int steps, exercise_style style) {
  if (!valid(c) || steps < 1) return nan;
  if (c.years == 0 || c.vol == 0)
    return style == exercise_style::american ? degenerate_value(c) : bsm_price(c);
  const int n = steps % 2 == 0 ? steps + 1 : steps;
  const double dt = c.years / n;
  const double s = c.vol * std::sqrt(c.years);
  const double x = std::log(c.spot / c.strike) + (c.rate - c.dividend_yield) * c.years;
  const double d1 = x / s + 0.5 * s, d2 = d1 - s;
  // Peizer-Pratt inversion (method 2) of the normal CDF onto the binomial.
  const auto inversion = [n](double z) {
    const double a = z / (n + 1.0 / 3 + 0.1 / (n + 1));
    const double root = std::sqrt(0.25 - 0.25 * std::exp(-a * a * (n + 1.0 / 6)));
    return z >= 0 ? 0.5 + root : 0.5 - root;
  };
  const double p = inversion(d2), p_bar = inversion(d1);
  const double growth = std::exp((c.rate - c.dividend_yield) * dt);
  const double u = growth * p_bar / p;
  const double d = (growth - p * u) / (1 - p);
  const double disc = std::exp(-c.rate * dt);
  const double pu = disc * p, pd = disc * (1 - p);
  const double theta = c.type == option_type::call ? 1.0 : -1.0;
  const bool american = style == exercise_style::american;
  std::vector<double> v(n + 1);
  const double ratio = u / d;
  double st = c.spot * std::pow(d, n);
  for (int j = 0; j <= n; ++j, st *= ratio) v[j] = std::max(theta * (st - c.strike), 0.0);
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
    g.price = g.delta = g.gamma = g.vega = g.theta = g.rho = g.vanna = g.volga = g.charm = nan;
    return g;
  }
  const auto price = [](bsm_inputs x) { return bjerksund_stensland_price(x); };
  g.price = price(c);
  // Steps balance truncation (h^2) against the price's rounding (1e-15 / h^k).
  const double hs = 1e-3 * c.spot, hv = std::min(1e-3, 0.5 * c.vol),
               ht = std::min(1e-3, 0.5 * c.years), hr = 1e-4;
  auto bumped = [&](double ds, double dv, double dt, double dr) {
    bsm_inputs x = c;
    x.spot += ds;
    x.vol += dv;
    x.years += dt;
    x.rate += dr;
    return price(x);
  };
  const double up = bumped(hs, 0, 0, 0), dn = bumped(-hs, 0, 0, 0);
  g.delta = (up - dn) / (2 * hs);
  g.gamma = (up - 2 * g.price + dn) / (hs * hs);
  if (hv > 0) {
    const double vu = bumped(0, hv, 0, 0), vd = bumped(0, -hv, 0, 0);
    g.vega = (vu - vd) / (2 * hv);
    g.volga = (vu - 2 * g.price + vd) / (hv * hv);
    g.vanna = (bumped(hs, hv, 0, 0) - bumped(hs, -hv, 0, 0) - bumped(-hs, hv, 0, 0) +
               bumped(-hs, -hv, 0, 0)) /
              (4 * hs * hv);
  }
  if (ht > 0) {
    // Calendar time runs against time to expiry.
    g.theta = -(bumped(0, 0, ht, 0) - bumped(0, 0, -ht, 0)) / (2 * ht);
    g.charm = -(bumped(hs, 0, ht, 0) - bumped(-hs, 0, ht, 0) - bumped(hs, 0, -ht, 0) +
                bumped(-hs, 0, -ht, 0)) /
              (4 * hs * ht);
  }
  g.rho = (bumped(0, 0, 0, hr) - bumped(0, 0, 0, -hr)) / (2 * hr);
  return g;
}

iv_result american_implied_vol(const bsm_inputs& contract, double price) {
  if (!valid(contract) || !(contract.years > 0) || !std::isfinite(price) || price < 0)
    return {nan, iv_error::invalid_input};
  const double exercise = contract.type == option_type::call ? contract.spot - contract.strike
                                                              : contract.strike - contract.spot;
  if (price < std::max(exercise, 0.0)) return {nan, iv_error::below_intrinsic};
  const double upper = contract.type == option_type::call ? contract.spot : contract.strike;
  if (price >= upper) return {nan, iv_error::above_maximum};
  auto f = [&](double vol) {
    bsm_inputs x = contract;
    x.vol = vol;
    return bjerksund_stensland_price(x) - price;
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
      if (p > 0) q = -q;
      else p = -p;
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
