// Indicators against independent references written directly from their published
// definitions (long double, plain loops, each window recomputed from scratch), on random
// walks of 10,000 bars; batch against incremental and universe forms bit for bit.
#include "analytics/indicators/incremental.hpp"
#include "analytics/indicators/indicators.hpp"
#include "analytics/indicators/universe.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <random>
#include <vector>

namespace {

using sc::ind::series;
using ld = long double;
using lseries = std::vector<ld>;
const ld lnan = std::numeric_limits<ld>::quiet_NaN();
const double dnan = std::numeric_limits<double>::quiet_NaN();

struct bars {
  series open, high, low, close, volume, index;
};

/// A geometric random walk with consistent OHLC bars, integer volumes and a correlated
/// index.
bars random_walk(unsigned seed, std::size_t n, double start = 50.0, double vol = 0.02) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z(0.0, 1.0);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  bars b;
  double c = start, idx = 1000.0;
  for (std::size_t t = 0; t < n; ++t) {
    const double m = z(rng);
    const double o = c * std::exp(0.3 * vol * z(rng));
    c = o * std::exp(vol * (0.6 * m + 0.8 * z(rng)));
    idx *= std::exp(0.01 * m);
    b.open.push_back(o);
    b.close.push_back(c);
    b.high.push_back(std::max(o, c) * (1.0 + 0.01 * u(rng)));
    b.low.push_back(std::min(o, c) * (1.0 - 0.01 * u(rng)));
    b.volume.push_back(std::floor(1e5 * (0.2 + u(rng))));
    b.index.push_back(idx);
  }
  return b;
}

// -- references from the definitions
// ------------------------------------------------------

lseries ref_sma(const series& x, int n) {
  lseries out(x.size(), lnan);
  for (std::size_t t = n - 1; t < x.size(); ++t) {
    ld s = 0;
    for (std::size_t j = t + 1 - n; j <= t; ++j)
      s += x[j];
    out[t] = s / n;
  }
  return out;
}

/// EMA of x[from..], seeded with the mean of x[seed_from .. seed_from+n-1] placed at
/// index seed_from+n-1, then e = e + k (x - e).
lseries ref_ema_from(const lseries& x, int n, std::size_t seed_from) {
  lseries out(x.size(), lnan);
  const std::size_t first = seed_from + n - 1;
  if (first >= x.size()) return out;
  ld e = 0;
  for (std::size_t j = seed_from; j <= first; ++j)
    e += x[j];
  e /= n;
  out[first] = e;
  const ld k = 2.0L / (n + 1);
  for (std::size_t t = first + 1; t < x.size(); ++t) {
    e = e + k * (x[t] - e);
    out[t] = e;
  }
  return out;
}

lseries widen(const series& x) {
  return lseries(x.begin(), x.end());
}

lseries ref_rsi(const series& c, int n) {
  lseries out(c.size(), lnan);
  ld g = 0, l = 0;
  for (std::size_t t = 1; t < c.size(); ++t) {
    const ld ch = (ld)c[t] - c[t - 1];
    const ld up = ch > 0 ? ch : 0, dn = ch < 0 ? -ch : 0;
    if (t <= (std::size_t)n) {
      g += up;
      l += dn;
      if (t < (std::size_t)n) continue;
      g /= n;
      l /= n;
    } else {
      g = (g * (n - 1) + up) / n;
      l = (l * (n - 1) + dn) / n;
    }
    out[t] = l == 0 ? (g == 0 ? 50.0L : 100.0L) : 100.0L - 100.0L / (1.0L + g / l);
  }
  return out;
}

struct ref_macd_t {
  lseries macd, signal, hist;
};
ref_macd_t ref_macd(const series& c, int f, int s, int g) {
  const lseries x = widen(c);
  const lseries fast = ref_ema_from(x, f, s - f); // fast seeded on the slow window's tail
  const lseries slow = ref_ema_from(x, s, 0);
  ref_macd_t r{lseries(c.size(), lnan), lseries(c.size(), lnan), lseries(c.size(), lnan)};
  for (std::size_t t = s - 1; t < c.size(); ++t)
    r.macd[t] = fast[t] - slow[t];
  r.signal = ref_ema_from(r.macd, g, s - 1);
  for (std::size_t t = 0; t < c.size(); ++t)
    r.hist[t] = r.macd[t] - r.signal[t];
  return r;
}

struct ref_bb_t {
  lseries upper, middle, lower;
};
ref_bb_t ref_bollinger(const series& x, int n, ld k) {
  ref_bb_t r{lseries(x.size(), lnan), lseries(x.size(), lnan), lseries(x.size(), lnan)};
  for (std::size_t t = n - 1; t < x.size(); ++t) {
    ld m = 0;
    for (std::size_t j = t + 1 - n; j <= t; ++j)
      m += x[j];
    m /= n;
    ld v = 0;
    for (std::size_t j = t + 1 - n; j <= t; ++j)
      v += (x[j] - m) * (x[j] - m);
    const ld sd = std::sqrt(v / n);
    r.middle[t] = m;
    r.upper[t] = m + k * sd;
    r.lower[t] = m - k * sd;
  }
  return r;
}

ld ref_tr(const bars& b, std::size_t t) {
  const ld h = b.high[t], l = b.low[t], pc = b.close[t - 1];
  return std::max({h - l, std::fabs(h - pc), std::fabs(l - pc)});
}

