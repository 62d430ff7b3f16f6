// Pattern names and the combined detection with a name filter.
#include "analytics/patterns/patterns.hpp"
#include "tests/analytics/patterns/bars.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace sc;
using namespace sc::patterns;
using namespace sc::patterns::test;

TEST_CASE("pattern names are unique lower_snake_case and all known", "[patterns]") {
  const auto& names = all_pattern_names();
  CHECK(names.size() == 31);
  std::set<std::string> seen(names.begin(), names.end());
  CHECK(seen.size() == names.size());
  for (const auto& n : names) {
    INFO(n);
    CHECK(is_known_pattern(n));
    CHECK(n.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos);
  }
  CHECK(is_known_pattern("all"));
  CHECK(seen.count("double_bottom"));
  CHECK(seen.count("bullish_engulfing"));
  CHECK_FALSE(is_known_pattern("Double_Bottom"));
  CHECK_FALSE(is_known_pattern("double bottom"));
  CHECK_FALSE(is_known_pattern(""));
}

TEST_CASE("detect_all reports chart and candle patterns, filtered by name",
          "[patterns]") {
  // A double bottom whose breakout bar is also a long up bar after a pullback.
  auto b = from_closes(path({{0, 120}, {20, 100}, {35, 112}, {50, 100.5}, {62, 115}}));
  b.volume[60] = 2e6;
  auto all = detect_all(b);
  REQUIRE(find(all, "double_bottom"));
  for (size_t i = 1; i < all.size(); ++i)
    CHECK(all[i - 1].end <= all[i].end);

  detect_params only;
  only.names = {"double_bottom"};
  auto one = detect_all(b, only);
  REQUIRE(one.size() == 1);
  CHECK(one[0].name == "double_bottom");

  detect_params none;
  none.names = {"hammer", "no_such_pattern"};
  CHECK_FALSE(find(detect_all(b, none), "double_bottom"));
}
