// Chart patterns on bars built to contain each pattern, and on near misses.
//
// Every positive case is laid out from waypoints so that its pivots, neckline and
// breakout bar can be worked out by hand; the expected numbers below are those hand
// computations (bar b opens at the close of b-1; high/low add a 0.2 wick).
#include "analytics/patterns/patterns.hpp"
#include "tests/analytics/patterns/bars.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace sc;
using namespace sc::patterns;
using namespace sc::patterns::test;

namespace {

// -- double bottom: lows 99.8 (bar 20) and 100.3 (bar 50), peak high 112.2 (bar 35) ---
// The rise from 100.5 (bar 50) to 115 (bar 62) first closes above 112.2 at bar 60
// (100.5 + 14.5 * 10 / 12 = 112.58; bar 59 closes 111.38).
bar_series double_bottom_bars(double second_low = 100.5) {
  auto b =
      from_closes(path({{0, 120}, {20, 100}, {35, 112}, {50, second_low}, {62, 115}}));
  b.volume[60] = 2e6;
  return b;
}

// -- head and shoulders: LS 110.2 (15), T1 99.8 (25), head 120.2 (37), T2 100.3 (49),
// RS 110.7 (60). Neckline 99.8 + (0.5 / 24)(t - 25). The fall 110.5 -> 92 over 60..72
// loses 18.5 / 12 a bar: bar 67 closes 99.71 < neckline 100.675 (bar 66: 101.25 >
// 100.654). Head height over the neckline: 120.2 - 100.05 = 20.15.
bar_series head_shoulders_bars(double right_shoulder = 110.5) {
  auto b = from_closes(path({{0, 90},
                             {15, 110},
                             {25, 100},
                             {37, 120},
                             {49, 100.5},
                             {60, right_shoulder},
                             {72, 92}}));
  b.volume[67] = 2e6;
  return take(b, 70);
}

// -- range breakout: 60 bars of 100 + 2 sin(0.2 pi i), then a 104.5 close ---------------
bar_series breakout_bars(double last_close = 104.5, double last_volume = 2.5e6) {
  std::vector<double> c;
  for (int i = 0; i < 60; ++i)
    c.push_back(100 + 2 * std::sin(0.2 * M_PI * i));
  c.push_back(last_close);
  auto b = from_closes(c);
  b.volume[60] = last_volume;
  return b;
}

// -- bull flag: flat at 50, pole 50 -> 65 over bars 30..40, flag falling 0.25 a bar to
// 62 at bar 52, then 66 at bar 53. Pole top high 65.2 (bar 40), pole bottom low 49.8:
// pole 15.4. The flag's closes lie on 65 - 0.25 (j - 40); each flag high sits 0.45
// above that line (open 0.25 above the close, then the wick), so the upper line at bar
// 53 is 61.75 + 0.45 = 62.2.
bar_series flag_bars(double pole_top = 65, double flag_end = 62) {
  auto c = path({{0, 50}, {30, 50}, {40, pole_top}, {52, flag_end}});
  c.push_back(66), c.push_back(66.5), c.push_back(67);
  auto b = from_closes(c);
  for (int i = 30; i <= 40; ++i)
    b.volume[i] = 2e6;
  for (int i = 41; i <= 52; ++i)
    b.volume[i] = 0.8e6;
  b.volume[53] = 2.5e6;
  return b;
}

// -- ascending triangle: touches 100.2 at bars 10, 30, 50; lows 91.8 (20), 94.8 (40),
// 97.3 (56); the rise from 97.5 (56) closes 100.75 > 100.2 first at bar 59.
bar_series triangle_bars(double low2 = 95, double low3 = 97.5) {
  auto b = from_closes(path({{0, 90},
                             {10, 100},
                             {20, 92},
                             {30, 100},
                             {40, low2},
                             {50, 100},
                             {56, low3},
                             {62, 104}}));
  b.volume[59] = 2e6;
  return take(b, 62);
}

// -- cup and handle: rims 100.2 at bars 10 and 70, a half-circle cup to a 74.8 low at
// bar 40 (depth 25.4), a five-bar handle down to 96.3, and a 101 close at bar 76.
bar_series cup_bars(bool round = true) {
  auto c = path({{0, 80}, {10, 100}});
  for (int i = 11; i < 70; ++i) {
    double x = (i - 40) / 30.0;
    c.push_back(round ? 75 + 25 * (1 - std::sqrt(1 - x * x)) : 75 + 25 * std::abs(x));
  }
  for (double x : {100.0, 99.0, 98.0, 97.0, 96.5, 97.5, 101.0, 101.5})
    c.push_back(x);
  auto b = from_closes(c);
  b.volume[76] = 2e6;
  return b;
}

// Direct textbook SMA, written apart from the library's.
double sma_at(const std::vector<double>& c, size_t t, size_t n) {
  double s = 0;
  for (size_t j = t + 1 - n; j <= t; ++j)
    s += c[j];
  return s / double(n);
}

// A decline 150 -> 100 over 150 bars, then a rise of 0.8 a bar.
std::vector<double> cross_closes(size_t n) {
  std::vector<double> c;
  for (size_t i = 0; i < n; ++i)
    c.push_back(i < 150 ? 150 - i / 3.0 : 100 + 0.8 * (i - 150));
  return c;
}

size_t first_golden_cross(const std::vector<double>& c) {
  for (size_t t = 200; t < c.size(); ++t)
    if (sma_at(c, t - 1, 50) <= sma_at(c, t - 1, 200) &&
        sma_at(c, t, 50) > sma_at(c, t, 200))
      return t;
  return 0;
}

// Closes for the squeeze: an oscillation of amplitude 3, changed over the last 25 bars
// to `final_amplitude`.
std::vector<double> squeeze_closes(double final_amplitude) {
  std::vector<double> c;
  for (int i = 0; i < 250; ++i) {
    double a = i < 225 ? 3.0 : 3.0 + (final_amplitude - 3.0) * (i - 224) / 25.0;
    c.push_back(100 + a * (std::sin(1.3 * i) + 0.5 * std::sin(0.37 * i)));
  }
  return c;
}

// Bollinger band width (upper - lower) / middle with a population standard deviation
// of 20 closes and k = 2, computed directly.
double band_width(const std::vector<double>& c, size_t t) {
  double m = sma_at(c, t, 20), v = 0;
  for (size_t j = t - 19; j <= t; ++j)
    v += (c[j] - m) * (c[j] - m);
  return 4 * std::sqrt(v / 20) / m;
}

bool width_is_lowest_of_120(const std::vector<double>& c, size_t t) {
  for (size_t j = t - 119; j < t; ++j)
    if (band_width(c, j) < band_width(c, t)) return false;
  return true;
}

} // namespace

