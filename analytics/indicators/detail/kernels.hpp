// Internal: the per-bar step kernels shared by the batch, incremental and universe forms.
//
// Why one set of kernels: the batch, incremental and universe forms must give
// bit-identical numbers, so each performs exactly the same IEEE operations in the same
// order. Every kernel below is a plain function of doubles (or of GCC vector-extension
// lanes, whose operations are the same per-lane IEEE operations). The library is compiled
// with -ffp-contract=off so the compiler never fuses a multiply-add in one form and not
// in another; where a fused multiply-add is wanted it is written explicitly with
// std::fma. Only the library's .cpp files include this header.
#pragma once

#include <cmath>
#include <cstddef>
#include <limits>

#if defined(__FMA__) || defined(__AVX512F__)
#include <immintrin.h>
#endif

namespace sc::ind::detail {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// Knuth's TwoSum: s + e == a + b exactly, s = fl(a + b). Valid for any magnitudes.
template <class T> inline void two_sum(T a, T b, T& s, T& e) {
  s = a + b;
  T bb = s - a;
  e = (a - (s - bb)) + (b - bb);
}

/// Dekker's Fast2Sum: exact when exponent(a) >= exponent(b). Used on the serial chain of
/// the window sums of non-negative data, where the running sum dominates the increment;
/// in the rare step where it does not (a value n times the window's sum), the error term
/// is merely approximate, i.e. that one step is no worse than a plain sum.
template <class T> inline void fast_two_sum(T a, T b, T& s, T& e) {
  s = a + b;
  e = b - (s - a);
}

/// Fused multiply-add a * b + c, rounded once: std::fma for doubles; for the batch form's
/// 8-lane vectors (below) the AVX-512 instruction, the same operation in every lane.
inline double fma_of(double a, double b, double c) {
  return std::fma(a, b, c);
}
/// a * b - c and c - a * b, each rounded once.
inline double fms_of(double a, double b, double c) {
  return std::fma(a, b, -c);
}
inline double fnma_of(double a, double b, double c) {
  return std::fma(-a, b, c);
}
/// Square root (correctly rounded, as std::sqrt).
inline double sqrt_of(double a) {
  return std::sqrt(a);
}
/// a if a > 0, else 0 (NaN gives 0).
inline double pos_part(double a) {
  return a > 0.0 ? a : 0.0;
}

#if defined(__AVX512F__)
/// Eight doubles (GCC vector extension: + - * are the per-lane IEEE operations).
using v8d_t = double __attribute__((vector_size(64)));
inline v8d_t fma_of(v8d_t a, v8d_t b, v8d_t c) {
  return reinterpret_cast<v8d_t>(_mm512_fmadd_pd(reinterpret_cast<__m512d>(a),
                                                 reinterpret_cast<__m512d>(b),
                                                 reinterpret_cast<__m512d>(c)));
}
inline v8d_t fms_of(v8d_t a, v8d_t b, v8d_t c) {
  return reinterpret_cast<v8d_t>(_mm512_fmsub_pd(reinterpret_cast<__m512d>(a),
                                                 reinterpret_cast<__m512d>(b),
                                                 reinterpret_cast<__m512d>(c)));
}
inline v8d_t fnma_of(v8d_t a, v8d_t b, v8d_t c) {
  return reinterpret_cast<v8d_t>(_mm512_fnmadd_pd(reinterpret_cast<__m512d>(a),
                                                  reinterpret_cast<__m512d>(b),
                                                  reinterpret_cast<__m512d>(c)));
}
inline v8d_t sqrt_of(v8d_t a) { // (the maskz form: GCC 12 warns on _mm512_sqrt_pd)
  return reinterpret_cast<v8d_t>(
      _mm512_maskz_sqrt_pd(0xff, reinterpret_cast<__m512d>(a)));
}
inline v8d_t pos_part(v8d_t a) { // max returns its second operand (+0) for NaN and -0
  return reinterpret_cast<v8d_t>(
      _mm512_max_pd(reinterpret_cast<__m512d>(a), _mm512_setzero_pd()));
}
#endif

/// Exact product: p + e == a * b (needs a hardware fma, which -march=native provides).
template <class T> inline void two_prod(T a, T b, T& p, T& e) {
  p = a * b;
  e = fma_of(a, b, -p);
}
#if defined(__AVX512F__)
/// The same on 8 lanes, as one fused multiply-subtract (the template form's negation of
/// p costs the compiler an extra instruction here).
inline void two_prod(v8d_t a, v8d_t b, v8d_t& p, v8d_t& e) {
  p = a * b;
  e = reinterpret_cast<v8d_t>(_mm512_fmsub_pd(reinterpret_cast<__m512d>(a),
                                              reinterpret_cast<__m512d>(b),
                                              reinterpret_cast<__m512d>(p)));
}
#endif

/// a + b computed as fma(a, 1, b), which rounds the exact a + b once: bit-identical to
/// a + b. Why: the serial chain of a window sum is one add per bar, but each step also
/// needs three adds off the chain (its error term). On cores with two add and two fma
/// units the off-chain adds delay the chain's own add (5 cycles a bar instead of 3, the
/// add latency); issued as fmas, they run on the otherwise idle fma units.
#if defined(__FMA__)
inline double add_fma_unit(double a, double b) {
  return std::fma(a, 1.0, b);
}
/// b - a, as fma(a, -1, b) (the exact b - a rounded once, so bit-identical to b - a).
inline double sub_fma_unit(double b, double a) {
  return std::fma(a, -1.0, b);
}
using v2d_t = double __attribute__((vector_size(16)));
inline v2d_t add_fma_unit(v2d_t a, v2d_t b) {
  return reinterpret_cast<v2d_t>(_mm_fmadd_pd(
      reinterpret_cast<__m128d>(a), _mm_set1_pd(1.0), reinterpret_cast<__m128d>(b)));
}
inline v2d_t sub_fma_unit(v2d_t b, v2d_t a) {
  return reinterpret_cast<v2d_t>(_mm_fmadd_pd(
      reinterpret_cast<__m128d>(a), _mm_set1_pd(-1.0), reinterpret_cast<__m128d>(b)));
}
#else
/// Without hardware fma (std::fma would be a slow library call), plain operations: the
/// same numbers.
template <class T> inline T add_fma_unit(T a, T b) {
  return a + b;
}
template <class T> inline T sub_fma_unit(T b, T a) {
  return b - a;
}
#endif

// -- compensated window sums -------------------------------------------------------
//
// A sliding-window sum kept as an unevaluated pair hi + lo. Each step adds a new term and
// removes the one leaving the window; the difference (new - old) is split exactly into
// d + e (TwoSum), d is added to hi with its rounding error captured, and every error goes
// into lo. hi + lo therefore equals the exact window sum up to the rounding of lo itself
// (~eps * |lo|, i.e. eps^2 of the data), so there is no drift however long the series.

/// One step for non-negative data (prices, squares, volumes): Fast2Sum on the chain.
/// @param d,e  exact split of (new - old), from two_sum(new, -old).
/// The chain's own adds (hi + d, lo + ...) are plain adds; the error term's operations,
/// off the chain, go to the fma units (add_fma_unit): the same numbers as fast_two_sum.
template <class T> inline void window_step_pos(T& hi, T& lo, T d, T e) {
  const T s = hi + d;
  const T err = sub_fma_unit(d, sub_fma_unit(s, hi)); // d - (s - hi)
  hi = s;
  lo = lo + add_fma_unit(err, e);
}

/// One step for data of either sign (log returns), and for every step of a window that
/// is still filling: full TwoSum on the chain. While no value leaves the window the sum
/// is built up from zero, and a new value can lie in a higher binade than the partial sum
/// (32 - a hair after 32 + a hair), where Fast2Sum's error term is not exact; that error
/// would stay in the window sum for good. All forms switch to window_step_pos at the same
/// bar, the first with a value leaving the window.
template <class T> inline void window_step_any(T& hi, T& lo, T d, T e) {
  T s, err;
  two_sum(hi, d, s, err);
  hi = s;
  lo = lo + (err + e);
}

/// Restarts of the SMA and Bollinger window sums. The pair hi + lo carries the exact
/// window sum up to the rounding of lo, and lo's roundings are of the size of the errors
/// it collected, i.e. eps^2 of the largest sums the series has seen. Where a series
/// falls by many orders of magnitude (a price from 20 to 1e-12, as a geometric random
/// walk with 10% daily moves does within 10,000 bars), that residue of a long-gone era
/// dwarfs the variance of the current window: the band width was off by 7.5%. So every
/// form rebuilds both sums from the window's own n values, from zero with full TwoSum
/// steps (as while the first window fills), at every bar t > 0 with t a multiple of
/// restart_period(n). The residue then reaches back at most that many bars, and the cost
/// is n steps per restart_period(n) bars (measured: ~2% of the Bollinger kernel at
/// n = 20). The period is a function of n
/// alone, so the batch, incremental and universe forms restart at the same bars and stay
/// bit-identical. (The incremental form does the n steps in the update that restarts:
/// constant time amortised, at most n steps in one update.)
inline std::size_t restart_period(std::size_t n) {
  return n * 16 > 2048 ? n * 16 : 2048;
}
/// True where the window sums are rebuilt (the period is >= 16 n, so the window is full).
inline bool restarts_at(std::size_t t, std::size_t period) {
  return t != 0 && t % period == 0;
}

/// The rebuild of one window sum (SMA): from zero over the window's n values, oldest
/// first (value(i), i = 0..n-1), with the first window's steps.
template <class Value>
inline void rebuild_sum(std::size_t n, Value value, double& hi, double& lo) {
  hi = lo = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    double d, e;
    two_sum(value(i), -0.0, d, e);
    window_step_any(hi, lo, d, e);
  }
}

