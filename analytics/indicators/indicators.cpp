// Batch indicators. The six hot ones (SMA, EMA, RSI, MACD, Bollinger, ATR) run the step
// kernels of detail/kernels.hpp in tight loops: independent per-bar work (differences,
// exact error terms, final divisions) is done in vectorisable passes over blocks of bars,
// and only the loop-carried recurrence stays serial (Bollinger on AVX-512 interleaves the
// vector work with the serial chain in one loop instead; see bollinger_avx512). The
// operations per bar are exactly those of the incremental states, so both forms agree bit
// for bit. The others drive the incremental state directly.
#include "analytics/indicators/indicators.hpp"

#include "analytics/indicators/detail/kernels.hpp"
#include "analytics/indicators/incremental.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace sc::ind {

using detail::nan;

namespace {

constexpr std::size_t block = 512;

using v2d = double __attribute__((vector_size(16)));

series nans(std::size_t n) {
  return series(n, nan);
}

void fill_nan(series& x) {
  std::fill(x.begin(), x.end(), nan);
}

/// Exact split of x[t] - x[t - n] (x[t - n] = 0 before the window is full) for t in
/// [t0, t0 + m): the per-bar half of the window-sum kernel, vectorisable.
void window_diffs(const double* x, std::size_t t0, std::size_t m, std::size_t n,
                  double* d, double* e) {
  std::size_t j = 0;
  for (; j < m && t0 + j < n; ++j)
    detail::two_sum(x[t0 + j], -0.0, d[j], e[j]);
  for (; j < m; ++j)
    detail::two_sum(x[t0 + j], -x[t0 + j - n], d[j], e[j]);
}

} // namespace

// -- moving averages
// ----------------------------------------------------------------------

void sma_into(const series& x, int period, series& out) {
  const std::size_t size = x.size();
  out.resize(size);
  if (period < 1) return fill_nan(out);
  const std::size_t n = static_cast<std::size_t>(period);
  const double inv_n = 1.0 / period;
  double hi = 0.0, lo = 0.0;
  // While the first window fills: full TwoSum steps (window_step_any), as in every form.
  const std::size_t filling = std::min(n, size);
  for (std::size_t t = 0; t < filling; ++t) {
    double d, e;
    detail::two_sum(x[t], -0.0, d, e);
    detail::window_step_any(hi, lo, d, e);
    out[t] = t + 1 == n ? (hi + lo) * inv_n : nan;
  }
  double d[block], e[block];
  const std::size_t every = detail::restart_period(n);
  for (std::size_t t0 = filling; t0 < size;) {
    if (detail::restarts_at(t0, every)) { // rebuilt from the window, as in every form
      detail::rebuild_sum(
          n, [&](std::size_t i) { return x[t0 + 1 - n + i]; }, hi, lo);
      out[t0++] = (hi + lo) * inv_n;
      continue;
    }
    const std::size_t m = std::min({block, size - t0, (t0 / every + 1) * every - t0});
    window_diffs(x.data(), t0, m, n, d, e);
    double* o = out.data() + t0;
    for (std::size_t j = 0; j < m; ++j) {
      detail::window_step_pos(hi, lo, d[j], e[j]);
      o[j] = hi + lo;
    }
    for (std::size_t j = 0; j < m; ++j)
      o[j] *= inv_n;
    t0 += m;
  }
}

series sma(const series& x, int period) {
  series out;
  sma_into(x, period, out);
  return out;
}

void ema_into(const series& x, int period, series& out) {
  const std::size_t size = x.size();
  out.resize(size);
  if (period < 1 || size < static_cast<std::size_t>(period)) return fill_nan(out);
  const std::size_t n = static_cast<std::size_t>(period);
  std::fill_n(out.begin(), n - 1, nan);
  const double k = 2.0 / (period + 1.0);
  const double one_minus_k = 1.0 - 2.0 / (period + 1.0);
  double hi = 0.0, lo = 0.0;
  for (std::size_t t = 0; t < n; ++t) {
    double s, e;
    detail::two_sum(hi, x[t], s, e);
    hi = s;
    lo = lo + e;
  }
  double v = (hi + lo) / static_cast<double>(period);
  out[n - 1] = v;
  for (std::size_t t = n; t < size; ++t) {
    v = detail::smooth(v, one_minus_k, k, x[t]);
    out[t] = v;
  }
}

