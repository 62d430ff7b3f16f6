// Independent high-precision reference values for the option tests: the textbook
// Black-Scholes-Merton formulas evaluated in 50-digit binary floating point. Written
// separately from the library (no shared code), so the tests compare two implementations.
#pragma once

#include <boost/math/special_functions/erf.hpp>
#include <boost/multiprecision/cpp_bin_float.hpp>

#include <cmath>

namespace sc::test {

using mp = boost::multiprecision::cpp_bin_float_50;

inline mp mp_cdf(const mp& x) {
  return boost::math::erfc(-x / boost::multiprecision::sqrt(mp(2))) / 2;
}
inline mp mp_pdf(const mp& x) {
  return boost::multiprecision::exp(-x * x / 2) /
         boost::multiprecision::sqrt(2 * boost::math::constants::pi<mp>());
}

/// Reference price and Greeks, with the scale each is compared against: for quantities
/// that are sums of terms of both signs (theta, charm) or carry a factor that passes
/// through zero (vanna and volga through d1, d2), the scale is the same expression with
/// every additive part replaced by its magnitude: the size of the rounding any double
/// evaluation of the inputs must make. For the others the scale is the value itself.
struct ref_greeks {
  double price, delta, gamma, vega, theta, rho, vanna, volga, charm;
  double theta_scale, vanna_scale, volga_scale, charm_scale;
};

inline ref_greeks reference_bsm(bool call, double spot, double strike, double years,
                                double rate, double div, double vol) {
  using boost::multiprecision::abs;
  using boost::multiprecision::exp;
  using boost::multiprecision::log;
  using boost::multiprecision::sqrt;
  const mp S = spot, K = strike, T = years, r = rate, q = div, v = vol;
  const mp sq = sqrt(T), s = v * sq;
  const mp lnsk = log(S / K);
  const mp d1 = (lnsk + (r - q) * T) / s + s / 2, d2 = d1 - s;
  const mp dfq = exp(-q * T), dfr = exp(-r * T);
  const mp th = call ? 1 : -1;
  const mp n1 = mp_cdf(th * d1), n2 = mp_cdf(th * d2), p1 = mp_pdf(d1);
  ref_greeks g;
  g.price = static_cast<double>(th * (S * dfq * n1 - K * dfr * n2));
  g.delta = static_cast<double>(th * dfq * n1);
  g.gamma = static_cast<double>(dfq * p1 / (S * s));
  const mp vega = S * dfq * p1 * sq;
  g.vega = static_cast<double>(vega);
  const mp ta = -S * dfq * p1 * v / (2 * sq), tb = th * q * S * dfq * n1,
           tc = -th * r * K * dfr * n2;
  g.theta = static_cast<double>(ta + tb + tc);
  g.theta_scale = static_cast<double>(abs(ta) + abs(tb) + abs(tc));
  g.rho = static_cast<double>(th * K * T * dfr * n2);
  const mp d1_mag = (abs(lnsk) + abs(r - q) * T) / s + s / 2;
  const mp d2_mag = d1_mag; // same parts, one sign flipped
  g.vanna = static_cast<double>(-dfq * p1 * d2 / v);
  g.vanna_scale = static_cast<double>(dfq * p1 * d2_mag / v);
  g.volga = static_cast<double>(vega * d1 * d2 / v);
  g.volga_scale = static_cast<double>(vega * d1_mag * d2_mag / v);
  // charm = d(delta)/d(calendar time) = -d(delta)/dT, from the textbook derivative.
  const mp dd1 = ((r - q) * T + s * s / 2 - lnsk) / (2 * T * s);
  const mp ca = th * q * dfq * n1, cb = -dfq * p1 * dd1;
  g.charm = static_cast<double>(ca + cb);
  g.charm_scale = static_cast<double>(
      abs(ca) + dfq * p1 * (abs(r - q) * T + s * s / 2 + abs(lnsk)) / (2 * T * s));
  return g;
}

/// Reference normalised Black value of an out-of-the-money call (x <= 0).
inline double reference_normalised_otm(double x, double s) {
  using boost::multiprecision::exp;
  const mp X = x, Sg = s;
  const mp h = X / Sg, t = Sg / 2;
  return static_cast<double>(exp(X / 2) * mp_cdf(h + t) - exp(-X / 2) * mp_cdf(h - t));
}

/// The exact total vol s* with b(x, s*) = beta for a double beta close to b(x, s): one
/// Newton step from s in 50 digits (beta - b(x, s) is a few ulps of beta, so the step
/// leaves an error of order 1e-30). This is the implied vol a solver should return for
/// beta, whatever rounding the double evaluation of b(x, s) made.
inline double reference_normalised_root(double x, double s, double beta) {
  using boost::multiprecision::exp;
  using boost::multiprecision::sqrt;
  const mp X = x, Sg = s;
  const mp h = X / Sg, t = Sg / 2;
  const mp b = exp(X / 2) * mp_cdf(h + t) - exp(-X / 2) * mp_cdf(h - t);
  const mp vega = exp(-(h * h + t * t) / 2) / sqrt(2 * boost::math::constants::pi<mp>());
  return static_cast<double>(Sg + (mp(beta) - b) / vega);
}

/// Relative error of `got` against `want` measured on `scale`.
inline double rel_err(double got, double want, double scale) {
  return std::fabs(got - want) / std::fabs(scale);
}

} // namespace sc::test
