// Universe indicators: the per-series step kernels run across symbols. Symbols are taken
// in chunks whose state arrays stay in L1; for each bar the chunk's row is processed by a
// branch-free inner loop that the compiler vectorises (AVX2/AVX-512 lanes = symbols).
// Each lane performs exactly the operations of the per-series batch form, so results are
// identical to it bit for bit, whatever the chunking or the number of threads.
//
// Threads: the symbols are split into contiguous blocks, one per worker; each worker
// walks every bar of its block (time-major rows, so each worker reads and writes a
// contiguous slice of every row). Block edges fall on multiples of 8 symbols (one 64-byte
// cache line) so two workers never write the same line of a row when rows start on a
// line.
//
// Large output panels are written with non-temporal (streaming) stores: a panel of 5,000
// x 2,520 doubles is 100 MB, far beyond the caches, so ordinary stores would first read
// every output line from memory (read-for-ownership) only to overwrite it, doubling the
// traffic.
#include "analytics/indicators/universe.hpp"

#include "analytics/indicators/detail/kernels.hpp"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#if defined(__AVX__)
#include <immintrin.h>
#endif

namespace sc::ind {

using detail::nan;

universe_panel::universe_panel(std::size_t symbols, std::size_t bars)
    : universe_panel(symbols, bars, nan) {}

universe_panel::universe_panel(std::size_t symbols, std::size_t bars, double fill)
    : n_symbols(symbols), n_bars(bars), data(symbols * bars, fill) {}

void universe_panel::set_series(std::size_t s, const std::vector<double>& x) {
  const std::size_t m = std::min(x.size(), n_bars);
  for (std::size_t t = 0; t < m; ++t)
    data[t * n_symbols + s] = x[t];
}

std::vector<double> universe_panel::series_of(std::size_t s) const {
  std::vector<double> x(n_bars);
  for (std::size_t t = 0; t < n_bars; ++t)
    x[t] = data[t * n_symbols + s];
  return x;
}

void universe_panel::reshape(std::size_t symbols, std::size_t bars) {
  if (symbols == n_symbols && bars == n_bars && data.size() == symbols * bars) return;
  n_symbols = symbols;
  n_bars = bars;
  data.assign(symbols * bars, nan);
}

namespace {

/// Symbols per chunk: the chunk's state arrays (up to 9 x 2 KiB) stay in L1.
constexpr std::size_t chunk = 256;

/// Below this many points (symbols x bars) a second thread costs more to start than it
/// saves.
constexpr std::size_t min_points_per_thread = std::size_t(1) << 16;

/// Panels at least this large (bytes) are written with streaming stores: well beyond the
/// L2 caches, so the caller cannot find them in cache anyway.
constexpr std::size_t stream_bytes = std::size_t(8) << 20;

/// Runs fn(s_begin, s_end) on contiguous symbol blocks, one per worker (the calling
/// thread takes the first block). Block edges are multiples of 8 symbols (a 64-byte line
/// of a row); the work is split evenly by symbol count, as every symbol costs the same.
/// The workers' lambdas capture the scalars by value: captured by reference, they are
/// memory the output stores might alias, which kept the compiler from vectorising the
/// three-output loops (MACD, Bollinger) as before.
template <class F>
void for_symbol_blocks(std::size_t ns, std::size_t nb, int threads, F&& fn) {
  std::size_t k = threads > 1 ? static_cast<std::size_t>(threads) : 1;
  k = std::min(k, std::max<std::size_t>(1, ns * nb / min_points_per_thread));
  k = std::min(k, (ns + 7) / 8);
  if (k <= 1) {
    fn(std::size_t(0), ns);
    return;
  }
  std::vector<std::size_t> edge(k + 1, ns);
  edge[0] = 0;
  for (std::size_t i = 1; i < k; ++i)
    edge[i] = std::min(ns, (ns * i / k + 4) / 8 * 8);
  std::vector<std::thread> pool;
  pool.reserve(k - 1);
  for (std::size_t i = 1; i < k; ++i)
    pool.emplace_back([&fn, b = edge[i], e = edge[i + 1]] { fn(b, e); });
  fn(edge[0], edge[1]);
  for (std::thread& th : pool)
    th.join();
}

/// Copies m doubles from src (a chunk buffer in L1) to dst, with streaming stores where
/// dst is 32-byte aligned. Callers fence (stream_fence) before their results are read.
inline void stream_copy(double* dst, const double* src, std::size_t m) {
#if defined(__AVX__)
  std::size_t i = 0;
  for (; i < m && (reinterpret_cast<std::uintptr_t>(dst + i) & 31) != 0; ++i)
    dst[i] = src[i];
  for (; i + 4 <= m; i += 4)
    _mm256_stream_pd(dst + i, _mm256_loadu_pd(src + i));
  for (; i < m; ++i)
    dst[i] = src[i];
#else
  std::copy_n(src, m, dst);
#endif
}

/// Orders this thread's streaming stores before anything it does next (its join).
inline void stream_fence() {
#if defined(__AVX__)
  _mm_sfence();
#endif
}

/// Where one chunk's row of an output goes: straight into the panel, or (streaming) into
/// an L1 buffer that flush() then streams out.
class row_out {
public:
  row_out(universe_panel& p, bool streaming) : p_(p), streaming_(streaming) {}
  double* at(std::size_t t, std::size_t s0) {
    dst_ = p_.row(t) + s0;
    return streaming_ ? buf_ : dst_;
  }
  void flush(std::size_t m) {
    if (streaming_) stream_copy(dst_, buf_, m);
  }

private:
  universe_panel& p_;
  bool streaming_;
  double* dst_ = nullptr;
  alignas(64) double buf_[chunk];
};

bool streams(const universe_panel& p) {
  return p.data.size() * sizeof(double) >= stream_bytes;
}

void fill_rows(universe_panel& p, std::size_t t_begin, std::size_t t_end, std::size_t s0,
               std::size_t m) {
  for (std::size_t t = t_begin; t < t_end; ++t)
    std::fill_n(p.row(t) + s0, m, nan);
}

/// The restart of m symbols' window sums of x (SMA) at bar t: detail::rebuild_sum over
/// each symbol's rows t + 1 - n .. t. (Once per restart period: the column reads cost
/// nothing that shows.)
__attribute__((noinline)) void rebuild_sums(const universe_panel& x, std::size_t t,
                                            std::size_t n, std::size_t s0, std::size_t m,
                                            double* hi, double* lo) {
  for (std::size_t s = 0; s < m; ++s)
    detail::rebuild_sum(
        n, [&](std::size_t i) { return x.row(t + 1 - n + i)[s0 + s]; }, hi[s], lo[s]);
}

/// The same for the window sums of x and x^2 (Bollinger): detail::rebuild_square_sums.
__attribute__((noinline)) void rebuild_square_sums(const universe_panel& x, std::size_t t,
                                                   std::size_t n, std::size_t s0,
                                                   std::size_t m, double* h1, double* l1,
                                                   double* h2, double* l2) {
  for (std::size_t s = 0; s < m; ++s)
    detail::rebuild_square_sums(
        n, [&](std::size_t i) { return x.row(t + 1 - n + i)[s0 + s]; }, h1[s], l1[s],
        h2[s], l2[s]);
}

bool same_shape(const universe_panel& a, const universe_panel& b) {
  return a.n_symbols == b.n_symbols && a.n_bars == b.n_bars;
}

} // namespace

// -- SMA
// ------------------------------------------------------------------------------------

void universe_sma(const universe_panel& x, int period, universe_panel& out, int threads) {
  const std::size_t ns = x.n_symbols, nb = x.n_bars;
  out.reshape(ns, nb);
  if (period < 1) {
    std::fill(out.data.begin(), out.data.end(), nan);
    return;
  }
  const std::size_t n = static_cast<std::size_t>(period);
  const double inv_n = 1.0 / period;
  const std::size_t every = detail::restart_period(n);
  const bool nt = streams(out);
  for_symbol_blocks(ns, nb, threads, [=, &x, &out](std::size_t sb, std::size_t se) {
    alignas(64) double hi[chunk], lo[chunk];
    row_out w(out, nt);
    for (std::size_t s0 = sb; s0 < se; s0 += chunk) {
      const std::size_t m = std::min(chunk, se - s0);
      std::fill_n(hi, m, 0.0);
      std::fill_n(lo, m, 0.0);
      for (std::size_t t = 0; t < nb; ++t) {
        const double* __restrict xr = x.row(t) + s0;
        double* __restrict o = w.at(t, s0);
        const bool defined = t + 1 >= n;
        if (t < n) {
          for (std::size_t s = 0; s < m; ++s) {
            double d, e;
            detail::two_sum(xr[s], -0.0, d, e);
            detail::window_step_any(hi[s], lo[s], d, e); // the window is filling
            o[s] = defined ? (hi[s] + lo[s]) * inv_n : nan;
          }
        } else if (detail::restarts_at(t, every)) {
          // (Rebuilt in a scratch buffer and copied: handing hi and lo themselves to the
          // out-of-line rebuild cost universe_bollinger's loops their vectorisation.)
          alignas(64) double re[2 * chunk];
          rebuild_sums(x, t, n, s0, m, re, re + chunk);
          std::copy_n(re, m, hi);
          std::copy_n(re + chunk, m, lo);
          for (std::size_t s = 0; s < m; ++s)
            o[s] = (hi[s] + lo[s]) * inv_n;
        } else {
          const double* __restrict xo = x.row(t - n) + s0;
          for (std::size_t s = 0; s < m; ++s) {
            double d, e;
            detail::two_sum(xr[s], -xo[s], d, e);
            detail::window_step_pos(hi[s], lo[s], d, e);
            o[s] = (hi[s] + lo[s]) * inv_n;
          }
        }
        w.flush(m);
      }
    }
    stream_fence();
  });
}

// -- EMA
// ------------------------------------------------------------------------------------

void universe_ema(const universe_panel& x, int period, universe_panel& out, int threads) {
  const std::size_t ns = x.n_symbols, nb = x.n_bars;
  out.reshape(ns, nb);
  if (period < 1 || nb < static_cast<std::size_t>(period)) {
    std::fill(out.data.begin(), out.data.end(), nan);
    return;
  }
  const std::size_t n = static_cast<std::size_t>(period);
  const double k = 2.0 / (period + 1.0);
  const double one_minus_k = 1.0 - 2.0 / (period + 1.0);
  const double nd = period;
  const bool nt = streams(out);
  for_symbol_blocks(ns, nb, threads, [=, &x, &out](std::size_t sb, std::size_t se) {
    alignas(64) double hi[chunk], lo[chunk], v[chunk];
    row_out w(out, nt);
    for (std::size_t s0 = sb; s0 < se; s0 += chunk) {
      const std::size_t m = std::min(chunk, se - s0);
      std::fill_n(hi, m, 0.0);
      std::fill_n(lo, m, 0.0);
      for (std::size_t t = 0; t < n; ++t) {
        const double* __restrict xr = x.row(t) + s0;
        for (std::size_t s = 0; s < m; ++s) {
          double sum, e;
          detail::two_sum(hi[s], xr[s], sum, e);
          hi[s] = sum;
          lo[s] = lo[s] + e;
        }
      }
      fill_rows(out, 0, n - 1, s0, m);
      double* __restrict o0 = out.row(n - 1) + s0;
      for (std::size_t s = 0; s < m; ++s) {
        v[s] = (hi[s] + lo[s]) / nd;
        o0[s] = v[s];
      }
      for (std::size_t t = n; t < nb; ++t) {
        const double* __restrict xr = x.row(t) + s0;
        double* __restrict o = w.at(t, s0);
        for (std::size_t s = 0; s < m; ++s) {
          v[s] = detail::smooth(v[s], one_minus_k, k, xr[s]);
          o[s] = v[s];
        }
        w.flush(m);
      }
    }
    stream_fence();
  });
}

// -- RSI
// ------------------------------------------------------------------------------------

void universe_rsi(const universe_panel& close, int period, universe_panel& out,
                  int threads) {
  const std::size_t ns = close.n_symbols, nb = close.n_bars;
  out.reshape(ns, nb);
  if (period < 1 || nb <= static_cast<std::size_t>(period)) {
    std::fill(out.data.begin(), out.data.end(), nan);
    return;
  }
  const std::size_t n = static_cast<std::size_t>(period);
  const double a = (period - 1.0) / period, b = 1.0 / period, nd = period;
  const bool nt = streams(out);
  for_symbol_blocks(ns, nb, threads, [=, &close, &out](std::size_t sb, std::size_t se) {
    alignas(64) double g[chunk], l[chunk];
    row_out w(out, nt);
    for (std::size_t s0 = sb; s0 < se; s0 += chunk) {
      const std::size_t m = std::min(chunk, se - s0);
      std::fill_n(g, m, 0.0);
      std::fill_n(l, m, 0.0);
      for (std::size_t t = 1; t <= n; ++t) {
        const double* __restrict c = close.row(t) + s0;
        const double* __restrict cp = close.row(t - 1) + s0;
        for (std::size_t s = 0; s < m; ++s) {
          const double ch = c[s] - cp[s];
          g[s] = g[s] + (ch > 0.0 ? ch : 0.0);
          l[s] = l[s] + (ch < 0.0 ? -ch : 0.0);
        }
      }
      fill_rows(out, 0, n, s0, m);
      double* __restrict o0 = out.row(n) + s0;
      for (std::size_t s = 0; s < m; ++s) {
        g[s] = g[s] / nd;
        l[s] = l[s] / nd;
        o0[s] = detail::rsi_from(g[s], l[s]);
      }
      for (std::size_t t = n + 1; t < nb; ++t) {
        const double* __restrict c = close.row(t) + s0;
        const double* __restrict cp = close.row(t - 1) + s0;
        double* __restrict o = w.at(t, s0);
        for (std::size_t s = 0; s < m; ++s) {
          const double ch = c[s] - cp[s];
          g[s] = detail::smooth(g[s], a, b, ch > 0.0 ? ch : 0.0);
          l[s] = detail::smooth(l[s], a, b, ch < 0.0 ? -ch : 0.0);
          o[s] = detail::rsi_from(g[s], l[s]);
        }
        w.flush(m);
      }
    }
    stream_fence();
  });
}

// -- MACD
// -----------------------------------------------------------------------------------

void universe_macd(const universe_panel& close, int fast, int slow, int signal,
                   universe_panel& macd, universe_panel& signal_line,
                   universe_panel& hist, int threads) {
  const std::size_t ns = close.n_symbols, nb = close.n_bars;
  macd.reshape(ns, nb);
  signal_line.reshape(ns, nb);
  hist.reshape(ns, nb);
  if (fast > slow) std::swap(fast, slow);
  if (fast < 1 || signal < 1 || nb < static_cast<std::size_t>(slow)) {
    for (universe_panel* p : {&macd, &signal_line, &hist})
      std::fill(p->data.begin(), p->data.end(), nan);
    return;
  }
  const double kf = 2.0 / (fast + 1.0), af = 1.0 - kf;
  const double ks = 2.0 / (slow + 1.0), as = 1.0 - ks;
  const double kg = 2.0 / (signal + 1.0), ag = 1.0 - kg;
  const double fd = fast, sd = slow, gd = signal;
  const std::size_t s0_bar = static_cast<std::size_t>(slow) - 1;
  const std::size_t g0_bar = s0_bar + static_cast<std::size_t>(signal) - 1;
  const std::size_t fast_from = static_cast<std::size_t>(slow - fast);
  const bool nt = streams(macd);
  for_symbol_blocks(
      ns, nb, threads,
      [=, &close, &macd, &signal_line, &hist](std::size_t sb, std::size_t se) {
        alignas(64) double fh[chunk], fl[chunk], sh[chunk], sl[chunk], gh[chunk],
            gl[chunk];
        alignas(64) double fv[chunk], sv[chunk], gv[chunk];
        row_out wm(macd, nt), wg(signal_line, nt), wh(hist, nt);
        for (std::size_t s0 = sb; s0 < se; s0 += chunk) {
          const std::size_t m = std::min(chunk, se - s0);
          for (double* p : {fh, fl, sh, sl, gh, gl})
            std::fill_n(p, m, 0.0);
          for (std::size_t t = 0; t <= s0_bar; ++t) {
            const double* __restrict xr = close.row(t) + s0;
            const bool in_fast = t >= fast_from;
            for (std::size_t s = 0; s < m; ++s) {
              double sum, e;
              detail::two_sum(sh[s], xr[s], sum, e);
              sh[s] = sum;
              sl[s] = sl[s] + e;
            }
            if (in_fast) {
              for (std::size_t s = 0; s < m; ++s) {
                double sum, e;
                detail::two_sum(fh[s], xr[s], sum, e);
                fh[s] = sum;
                fl[s] = fl[s] + e;
              }
            }
          }
          fill_rows(macd, 0, s0_bar, s0, m);
          fill_rows(signal_line, 0, std::min(g0_bar, nb), s0, m);
          fill_rows(hist, 0, std::min(g0_bar, nb), s0, m);
          for (std::size_t s = 0; s < m; ++s) {
            fv[s] = (fh[s] + fl[s]) / fd;
            sv[s] = (sh[s] + sl[s]) / sd;
          }
          std::size_t t = s0_bar;
          for (; t < nb && t <= g0_bar; ++t) {
            const double* __restrict xr = close.row(t) + s0;
            double* __restrict om = macd.row(t) + s0;
            const bool step = t > s0_bar;
            for (std::size_t s = 0; s < m; ++s) {
              if (step) {
                fv[s] = detail::smooth(fv[s], af, kf, xr[s]);
                sv[s] = detail::smooth(sv[s], as, ks, xr[s]);
              }
              const double mv = fv[s] - sv[s];
              om[s] = mv;
              double sum, e;
              detail::two_sum(gh[s], mv, sum, e);
              gh[s] = sum;
              gl[s] = gl[s] + e;
            }
            if (t == g0_bar) {
              double* __restrict og = signal_line.row(t) + s0;
              double* __restrict oh = hist.row(t) + s0;
              for (std::size_t s = 0; s < m; ++s) {
                gv[s] = (gh[s] + gl[s]) / gd;
                og[s] = gv[s];
                oh[s] = om[s] - gv[s];
              }
            }
          }
          for (; t < nb; ++t) {
            const double* __restrict xr = close.row(t) + s0;
            double* __restrict om = wm.at(t, s0);
            double* __restrict og = wg.at(t, s0);
            double* __restrict oh = wh.at(t, s0);
            for (std::size_t s = 0; s < m; ++s) {
              fv[s] = detail::smooth(fv[s], af, kf, xr[s]);
              sv[s] = detail::smooth(sv[s], as, ks, xr[s]);
              const double mv = fv[s] - sv[s];
              gv[s] = detail::smooth(gv[s], ag, kg, mv);
              om[s] = mv;
              og[s] = gv[s];
              oh[s] = mv - gv[s];
            }
            wm.flush(m);
            wg.flush(m);
            wh.flush(m);
          }
        }
        stream_fence();
      });
}

// -- Bollinger
// ------------------------------------------------------------------------------

void universe_bollinger(const universe_panel& close, int period, double k,
                        universe_panel& upper, universe_panel& middle,
                        universe_panel& lower, int threads) {
  const std::size_t ns = close.n_symbols, nb = close.n_bars;
  upper.reshape(ns, nb);
  middle.reshape(ns, nb);
  lower.reshape(ns, nb);
  if (period < 1) {
    for (universe_panel* p : {&upper, &middle, &lower})
      std::fill(p->data.begin(), p->data.end(), nan);
    return;
  }
  const std::size_t n = static_cast<std::size_t>(period);
  const double nd = period, inv_n = 1.0 / period;
  const std::size_t every = detail::restart_period(n);
  const bool nt = streams(upper);
  for_symbol_blocks(ns, nb, threads,
                    [=, &close, &upper, &middle, &lower](std::size_t sb, std::size_t se) {
                      alignas(64) double h1[chunk], l1[chunk], h2[chunk], l2[chunk];
                      alignas(64) double zeros[chunk] = {};
                      row_out wu(upper, nt), wm(middle, nt), wl(lower, nt);
                      for (std::size_t s0 = sb; s0 < se; s0 += chunk) {
                        const std::size_t m = std::min(chunk, se - s0);
                        for (double* p : {h1, l1, h2, l2})
                          std::fill_n(p, m, 0.0);
                        for (std::size_t t = 0; t < nb; ++t) {
                          const double* __restrict xr = close.row(t) + s0;
                          const double* __restrict xo =
                              t >= n ? close.row(t - n) + s0 : zeros;
                          if (t < n) { // the window is filling
                            for (std::size_t s = 0; s < m; ++s) {
                              double d1, e1, d2, e2;
                              detail::square_window_splits(xr[s], xo[s], d1, e1, d2, e2);
                              detail::window_step_any(h1[s], l1[s], d1, e1);
                              detail::window_step_any(h2[s], l2[s], d2, e2);
                            }
                          } else if (detail::restarts_at(t, every)) {
                            // (Through a scratch buffer, as in universe_sma.)
                            alignas(64) double re[4 * chunk];
                            rebuild_square_sums(close, t, n, s0, m, re, re + chunk,
                                                re + 2 * chunk, re + 3 * chunk);
                            std::copy_n(re, m, h1);
                            std::copy_n(re + chunk, m, l1);
                            std::copy_n(re + 2 * chunk, m, h2);
                            std::copy_n(re + 3 * chunk, m, l2);
                          } else {
                            for (std::size_t s = 0; s < m; ++s) {
                              double d1, e1, d2, e2;
                              detail::square_window_splits(xr[s], xo[s], d1, e1, d2, e2);
                              detail::window_step_pos(h1[s], l1[s], d1, e1);
                              detail::window_step_pos(h2[s], l2[s], d2, e2);
                            }
                          }
                          if (t + 1 < n) {
                            std::fill_n(upper.row(t) + s0, m, nan);
                            std::fill_n(middle.row(t) + s0, m, nan);
                            std::fill_n(lower.row(t) + s0, m, nan);
                            continue;
                          }
                          double* __restrict ou = wu.at(t, s0);
                          double* __restrict om = wm.at(t, s0);
                          double* __restrict ol = wl.at(t, s0);
                          for (std::size_t s = 0; s < m; ++s)
                            detail::bollinger_from(nd, inv_n, k * inv_n, h1[s], l1[s],
                                                   h2[s], l2[s], ou[s], om[s], ol[s]);
                          wu.flush(m);
                          wm.flush(m);
                          wl.flush(m);
                        }
                      }
                      stream_fence();
                    });
}

// -- ATR
// ------------------------------------------------------------------------------------

void universe_atr(const universe_panel& high, const universe_panel& low,
                  const universe_panel& close, int period, universe_panel& out,
                  int threads) {
  const std::size_t ns = close.n_symbols, nb = close.n_bars;
  out.reshape(ns, nb);
  if (period < 1 || !same_shape(high, close) || !same_shape(low, close) ||
      nb <= static_cast<std::size_t>(period)) {
    std::fill(out.data.begin(), out.data.end(), nan);
    return;
  }
  const std::size_t n = static_cast<std::size_t>(period);
  const double a = (period - 1.0) / period, b = 1.0 / period, nd = period;
  const bool nt = streams(out);
  for_symbol_blocks(
      ns, nb, threads, [=, &high, &low, &close, &out](std::size_t sb, std::size_t se) {
        alignas(64) double sum[chunk], v[chunk];
        row_out w(out, nt);
        for (std::size_t s0 = sb; s0 < se; s0 += chunk) {
          const std::size_t m = std::min(chunk, se - s0);
          std::fill_n(sum, m, 0.0);
          for (std::size_t t = 1; t <= n; ++t) {
            const double* __restrict h = high.row(t) + s0;
            const double* __restrict l = low.row(t) + s0;
            const double* __restrict cp = close.row(t - 1) + s0;
            for (std::size_t s = 0; s < m; ++s)
              sum[s] = sum[s] + detail::true_range(h[s], l[s], cp[s]);
          }
          fill_rows(out, 0, n, s0, m);
          double* __restrict o0 = out.row(n) + s0;
          for (std::size_t s = 0; s < m; ++s) {
            v[s] = sum[s] / nd;
            o0[s] = v[s];
          }
          for (std::size_t t = n + 1; t < nb; ++t) {
            const double* __restrict h = high.row(t) + s0;
            const double* __restrict l = low.row(t) + s0;
            const double* __restrict cp = close.row(t - 1) + s0;
            double* __restrict o = w.at(t, s0);
            for (std::size_t s = 0; s < m; ++s) {
              v[s] = detail::smooth(v[s], a, b, detail::true_range(h[s], l[s], cp[s]));
              o[s] = v[s];
            }
            w.flush(m);
          }
        }
        stream_fence();
      });
}

// -- all six, last values only
// ----------------------------------------------------------------

void universe_latest(const universe_panel& high, const universe_panel& low,
                     const universe_panel& close, const universe_params& p,
                     universe_latest_result& out, int threads) {
  const std::size_t ns = close.n_symbols, nb = close.n_bars;
  for (std::vector<double>* v :
       {&out.sma, &out.ema, &out.rsi, &out.macd, &out.macd_signal, &out.macd_hist,
        &out.bb_upper, &out.bb_middle, &out.bb_lower, &out.atr})
    v->assign(ns, nan);
  int fast = p.macd_fast, slow = p.macd_slow;
  if (fast > slow) std::swap(fast, slow);
  const int sig = p.macd_signal;
  if (!same_shape(high, close) || !same_shape(low, close) || p.sma < 1 || p.ema < 1 ||
      p.rsi < 1 || fast < 1 || sig < 1 || p.bollinger < 1 || p.atr < 1)
    return;
  const std::size_t n_sma = p.sma, n_ema = p.ema, n_rsi = p.rsi, n_bb = p.bollinger,
                    n_atr = p.atr;
  const double inv_sma = 1.0 / p.sma;
  const double k_ema = 2.0 / (p.ema + 1.0), a_ema = 1.0 - 2.0 / (p.ema + 1.0),
               nd_ema = p.ema;
  const double a_rsi = (p.rsi - 1.0) / p.rsi, b_rsi = 1.0 / p.rsi, nd_rsi = p.rsi;
  const double kf = 2.0 / (fast + 1.0), af = 1.0 - kf;
  const double ks = 2.0 / (slow + 1.0), as = 1.0 - ks;
  const double kg = 2.0 / (sig + 1.0), ag = 1.0 - kg;
  const double fd = fast, sd = slow, gd = sig;
  const std::size_t s0_bar = static_cast<std::size_t>(slow) - 1;
  const std::size_t g0_bar = s0_bar + static_cast<std::size_t>(sig) - 1;
  const std::size_t fast_from = static_cast<std::size_t>(slow - fast);
  const double nd_bb = p.bollinger, inv_bb = 1.0 / p.bollinger, k_bb = p.bollinger_k;
  const double a_atr = (p.atr - 1.0) / p.atr, b_atr = 1.0 / p.atr, nd_atr = p.atr;
  // From this bar on every indicator is in its steady recurrence (no warm-up branches).
  const std::size_t steady =
      std::max({n_sma, n_bb, n_ema, n_rsi + 1, g0_bar + 1, n_atr + 1});
  const std::size_t every_sma = detail::restart_period(n_sma);
  const std::size_t every_bb = detail::restart_period(n_bb);

  // Symbols per chunk: 512, so each chunk reads a whole 4 KiB page of every input row
  // (with 256 the row slices were half as long and the run ~30% slower); the 22 state
  // arrays (4 KiB each, 90 KiB) stay in L2. Each array is padded by one cache line so
  // that the same symbol's 22 states do not all fall in the same L1 sets (arrays a
  // multiple of 4 KiB apart would, and evict one another).
  constexpr std::size_t c = 512;
  constexpr std::size_t stride = c + 8;
  for_symbol_blocks(
      ns, nb, threads, [=, &high, &low, &close, &out](std::size_t sb, std::size_t se) {
        struct alignas(64) chunk_state {
          double sm_h[stride], sm_l[stride], em_h[stride], em_l[stride], em_v[stride],
              rs_g[stride], rs_l[stride], fh[stride], fl[stride], sh[stride], sl[stride],
              gh[stride], gl[stride], fv[stride], sv[stride], gv[stride], b1h[stride],
              b1l[stride], b2h[stride], b2l[stride], at_s[stride], at_v[stride];
        };
        std::unique_ptr<chunk_state> st(new chunk_state);
        double* const sm_h = st->sm_h;
        double* const sm_l = st->sm_l;
        double* const em_h = st->em_h;
        double* const em_l = st->em_l;
        double* const em_v = st->em_v;
        double* const rs_g = st->rs_g;
        double* const rs_l = st->rs_l;
        double* const fh = st->fh;
        double* const fl = st->fl;
        double* const sh = st->sh;
        double* const sl = st->sl;
        double* const gh = st->gh;
        double* const gl = st->gl;
        double* const fv = st->fv;
        double* const sv = st->sv;
        double* const gv = st->gv;
        double* const b1h = st->b1h;
        double* const b1l = st->b1l;
        double* const b2h = st->b2h;
        double* const b2l = st->b2l;
        double* const at_s = st->at_s;
        double* const at_v = st->at_v;
        for (std::size_t s0 = sb; s0 < se; s0 += c) {
          const std::size_t m = std::min(c, se - s0);
          *st = chunk_state{};
          // One row in the general form: each indicator exactly as in its own universe_*
          // function, warm-up and restarts included. Used for the warm-up rows and for
          // the rare rows that restart a window sum.
          auto general_row = [&](std::size_t t) {
            const double* x = close.row(t) + s0;
            const double* xp = t > 0 ? close.row(t - 1) + s0 : nullptr;
            const double* h = high.row(t) + s0;
            const double* l = low.row(t) + s0;
            // Restart rows of the window sums (after the first window: see kernels.hpp).
            const bool rs = detail::restarts_at(t, every_sma);
            const bool rb = detail::restarts_at(t, every_bb);
            if (rs) rebuild_sums(close, t, n_sma, s0, m, sm_h, sm_l);
            if (rb) rebuild_square_sums(close, t, n_bb, s0, m, b1h, b1l, b2h, b2l);
            for (std::size_t s = 0; s < m; ++s) {
              double d, e;
              detail::two_sum(x[s], t >= n_sma ? -close.row(t - n_sma)[s0 + s] : -0.0, d,
                              e);
              if (t < n_sma) // the window is filling
                detail::window_step_any(sm_h[s], sm_l[s], d, e);
              else if (!rs)
                detail::window_step_pos(sm_h[s], sm_l[s], d, e);
              if (t < n_ema) {
                double sum;
                detail::two_sum(em_h[s], x[s], sum, e);
                em_h[s] = sum;
                em_l[s] = em_l[s] + e;
                if (t == n_ema - 1) em_v[s] = (em_h[s] + em_l[s]) / nd_ema;
              } else {
                em_v[s] = detail::smooth(em_v[s], a_ema, k_ema, x[s]);
              }
              if (t >= 1) {
                const double ch = x[s] - xp[s];
                if (t <= n_rsi) {
                  rs_g[s] = rs_g[s] + (ch > 0.0 ? ch : 0.0);
                  rs_l[s] = rs_l[s] + (ch < 0.0 ? -ch : 0.0);
                  if (t == n_rsi) {
                    rs_g[s] = rs_g[s] / nd_rsi;
                    rs_l[s] = rs_l[s] / nd_rsi;
                  }
                } else {
                  rs_g[s] = detail::smooth(rs_g[s], a_rsi, b_rsi, ch > 0.0 ? ch : 0.0);
                  rs_l[s] = detail::smooth(rs_l[s], a_rsi, b_rsi, ch < 0.0 ? -ch : 0.0);
                }
                const double tr = detail::true_range(h[s], l[s], xp[s]);
                if (t <= n_atr) {
                  at_s[s] = at_s[s] + tr;
                  if (t == n_atr) at_v[s] = at_s[s] / nd_atr;
                } else {
                  at_v[s] = detail::smooth(at_v[s], a_atr, b_atr, tr);
                }
              }
              if (t <= s0_bar) {
                double sum;
                detail::two_sum(sh[s], x[s], sum, e);
                sh[s] = sum;
                sl[s] = sl[s] + e;
                if (t >= fast_from) {
                  detail::two_sum(fh[s], x[s], sum, e);
                  fh[s] = sum;
                  fl[s] = fl[s] + e;
                }
                if (t == s0_bar) {
                  fv[s] = (fh[s] + fl[s]) / fd;
                  sv[s] = (sh[s] + sl[s]) / sd;
                }
              } else {
                fv[s] = detail::smooth(fv[s], af, kf, x[s]);
                sv[s] = detail::smooth(sv[s], as, ks, x[s]);
              }
              if (t >= s0_bar) {
                const double mv = fv[s] - sv[s];
                if (t <= g0_bar) {
                  double sum;
                  detail::two_sum(gh[s], mv, sum, e);
                  gh[s] = sum;
                  gl[s] = gl[s] + e;
                  if (t == g0_bar) gv[s] = (gh[s] + gl[s]) / gd;
                } else {
                  gv[s] = detail::smooth(gv[s], ag, kg, mv);
                }
              }
              const double old = t >= n_bb ? close.row(t - n_bb)[s0 + s] : 0.0;
              double d1, e1, d2, e2;
              detail::square_window_splits(x[s], old, d1, e1, d2, e2);
              if (t < n_bb) { // the window is filling
                detail::window_step_any(b1h[s], b1l[s], d1, e1);
                detail::window_step_any(b2h[s], b2l[s], d2, e2);
              } else if (!rb) {
                detail::window_step_pos(b1h[s], b1l[s], d1, e1);
                detail::window_step_pos(b2h[s], b2l[s], d2, e2);
              }
            }
          };
          for (std::size_t t = 0; t < std::min(steady, nb); ++t)
            general_row(t);
          // Steady rows: one branch-free, vectorised pass over the chunk per bar.
          for (std::size_t t = steady; t < nb; ++t) {
            if (detail::restarts_at(t, every_sma) || detail::restarts_at(t, every_bb)) {
              general_row(t);
              continue;
            }
            const double* __restrict x = close.row(t) + s0;
            const double* __restrict xp = close.row(t - 1) + s0;
            const double* __restrict xs = close.row(t - n_sma) + s0;
            const double* __restrict xb = close.row(t - n_bb) + s0;
            const double* __restrict h = high.row(t) + s0;
            const double* __restrict l = low.row(t) + s0;
            for (std::size_t s = 0; s < m; ++s) {
              double d, e;
              detail::two_sum(x[s], -xs[s], d, e);
              detail::window_step_pos(sm_h[s], sm_l[s], d, e);
              em_v[s] = detail::smooth(em_v[s], a_ema, k_ema, x[s]);
              const double ch = x[s] - xp[s];
              rs_g[s] = detail::smooth(rs_g[s], a_rsi, b_rsi, ch > 0.0 ? ch : 0.0);
              rs_l[s] = detail::smooth(rs_l[s], a_rsi, b_rsi, ch < 0.0 ? -ch : 0.0);
              at_v[s] = detail::smooth(at_v[s], a_atr, b_atr,
                                       detail::true_range(h[s], l[s], xp[s]));
              fv[s] = detail::smooth(fv[s], af, kf, x[s]);
              sv[s] = detail::smooth(sv[s], as, ks, x[s]);
              gv[s] = detail::smooth(gv[s], ag, kg, fv[s] - sv[s]);
              const double old = xb[s];
              double d1, e1, d2, e2;
              detail::square_window_splits(x[s], old, d1, e1, d2, e2);
              detail::window_step_pos(b1h[s], b1l[s], d1, e1);
              detail::window_step_pos(b2h[s], b2l[s], d2, e2);
            }
          }
          // The last bar's values.
          for (std::size_t s = 0; s < m; ++s) {
            const std::size_t i = s0 + s;
            if (nb >= n_sma) out.sma[i] = (sm_h[s] + sm_l[s]) * inv_sma;
            if (nb >= n_ema) out.ema[i] = em_v[s];
            if (nb > n_rsi) out.rsi[i] = detail::rsi_from(rs_g[s], rs_l[s]);
            if (nb >= static_cast<std::size_t>(slow)) out.macd[i] = fv[s] - sv[s];
            if (nb > g0_bar) {
              out.macd_signal[i] = gv[s];
              out.macd_hist[i] = (fv[s] - sv[s]) - gv[s];
            }
            if (nb >= n_bb)
              detail::bollinger_from(nd_bb, inv_bb, k_bb * inv_bb, b1h[s], b1l[s], b2h[s],
                                     b2l[s], out.bb_upper[i], out.bb_middle[i],
                                     out.bb_lower[i]);
            if (nb > n_atr) out.atr[i] = at_v[s];
          }
        }
      });
}

} // namespace sc::ind