series ema(const series& x, int period) {
  series out;
  ema_into(x, period, out);
  return out;
}

// -- RSI
// ------------------------------------------------------------------------------------

void rsi_into(const series& close, int period, series& out) {
  const std::size_t size = close.size();
  out.resize(size);
  if (period < 1 || size <= static_cast<std::size_t>(period)) return fill_nan(out);
  const std::size_t n = static_cast<std::size_t>(period);
  std::fill_n(out.begin(), n, nan);
  const double a = (period - 1.0) / period, b = 1.0 / period, nd = period;
  const double* c = close.data();
  double g = 0.0, l = 0.0;
  for (std::size_t t = 1; t <= n; ++t) {
    const double ch = c[t] - c[t - 1];
    g = g + (ch > 0.0 ? ch : 0.0);
    l = l + (ch < 0.0 ? -ch : 0.0);
  }
  g = g / nd;
  l = l / nd;
  out[n] = detail::rsi_from(g, l);
  double loss[block];
  for (std::size_t t0 = n + 1; t0 < size; t0 += block) {
    const std::size_t m = std::min(block, size - t0);
    double* o = out.data() + t0;
    for (std::size_t j = 0; j < m; ++j) { // gains into o, losses into loss
      const double ch = c[t0 + j] - c[t0 + j - 1];
      o[j] = ch > 0.0 ? ch : 0.0;
      loss[j] = ch < 0.0 ? -ch : 0.0;
    }
    for (std::size_t j = 0; j < m; ++j) { // the two Wilder recurrences
      g = detail::smooth(g, a, b, o[j]);
      l = detail::smooth(l, a, b, loss[j]);
      o[j] = g;
      loss[j] = l;
    }
    for (std::size_t j = 0; j < m; ++j)
      o[j] = detail::rsi_from(o[j], loss[j]);
  }
}

series rsi(const series& close, int period) {
  series out;
  rsi_into(close, period, out);
  return out;
}

// -- MACD
// -----------------------------------------------------------------------------------

void macd_into(const series& close, int fast, int slow, int signal, macd_result& r) {
  const std::size_t size = close.size();
  r.macd.resize(size);
  r.signal.resize(size);
  r.hist.resize(size);
  if (fast > slow) std::swap(fast, slow);
  if (fast < 1 || signal < 1 || size < static_cast<std::size_t>(slow)) {
    fill_nan(r.macd);
    fill_nan(r.signal);
    return fill_nan(r.hist);
  }
  const double kf = 2.0 / (fast + 1.0), af = 1.0 - kf;
  const double ks = 2.0 / (slow + 1.0), as = 1.0 - ks;
  const double kg = 2.0 / (signal + 1.0), ag = 1.0 - kg;
  const double* x = close.data();
  const std::size_t s0 = static_cast<std::size_t>(slow) - 1;        // first MACD value
  const std::size_t g0 = s0 + static_cast<std::size_t>(signal) - 1; // first signal value
  // Seeds: the slow EMA over x[0 .. slow-1], the fast one over the last `fast` values of
  // that same window, so both EMAs (and the MACD line) start at index slow-1.
  double sh = 0, sl = 0, fh = 0, fl = 0;
  for (std::size_t t = 0; t <= s0; ++t) {
    double s, e;
    detail::two_sum(sh, x[t], s, e);
    sh = s;
    sl = sl + e;
    if (t + static_cast<std::size_t>(fast) >= static_cast<std::size_t>(slow)) {
      detail::two_sum(fh, x[t], s, e);
      fh = s;
      fl = fl + e;
    }
  }
  std::fill_n(r.macd.begin(), s0, nan);
  std::fill_n(r.signal.begin(), std::min(g0, size), nan);
  std::fill_n(r.hist.begin(), std::min(g0, size), nan);
  double fv = (fh + fl) / fast, sv = (sh + sl) / slow;
  double gh = 0, gl = 0, gv = 0;
  double* om = r.macd.data();
  double* og = r.signal.data();
  double* oh = r.hist.data();
  std::size_t t = s0;
  // Warm-up of the signal line: MACD values exist, the signal is being seeded.
  for (; t < size && t <= g0; ++t) {
    if (t > s0) {
      fv = detail::smooth(fv, af, kf, x[t]);
      sv = detail::smooth(sv, as, ks, x[t]);
    }
    const double m = fv - sv;
    om[t] = m;
    double s, e;
    detail::two_sum(gh, m, s, e);
    gh = s;
    gl = gl + e;
    if (t == g0) {
      gv = (gh + gl) / signal;
      og[t] = gv;
      oh[t] = m - gv;
    }
  }
  for (; t < size; ++t) {
    fv = detail::smooth(fv, af, kf, x[t]);
    sv = detail::smooth(sv, as, ks, x[t]);
    const double m = fv - sv;
    gv = detail::smooth(gv, ag, kg, m);
    om[t] = m;
    og[t] = gv;
    oh[t] = m - gv;
  }
}

