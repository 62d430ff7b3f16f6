// Universe indicators: the per-series step kernels run across symbols. Symbols are taken in
// chunks whose state arrays stay in L1; for each bar the chunk's row is processed by a
// branch-free inner loop that the compiler vectorises (AVX2/AVX-512 lanes = symbols). Each
// lane performs exactly the operations of the per-series batch form, so results are
// identical to it bit for bit.
#include "analytics/indicators/universe.hpp"

#include "analytics/indicators/detail/kernels.hpp"

#include <algorithm>

namespace sc::ind {

using detail::nan;

universe_panel::universe_panel(std::size_t symbols, std::size_t bars)
  : universe_panel(symbols, bars, nan) {
}

universe_panel::universe_panel(std::size_t symbols, std::size_t bars, double fill)
  : n_symbols(symbols), n_bars(bars), data(symbols * bars, fill) {
}

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
  if (symbols == n_symbols && bars == n_bars && data.size() == symbols * bars)
    return;
  n_symbols = symbols;
  n_bars = bars;
  data.assign(symbols * bars, nan);
}

namespace {

/// Symbols per chunk: the chunk's state arrays (up to 9 x 2 KiB) stay in L1.
constexpr std::size_t chunk = 256;

void fill_rows(universe_panel& p, std::size_t t_begin, std::size_t t_end, std::size_t s0,
               std::size_t m) {
  for (std::size_t t = t_begin; t < t_end; ++t)
    std::fill_n(p.row(t) + s0, m, nan);
}

bool same_shape(const universe_panel& a, const universe_panel& b) {
  return a.n_symbols == b.n_symbols && a.n_bars == b.n_bars;
}

} // namespace

// -- SMA ------------------------------------------------------------------------------------

void universe_sma(const universe_panel& x, int period, universe_panel& out) {
  const std::size_t ns = x.n_symbols, nb = x.n_bars;
  out.reshape(ns, nb);
  if (period < 1) {
    std::fill(out.data.begin(), out.data.end(), nan);
    return;
  }
  const std::size_t n = static_cast<std::size_t>(period);
  const double inv_n = 1.0 / period;
  alignas(64) double hi[chunk], lo[chunk];
  for (std::size_t s0 = 0; s0 < ns; s0 += chunk) {
    const std::size_t m = std::min(chunk, ns - s0);
    std::fill_n(hi, m, 0.0);
    std::fill_n(lo, m, 0.0);
    for (std::size_t t = 0; t < nb; ++t) {
      const double* __restrict xr = x.row(t) + s0;
      double* __restrict o = out.row(t) + s0;
      const bool defined = t + 1 >= n;
      if (t < n) {
        for (std::size_t s = 0; s < m; ++s) {
          double d, e;
          detail::two_sum(xr[s], -0.0, d, e);
          detail::window_step_pos(hi[s], lo[s], d, e);
          o[s] = defined ? (hi[s] + lo[s]) * inv_n : nan;
        }
      } else {
        const double* __restrict xo = x.row(t - n) + s0;
        for (std::size_t s = 0; s < m; ++s) {
          double d, e;
          detail::two_sum(xr[s], -xo[s], d, e);
          detail::window_step_pos(hi[s], lo[s], d, e);
          o[s] = (hi[s] + lo[s]) * inv_n;
        }
      }
    }
  }
}

// -- EMA ------------------------------------------------------------------------------------

void universe_ema(const universe_panel& x, int period, universe_panel& out) {
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
  alignas(64) double hi[chunk], lo[chunk], v[chunk];
  for (std::size_t s0 = 0; s0 < ns; s0 += chunk) {
    const std::size_t m = std::min(chunk, ns - s0);
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
      double* __restrict o = out.row(t) + s0;
      for (std::size_t s = 0; s < m; ++s) {
        v[s] = detail::smooth(v[s], one_minus_k, k, xr[s]);
        o[s] = v[s];
      }
    }
  }
}

// -- RSI ------------------------------------------------------------------------------------

void universe_rsi(const universe_panel& close, int period, universe_panel& out) {
  const std::size_t ns = close.n_symbols, nb = close.n_bars;
  out.reshape(ns, nb);
  if (period < 1 || nb <= static_cast<std::size_t>(period)) {
    std::fill(out.data.begin(), out.data.end(), nan);
    return;
  }
  const std::size_t n = static_cast<std::size_t>(period);
  const double a = (period - 1.0) / period, b = 1.0 / period, nd = period;
  alignas(64) double g[chunk], l[chunk];
  for (std::size_t s0 = 0; s0 < ns; s0 += chunk) {
    const std::size_t m = std::min(chunk, ns - s0);
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
      double* __restrict o = out.row(t) + s0;
      for (std::size_t s = 0; s < m; ++s) {
        const double ch = c[s] - cp[s];
        g[s] = detail::smooth(g[s], a, b, ch > 0.0 ? ch : 0.0);
        l[s] = detail::smooth(l[s], a, b, ch < 0.0 ? -ch : 0.0);
        o[s] = detail::rsi_from(g[s], l[s]);
      }
    }
  }
}