lseries ref_atr(const bars& b, int n) {
  lseries out(b.close.size(), lnan);
  ld a = 0;
  for (std::size_t t = 1; t < b.close.size(); ++t) {
    if (t <= (std::size_t)n) {
      a += ref_tr(b, t);
      if (t == (std::size_t)n) out[t] = a /= n;
      continue;
    }
    a = (a * (n - 1) + ref_tr(b, t)) / n;
    out[t] = a;
  }
  return out;
}

lseries ref_adx(const bars& b, int n) {
  const std::size_t size = b.close.size();
  lseries out(size, lnan);
  ld sp = 0, sm = 0, st = 0, sum_dx = 0, adx = 0;
  for (std::size_t t = 1; t < size; ++t) {
    const ld up = (ld)b.high[t] - b.high[t - 1];
    const ld down = (ld)b.low[t - 1] - b.low[t];
    const ld pdm = (up > down && up > 0) ? up : 0;
    const ld mdm = (down > up && down > 0) ? down : 0;
    const ld tr = ref_tr(b, t);
    if (t < (std::size_t)n) {
      sp += pdm;
      sm += mdm;
      st += tr;
      continue;
    }
    sp = sp - sp / n + pdm;
    sm = sm - sm / n + mdm;
    st = st - st / n + tr;
    const ld pdi = 100 * sp / st, mdi = 100 * sm / st;
    const ld dx = 100 * std::fabs(pdi - mdi) / (pdi + mdi);
    if (t < 2 * (std::size_t)n) {
      sum_dx += dx;
      if (t == 2 * (std::size_t)n - 1) out[t] = adx = sum_dx / n;
      continue;
    }
    adx = (adx * (n - 1) + dx) / n;
    out[t] = adx;
  }
  return out;
}

struct ref_stoch_t {
  lseries k, d;
};
ref_stoch_t ref_stoch(const bars& b, int kp, int ks, int dp) {
  const std::size_t size = b.close.size();
  lseries fast(size, lnan);
  for (std::size_t t = kp - 1; t < size; ++t) {
    ld hh = b.high[t], ll = b.low[t];
    for (std::size_t j = t + 1 - kp; j <= t; ++j) {
      hh = std::max<ld>(hh, b.high[j]);
      ll = std::min<ld>(ll, b.low[j]);
    }
    fast[t] = 100 * (b.close[t] - ll) / (hh - ll);
  }
  auto sma_l = [&](const lseries& x, std::size_t first, int n) {
    lseries o(size, lnan);
    for (std::size_t t = first + n - 1; t < size; ++t) {
      ld s = 0;
      for (std::size_t j = t + 1 - n; j <= t; ++j)
        s += x[j];
      o[t] = s / n;
    }
    return o;
  };
  ref_stoch_t r;
  r.k = sma_l(fast, kp - 1, ks);
  r.d = sma_l(r.k, kp + ks - 2, dp);
  return r;
}

lseries log_returns(const series& c) {
  lseries r(c.size(), lnan);
  for (std::size_t t = 1; t < c.size(); ++t)
    r[t] = std::log((ld)c[t] / (ld)c[t - 1]);
  return r;
}

lseries ref_hist_vol(const series& c, int n) {
  const lseries r = log_returns(c);
  lseries out(c.size(), lnan);
  for (std::size_t t = n; t < c.size(); ++t) {
    ld m = 0, v = 0;
    for (std::size_t j = t + 1 - n; j <= t; ++j)
      m += r[j];
    m /= n;
    for (std::size_t j = t + 1 - n; j <= t; ++j)
      v += (r[j] - m) * (r[j] - m);
    out[t] = std::sqrt(v / (n - 1)) * std::sqrt(252.0L);
  }
  return out;
}

lseries ref_beta(const series& c, const series& idx, int n) {
  const lseries x = log_returns(c), y = log_returns(idx);
  lseries out(c.size(), lnan);
  for (std::size_t t = n; t < c.size(); ++t) {
    ld mx = 0, my = 0;
    for (std::size_t j = t + 1 - n; j <= t; ++j) {
      mx += x[j];
      my += y[j];
    }
    mx /= n;
    my /= n;
    ld cov = 0, var = 0;
    for (std::size_t j = t + 1 - n; j <= t; ++j) {
      cov += (x[j] - mx) * (y[j] - my);
      var += (y[j] - my) * (y[j] - my);
    }
    out[t] = cov / var;
  }
  return out;
}

// -- comparison helpers
// -------------------------------------------------------------------

/// Worst error seen per check (source line), printed at exit when SC_IND_REPORT is set,
/// for the figures quoted in reports.
struct worst_report {
  std::map<int, double> worst;
  ~worst_report() {
    if (std::getenv("SC_IND_REPORT"))
      for (auto [line, w] : worst)
        std::printf("line %d: max relative error %.3g\n", line, w);
  }
} g_report;

/// Checks NaN positions and returns the largest |got - ref| / max(|ref|, floor).
double max_rel_error(const series& got, const lseries& ref, ld floor = 0) {
  REQUIRE(got.size() == ref.size());
  double worst = 0;
  for (std::size_t t = 0; t < got.size(); ++t) {
    INFO("index " << t);
    REQUIRE(std::isnan(got[t]) == std::isnan(ref[t]));
    if (std::isnan(got[t])) continue;
    const ld den = std::max(std::fabs(ref[t]), floor);
    const double e = den == 0 ? (double)std::fabs(got[t] - ref[t])
                              : (double)(std::fabs(got[t] - ref[t]) / den);
    worst = std::max(worst, e);
  }
  return worst;
}