/// The per-bar input of the compensated window sums of x and x^2 (Bollinger bands,
/// historical volatility): x - old = d1 + e1 exactly, and x^2 - old^2 = d2 + e2 with the
/// exact parts of both squares (e2 adds the squares' rounding errors in one rounding).
/// T is double or a vector of doubles.
template <class T>
inline void square_window_splits(T x, T old, T& d1, T& e1, T& d2, T& e2) {
  T p, q, po, qo;
  two_sum(x, -old, d1, e1);
  two_prod(x, x, p, q);
  two_prod(old, old, po, qo);
  two_sum(p, -po, d2, e2);
  e2 = e2 + (q - qo);
}

/// The rebuild of the window sums of x and x^2 (Bollinger): from zero over the window's n
/// values, oldest first, with the first window's steps (square_window_splits against 0).
template <class Value>
inline void rebuild_square_sums(std::size_t n, Value value, double& h1, double& l1,
                                double& h2, double& l2) {
  h1 = l1 = h2 = l2 = 0.0;
  for (std::size_t i = 0; i < n; ++i) {
    double d1, e1, d2, e2;
    square_window_splits(value(i), 0.0, d1, e1, d2, e2);
    window_step_any(h1, l1, d1, e1);
    window_step_any(h2, l2, d2, e2);
  }
}

