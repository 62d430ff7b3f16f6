#include "analytics/options/batch.hpp"

#include "analytics/options/black_scholes.hpp"
#include "analytics/options/detail/cody_erfc.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "analytics/options/detail/vector_math.hpp"
#ifdef SC_OPTIONS_VECTOR
#define SC_BATCH_VECTOR 1
#endif

namespace sc::options {

namespace {

/// Finishes one contract on the scalar path.
void scalar_one(const bsm_batch_inputs& in, const bsm_batch_outputs& out, std::size_t i) {
  const greeks g = bsm_greeks({in.type[i], in.spot[i], in.strike[i], in.years[i],
                               in.rate[i], in.dividend_yield[i], in.vol[i]});
  out.price[i] = g.price;
  out.delta[i] = g.delta;
  out.gamma[i] = g.gamma;
  out.vega[i] = g.vega;
  out.theta[i] = g.theta;
  out.rho[i] = g.rho;
}

#ifdef SC_BATCH_VECTOR

using namespace detail::simd;
/// Lane masks as produced by vector comparisons (all bits set where true).
using vm = std::int64_t __attribute__((vector_size(sizeof(vd))));

inline vd splat(double a) {
#if defined(__AVX512F__)
  return _mm512_set1_pd(a);
#else
  return _mm256_set1_pd(a);
#endif
}
inline vd load(const double* p) {
  vd v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(double* p, vd v) {
  std::memcpy(p, &v, sizeof v);
}
inline vd select(vm c, vd a, vd b) {
  return c ? a : b;
}
/// Bit l set where lane l of the mask is true.
inline unsigned mask_bits(vm m) {
#if defined(__AVX512F__)
  return _mm512_test_epi64_mask(reinterpret_cast<__m512i>(m),
                                reinterpret_cast<__m512i>(m));
#else
  return static_cast<unsigned>(_mm256_movemask_pd(reinterpret_cast<__m256d>(m)));
#endif
}
inline bool any(vm m) {
  return mask_bits(m) != 0;
}

/// Horner evaluation of c[0] + c[1] x + ... + c[N-1] x^(N-1).
template <std::size_t N> inline vd poly(vd x, const double (&c)[N]) {
  vd acc = splat(c[N - 1]);
  for (std::size_t j = N - 1; j-- > 0;)
    acc = acc * x + splat(c[j]);
  return acc;
}

/// ln(spot / strike) from ratio = spot / strike (positive and normal: the caller sends
/// other lanes to the scalar path), with the precision of the scalar
/// log_moneyness: the ratio is split as 2^e m, m in [1/sqrt 2, sqrt 2), and
/// ln m = 2 atanh(z), z = (m - 1) / (m + 1). When e == 0 the ratio is within a factor
/// sqrt 2 of one and z is formed from the exact difference (s0 - k) / (s0 + k) instead of
/// the rounded quotient, so small log-moneyness keeps full relative precision.
inline vd log_moneyness(vd s0, vd k, vd ratio) {
  const vm bits = reinterpret_cast<vm>(ratio);
  vd m = reinterpret_cast<vd>((bits & 0x000fffffffffffffLL) | 0x3ff0000000000000LL);
  // The biased exponent as a double without an integer conversion instruction.
  vd e = reinterpret_cast<vd>(((bits >> 52) & 0x7ff) | 0x4330000000000000LL) -
         splat(4503599627370496.0 + 1023.0);
  const vm high = m > splat(1.41421356237309504880);
  m = select(high, splat(0.5) * m, m);
  e = select(high, e + splat(1.0), e);
  const vm near = e == splat(0.0);
  const vd one = splat(1.0);
  const vd z = select(near, s0 - k, m - one) / select(near, s0 + k, m + one);
  const vd z2 = z * z;
  // atanh series: 2 z sum z^(2j) / (2j + 1), |z| <= 0.1716, truncated below 1e-18.
  static constexpr double c[] = {1.0 / 3,  1.0 / 5,  1.0 / 7,  1.0 / 9,
                                 1.0 / 11, 1.0 / 13, 1.0 / 15, 1.0 / 17,
                                 1.0 / 19, 1.0 / 21, 1.0 / 23};
  const vd two_z = z + z;
  constexpr double ln2_hi =
      6.93147180369123816490e-01; // 32 significant bits: e ln2_hi exact
  constexpr double ln2_lo = 1.90821492927058770002e-10;
  return e * splat(ln2_hi) + (two_z + (two_z * z2 * poly(z2, c) + e * splat(ln2_lo)));
}

/// The complementary error function of y >= 0 as scale * num / den, where scale is
/// exp(-y^2) (supplied by the caller, who shares it with the normal density) except in
/// the lanes of `small`, where it is one: Cody's rational approximations in his three
/// ranges (detail/cody_erfc.hpp). Each range is evaluated only when some lane needs it;
/// the quotient is left to the caller so that two of them share one division.
struct erfc_parts {
  vd num, den;
  vm small;
};
inline erfc_parts erfc_scaled(vd y) {
  using namespace detail::cody;
  erfc_parts out;
  out.small = y < splat(0.46875);
  const vm large = y > splat(4.0);
  out.num = poly(y, c);
  out.den = poly(y, d);
  if (any(out.small)) {
    const vd y2 = y * y;
    const vd qs = poly(y2, b);
    out.num = select(out.small, qs - y * poly(y2, a), out.num);
    out.den = select(out.small, qs, out.den);
  }
  if (any(large)) {
    // 1/y^2 of the lanes that need it (others divide a harmless one).
    const vd z = splat(1.0) / select(large, y * y, splat(1.0));
    const vd ql = poly(z, q);
    out.num =
        select(large, (splat(inv_sqrt_pi) * ql - z * poly(z, p)) * (y * z), out.num);
    out.den = select(large, ql, out.den);
  }
  return out;
}

/// Relative error allowed for the vector form before a lane goes to the scalar path:
/// the direct difference a - b amplifies the (uncorrelated) rounding of its terms, which
/// grows with d^2, by (a + b) / (a - b).
constexpr double max_amplification = 1000;
/// Lanes with |d1| or |d2| beyond this go to the scalar path: exp(-d^2/2) would be
/// subnormal (and lose relative precision) further out.
constexpr double max_abs_d = 37.0;

/// One block of `width` contracts starting at i; returns a bit mask of lanes to redo.
///
/// One log, three exp (the two discount factors and exp(-d1^2/2)) and one erfc quotient
/// pair per contract: the Gaussian factor of erfc(|d2|/sqrt 2) is not computed but
/// folded into the strike leg with the identity
///   K e^{-rT} exp(-d2^2/2) = S e^{-qT} exp(-d1^2/2)   (d1^2 - d2^2 = 2 ln(F/K)),
/// and N'(d1) = exp(-d1^2/2) / sqrt(2 pi) is shared by erfc(|d1|/sqrt 2) and the Greeks.
unsigned block(const bsm_batch_inputs& in, const bsm_batch_outputs& out, std::size_t i) {
  const vd s0 = load(in.spot + i), k = load(in.strike + i), t = load(in.years + i),
           r = load(in.rate + i), q = load(in.dividend_yield + i), v = load(in.vol + i);
  vd th;
  for (int l = 0; l < width; ++l)
    th[l] = in.type[i + l] == option_type::call ? 1.0 : -1.0;

  const vd half = splat(0.5), zero = splat(0.0);
  const vd ratio = s0 / k;
  const vd x = log_moneyness(s0, k, ratio) + (r - q) * t;
  const vd sqrt_t = v_sqrt(t);
  const vd s = v * sqrt_t;
  const vd h = x / s;
  const vd d1 = h + half * s, d2 = h - half * s;
  const vd dfq = v_exp(-q * t), dfr = v_exp(-r * t);
  const vd e1 = v_exp(-half * d1 * d1);
  const vd pdf1 = splat(0.39894228040143267794) * e1;
  const vd inv_sqrt2 = splat(0.70710678118654752440);
  const vd ad1 = select(d1 < zero, -d1, d1), ad2 = select(d2 < zero, -d2, d2);
  const erfc_parts f1 = erfc_scaled(ad1 * inv_sqrt2), f2 = erfc_scaled(ad2 * inv_sqrt2);
  const vd inv_dens = splat(1.0) / (f1.den * f2.den);
  const vd sq = s0 * dfq, kd = k * dfr;
  // N(-|d1|) and K e^{-rT} N(-|d2|)
  const vd tail1 = half * select(f1.small, splat(1.0), e1) * f1.num * f2.den * inv_dens;
  const vd k_tail2 = half * select(f2.small, kd, sq * e1) * f2.num * f1.den * inv_dens;
  const vd n1 = select(th * d1 < zero, tail1, splat(1.0) - tail1); // N(theta d1)
  const vd a = sq * n1;
  const vd b = select(th * d2 < zero, k_tail2, kd - k_tail2); // K e^{-rT} N(theta d2)
  const vd diff = th * (a - b); // the option price, a non-negative difference
  const vd sens = (a + b) * (splat(2.0) + d1 * d1 + d2 * d2);
  const vd gamma = dfq * pdf1 / (s0 * s);
  const vd sv = s0 * v;

  store(out.price + i, diff);
  store(out.delta + i, th * dfq * n1);
  store(out.gamma + i, gamma);
  store(out.vega + i, sq * pdf1 * sqrt_t);
  // s0 e^{-qT} N'(d1) v / (2 sqrt T) = gamma (s0 v)^2 / 2
  store(out.theta + i, -half * gamma * sv * sv + th * (q * a - r * b));
  store(out.rho + i, th * t * b);

  // x - x == 0 exactly when x is finite.
  const vm valid = (s0 > zero) & (k > zero) & (t > zero) & (v > zero) &
                   (s0 - s0 == zero) & (k - k == zero) & (t - t == zero) &
                   (v - v == zero) & (r - r == zero) & (q - q == zero) & (s > zero) &
                   (ratio >= splat(std::numeric_limits<double>::min())) &
                   (ratio <= splat(std::numeric_limits<double>::max())) &
                   (ad1 < splat(max_abs_d)) & (ad2 < splat(max_abs_d));
  const vm precise = sens <= splat(max_amplification) * diff;
  return mask_bits(~(valid & precise)) & ((1u << width) - 1);
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
  for (std::size_t i = 0; i < n; ++i)
    scalar_one(in, out, i);
#endif
}

} // namespace sc::options