double max_rel_error_at(int line, const series& got, const lseries& ref, ld floor = 0) {
  const double w = max_rel_error(got, ref, floor);
  double& slot = g_report.worst[line];
  slot = std::max(slot, w);
  return w;
}
#define MAX_REL(...) max_rel_error_at(__LINE__, __VA_ARGS__)

std::size_t first_defined(const series& x) {
  std::size_t t = 0;
  while (t < x.size() && std::isnan(x[t]))
    ++t;
  return t;
}

bool bit_identical(const series& a, const series& b) {
  if (a.size() != b.size()) return false;
  return std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0;
}

constexpr std::size_t N = 10000;
constexpr double tol = 1e-9;
const unsigned seeds[] = {1u, 7u, 2024u};

} // namespace

// -- against the definitions
// ----------------------------------------------------------------

TEST_CASE("sma and ema match their definitions on 10,000-bar random walks",
          "[indicators]") {
  for (unsigned seed : seeds) {
    const bars b = random_walk(seed, N);
    for (int n : {1, 2, 20, 50, 200}) {
      INFO("seed " << seed << " period " << n);
      const series s = sc::ind::sma(b.close, n);
      CHECK(first_defined(s) == std::size_t(n - 1));
      CHECK(MAX_REL(s, ref_sma(b.close, n)) < tol);
      const series e = sc::ind::ema(b.close, n);
      CHECK(first_defined(e) == std::size_t(n - 1));
      CHECK(MAX_REL(e, ref_ema_from(widen(b.close), n, 0)) < tol);
    }
  }
}

TEST_CASE("sma does not drift when the level collapses by six orders of magnitude",
          "[indicators]") {
  // A plain running sum would carry the absolute rounding error of the 5e6-level sums
  // into the windows of the 50-level tail; the compensated sum keeps full precision.
  bars b = random_walk(5, N);
  for (std::size_t t = 0; t < N / 2; ++t)
    b.close[t] *= 1e5;
  const series s = sc::ind::sma(b.close, 20);
  CHECK(MAX_REL(s, ref_sma(b.close, 20)) < 1e-14);
  const auto bb = sc::ind::bollinger(b.close, 20, 2.0);
  const auto rb = ref_bollinger(b.close, 20, 2.0L);
  CHECK(MAX_REL(bb.upper, rb.upper) < 1e-13);
  CHECK(MAX_REL(bb.lower, rb.lower) < 1e-13);
}

TEST_CASE("ema hand-worked example", "[indicators]") {
  const series x{1, 2, 3, 4, 5};
  const series e = sc::ind::ema(x, 3); // seed mean(1,2,3) = 2, k = 1/2
  CHECK(std::isnan(e[0]));
  CHECK(std::isnan(e[1]));
  CHECK(e[2] == 2.0);
  CHECK(e[3] == 3.0);
  CHECK(e[4] == 4.0);
  const series s = sc::ind::sma(x, 3);
  CHECK(s[2] == 2.0);
  CHECK(s[4] == 4.0);
}

TEST_CASE("rsi matches Wilder's definition, first value at index n", "[indicators]") {
  for (unsigned seed : seeds) {
    const bars b = random_walk(seed, N);
    for (int n : {2, 14, 30}) {
      INFO("seed " << seed << " period " << n);
      const series r = sc::ind::rsi(b.close, n);
      CHECK(first_defined(r) == std::size_t(n));
      CHECK(MAX_REL(r, ref_rsi(b.close, n)) < tol);
    }
  }
  // Only gains: RSI 100; flat: the neutral 50.
  CHECK(sc::ind::rsi({1, 2, 3, 4}, 2)[3] == 100.0);
  CHECK(sc::ind::rsi({5, 5, 5, 5}, 2)[3] == 50.0);
}

TEST_CASE("macd aligns both EMAs on the slow lookback, signal from slow+signal-2",
          "[indicators]") {
  for (unsigned seed : seeds) {
    const bars b = random_walk(seed, N);
    const auto m = sc::ind::macd(b.close, 12, 26, 9);
    const auto r = ref_macd(b.close, 12, 26, 9);
    CHECK(first_defined(m.macd) == 25u);
    CHECK(first_defined(m.signal) == 33u);
    CHECK(first_defined(m.hist) == 33u);
    // MACD, signal and histogram oscillate around 0: relative to max(|ref|, 1e-6 x
    // price).
    const ld floor = 1e-6L * 50;
    CHECK(MAX_REL(m.macd, r.macd, floor) < tol);
    CHECK(MAX_REL(m.signal, r.signal, floor) < tol);
    CHECK(MAX_REL(m.hist, r.hist, floor) < tol);
  }
  // fast > slow is swapped.
  const bars b = random_walk(3, 300);
  CHECK(bit_identical(sc::ind::macd(b.close, 26, 12, 9).macd,
                      sc::ind::macd(b.close, 12, 26, 9).macd));
}

TEST_CASE("bollinger matches mean +- k population sd and its middle equals sma",
          "[indicators]") {
  for (unsigned seed : seeds) {
    const bars b = random_walk(seed, N);
    for (int n : {2, 20, 50}) {
      INFO("seed " << seed << " period " << n);
      const auto bb = sc::ind::bollinger(b.close, n, 2.0);
      const auto r = ref_bollinger(b.close, n, 2.0L);
      CHECK(first_defined(bb.upper) == std::size_t(n - 1));
      CHECK(MAX_REL(bb.upper, r.upper) < tol);
      CHECK(MAX_REL(bb.middle, r.middle) < tol);
      CHECK(MAX_REL(bb.lower, r.lower) < tol);
      // The band width itself (no dilution by the mean) is also accurate.
      series width(N, dnan);
      lseries rwidth(N, lnan);
      for (std::size_t t = n - 1; t < N; ++t) {
        width[t] = bb.upper[t] - bb.middle[t];
        rwidth[t] = r.upper[t] - r.middle[t];
      }
      CHECK(MAX_REL(width, rwidth, 1e-12L) < 1e-9);
      const series s = sc::ind::sma(b.close, n);
      for (std::size_t t = 0; t < N; ++t)
        if (!std::isnan(s[t])) REQUIRE(bb.middle[t] == s[t]);
    }
  }
}