/// n * (a-sum of products) - (b-sum) * (c-sum), evaluated in double-double so that the
/// cancellation in "n Sxy - Sx Sy" (variance / covariance numerators) costs no accuracy.
/// @param n       window length
/// @param sxy_h,sxy_l  compensated window sum of the exact products x*y
/// @param sx_h,sx_l, sy_h,sy_l  compensated window sums of x and y
/// @tparam Pos    the sums are of non-negative data, so |hi| >= |lo| and the pairs can be
///                renormalised with Fast2Sum (cheaper)
template <bool Pos = false>
inline double dd_moment(double n, double sxy_h, double sxy_l, double sx_h, double sx_l,
                        double sy_h, double sy_l) {
  // Renormalise each pair so hi carries the rounded sum and lo the remainder.
  double a, al, x, xl, y, yl;
  if constexpr (Pos) {
    fast_two_sum(sxy_h, sxy_l, a, al);
    fast_two_sum(sx_h, sx_l, x, xl);
    fast_two_sum(sy_h, sy_l, y, yl);
  } else {
    two_sum(sxy_h, sxy_l, a, al);
    two_sum(sx_h, sx_l, x, xl);
    two_sum(sy_h, sy_l, y, yl);
  }
  double ah, ae;
  two_prod(n, a, ah, ae);
  const double alo = ae + n * al;
  double bh, be;
  two_prod(x, y, bh, be);
  const double blo = be + (x * yl + xl * y);
  return (ah - bh) + (alo - blo);
}

