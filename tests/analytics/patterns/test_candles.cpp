// Candlestick patterns on hand-written bars.
//
// Each case starts from 20 bars of context:
//   falling: close 120 - i, open one above the close (range 2, body 1), so at bar 20
//            the close 101 is below its 10-bar mean 105.5 and below the close 5 bars
//            earlier: a downtrend;
//   rising:  the mirror image (close 80 + i, last close 99): an uptrend;
//   flat:    open 100, close 100.4, high 100.9, low 99.5 every bar: no trend
//            (range 1.4, body 0.4).
#include "analytics/patterns/patterns.hpp"
#include "tests/analytics/patterns/bars.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace sc;
using namespace sc::patterns;
using namespace sc::patterns::test;

namespace {

bar_series falling() {
  bar_series b;
  for (int i = 0; i < 20; ++i) {
    double c = 120 - i;
    add_bar(b, c + 1, c + 1.5, c - 0.5, c);
  }
  return b;
}

bar_series rising() {
  bar_series b;
  for (int i = 0; i < 20; ++i) {
    double c = 80 + i;
    add_bar(b, c - 1, c + 0.5, c - 1.5, c);
  }
  return b;
}

bar_series flat() {
  bar_series b;
  for (int i = 0; i < 20; ++i)
    add_bar(b, 100, 100.9, 99.5, 100.4);
  return b;
}

const pattern_match* candle(const bar_series& b, const std::string& name) {
  static std::vector<pattern_match> keep;
  keep = detect_candles(b, 5);
  return find(keep, name);
}

} // namespace

TEST_CASE("hammer: long lower shadow after a decline", "[patterns][candles]") {
  auto b = falling();
  add_bar(b, 100.6, 101.1, 99.0, 101.0); // body 0.4, lower 1.6, upper 0.1 of 2.1
  auto x = candle(b, "hammer");
  REQUIRE(x);
  CHECK(x->direction == +1);
  CHECK(x->kind == pattern_kind::candle);
  CHECK(x->start == 20);
  CHECK(x->end == 20);
  CHECK(std::isnan(x->target));
  // 0.6 shape ((1.6/2.1 - 0.5)/0.3) + 0.2 trend (5-point fall over 2 ranges: 1)
  // + 0.2 volume (average volume: 0).
  CHECK(x->confidence == Approx(0.6 * ((1.6 / 2.1 - 0.5) / 0.3) + 0.2));
  CHECK_FALSE(candle(b, "hanging_man"));

  SECTION("the same bar after an advance is a hanging man, not a hammer") {
    auto u = rising();
    add_bar(u, 99.4, 99.9, 97.7, 99.8); // body 0.4, lower 1.7, upper 0.1 of 2.2
    auto h = candle(u, "hanging_man");
    REQUIRE(h);
    CHECK(h->direction == -1);
    CHECK_FALSE(candle(u, "hammer"));
  }
  SECTION("an upper shadow of 0.5 is too long") {
    auto n = falling();
    add_bar(n, 100.6, 101.5, 99.0, 101.0);
    CHECK_FALSE(candle(n, "hammer"));
  }
}

TEST_CASE("inverted hammer and shooting star: long upper shadow", "[patterns][candles]") {
  auto d = falling();
  add_bar(d, 100.6, 102.6, 100.5, 101.0); // upper 1.6, lower 0.1
  auto i = candle(d, "inverted_hammer");
  REQUIRE(i);
  CHECK(i->direction == +1);
  CHECK_FALSE(candle(d, "shooting_star"));

  auto u = rising();
  add_bar(u, 99.4, 101.0, 98.9, 99.0); // upper 1.6, lower 0.1
  auto s = candle(u, "shooting_star");
  REQUIRE(s);
  CHECK(s->direction == -1);
  CHECK_FALSE(candle(u, "inverted_hammer"));

  auto f = flat(); // no trend: neither
  add_bar(f, 100.4, 102.0, 100.3, 100.0 + 0.8);
  CHECK_FALSE(candle(f, "shooting_star"));
  CHECK_FALSE(candle(f, "inverted_hammer"));
}