TEST_CASE("bollinger width stays exact when the first window fills across a power of two",
          "[indicators]") {
  // While a window fills, a new value can lie in a higher binade than the partial sum
  // (32 - a hair, then 32 + a hair), where a fast error-free sum is no longer exact; its
  // error (~1e-14) would stay in the window sums for good and, in a nearly flat series
  // whose variance is ~1e-13, swamp the band width. Each form must build the first
  // window with the full error-free sum.
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  const std::size_t nb = 400;
  for (double level : {32.0, 1024.0, 0.5}) {
    for (double hair : {3e-7, 1.1e-7, 7.3e-8}) {
      series x(nb);
      x[0] = level * (1 - hair);
      x[1] = level * (1 + hair);
      for (std::size_t t = 2; t < nb; ++t)
        x[t] = level * (1 + hair * u(rng));
      for (int n : {2, 3, 20}) {
        INFO("level " << level << " hair " << hair << " period " << n);
        const auto bb = sc::ind::bollinger(x, n, 2.0);
        const auto r = ref_bollinger(x, n, 2.0L);
        // Within 1e-9 of the reference width, plus the rounding of the two outputs it is
        // read from (an ulp of the level: 7e-15 at 32, against widths down to ~1e-8).
        ld worst = 0;
        for (std::size_t t = n - 1; t < nb; ++t) {
          const ld width = ld(bb.upper[t]) - ld(bb.middle[t]);
          const ld rwidth = r.upper[t] - r.middle[t];
          const ld ulp = std::nextafter(bb.upper[t], HUGE_VAL) - bb.upper[t];
          worst = std::max(worst, std::fabs(width - rwidth) / (1e-9L * rwidth + ulp));
        }
        CHECK(worst <= 1.0L);
        // The incremental and universe forms take the same path.
        sc::ind::bollinger_state st(n, 2.0);
        sc::ind::universe_panel c(1, nb), o1, o2, o3;
        c.set_series(0, x);
        sc::ind::universe_bollinger(c, n, 2.0, o1, o2, o3);
        for (std::size_t t = 0; t < nb; ++t) {
          const auto v = st.update(x[t]);
          REQUIRE(
              bit_identical(series{v.upper, v.lower}, series{bb.upper[t], bb.lower[t]}));
        }
        REQUIRE(bit_identical(o1.series_of(0), bb.upper));
        REQUIRE(bit_identical(o3.series_of(0), bb.lower));
        // The SMA's window sum is the Bollinger middle band's.
        REQUIRE(bit_identical(sc::ind::sma(x, n), bb.middle));
      }
    }
  }
}

TEST_CASE("atr and adx match Wilder's definitions with the standard seeding",
          "[indicators]") {
  for (unsigned seed : seeds) {
    const bars b = random_walk(seed, N);
    for (int n : {2, 14}) {
      INFO("seed " << seed << " period " << n);
      const series a = sc::ind::atr(b.high, b.low, b.close, n);
      CHECK(first_defined(a) == std::size_t(n));
      CHECK(MAX_REL(a, ref_atr(b, n)) < tol);
      const series x = sc::ind::adx(b.high, b.low, b.close, n);
      CHECK(first_defined(x) == std::size_t(2 * n - 1));
      CHECK(MAX_REL(x, ref_adx(b, n)) < tol);
    }
  }
}

TEST_CASE("obv and stochastic match their definitions", "[indicators]") {
  for (unsigned seed : seeds) {
    const bars b = random_walk(seed, N);
    const series o = sc::ind::obv(b.close, b.volume);
    lseries ro(N);
    ro[0] = b.volume[0];
    for (std::size_t t = 1; t < N; ++t)
      ro[t] = ro[t - 1] + (b.close[t] > b.close[t - 1]   ? b.volume[t]
                           : b.close[t] < b.close[t - 1] ? -b.volume[t]
                                                         : 0.0);
    CHECK(MAX_REL(o, ro, 1.0L) == 0.0); // integer volumes: exact
    const auto st = sc::ind::stoch(b.high, b.low, b.close, 14, 3, 3);
    const auto rs = ref_stoch(b, 14, 3, 3);
    CHECK(first_defined(st.k) == 15u);
    CHECK(first_defined(st.d) == 17u);
    CHECK(MAX_REL(st.k, rs.k, 1e-6L) < tol);
    CHECK(MAX_REL(st.d, rs.d, 1e-6L) < tol);
  }
}