TEST_CASE("swings are the waypoints of a zigzag, and prominence filters small moves",
          "[patterns][swings]") {
  auto c = path({{0, 100}, {10, 110}, {20, 100}, {30, 115}, {40, 105}});
  c[5] = 103.2; // a wiggle on the way up, inside the +-3 bar window of nothing
  auto b = from_closes(c);
  auto s = find_swings(b);
  REQUIRE(s.size() == 3);
  CHECK(s[0].index == 10);
  CHECK(s[0].type == +1);
  CHECK(s[0].price == Approx(110.2));
  CHECK(s[1].index == 20);
  CHECK(s[1].type == -1);
  CHECK(s[1].price == Approx(99.8));
  CHECK(s[2].index == 30);
  CHECK(s[2].price == Approx(115.2));
  // Moves of ~10% do not pass a 20% prominence: the low at 20 is dropped, so the two
  // highs become consecutive and the higher one (bar 30) is kept.
  swing_params p;
  p.min_pct = 0.20;
  auto f = find_swings(b, p);
  REQUIRE(f.size() == 1);
  CHECK(f[0].index == 30);
  // Degenerate input: no bars, or arrays of different lengths, never crash.
  CHECK(find_swings(bar_series{}).empty());
  auto ragged = b;
  ragged.volume.resize(5);
  CHECK(find_swings(ragged).empty());
}

TEST_CASE("a double bottom is found at its neckline break with the measured-move target",
          "[patterns][double_bottom]") {
  auto m = detect_chart_patterns(double_bottom_bars());
  auto x = find(m, "double_bottom");
  REQUIRE(x);
  CHECK(x->direction == +1);
  CHECK(x->kind == pattern_kind::chart);
  CHECK(x->start == 20);
  CHECK(x->end == 60);
  CHECK(x->target == Approx(112.2 + (112.2 - 99.8)));
  // 0.4 similarity + 0.3 symmetry (legs 15 and 15) + 0.3 volume (2x average).
  CHECK(x->confidence == Approx(0.4 * (1 - (0.5 / 100.05) / 0.04) + 0.3 + 0.3));

  SECTION("mirrored, it is a double top") {
    auto t = find(detect_chart_patterns(mirror(double_bottom_bars(), 150)), "double_top");
    REQUIRE(t);
    CHECK(t->direction == -1);
    CHECK(t->end == 60);
    CHECK(t->target == Approx(300 - 124.6));
  }
}