TEST_CASE("doji, dragonfly doji and gravestone doji", "[patterns][candles]") {
  auto b = flat();
  add_bar(b, 100.4, 101.2, 99.6, 100.45); // body 0.05 of 1.6, shadows 0.75 / 0.8
  auto x = candle(b, "doji");
  REQUIRE(x);
  CHECK(x->direction == 0);
  CHECK_FALSE(candle(b, "dragonfly_doji"));

  auto d = flat();
  add_bar(d, 100.4, 100.45, 98.6, 100.42); // all lower shadow
  auto y = candle(d, "dragonfly_doji");
  REQUIRE(y);
  CHECK(y->direction == +1);
  CHECK_FALSE(candle(d, "doji"));

  auto g = flat();
  add_bar(g, 100.4, 102.2, 100.35, 100.38); // all upper shadow
  auto z = candle(g, "gravestone_doji");
  REQUIRE(z);
  CHECK(z->direction == -1);

  auto n = flat();
  add_bar(n, 100.4, 101.2, 99.6, 100.9); // body 0.5 of 1.6: not a doji
  CHECK_FALSE(candle(n, "doji"));
  CHECK_FALSE(candle(n, "dragonfly_doji"));
  CHECK_FALSE(candle(n, "gravestone_doji"));
}

TEST_CASE("bullish and bearish engulfing", "[patterns][candles]") {
  auto b = falling();
  add_bar(b, 101.5, 101.8, 100.3, 100.5);
  add_bar(b, 100.3, 102.2, 100.1, 102.0); // body 1.7 covers 100.5..101.5
  auto x = candle(b, "bullish_engulfing");
  REQUIRE(x);
  CHECK(x->direction == +1);
  CHECK(x->start == 20);
  CHECK(x->end == 21);

  auto n = falling();
  add_bar(n, 101.5, 101.8, 100.3, 100.5);
  add_bar(n, 100.3, 101.4, 100.1, 101.2); // closes below the prior open
  CHECK_FALSE(candle(n, "bullish_engulfing"));

  auto u = rising();
  add_bar(u, 98.5, 99.7, 98.3, 99.5);
  add_bar(u, 99.7, 99.9, 97.8, 98.0);
  auto y = candle(u, "bearish_engulfing");
  REQUIRE(y);
  CHECK(y->direction == -1);
  // The same two bars after a decline are not a bearish engulfing.
  auto d = falling();
  add_bar(d, 98.5, 99.7, 98.3, 99.5);
  add_bar(d, 99.7, 99.9, 97.8, 98.0);
  CHECK_FALSE(candle(d, "bearish_engulfing"));
}

TEST_CASE("piercing line and dark cloud cover", "[patterns][candles]") {
  auto b = falling();
  add_bar(b, 101.7, 101.9, 100.3, 100.5); // body 1.2, midpoint 101.1
  add_bar(b, 100.2, 101.5, 100.0, 101.4);
  auto x = candle(b, "piercing_line");
  REQUIRE(x);
  CHECK(x->direction == +1);
  CHECK(x->confidence == Approx(0.6 * (0.3 / 0.6) + 0.2));

  auto n = falling();
  add_bar(n, 101.7, 101.9, 100.3, 100.5);
  add_bar(n, 100.2, 101.2, 100.0, 100.9); // below the midpoint
  CHECK_FALSE(candle(n, "piercing_line"));

  auto u = rising();
  add_bar(u, 99.0, 100.4, 98.8, 100.2); // body 1.2, midpoint 99.6
  add_bar(u, 100.5, 100.7, 99.1, 99.3);
  auto y = candle(u, "dark_cloud_cover");
  REQUIRE(y);
  CHECK(y->direction == -1);
}