TEST_CASE("relative volume, distance from the 52-week high and low", "[indicators]") {
  const bars b = random_walk(11, N);
  const series rv = sc::ind::relative_volume(b.volume, 20);
  lseries rrv(N, lnan);
  for (std::size_t t = 20; t < N; ++t) {
    ld s = 0;
    for (std::size_t j = t - 20; j < t; ++j)
      s += b.volume[j];
    rrv[t] = b.volume[t] / (s / 20);
  }
  CHECK(MAX_REL(rv, rrv) < tol);
  const series dh = sc::ind::dist_from_high(b.high, b.close, 252);
  const series dl = sc::ind::dist_from_low(b.low, b.close, 252);
  lseries rdh(N, lnan), rdl(N, lnan);
  for (std::size_t t = 251; t < N; ++t) {
    ld hh = b.high[t], ll = b.low[t];
    for (std::size_t j = t - 251; j <= t; ++j) {
      hh = std::max<ld>(hh, b.high[j]);
      ll = std::min<ld>(ll, b.low[j]);
    }
    rdh[t] = (ld)b.close[t] / hh - 1;
    rdl[t] = (ld)b.close[t] / ll - 1;
  }
  // Distances are 0 when the close is the extreme: relative to max(|ref|, 1e-6).
  CHECK(MAX_REL(dh, rdh, 1e-6L) < tol);
  CHECK(MAX_REL(dl, rdl, 1e-6L) < tol);
  for (std::size_t t = 251; t < N; ++t) {
    REQUIRE(dh[t] <= 0.0);
    REQUIRE(dl[t] >= 0.0);
  }
}

TEST_CASE("historical volatility and beta match sample statistics of log returns",
          "[indicators]") {
  for (unsigned seed : seeds) {
    const bars b = random_walk(seed, N);
    for (int n : {20, 60}) {
      INFO("seed " << seed << " period " << n);
      const series hv = sc::ind::hist_vol(b.close, n);
      CHECK(first_defined(hv) == std::size_t(n));
      CHECK(MAX_REL(hv, ref_hist_vol(b.close, n)) < tol);
      const series be = sc::ind::beta(b.close, b.index, n);
      CHECK(first_defined(be) == std::size_t(n));
      CHECK(MAX_REL(be, ref_beta(b.close, b.index, n), 1e-3L) < tol);
    }
  }
  // A stock that is exactly twice the index's log return has beta 2.
  series idx{100}, stock{10};
  for (int t = 1; t < 100; ++t) {
    const double r = 0.01 * std::sin(t * 1.7);
    idx.push_back(idx.back() * std::exp(r));
    stock.push_back(stock.back() * std::exp(2 * r));
  }
  CHECK(sc::ind::beta(stock, idx, 60)[99] == Approx(2.0).epsilon(1e-12));
}

TEST_CASE("invalid periods and short or mismatched inputs give NaN", "[indicators]") {
  const bars b = random_walk(2, 30);
  for (double v : sc::ind::sma(b.close, 0))
    CHECK(std::isnan(v));
  for (double v : sc::ind::ema(b.close, 40))
    CHECK(std::isnan(v));
  for (double v : sc::ind::atr(b.high, series(3, 1.0), b.close, 14))
    CHECK(std::isnan(v));
  for (double v : sc::ind::hist_vol(b.close, 1))
    CHECK(std::isnan(v));
  CHECK(sc::ind::sma({}, 5).empty());
}

// -- forms agree bit for bit
// ----------------------------------------------------------------

TEST_CASE("incremental states reproduce the batch form bit for bit", "[indicators]") {
  const bars b = random_walk(42, N);
  const std::size_t n = N;
  auto run = [&](auto&& st, auto&& f) {
    series out(n);
    for (std::size_t t = 0; t < n; ++t)
      out[t] = f(st, t);
    return out;
  };
  for (int p : {1, 5, 20, 200}) {
    INFO("period " << p);
    CHECK(bit_identical(sc::ind::sma(b.close, p),
                        run(sc::ind::sma_state(p), [&](auto& s, std::size_t t) {
                          return s.update(b.close[t]);
                        })));
    CHECK(bit_identical(sc::ind::ema(b.close, p),
                        run(sc::ind::ema_state(p), [&](auto& s, std::size_t t) {
                          return s.update(b.close[t]);
                        })));
    CHECK(bit_identical(sc::ind::rsi(b.close, p),
                        run(sc::ind::rsi_state(p), [&](auto& s, std::size_t t) {
                          return s.update(b.close[t]);
                        })));
    CHECK(bit_identical(sc::ind::atr(b.high, b.low, b.close, p),
                        run(sc::ind::atr_state(p), [&](auto& s, std::size_t t) {
                          return s.update(b.high[t], b.low[t], b.close[t]);
                        })));
    const auto bb = sc::ind::bollinger(b.close, p, 2.0);
    sc::ind::bollinger_state bs(p, 2.0);
    series u(n), m(n), l(n);
    for (std::size_t t = 0; t < n; ++t) {
      const auto v = bs.update(b.close[t]);
      u[t] = v.upper;
      m[t] = v.middle;
      l[t] = v.lower;
    }
    CHECK(bit_identical(bb.upper, u));
    CHECK(bit_identical(bb.middle, m));
    CHECK(bit_identical(bb.lower, l));
  }
  for (auto [f, s, g] :
       {std::tuple{12, 26, 9}, std::tuple{3, 3, 1}, std::tuple{5, 35, 5}}) {
    const auto mb = sc::ind::macd(b.close, f, s, g);
    sc::ind::macd_state ms(f, s, g);
    series m(n), sg(n), h(n);
    for (std::size_t t = 0; t < n; ++t) {
      const auto v = ms.update(b.close[t]);
      m[t] = v.macd;
      sg[t] = v.signal;
      h[t] = v.hist;
    }
    CHECK(bit_identical(mb.macd, m));
    CHECK(bit_identical(mb.signal, sg));
    CHECK(bit_identical(mb.hist, h));
  }
  // The _into forms give the same numbers into reused (dirty, differently sized) outputs.
  series dirty(7, 123.0);
  sc::ind::sma_into(b.close, 20, dirty);
  CHECK(bit_identical(dirty, sc::ind::sma(b.close, 20)));
  sc::ind::ema_into(b.close, 20, dirty);
  CHECK(bit_identical(dirty, sc::ind::ema(b.close, 20)));
  sc::ind::rsi_into(b.close, 14, dirty);
  CHECK(bit_identical(dirty, sc::ind::rsi(b.close, 14)));
  sc::ind::atr_into(b.high, b.low, b.close, 14, dirty);
  CHECK(bit_identical(dirty, sc::ind::atr(b.high, b.low, b.close, 14)));
  sc::ind::macd_result mr{series(9, 1.0), series(N + 5, 2.0), series(3, 3.0)};
  sc::ind::macd_into(b.close, 12, 26, 9, mr);
  CHECK(bit_identical(mr.signal, sc::ind::macd(b.close, 12, 26, 9).signal));
  CHECK(bit_identical(mr.hist, sc::ind::macd(b.close, 12, 26, 9).hist));
  sc::ind::bollinger_result br{series(N, 1.0), series(N, 2.0), series(N, 3.0)};
  sc::ind::bollinger_into(b.close, 20, 2.0, br);
  CHECK(bit_identical(br.lower, sc::ind::bollinger(b.close, 20, 2.0).lower));
  // The remaining batch functions drive their state; check the state's own warm-up too.
  sc::ind::adx_state as(14);
  const series ab = sc::ind::adx(b.high, b.low, b.close, 14);
  for (std::size_t t = 0; t < 100; ++t) {
    const double v = as.update(b.high[t], b.low[t], b.close[t]);
    REQUIRE(std::memcmp(&v, &ab[t], sizeof v) == 0);
  }
}