// -- MACD -----------------------------------------------------------------------------------

void universe_macd(const universe_panel& close, int fast, int slow, int signal,
                   universe_panel& macd, universe_panel& signal_line, universe_panel& hist) {
  const std::size_t ns = close.n_symbols, nb = close.n_bars;
  macd.reshape(ns, nb);
  signal_line.reshape(ns, nb);
  hist.reshape(ns, nb);
  if (fast > slow)
    std::swap(fast, slow);
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
  alignas(64) double fh[chunk], fl[chunk], sh[chunk], sl[chunk], gh[chunk], gl[chunk];
  alignas(64) double fv[chunk], sv[chunk], gv[chunk];
  for (std::size_t s0 = 0; s0 < ns; s0 += chunk) {
    const std::size_t m = std::min(chunk, ns - s0);
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
      double* __restrict om = macd.row(t) + s0;
      double* __restrict og = signal_line.row(t) + s0;
      double* __restrict oh = hist.row(t) + s0;
      for (std::size_t s = 0; s < m; ++s) {
        fv[s] = detail::smooth(fv[s], af, kf, xr[s]);
        sv[s] = detail::smooth(sv[s], as, ks, xr[s]);
        const double mv = fv[s] - sv[s];
        gv[s] = detail::smooth(gv[s], ag, kg, mv);
        om[s] = mv;
        og[s] = gv[s];
        oh[s] = mv - gv[s];
      }
    }
  }
}

// -- Bollinger ------------------------------------------------------------------------------

void universe_bollinger(const universe_panel& close, int period, double k,
                        universe_panel& upper, universe_panel& middle, universe_panel& lower) {
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
  alignas(64) double h1[chunk], l1[chunk], h2[chunk], l2[chunk];
  alignas(64) double zeros[chunk] = {};
  for (std::size_t s0 = 0; s0 < ns; s0 += chunk) {
    const std::size_t m = std::min(chunk, ns - s0);
    for (double* p : {h1, l1, h2, l2})
      std::fill_n(p, m, 0.0);
    for (std::size_t t = 0; t < nb; ++t) {
      const double* __restrict xr = close.row(t) + s0;
      const double* __restrict xo = t >= n ? close.row(t - n) + s0 : zeros;
      double* __restrict ou = upper.row(t) + s0;
      double* __restrict om = middle.row(t) + s0;
      double* __restrict ol = lower.row(t) + s0;
      for (std::size_t s = 0; s < m; ++s) {
        const double x = xr[s], old = xo[s];
        double d1, e1, d2, e2, p, q, po, qo;
        detail::two_sum(x, -old, d1, e1);
        detail::two_prod(x, x, p, q);
        detail::two_prod(old, old, po, qo);
        detail::two_sum(p, -po, d2, e2);
        e2 = e2 + (q - qo);
        detail::window_step_pos(h1[s], l1[s], d1, e1);
        detail::window_step_pos(h2[s], l2[s], d2, e2);
      }
      if (t + 1 < n) {
        std::fill_n(ou, m, nan);
        std::fill_n(om, m, nan);
        std::fill_n(ol, m, nan);
        continue;
      }
      for (std::size_t s = 0; s < m; ++s)
        detail::bollinger_from(nd, inv_n, k, h1[s], l1[s], h2[s], l2[s], ou[s], om[s], ol[s]);
    }
  }
}

// -- ATR ------------------------------------------------------------------------------------

void universe_atr(const universe_panel& high, const universe_panel& low,
                  const universe_panel& close, int period, universe_panel& out) {
  const std::size_t ns = close.n_symbols, nb = close.n_bars;
  out.reshape(ns, nb);
  if (period < 1 || !same_shape(high, close) || !same_shape(low, close) ||
      nb <= static_cast<std::size_t>(period)) {
    std::fill(out.data.begin(), out.data.end(), nan);
    return;
  }
  const std::size_t n = static_cast<std::size_t>(period);
  const double a = (period - 1.0) / period, b = 1.0 / period, nd = period;
  alignas(64) double sum[chunk], v[chunk];
  for (std::size_t s0 = 0; s0 < ns; s0 += chunk) {
    const std::size_t m = std::min(chunk, ns - s0);
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
      double* __restrict o = out.row(t) + s0;
      for (std::size_t s = 0; s < m; ++s) {
        v[s] = detail::smooth(v[s], a, b, detail::true_range(h[s], l[s], cp[s]));
        o[s] = v[s];
      }
    }
  }
}

} // namespace sc::ind