TEST_CASE("no double bottom when the second low is 6% off, or before the neckline break",
          "[patterns][double_bottom]") {
  CHECK_FALSE(find(detect_chart_patterns(double_bottom_bars(106)), "double_bottom"));
  CHECK_FALSE(
      find(detect_chart_patterns(take(double_bottom_bars(), 59)), "double_bottom"));
}

TEST_CASE("an old pattern is reported only when the whole history is scanned",
          "[patterns][double_bottom]") {
  auto c = path({{0, 120}, {20, 100}, {35, 112}, {50, 100.5}, {62, 115}, {102, 115}});
  auto b = from_closes(c);
  b.volume[60] = 2e6;
  CHECK_FALSE(find(detect_chart_patterns(b), "double_bottom"));
  chart_params p;
  p.whole_history = true;
  auto x = find(detect_chart_patterns(b, p), "double_bottom");
  REQUIRE(x);
  CHECK(x->end == 60);
}

TEST_CASE("head and shoulders is found with target neckline minus head height",
          "[patterns][head_and_shoulders]") {
  auto m = detect_chart_patterns(head_shoulders_bars());
  auto x = find(m, "head_and_shoulders");
  REQUIRE(x);
  CHECK(x->direction == -1);
  CHECK(x->start == 15);
  CHECK(x->end == 67);
  double neck67 = 99.8 + 0.5 * 42 / 24, neck37 = 99.8 + 0.5 * 12 / 24;
  CHECK(x->target == Approx(neck67 - (120.2 - neck37)));
  CHECK(x->confidence > 0.8);

  SECTION("mirrored, it is an inverse head and shoulders") {
    auto i = find(detect_chart_patterns(mirror(head_shoulders_bars(), 150)),
                  "inverse_head_and_shoulders");
    REQUIRE(i);
    CHECK(i->direction == +1);
    CHECK(i->target == Approx(300 - (neck67 - (120.2 - neck37))));
  }
}

TEST_CASE("no head and shoulders when the shoulders differ by 7%",
          "[patterns][head_and_shoulders]") {
  auto m = detect_chart_patterns(head_shoulders_bars(118.5));
  CHECK_FALSE(find(m, "head_and_shoulders"));
}

TEST_CASE("a breakout above the 20-bar range on 2.5x volume is found",
          "[patterns][breakout]") {
  double rh = 100 + 2 * std::sin(0.4 * M_PI) + 0.2; // top close of the wave + wick
  double rl = 100 - 2 * std::sin(0.4 * M_PI) - 0.2;
  auto x = find(detect_chart_patterns(breakout_bars()), "breakout");
  REQUIRE(x);
  CHECK(x->direction == +1);
  CHECK(x->start == 40);
  CHECK(x->end == 60);
  CHECK(x->target == Approx(rh + (rh - rl)));
  CHECK(x->confidence > 0.8);

  SECTION("mirrored, it is a breakdown") {
    auto d = find(detect_chart_patterns(mirror(breakout_bars(), 100)), "breakdown");
    REQUIRE(d);
    CHECK(d->direction == -1);
    CHECK(d->target == Approx(200 - (rh + (rh - rl))));
  }
}

TEST_CASE("no breakout without volume, or with a close inside the range",
          "[patterns][breakout]") {
  CHECK_FALSE(find(detect_chart_patterns(breakout_bars(104.5, 1.3e6)), "breakout"));
  CHECK_FALSE(find(detect_chart_patterns(breakout_bars(101.5, 2.5e6)), "breakout"));
}

TEST_CASE("a bull flag is found with target flag line plus pole",
          "[patterns][bull_flag]") {
  auto x = find(detect_chart_patterns(flag_bars()), "bull_flag");
  REQUIRE(x);
  CHECK(x->direction == +1);
  CHECK(x->start == 25); // first bar at the pole's lowest low
  CHECK(x->end == 53);
  CHECK(x->target == Approx(62.2 + (65.2 - 49.8)));
  CHECK(x->confidence > 0.6);

  SECTION("mirrored, it is a bear flag") {
    auto d = find(detect_chart_patterns(mirror(flag_bars(), 60)), "bear_flag");
    REQUIRE(d);
    CHECK(d->direction == -1);
    CHECK(d->target == Approx(120 - 77.6));
  }
}

TEST_CASE("no bull flag after a weak pole or a deep pullback", "[patterns][bull_flag]") {
  // Pole 50 -> 55: an 11% gain, below the 15% minimum (the flag to 54 is shallow enough).
  CHECK_FALSE(find(detect_chart_patterns(flag_bars(55, 54)), "bull_flag"));
  // Flag down to 56: 9.4 of a 15.4 pole, more than half.
  CHECK_FALSE(find(detect_chart_patterns(flag_bars(65, 56)), "bull_flag"));
}