// -- exponential smoothing
// ----------------------------------------------------------------

/// EMA / Wilder update written as prev * (1 - k) + k * x with one explicit fma: the loop
/// carried dependency is a single fma, which is what makes ~1.5 ns per bar possible.
/// Algebraically equal to prev + k (x - prev) and, with k = 1/n, to Wilder's
/// (prev (n - 1) + x) / n; the rounding differs by a few ulps and does not accumulate
/// (the recurrence is contractive).
inline double smooth(double prev, double one_minus_k, double k, double x) {
  return std::fma(prev, one_minus_k, k * x);
}

/// True range of a bar given the previous close (Wilder).
inline double true_range(double h, double l, double prev_close) {
  const double a = h - l;
  const double b = std::fabs(h - prev_close);
  const double c = std::fabs(l - prev_close);
  const double m = a > b ? a : b;
  return m > c ? m : c;
}

/// RSI from Wilder's average gain and loss: 100 g / (g + l), i.e. 100 - 100 / (1 + g/l).
/// Both zero (a flat window) is undefined in the definition; we answer the neutral 50.
inline double rsi_from(double g, double l) {
  const double s = g + l;
  return s == 0.0 ? 50.0 : 100.0 * g / s;
}

/// Bollinger bands from the compensated sums of x and x^2 over n values (inv_n = 1/n):
/// mean = S1/n, population variance = (n S2 - S1^2) / n^2 in double-double. Multiplying
/// by the rounded 1/n instead of dividing costs at most an ulp and keeps the per-bar pass
/// free of divisions; sma() uses the same expression, so the middle band equals the SMA.
/// k_inv_n = k * (1/n), rounded once (exact for the usual k = 2).
/// T is double, or (batch form) an 8-lane vector running the same operations per lane.
template <class T>
inline void bollinger_from(T n, T inv_n, T k_inv_n, T s1h, T s1l, T s2h, T s2l, T& upper,
                           T& middle, T& lower) {
  const T mean = (s1h + s1l) * inv_n;
  // n (s2h + s2l) - (s1h + s1l)^2 = [n s2h - bh] + [n s2l - be - 2 s1h s1l - s1l^2] with
  // bh + be = s1h^2 exactly. The first bracket is one fused multiply-subtract: the exact
  // n s2h - bh rounded once, so the cancellation between the two large terms costs
  // nothing. The second bracket is the small correction from the low parts (the chain's
  // rounding drift and the square's rounding error) in two more fused operations; s1l^2
  // (~eps^2 of s1h^2) is far below the rounding of the first bracket and is dropped.
  T bh, be;
  two_prod(s1h, s1h, bh, be);
  const T r = fms_of(n, s2h, bh);
  const T c = fnma_of(s1h + s1h, s1l, fms_of(n, s2l, be));
  const T d = r + c;
  const T ksd = sqrt_of(pos_part(d)) * k_inv_n;
  middle = mean;
  upper = mean + ksd;
  lower = mean - ksd;
}

} // namespace sc::ind::detail
