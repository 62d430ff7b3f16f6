// The simulated market's trading calendar, New York time and the sim clock.
#include <catch2/catch.hpp>

#include "adapters/sim/calendar.hpp"
#include "adapters/sim/clock.hpp"

#include <chrono>

using namespace sc;
using namespace sc::sim;

namespace {
day_number ymd(int y, int m, int d) {
  return to_day_number({y, m, d});
}
// Seconds since the epoch of a UTC wall-clock time, written out by hand.
timestamp utc(int y, int mo, int d, int h, int mi) {
  return timestamp{
      std::chrono::seconds{int64_t{ymd(y, mo, d)} * 86400 + h * 3600 + mi * 60}};
}
} // namespace

TEST_CASE("civil dates round-trip and known weekdays hold", "[sim][calendar]") {
  CHECK(ymd(1970, 1, 1) == 0);
  CHECK(ymd(2000, 3, 1) == 11017);      // 30 years incl. 7 leap days + Jan/Feb 2000
  CHECK(weekday(ymd(2026, 1, 2)) == 5); // a Friday
  CHECK(weekday(ymd(1969, 12, 31)) == 3);
  for (day_number d = -800; d < 40000; d += 37) {
    const auto c = to_civil(d);
    CHECK(to_day_number(c) == d);
  }
  CHECK(parse_date("2024-02-29") == ymd(2024, 2, 29));
  CHECK_FALSE(parse_date("2025-02-29"));
  CHECK_FALSE(parse_date("2025-13-01"));
  CHECK_FALSE(parse_date("2025-1-01"));
  CHECK(format_date(ymd(2026, 7, 3)) == "2026-07-03");
}

TEST_CASE("NYSE holidays follow the published rules", "[sim][calendar]") {
  // 2026: New Year Thu 1/1, MLK 1/19, Presidents 2/16, Good Friday 4/3, Memorial 5/25,
  // Juneteenth Fri 6/19, Independence Day observed Fri 7/3, Labor 9/7,
  // Thanksgiving 11/26, Christmas Fri 12/25.
  for (auto d : {ymd(2026, 1, 1), ymd(2026, 1, 19), ymd(2026, 2, 16), ymd(2026, 4, 3),
                 ymd(2026, 5, 25), ymd(2026, 6, 19), ymd(2026, 7, 3), ymd(2026, 9, 7),
                 ymd(2026, 11, 26), ymd(2026, 12, 25)})
    CHECK(is_market_holiday(d));
  // 2022-01-01 was a Saturday: no Friday holiday on 2021-12-31.
  CHECK(is_trading_day(ymd(2021, 12, 31)));
  // Good Friday 2025 was April 18; Christmas 2022 (Sunday) observed Monday 12/26.
  CHECK(is_market_holiday(ymd(2025, 4, 18)));
  CHECK(is_market_holiday(ymd(2022, 12, 26)));
  CHECK_FALSE(is_trading_day(ymd(2026, 1, 3))); // Saturday
  CHECK(is_trading_day(ymd(2026, 1, 2)));
  CHECK(previous_trading_day(ymd(2026, 1, 2)) == ymd(2025, 12, 31));
  CHECK(next_trading_day(ymd(2026, 7, 2)) == ymd(2026, 7, 6));
}

TEST_CASE("New York session times follow US daylight saving", "[sim][calendar]") {
  // DST 2026 runs from Sunday March 8 to Sunday November 1.
  CHECK(session_open(ymd(2026, 3, 6)) == utc(2026, 3, 6, 14, 30));
  CHECK(session_open(ymd(2026, 3, 9)) == utc(2026, 3, 9, 13, 30));
  CHECK(session_close(ymd(2026, 10, 30)) == utc(2026, 10, 30, 20, 0));
  CHECK(session_close(ymd(2026, 11, 2)) == utc(2026, 11, 2, 21, 0));
  // 03:00 UTC on Jan 3 is still Jan 2 in New York.
  CHECK(ny_day(utc(2026, 1, 3, 3, 0)) == ymd(2026, 1, 2));
  CHECK(ny_day(utc(2026, 1, 3, 6, 0)) == ymd(2026, 1, 3));
}

TEST_CASE("the sim clock runs faster than real time and skips closed hours",
          "[sim][clock]") {
  config::sim_settings s; // start 2026-01-02, speed 60
  const timestamp real0 = utc(2030, 5, 5, 12, 0);
  sim_clock c(s, real0);
  CHECK(c.first_open() == utc(2026, 1, 2, 14, 30));
  CHECK(c.now(real0) == c.first_open());
  CHECK(c.now(real0 - std::chrono::seconds{5}) == c.first_open());
  // One real minute = one simulated hour.
  CHECK(c.now(real0 + std::chrono::minutes{1}) == utc(2026, 1, 2, 15, 30));
  // 6.5 real minutes use up the session; the next second is Monday's open + 60 s.
  CHECK(c.now(real0 + std::chrono::seconds{390 + 1}) == utc(2026, 1, 5, 14, 31));
  // Monotone in real time.
  timestamp prev = c.now(real0);
  for (int k = 1; k < 5000; ++k) {
    const timestamp t = c.now(real0 + std::chrono::milliseconds{k * 997});
    CHECK(t >= prev);
    prev = t;
  }
  s.skip_closed = false;
  sim_clock cal(s, real0);
  CHECK(cal.now(real0 + std::chrono::minutes{24}) == utc(2026, 1, 3, 14, 30));
}
