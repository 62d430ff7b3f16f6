#include "analytics/options/black_scholes.hpp"

#include <cmath>

namespace sc::options {

namespace {

constexpr double inv_sqrt2 = 0.70710678118654752440;
constexpr double inv_sqrt_2pi = 0.39894228040143267794;

// Standard normal CDF through erfc, accurate in both tails.
double norm_cdf(double x) { return 0.5 * std::erfc(-x * inv_sqrt2); }
double norm_pdf(double x) { return inv_sqrt_2pi * std::exp(-0.5 * x * x); }

} // namespace

double bsm_price(const bsm_inputs& in) { return bsm_greeks(in).price; }

greeks bsm_greeks(const bsm_inputs& in) {
  const double s = in.spot, k = in.strike, t = in.years, r = in.rate,
               q = in.dividend_yield, v = in.vol;
  const double sqrt_t = std::sqrt(t);
  const double vst = v * sqrt_t;
  const double d1 = (std::log(s / k) + (r - q) * t) / vst + 0.5 * vst;
  const double d2 = d1 - vst;
  const double dq = std::exp(-q * t), dr = std::exp(-r * t);
  const double pdf1 = norm_pdf(d1);
  greeks g;
  const double phi = in.type == option_type::call ? 1.0 : -1.0;
  const double n1 = norm_cdf(phi * d1), n2 = norm_cdf(phi * d2);
  g.price = phi * (s * dq * n1 - k * dr * n2);
  g.delta = phi * dq * n1;
  g.gamma = dq * pdf1 / (s * vst);
  g.vega = s * dq * pdf1 * sqrt_t;
  g.theta = -s * dq * pdf1 * v / (2 * sqrt_t) + phi * (q * s * dq * n1 - r * k * dr * n2);
  g.rho = phi * k * t * dr * n2;
  g.vanna = -dq * pdf1 * d2 / v;
  g.volga = g.vega * d1 * d2 / v;
  g.charm = phi * q * dq * n1
            - dq * pdf1 * (2 * (r - q) * t - d2 * vst) / (2 * t * vst);
  // charm = -d(delta)/d(tau) = d(delta)/d(calendar time).
  return g;
}

} // namespace sc::options