macd_result macd(const series& close, int fast, int slow, int signal) {
  macd_result r;
  macd_into(close, fast, slow, signal, r);
  return r;
}

// -- Bollinger
// ------------------------------------------------------------------------------

namespace {

/// Exact splits of x - x_old (into d[0], e[0]) and of x^2 - x_old^2 (into d[1], e[1]) for
/// one bar: the per-bar half of the two window sums, as in bollinger_state::update.
inline void bollinger_diffs(double x, double old, v2d& d, v2d& e) {
  double d1, e1, d2, e2;
  detail::square_window_splits(x, old, d1, e1, d2, e2);
  d = v2d{d1, d2};
  e = v2d{e1, e2};
}

/// The serial half: both compensated window sums advance together in the two lanes of
/// one register over `count` bars of (x, x^2) pairs, keeping every bar's sums. The
/// operations are those of detail::window_step_pos written as plain adds (the same
/// numbers).
inline void pair_sums(v2d& hi, v2d& lo, const double* dd, const double* ee, double* hh,
                      double* ll, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    v2d d, e;
    std::memcpy(&d, dd + 2 * i, sizeof d);
    std::memcpy(&e, ee + 2 * i, sizeof e);
    const v2d sum = hi + d;
    const v2d err = d - (sum - hi);
    hi = sum;
    lo = lo + (err + e);
    std::memcpy(hh + 2 * i, &hi, sizeof hi);
    std::memcpy(ll + 2 * i, &lo, sizeof lo);
  }
}

#if defined(__AVX512F__)

/// pair_sums over one group of 8 bars stored in the AVX-512 kernel's order: the pairs of
/// bars 0, 2, 4, 6 in the first 8 doubles and of bars 1, 3, 5, 7 in the next 8 (the order
/// the in-lane unpacks give, which are cheaper than lane-crossing permutes); the bars are
/// still summed in time order. Of the three off-chain operations of a step, two run on
/// the fma units (sub_fma_unit, the same numbers): the fma and add units then carry
/// about equal loads in this kernel (measured 10% faster than all plain adds, and than
/// all three on the fma units).
inline void pair_sums8(v2d& hi, v2d& lo, const double* dd, const double* ee, double* hh,
                       double* ll) {
#pragma GCC unroll 8
  for (std::size_t i = 0; i < 8; ++i) {
    const std::size_t at = (i % 2) * 8 + (i / 2) * 2;
    v2d d, e;
    std::memcpy(&d, dd + at, sizeof d);
    std::memcpy(&e, ee + at, sizeof e);
    const v2d sum = hi + d;
    const v2d err = detail::sub_fma_unit(d, detail::sub_fma_unit(sum, hi));
    hi = sum;
    lo = lo + (err + e);
    std::memcpy(hh + at, &hi, sizeof hi);
    std::memcpy(ll + at, &lo, sizeof lo);
  }
}

using v8d = detail::v8d_t;
using v8i = std::int64_t __attribute__((vector_size(64)));

