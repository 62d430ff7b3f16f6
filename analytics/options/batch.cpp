#include "analytics/options/batch.hpp"

#include "analytics/options/black_scholes.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
#include <immintrin.h>
#include <sleef.h>
#define SC_BATCH_VECTOR 1
#endif

namespace sc::options {

namespace {

/// Finishes one contract on the scalar path.
void scalar_one(const bsm_batch_inputs& in, const bsm_batch_outputs& out, std::size_t i) {
  const greeks g = bsm_greeks({in.type[i], in.spot[i], in.strike[i], in.years[i], in.rate[i],
                               in.dividend_yield[i], in.vol[i]});
  out.price[i] = g.price;
  out.delta[i] = g.delta;
  out.gamma[i] = g.gamma;
  out.vega[i] = g.vega;
  out.theta[i] = g.theta;
  out.rho[i] = g.rho;
}

#ifdef SC_BATCH_VECTOR

#if defined(__AVX512F__)
constexpr int width = 8;
using vd = __m512d;
inline vd v_exp(vd x) { return Sleef_expd8_u10avx512f(x); }
inline vd v_log(vd x) { return Sleef_logd8_u10avx512f(x); }
inline vd v_log1p(vd x) { return Sleef_log1pd8_u10avx512f(x); }
inline vd v_erfc(vd x) { return Sleef_erfcd8_u15avx512f(x); }
inline vd v_sqrt(vd x) { return Sleef_sqrtd8_u05avx512f(x); }
#else
constexpr int width = 4;
using vd = __m256d;
inline vd v_exp(vd x) { return Sleef_expd4_u10avx2(x); }
inline vd v_log(vd x) { return Sleef_logd4_u10avx2(x); }
inline vd v_log1p(vd x) { return Sleef_log1pd4_u10avx2(x); }
inline vd v_erfc(vd x) { return Sleef_erfcd4_u15avx2(x); }
inline vd v_sqrt(vd x) { return Sleef_sqrtd4_u05avx2(x); }
#endif

inline vd splat(double a) {
  vd v;
  for (int l = 0; l < width; ++l) v[l] = a;
  return v;
}
inline vd load(const double* p) {
  vd v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(double* p, vd v) { std::memcpy(p, &v, sizeof v); }

/// Relative error allowed for the vector form before a lane goes to the scalar path:
/// the direct difference a - b amplifies the (uncorrelated) rounding of its terms, which
/// grows with d^2, by (a + b) / (a - b).
constexpr double max_amplification = 1000;

/// One block of `width` contracts starting at i; returns a bit mask of lanes to redo.
unsigned block(const bsm_batch_inputs& in, const bsm_batch_outputs& out, std::size_t i) {
  const vd s0 = load(in.spot + i), k = load(in.strike + i), t = load(in.years + i),
           r = load(in.rate + i), q = load(in.dividend_yield + i), v = load(in.vol + i);
  vd th;
  for (int l = 0; l < width; ++l) th[l] = in.type[i + l] == option_type::call ? 1.0 : -1.0;

  const vd one = splat(1.0), half = splat(0.5), zero = splat(0.0);
  const vd ratio = s0 / k;
  // Same forms as the scalar path: log1p of the exact difference near the money.
  const vd near = (ratio > half) & (ratio < splat(2.0)) ? one : zero;
  const vd ln_near = v_log1p((s0 - k) / k);
  const vd ln_far = v_log(ratio);
  const vd ln_sk = near != zero ? ln_near : ln_far;
  const vd x = ln_sk + (r - q) * t;
  const vd sqrt_t = v_sqrt(t);
  const vd s = v * sqrt_t;
  const vd h = x / s;
  const vd d1 = h + half * s, d2 = h - half * s;
  const vd dfq = v_exp(-q * t), dfr = v_exp(-r * t);
  const vd pdf1 = splat(0.39894228040143267794) * v_exp(-half * d1 * d1);
  const vd inv_sqrt2 = splat(0.70710678118654752440);
  const vd n1 = half * v_erfc(-(th * d1) * inv_sqrt2);
  const vd n2 = half * v_erfc(-(th * d2) * inv_sqrt2);
  const vd a = s0 * dfq * n1, b = k * dfr * n2;
  const vd diff = th * (a - b); // the option price, a non-negative difference
  const vd sens = (a + b) * (splat(2.0) + d1 * d1 + d2 * d2);

  store(out.price + i, diff);
  store(out.delta + i, th * dfq * n1);
  store(out.gamma + i, dfq * pdf1 / (s0 * s));
  store(out.vega + i, s0 * dfq * pdf1 * sqrt_t);
  store(out.theta + i, -s0 * dfq * pdf1 * v / (splat(2.0) * sqrt_t) +
                         th * (q * s0 * dfq * n1 - r * k * dfr * n2));
  store(out.rho + i, th * k * t * dfr * n2);

  unsigned redo = 0;
  for (int l = 0; l < width; ++l) {
    const bool valid = s0[l] > 0 && k[l] > 0 && t[l] > 0 && v[l] > 0 && std::isfinite(s0[l]) &&
                       std::isfinite(k[l]) && std::isfinite(t[l]) && std::isfinite(v[l]) &&
                       std::isfinite(r[l]) && std::isfinite(q[l]) && s[l] > 0;
    const bool precise = sens[l] <= max_amplification * diff[l];
    if (!valid || !precise) redo |= 1u << l;
  }
  return redo;
}

#endif

} // namespace

int bsm_batch_width() {
#ifdef SC_BATCH_VECTOR
  return width;
#else
  return 1;
#endif
}

void bsm_batch(const bsm_batch_inputs& in, const bsm_batch_outputs& out, std::size_t n) {
#ifdef SC_BATCH_VECTOR
  std::size_t i = 0;
  for (; i + width <= n; i += width) {
    unsigned redo = block(in, out, i);
    while (redo) {
      const int l = __builtin_ctz(redo);
      redo &= redo - 1;
      scalar_one(in, out, i + l);
    }
  }
  if (i < n) {
    // The tail goes through the same kernel, padded with a harmless contract.
    option_type ty[width];
    double buf[7][width], res[6][width];
    for (int l = 0; l < width; ++l) {
      const bool real = i + l < n;
      ty[l] = real ? in.type[i + l] : option_type::call;
      buf[0][l] = real ? in.spot[i + l] : 1.0;
      buf[1][l] = real ? in.strike[i + l] : 1.0;
      buf[2][l] = real ? in.years[i + l] : 1.0;
      buf[3][l] = real ? in.rate[i + l] : 0.0;
      buf[4][l] = real ? in.dividend_yield[i + l] : 0.0;
      buf[5][l] = real ? in.vol[i + l] : 0.2;
    }
    const bsm_batch_inputs tin{ty, buf[0], buf[1], buf[2], buf[3], buf[4], buf[5]};
    const bsm_batch_outputs tout{res[0], res[1], res[2], res[3], res[4], res[5]};
    unsigned redo = block(tin, tout, 0);
    while (redo) {
      const int l = __builtin_ctz(redo);
      redo &= redo - 1;
      scalar_one(tin, tout, l);
    }
    for (std::size_t l = 0; i + l < n; ++l) {
      out.price[i + l] = res[0][l];
      out.delta[i + l] = res[1][l];
      out.gamma[i + l] = res[2][l];
      out.vega[i + l] = res[3][l];
      out.theta[i + l] = res[4][l];
      out.rho[i + l] = res[5][l];
    }
  }
#else
  for (std::size_t i = 0; i < n; ++i) scalar_one(in, out, i);
#endif
}

} // namespace sc::options