TEST_CASE("bullish and bearish harami", "[patterns][candles]") {
  auto b = falling();
  add_bar(b, 102.0, 102.2, 99.8, 100.0);
  add_bar(b, 100.5, 101.2, 100.3, 101.0); // body 0.5 inside 100..102
  auto x = candle(b, "bullish_harami");
  REQUIRE(x);
  CHECK(x->direction == +1);

  auto n = falling();
  add_bar(n, 102.0, 102.2, 99.8, 100.0);
  add_bar(n, 100.2, 101.9, 100.1, 101.7); // body 1.5: more than half the first
  CHECK_FALSE(candle(n, "bullish_harami"));

  auto u = rising();
  add_bar(u, 99.0, 101.2, 98.8, 101.0);
  add_bar(u, 100.6, 100.8, 100.0, 100.2);
  auto y = candle(u, "bearish_harami");
  REQUIRE(y);
  CHECK(y->direction == -1);
}

TEST_CASE("morning star and evening star", "[patterns][candles]") {
  auto b = falling();
  add_bar(b, 101.0, 101.2, 98.8, 99.0); // long down bar, midpoint 100
  add_bar(b, 98.7, 99.0, 98.3, 98.8);   // star below the first close
  add_bar(b, 99.0, 100.8, 98.9, 100.6); // closes above the midpoint
  auto x = candle(b, "morning_star");
  REQUIRE(x);
  CHECK(x->direction == +1);
  CHECK(x->start == 20);
  CHECK(x->end == 22);

  auto n = falling();
  add_bar(n, 101.0, 101.2, 98.8, 99.0);
  add_bar(n, 98.7, 99.0, 98.3, 98.8);
  add_bar(n, 99.0, 100.0, 98.9, 99.8); // below the midpoint
  CHECK_FALSE(candle(n, "morning_star"));

  auto u = rising();
  add_bar(u, 99.0, 101.2, 98.8, 101.0);
  add_bar(u, 101.3, 101.7, 101.0, 101.2);
  add_bar(u, 101.0, 101.1, 99.3, 99.5);
  auto y = candle(u, "evening_star");
  REQUIRE(y);
  CHECK(y->direction == -1);
}

TEST_CASE("three white soldiers and three black crows", "[patterns][candles]") {
  auto b = flat();
  add_bar(b, 100.3, 101.6, 100.2, 101.5);
  add_bar(b, 101.0, 102.6, 100.9, 102.5);
  add_bar(b, 102.0, 103.6, 101.9, 103.5);
  auto x = candle(b, "three_white_soldiers");
  REQUIRE(x);
  CHECK(x->direction == +1);
  CHECK(x->start == 20);

  auto n = flat();
  add_bar(n, 100.3, 101.6, 100.2, 101.5);
  add_bar(n, 101.0, 102.6, 100.9, 102.5);
  add_bar(n, 102.0, 105.0, 101.9, 103.5); // long upper shadow on the third
  CHECK_FALSE(candle(n, "three_white_soldiers"));

  auto c = flat();
  add_bar(c, 100.4, 100.5, 99.1, 99.2);
  add_bar(c, 99.6, 99.7, 98.1, 98.2);
  add_bar(c, 98.6, 98.7, 97.1, 97.2);
  auto y = candle(c, "three_black_crows");
  REQUIRE(y);
  CHECK(y->direction == -1);
}

TEST_CASE("candles older than the lookback are left out unless it is 0",
          "[patterns][candles]") {
  auto b = falling();
  add_bar(b, 100.6, 101.1, 99.0, 101.0); // hammer at bar 20
  for (int i = 0; i < 6; ++i)
    add_bar(b, 101, 101.3, 100.7, 101);
  CHECK_FALSE(find(detect_candles(b, 5), "hammer"));
  auto all = detect_candles(b, 0);
  auto x = find(all, "hammer");
  REQUIRE(x);
  CHECK(x->end == 20);
}

TEST_CASE("candles need ten bars of context and tolerate empty input",
          "[patterns][candles]") {
  CHECK(detect_candles(bar_series{}).empty());
  bar_series b;
  add_bar(b, 101.5, 101.8, 100.3, 100.5);
  add_bar(b, 100.3, 102.2, 100.1, 102.0);
  CHECK(detect_candles(b).empty());
}