inline v8d load8(const double* p) {
  v8d v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store8(double* p, v8d v) {
  std::memcpy(p, &v, sizeof v);
}

/// The rebuilt (x, x^2) window sums at a restart bar t, as lane pairs (out of line and
/// returned by value, so that the callers' chain registers never have their address
/// taken).
struct sum_pairs {
  v2d hi, lo;
};
__attribute__((noinline)) sum_pairs rebuilt_pairs(const double* x, std::size_t t,
                                                  std::size_t n) {
  double h1, l1, h2, l2;
  detail::rebuild_square_sums(
      n, [&](std::size_t j) { return x[t + 1 - n + j]; }, h1, l1, h2, l2);
  return {v2d{h1, h2}, v2d{l1, l2}};
}

/// Bollinger bands, AVX-512 form: the same operations per bar as the portable loop below
/// (and as bollinger_state), scheduled for an out-of-order core. Bars are taken in groups
/// of 8; one loop iteration does three independent pieces of work for three different
/// groups, so the vector work overlaps the latency of the serial chain:
///   - the exact splits of x - x_old and x^2 - x_old^2 of group g + lead, 8 lanes at
///   once;
///   - the two compensated window sums (two lanes of one register) over group g, serial;
///   - the bands of group g - lag, 8 lanes at once (bollinger_from on vectors).
/// Small rings of group buffers carry the values between the three. Bars before the
/// first full window (and a ragged tail) run the same operations one bar at a time.
void bollinger_avx512(const double* x, std::size_t size, std::size_t n, double k,
                      double* __restrict ou, double* __restrict om,
                      double* __restrict ol) {
  const double nd = static_cast<double>(n), inv_n = 1.0 / nd;
  v2d hi = {0.0, 0.0}, lo = {0.0, 0.0};
  const std::size_t every = detail::restart_period(n);
  auto one_bar = [&](std::size_t t) __attribute__((always_inline)) {
    if (detail::restarts_at(t, every)) { // rebuilt from the window, as in every form
      const sum_pairs r = rebuilt_pairs(x, t, n);
      hi = r.hi;
      lo = r.lo;
    } else {
      v2d d, e;
      bollinger_diffs(x[t], t >= n ? x[t - n] : 0.0, d, e);
      if (t < n)
        detail::window_step_any(hi, lo, d, e); // the window is filling
      else
        detail::window_step_pos(hi, lo, d, e);
    }
    if (t + 1 < n) {
      ou[t] = om[t] = ol[t] = nan;
      return;
    }
    detail::bollinger_from(nd, inv_n, k * inv_n, hi[0], lo[0], hi[1], lo[1], ou[t], om[t],
                           ol[t]);
  };
  // Group bars start at ts >= n (every bar has an x_old) where the upper band's stores
  // are cache-line aligned.
  std::size_t ts = std::min(n, size);
  while (ts < size && (reinterpret_cast<std::uintptr_t>(ou + ts) & 63) != 0)
    ++ts;
  for (std::size_t t = 0; t < ts; ++t)
    one_bar(t);
  const std::size_t groups = (size - ts) / 8;
  constexpr std::size_t lead = 3, lag = 3, ring = 8; // ring > lead, lag
  // (x, x^2) pairs interleaved, 16 doubles per group: d/e the splits, h/l the sums.
  alignas(64) double dd[ring * 16], ee[ring * 16], hh[ring * 16], ll[ring * 16];
  // In-lane unpacks: (d1, d2) pairs of bars 0, 2, 4, 6 and of bars 1, 3, 5, 7 (see
  // pair_sums8); applied to those two halves, the same unpacks give back lane 0 (x) and
  // lane 1 (x^2) of bars 0..7 in order.
  const v8i unpack_lo = {0, 8, 2, 10, 4, 12, 6, 14}, unpack_hi = unpack_lo + 1;
  const v8d root2 = 1.4142 - v8d{}, zero = {};
  auto splits = [&](std::size_t g) {
    const std::size_t t = ts + 8 * g;
    double* dp = dd + 16 * (g % ring);
    double* ep = ee + 16 * (g % ring);
    const v8d xv = load8(x + t), ov = load8(x + t - n);
    v8d d1, e1, d2, e2, p, q, po, qo;
    detail::two_prod(xv, xv, p, q);
    detail::two_prod(ov, ov, po, qo);
    // Fast path, the same numbers: when 0 < x <= c x_old and 0 < x_old <= c x with
    // c = 1.4142 < sqrt(2) (the products rounded: fl(c y) <= c y (1 + u) < sqrt(2) y),
    // and 1e-150 <= x_old <= 1e150 (both squares normal and finite), then
    // x/2 <= x_old <= 2x and x^2/2 <= x_old^2 <= 2x^2; rounding is monotone and
    // fl(2y) = 2 fl(y) there, so fl(x^2)/2 <= fl(x_old^2) <= 2 fl(x^2), and both
    // differences x - x_old and fl(x^2) - fl(x_old^2) are exact (Sterbenz): two_sum's
    // error terms are exactly +0. Prices over one window almost always qualify; zeros,
    // signs, NaN and extreme magnitudes take the general path.
    const __m512d X = reinterpret_cast<__m512d>(xv), O = reinterpret_cast<__m512d>(ov);
    __mmask8 ok = _mm512_cmp_pd_mask(O, _mm512_set1_pd(1e150), _CMP_LE_OQ);
    ok = _mm512_mask_cmp_pd_mask(ok, O, _mm512_set1_pd(1e-150), _CMP_GE_OQ);
    ok =
        _mm512_mask_cmp_pd_mask(ok, X, reinterpret_cast<__m512d>(root2 * ov), _CMP_LE_OQ);
    ok =
        _mm512_mask_cmp_pd_mask(ok, O, reinterpret_cast<__m512d>(root2 * xv), _CMP_LE_OQ);
    if (__builtin_expect(ok == 0xff, 1)) {
      // e2 = (+0) + (q - qo) in the general path, which is q - qo: q = fma(x, x, -p) is
      // never -0 (an exact zero of x*x - p rounds to +0), so q - qo is never -0.
      d1 = xv - ov;
      e1 = zero;
      d2 = p - po;
      e2 = q - qo;
    } else {
      detail::two_sum(xv, -ov, d1, e1);
      v8d e;
      detail::two_sum(p, -po, d2, e);
      e2 = e + (q - qo);
    }
    store8(dp, __builtin_shuffle(d1, d2, unpack_lo));
    store8(dp + 8, __builtin_shuffle(d1, d2, unpack_hi));
    store8(ep, __builtin_shuffle(e1, e2, unpack_lo));
    store8(ep + 8, __builtin_shuffle(e1, e2, unpack_hi));
  };
  // The next restart bar at or after the current group (ts >= n >= 1, so never bar 0).
  std::size_t restart = (ts + every - 1) / every * every;
  // The group holds a restart bar: the same steps one bar at a time, and the rebuilt
  // sums at the restart (that bar's splits are not used).
  auto sums_restart = [&](std::size_t at, std::size_t t0) __attribute__((always_inline)) {
    for (std::size_t i = 0; i < 8; ++i) {
      const std::size_t p = at + (i % 2) * 8 + (i / 2) * 2;
      if (t0 + i == restart) {
        const sum_pairs r = rebuilt_pairs(x, restart, n);
        hi = r.hi;
        lo = r.lo;
      } else {
        v2d d, e;
        std::memcpy(&d, dd + p, sizeof d);
        std::memcpy(&e, ee + p, sizeof e);
        detail::window_step_pos(hi, lo, d, e);
      }
      std::memcpy(hh + p, &hi, sizeof hi);
      std::memcpy(ll + p, &lo, sizeof lo);
    }
    restart += every;
  };
  auto sums = [&](std::size_t g) {
    const std::size_t at = 16 * (g % ring);
    const std::size_t t0 = ts + 8 * g;
    if (__builtin_expect(restart >= t0 + 8, 1))
      return pair_sums8(hi, lo, dd + at, ee + at, hh + at, ll + at);
    sums_restart(at, t0);
  };
  const v8d vn = nd - zero, vinv = inv_n - zero, vk = k * inv_n - zero;
  auto bands = [&](std::size_t g) {
    const std::size_t t = ts + 8 * g;
    const double* hp = hh + 16 * (g % ring);
    const double* lp = ll + 16 * (g % ring);
    const v8d h0 = load8(hp), h1 = load8(hp + 8), l0 = load8(lp), l1 = load8(lp + 8);
    v8d u, m, w;
    detail::bollinger_from(vn, vinv, vk, __builtin_shuffle(h0, h1, unpack_lo),
                           __builtin_shuffle(l0, l1, unpack_lo),
                           __builtin_shuffle(h0, h1, unpack_hi),
                           __builtin_shuffle(l0, l1, unpack_hi), u, m, w);
    store8(ou + t, u);
    store8(om + t, m);
    store8(ol + t, w);
  };
  for (std::size_t g = 0; g < lead && g < groups; ++g)
    splits(g);
  for (std::size_t g = 0; g < groups; ++g) {
    if (g + lead < groups) splits(g + lead);
    sums(g);
    if (g >= lag) bands(g - lag);
  }
  for (std::size_t g = groups > lag ? groups - lag : 0; g < groups; ++g)
    bands(g);
  for (std::size_t t = ts + 8 * groups; t < size; ++t)
    one_bar(t);
}

#endif

} // namespace