TEST_CASE("an ascending triangle is found with target resistance plus base height",
          "[patterns][ascending_triangle]") {
  auto x = find(detect_chart_patterns(triangle_bars()), "ascending_triangle");
  REQUIRE(x);
  CHECK(x->direction == +1);
  CHECK(x->start == 10);
  CHECK(x->end == 59);
  CHECK(x->target == Approx(100.2 + (100.2 - 91.8)));
  // Three touches, a perfectly flat top, 2x volume.
  CHECK(x->confidence == Approx(1.0));

  SECTION("mirrored, it is a descending triangle") {
    auto d =
        find(detect_chart_patterns(mirror(triangle_bars(), 100)), "descending_triangle");
    REQUIRE(d);
    CHECK(d->direction == -1);
    CHECK(d->target == Approx(200 - 108.6));
  }
}

TEST_CASE("no ascending triangle when the lows are flat (a rectangle)",
          "[patterns][ascending_triangle]") {
  CHECK_FALSE(find(detect_chart_patterns(triangle_bars(92, 92)), "ascending_triangle"));
}

TEST_CASE("a cup and handle is found with target rim plus depth",
          "[patterns][cup_and_handle]") {
  auto x = find(detect_chart_patterns(cup_bars()), "cup_and_handle");
  REQUIRE(x);
  CHECK(x->direction == +1);
  CHECK(x->start == 10);
  CHECK(x->end == 76);
  CHECK(x->target == Approx(100.2 + (100.2 - 74.8)));
  CHECK(x->confidence > 0.6);
}

TEST_CASE("no cup and handle when the base is a V", "[patterns][cup_and_handle]") {
  CHECK_FALSE(find(detect_chart_patterns(cup_bars(false)), "cup_and_handle"));
}

TEST_CASE("a golden cross is found on the bar SMA50 crosses above SMA200",
          "[patterns][golden_cross]") {
  auto c = cross_closes(400);
  size_t t = first_golden_cross(c);
  REQUIRE(t > 200);
  c.resize(t + 3);
  auto x = find(detect_chart_patterns(from_closes(c)), "golden_cross");
  REQUIRE(x);
  CHECK(x->end == t);
  CHECK(x->direction == +1);
  CHECK(std::isnan(x->target));
  CHECK(x->confidence > 0.5);

  SECTION("mirrored, it is a death cross") {
    auto d = find(detect_chart_patterns(mirror(from_closes(c), 200)), "death_cross");
    REQUIRE(d);
    CHECK(d->end == t);
    CHECK(d->direction == -1);
  }
}

TEST_CASE("a golden cross 27 bars old is history, not current",
          "[patterns][golden_cross]") {
  auto c = cross_closes(400);
  size_t t = first_golden_cross(c);
  c.resize(t + 28);
  auto b = from_closes(c);
  CHECK_FALSE(find(detect_chart_patterns(b), "golden_cross"));
  chart_params p;
  p.whole_history = true;
  auto all = detect_chart_patterns(b, p);
  auto x = find(all, "golden_cross");
  REQUIRE(x);
  CHECK(x->end == t);
  CHECK_FALSE(find(all, "death_cross"));
}

TEST_CASE("a Bollinger squeeze is found when the band width is the lowest of 120 bars",
          "[patterns][bollinger_squeeze]") {
  auto c = squeeze_closes(0.3);
  REQUIRE(width_is_lowest_of_120(c, 249));
  auto x = find(detect_chart_patterns(from_closes(c)), "bollinger_squeeze");
  REQUIRE(x);
  CHECK(x->end >= 245);
  CHECK(x->direction == 0);
  CHECK(std::isnan(x->target));
  CHECK(x->confidence > 0.5);
}

TEST_CASE("no Bollinger squeeze when the bands are widening",
          "[patterns][bollinger_squeeze]") {
  auto c = squeeze_closes(6.0);
  for (size_t t = 245; t < 250; ++t)
    REQUIRE_FALSE(width_is_lowest_of_120(c, t));
  CHECK_FALSE(find(detect_chart_patterns(from_closes(c)), "bollinger_squeeze"));
}

TEST_CASE("chart detection tolerates short and empty series", "[patterns]") {
  CHECK(detect_chart_patterns(bar_series{}).empty());
  auto b = from_closes({100, 101, 102});
  CHECK(detect_chart_patterns(b).empty());
}