TEST_CASE(
    "bollinger batch equals incremental on jumps, zeros, signs and non-finite values",
    "[indicators]") {
  // The batch form takes a shortcut where both window differences are exact; these
  // series also exercise the general path (and its edges) on every lane position.
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const double inf = std::numeric_limits<double>::infinity();
  for (int kind = 0; kind < 6; ++kind) {
    bars b = random_walk(300 + kind, 3001);
    series& x = b.close;
    for (std::size_t t = 0; t < x.size(); ++t) {
      const double r = u(rng);
      if (kind == 0 && t >= 1500) x[t] *= 1e5; // a level jump
      if (kind == 1 && r < 0.05) x[t] = 0.0;
      if (kind == 2 && r < 0.3) x[t] = -x[t];
      if (kind == 3 && r < 0.01) x[t] = r < 0.003 ? dnan : (r < 0.006 ? inf : -inf);
      if (kind == 4) x[t] *= r < 0.5 ? 1e-160 : 1e150;   // squares underflow or overflow
      if (kind == 5) x[t] *= std::exp(10.0 * (r - 0.5)); // ratios far beyond 2
    }
    for (int p : {1, 2, 7, 8, 9, 20, 64}) {
      INFO("kind " << kind << " period " << p);
      const auto bb = sc::ind::bollinger(x, p, 2.0);
      sc::ind::bollinger_state st(p, 2.0);
      series up(x.size()), mid(x.size()), lo(x.size());
      for (std::size_t t = 0; t < x.size(); ++t) {
        const auto v = st.update(x[t]);
        up[t] = v.upper;
        mid[t] = v.middle;
        lo[t] = v.lower;
      }
      // Bit for bit, except that a NaN may come out with another sign or payload (the
      // forms add the same operands in either order, which only NaNs can tell apart).
      auto same = [](const series& a, const series& c) {
        for (std::size_t t = 0; t < a.size(); ++t)
          if (std::memcmp(&a[t], &c[t], sizeof(double)) != 0 &&
              !(std::isnan(a[t]) && std::isnan(c[t])))
            return false;
        return a.size() == c.size();
      };
      CHECK(same(bb.upper, up));
      CHECK(same(bb.middle, mid));
      CHECK(same(bb.lower, lo));
      CHECK(same(bb.middle, sc::ind::sma(x, p)));
      if (kind != 3) {
        CHECK(bit_identical(bb.upper, up));
        CHECK(bit_identical(bb.middle, mid));
        CHECK(bit_identical(bb.lower, lo));
        CHECK(bit_identical(bb.middle, sc::ind::sma(x, p)));
      }
    }
  }
}

/// universe_bollinger on panel c equals the per-series batch of every symbol bit for bit.
void require_universe_bollinger_matches(const sc::ind::universe_panel& c,
                                        const std::vector<bars>& all, int p) {
  sc::ind::universe_panel u, m, l;
  sc::ind::universe_bollinger(c, p, 2.0, u, m, l);
  for (std::size_t s = 0; s < all.size(); ++s) {
    const auto bb = sc::ind::bollinger(all[s].close, p, 2.0);
    REQUIRE(bit_identical(u.series_of(s), bb.upper));
    REQUIRE(bit_identical(m.series_of(s), bb.middle));
    REQUIRE(bit_identical(l.series_of(s), bb.lower));
  }
}