void bollinger_into(const series& close, int period, double k, bollinger_result& r) {
  const std::size_t size = close.size();
  r.upper.resize(size);
  r.middle.resize(size);
  r.lower.resize(size);
  if (period < 1) {
    fill_nan(r.upper);
    fill_nan(r.middle);
    return fill_nan(r.lower);
  }
  const std::size_t n = static_cast<std::size_t>(period);
#if defined(__AVX512F__)
  bollinger_avx512(close.data(), size, n, k, r.upper.data(), r.middle.data(),
                   r.lower.data());
#else
  const double nd = period, inv_n = 1.0 / period;
  const double* x = close.data();
  // Lane 0: the window sum of x; lane 1: the window sum of the exact squares x*x. The
  // block buffers hold (lane 0, lane 1) pairs interleaved, so the serial loop moves whole
  // two-lane registers.
  v2d hi = {0.0, 0.0}, lo = {0.0, 0.0};
  alignas(64) double dd[2 * block], ee[2 * block], hh[2 * block], ll[2 * block];
  double* __restrict ou = r.upper.data();
  double* __restrict om = r.middle.data();
  double* __restrict ol = r.lower.data();
  const std::size_t every = detail::restart_period(n);
  for (std::size_t t0 = 0; t0 < size;) {
    if (detail::restarts_at(t0, every)) { // rebuilt from the window, as in every form
      double h1, l1, h2, l2;
      detail::rebuild_square_sums(
          n, [&](std::size_t i) { return x[t0 + 1 - n + i]; }, h1, l1, h2, l2);
      hi = v2d{h1, h2};
      lo = v2d{l1, l2};
      detail::bollinger_from(nd, inv_n, k * inv_n, h1, l1, h2, l2, ou[t0], om[t0],
                             ol[t0]);
      ++t0;
      continue;
    }
    const std::size_t m = std::min({block, size - t0, (t0 / every + 1) * every - t0});
    // Per-bar, vectorisable: exact splits of x - x_old and of x^2 - x_old^2 (x_old = 0
    // before the first full window).
    for (std::size_t j = 0; j < m; ++j) {
      const std::size_t t = t0 + j;
      v2d d, e;
      bollinger_diffs(x[t], t >= n ? x[t - n] : 0.0, d, e);
      std::memcpy(dd + 2 * j, &d, sizeof d);
      std::memcpy(ee + 2 * j, &e, sizeof e);
    }
    // While the window fills: full TwoSum steps (window_step_any), as in every form.
    const std::size_t filling = t0 < n ? std::min(m, n - t0) : 0;
    for (std::size_t j = 0; j < filling; ++j) {
      v2d d, e;
      std::memcpy(&d, dd + 2 * j, sizeof d);
      std::memcpy(&e, ee + 2 * j, sizeof e);
      detail::window_step_any(hi, lo, d, e);
      std::memcpy(hh + 2 * j, &hi, sizeof hi);
      std::memcpy(ll + 2 * j, &lo, sizeof lo);
    }
    pair_sums(hi, lo, dd + 2 * filling, ee + 2 * filling, hh + 2 * filling,
              ll + 2 * filling, m - filling);
    // Per-bar, vectorisable: the bands.
    const std::size_t first = t0 + 1 >= n ? 0 : std::min(m, n - 1 - t0);
    for (std::size_t j = 0; j < first; ++j)
      ou[t0 + j] = om[t0 + j] = ol[t0 + j] = nan;
    for (std::size_t j = first; j < m; ++j)
      detail::bollinger_from(nd, inv_n, k * inv_n, hh[2 * j], ll[2 * j], hh[2 * j + 1],
                             ll[2 * j + 1], ou[t0 + j], om[t0 + j], ol[t0 + j]);
    t0 += m;
  }
#endif
}

bollinger_result bollinger(const series& close, int period, double k) {
  bollinger_result r;
  bollinger_into(close, period, k, r);
  return r;
}

// -- ATR / ADX
// ------------------------------------------------------------------------------

void atr_into(const series& high, const series& low, const series& close, int period,
              series& out) {
  const std::size_t size = close.size();
  out.resize(size);
  if (period < 1 || high.size() != size || low.size() != size ||
      size <= static_cast<std::size_t>(period))
    return fill_nan(out);
  const std::size_t n = static_cast<std::size_t>(period);
  std::fill_n(out.begin(), n, nan);
  const double a = (period - 1.0) / period, b = 1.0 / period, nd = period;
  const double *h = high.data(), *l = low.data(), *c = close.data();
  double sum = 0.0;
  for (std::size_t t = 1; t <= n; ++t)
    sum = sum + detail::true_range(h[t], l[t], c[t - 1]);
  double v = sum / nd;
  out[n] = v;
  for (std::size_t t0 = n + 1; t0 < size; t0 += block) {
    const std::size_t m = std::min(block, size - t0);
    double* o = out.data() + t0;
    for (std::size_t j = 0; j < m; ++j)
      o[j] = detail::true_range(h[t0 + j], l[t0 + j], c[t0 + j - 1]);
    for (std::size_t j = 0; j < m; ++j) {
      v = detail::smooth(v, a, b, o[j]);
      o[j] = v;
    }
  }
}