TEST_CASE("universe functions reproduce the per-series batch bit for bit",
          "[indicators]") {
  // 300 symbols crosses a chunk boundary (256) and leaves a ragged SIMD tail.
  const std::size_t ns = 300, nb = 400;
  sc::ind::universe_panel h(ns, nb), l(ns, nb), c(ns, nb);
  std::vector<bars> all;
  for (std::size_t s = 0; s < ns; ++s) {
    all.push_back(random_walk(1000 + s, nb, 5.0 + s));
    h.set_series(s, all[s].high);
    l.set_series(s, all[s].low);
    c.set_series(s, all[s].close);
  }
  sc::ind::universe_panel o1, o2, o3;
  for (int p : {1, 14, 20, 50}) {
    INFO("period " << p);
    sc::ind::universe_sma(c, p, o1);
    sc::ind::universe_ema(c, p, o2);
    sc::ind::universe_rsi(c, p, o3);
    for (std::size_t s = 0; s < ns; ++s) {
      REQUIRE(bit_identical(o1.series_of(s), sc::ind::sma(all[s].close, p)));
      REQUIRE(bit_identical(o2.series_of(s), sc::ind::ema(all[s].close, p)));
      REQUIRE(bit_identical(o3.series_of(s), sc::ind::rsi(all[s].close, p)));
    }
    sc::ind::universe_atr(h, l, c, p, o1);
    for (std::size_t s = 0; s < ns; ++s)
      REQUIRE(bit_identical(o1.series_of(s),
                            sc::ind::atr(all[s].high, all[s].low, all[s].close, p)));
    require_universe_bollinger_matches(c, all, p);
  }
  sc::ind::universe_macd(c, 12, 26, 9, o1, o2, o3);
  for (std::size_t s = 0; s < ns; ++s) {
    const auto m = sc::ind::macd(all[s].close, 12, 26, 9);
    REQUIRE(bit_identical(o1.series_of(s), m.macd));
    REQUIRE(bit_identical(o2.series_of(s), m.signal));
    REQUIRE(bit_identical(o3.series_of(s), m.hist));
  }
}

TEST_CASE(
    "bollinger width stays within 1e-9 on a walk that falls by ten orders of magnitude",
    "[indicators]") {
  // 12% daily moves over 10,000 bars: these seeds wander over 10 to 11 orders of
  // magnitude (three of them falling to ~1e-9).
  // Without the periodic rebuild of the window sums, the rounding residue of the
  // largest sums (eps^2 of x^2 at the top) stayed in the sums and swamped the variance
  // of a window 10 orders lower.
  int wide = 0;
  for (unsigned seed : {8u, 10u, 12u, 15u}) {
    const bars b = random_walk(seed, N, 20.0, 0.12);
    const auto [lo, hi] = std::minmax_element(b.close.begin(), b.close.end());
    INFO("seed " << seed << " range " << *lo << " .. " << *hi);
    if (*hi / *lo > 1e10) ++wide;
    const auto bb = sc::ind::bollinger(b.close, 20, 2.0);
    const auto r = ref_bollinger(b.close, 20, 2.0L);
    series width(N, dnan);
    lseries rwidth(N, lnan);
    for (std::size_t t = 19; t < N; ++t) {
      width[t] = bb.upper[t] - bb.middle[t];
      rwidth[t] = r.upper[t] - r.middle[t];
    }
    CHECK(MAX_REL(width, rwidth, 1e-30L) < 1e-9);
    CHECK(MAX_REL(bb.upper, r.upper) < tol);
    CHECK(MAX_REL(bb.lower, r.lower) < tol);
  }
  CHECK(wide == 4); // the case is really exercised
}

TEST_CASE("universe sma and bollinger restart their sums at the same bars as the series",
          "[indicators]") {
  // 4,300 bars cross the restarts at 2,048 and 4,096 (period 20, 50) and 3,200 (200).
  const std::size_t ns = 37, nb = 4300;
  sc::ind::universe_panel c(ns, nb);
  std::vector<bars> all;
  for (std::size_t s = 0; s < ns; ++s) {
    all.push_back(random_walk(300 + s, nb, 4.0 + s, 0.03));
    c.set_series(s, all[s].close);
  }
  sc::ind::universe_panel o1;
  for (int p : {20, 50, 200}) {
    INFO("period " << p);
    sc::ind::universe_sma(c, p, o1);
    for (std::size_t s = 0; s < ns; ++s)
      REQUIRE(bit_identical(o1.series_of(s), sc::ind::sma(all[s].close, p)));
    require_universe_bollinger_matches(c, all, p);
    for (std::size_t s = 0; s < ns; ++s) {
      const auto bb = sc::ind::bollinger(all[s].close, p, 2.0);
      sc::ind::bollinger_state st(p, 2.0);
      sc::ind::sma_state sm(p);
      for (std::size_t t = 0; t < nb; ++t) {
        const auto v = st.update(all[s].close[t]);
        REQUIRE(bit_identical(series{v.upper, v.middle, v.lower},
                              series{bb.upper[t], bb.middle[t], bb.lower[t]}));
        REQUIRE(bit_identical(series{sm.update(all[s].close[t])}, series{bb.middle[t]}));
      }
    }
  }
}