series atr(const series& high, const series& low, const series& close, int period) {
  series out;
  atr_into(high, low, close, period, out);
  return out;
}

series adx(const series& high, const series& low, const series& close, int period) {
  const std::size_t size = close.size();
  series out = nans(size);
  if (high.size() != size || low.size() != size) return out;
  adx_state st(period);
  for (std::size_t t = 0; t < size; ++t)
    out[t] = st.update(high[t], low[t], close[t]);
  return out;
}

// -- volume, range, volatility
// --------------------------------------------------------------

series obv(const series& close, const series& volume) {
  const std::size_t size = close.size();
  series out = nans(size);
  if (volume.size() != size) return out;
  obv_state st;
  for (std::size_t t = 0; t < size; ++t)
    out[t] = st.update(close[t], volume[t]);
  return out;
}

stoch_result stoch(const series& high, const series& low, const series& close,
                   int k_period, int k_slow, int d_period) {
  const std::size_t size = close.size();
  stoch_result r{nans(size), nans(size)};
  if (high.size() != size || low.size() != size) return r;
  stoch_state st(k_period, k_slow, d_period);
  for (std::size_t t = 0; t < size; ++t) {
    const stoch_value v = st.update(high[t], low[t], close[t]);
    r.k[t] = v.k;
    r.d[t] = v.d;
  }
  return r;
}

series relative_volume(const series& volume, int period) {
  series out = nans(volume.size());
  relative_volume_state st(period);
  for (std::size_t t = 0; t < volume.size(); ++t)
    out[t] = st.update(volume[t]);
  return out;
}

series dist_from_high(const series& high, const series& close, int period) {
  const std::size_t size = close.size();
  series out = nans(size);
  if (high.size() != size) return out;
  dist_from_high_state st(period);
  for (std::size_t t = 0; t < size; ++t)
    out[t] = st.update(high[t], close[t]);
  return out;
}

series dist_from_low(const series& low, const series& close, int period) {
  const std::size_t size = close.size();
  series out = nans(size);
  if (low.size() != size) return out;
  dist_from_low_state st(period);
  for (std::size_t t = 0; t < size; ++t)
    out[t] = st.update(low[t], close[t]);
  return out;
}

series hist_vol(const series& close, int period) {
  series out = nans(close.size());
  hist_vol_state st(period);
  for (std::size_t t = 0; t < close.size(); ++t)
    out[t] = st.update(close[t]);
  return out;
}

series beta(const series& close, const series& index_close, int period) {
  const std::size_t size = close.size();
  series out = nans(size);
  if (index_close.size() != size) return out;
  beta_state st(period);
  for (std::size_t t = 0; t < size; ++t)
    out[t] = st.update(close[t], index_close[t]);
  return out;
}

} // namespace sc::ind