TEST_CASE("universe_latest gives each symbol's last-bar values of the six bit for bit",
          "[indicators]") {
  for (std::size_t nb :
       {5u, 30u, 34u, 400u, 2049u, 2100u}) { // shorter than some lookbacks, then longer;
                                             // 2049: the last bar restarts the sums
    INFO("bars " << nb);
    const std::size_t ns = 530; // a full 512-symbol chunk and a ragged one
    sc::ind::universe_panel h(ns, nb), l(ns, nb), c(ns, nb);
    std::vector<bars> all;
    for (std::size_t s = 0; s < ns; ++s) {
      all.push_back(random_walk(500 + s, nb, 3.0 + s));
      h.set_series(s, all[s].high);
      l.set_series(s, all[s].low);
      c.set_series(s, all[s].close);
    }
    sc::ind::universe_latest_result r;
    sc::ind::universe_latest(h, l, c, sc::ind::universe_params{}, r);
    auto same = [](double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; };
    for (std::size_t s = 0; s < ns; ++s) {
      const bars& b = all[s];
      const std::size_t t = nb - 1;
      REQUIRE(same(r.sma[s], sc::ind::sma(b.close, 20)[t]));
      REQUIRE(same(r.ema[s], sc::ind::ema(b.close, 20)[t]));
      REQUIRE(same(r.rsi[s], sc::ind::rsi(b.close, 14)[t]));
      const auto m = sc::ind::macd(b.close, 12, 26, 9);
      REQUIRE(same(r.macd[s], m.macd[t]));
      REQUIRE(same(r.macd_signal[s], m.signal[t]));
      REQUIRE(same(r.macd_hist[s], m.hist[t]));
      const auto bb = sc::ind::bollinger(b.close, 20, 2.0);
      REQUIRE(same(r.bb_upper[s], bb.upper[t]));
      REQUIRE(same(r.bb_middle[s], bb.middle[t]));
      REQUIRE(same(r.bb_lower[s], bb.lower[t]));
      REQUIRE(same(r.atr[s], sc::ind::atr(b.high, b.low, b.close, 14)[t]));
    }
  }
}

TEST_CASE("universe functions give the same numbers on 1, 2 and 3 threads, streamed",
          "[indicators]") {
  // 1,030 x 1,100 doubles is 9 MB per panel: large enough for the threaded split and the
  // streaming stores; 1,030 symbols is no multiple of 8 and leaves ragged chunk tails.
  const std::size_t ns = 1030, nb = 1100;
  sc::ind::universe_panel h(ns, nb), l(ns, nb), c(ns, nb);
  std::vector<bars> all;
  for (std::size_t s = 0; s < ns; ++s) {
    all.push_back(random_walk(7000 + s, nb, 2.0 + 0.1 * s));
    h.set_series(s, all[s].high);
    l.set_series(s, all[s].low);
    c.set_series(s, all[s].close);
  }
  // Symbols checked against the per-series batch: both ends of every possible block.
  const std::size_t probe[] = {0,   1,   255, 256, 511, 512, 513, 514,  515,  516, 517,
                               518, 519, 520, 686, 687, 688, 689, 1023, 1024, 1029};
  for (int threads : {1, 2, 3}) {
    INFO("threads " << threads);
    sc::ind::universe_panel o1, o2, o3, o4, o5, o6;
    sc::ind::universe_sma(c, 20, o1, threads);
    sc::ind::universe_ema(c, 20, o2, threads);
    sc::ind::universe_rsi(c, 14, o3, threads);
    sc::ind::universe_atr(h, l, c, 14, o4, threads);
    for (std::size_t s : probe) {
      INFO("symbol " << s);
      REQUIRE(bit_identical(o1.series_of(s), sc::ind::sma(all[s].close, 20)));
      REQUIRE(bit_identical(o2.series_of(s), sc::ind::ema(all[s].close, 20)));
      REQUIRE(bit_identical(o3.series_of(s), sc::ind::rsi(all[s].close, 14)));
      REQUIRE(bit_identical(o4.series_of(s),
                            sc::ind::atr(all[s].high, all[s].low, all[s].close, 14)));
    }
    sc::ind::universe_macd(c, 12, 26, 9, o1, o2, o3, threads);
    sc::ind::universe_bollinger(c, 20, 2.0, o4, o5, o6, threads);
    for (std::size_t s : probe) {
      INFO("symbol " << s);
      const auto m = sc::ind::macd(all[s].close, 12, 26, 9);
      REQUIRE(bit_identical(o1.series_of(s), m.macd));
      REQUIRE(bit_identical(o2.series_of(s), m.signal));
      REQUIRE(bit_identical(o3.series_of(s), m.hist));
      const auto bb = sc::ind::bollinger(all[s].close, 20, 2.0);
      REQUIRE(bit_identical(o4.series_of(s), bb.upper));
      REQUIRE(bit_identical(o5.series_of(s), bb.middle));
      REQUIRE(bit_identical(o6.series_of(s), bb.lower));
    }
    sc::ind::universe_latest_result r;
    sc::ind::universe_latest(h, l, c, sc::ind::universe_params{}, r, threads);
    auto same = [](double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; };
    const std::size_t t = nb - 1;
    for (std::size_t s = 0; s < ns; ++s) {
      INFO("symbol " << s);
      REQUIRE(same(r.macd[s], o1.at(s, t)));
      REQUIRE(same(r.macd_signal[s], o2.at(s, t)));
      REQUIRE(same(r.bb_middle[s], o5.at(s, t)));
      REQUIRE(same(r.bb_upper[s], o4.at(s, t)));
      REQUIRE(same(r.macd_hist[s], o3.at(s, t)));
    }
    for (std::size_t s : probe) {
      const bars& b = all[s];
      REQUIRE(same(r.sma[s], sc::ind::sma(b.close, 20)[t]));
      REQUIRE(same(r.ema[s], sc::ind::ema(b.close, 20)[t]));
      REQUIRE(same(r.rsi[s], sc::ind::rsi(b.close, 14)[t]));
      REQUIRE(same(r.atr[s], sc::ind::atr(b.high, b.low, b.close, 14)[t]));
    }
  }
}
