// The NYSE calendar against the exchange's published holiday and early-close dates
// (2024-2027) and New York clock changes; instants are built with the C library's
// timegm(), independently of the calendar's own date arithmetic.
#include "analytics/calendar/calendar.hpp"

#include <catch2/catch.hpp>

#include <ctime>
#include <set>
#include <vector>

using namespace sc;
using namespace std::chrono;

namespace {

/// UTC instant of a civil date and time, via timegm().
timestamp utc(int y, int mo, int d, int h = 0, int mi = 0, int s = 0) {
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  const auto secs = timegm(&tm);
  return timestamp{duration_cast<timestamp::duration>(seconds{secs})};
}

day_number day(int y, int mo, int d) {
  return to_day(utc(y, mo, d));
}

struct ymd {
  int y, m, d;
};

} // namespace

TEST_CASE("civil dates convert both ways and agree with the C library") {
  CHECK(cal::days_from_civil(1970, 1, 1) == 0);
  CHECK(cal::days_from_civil(2024, 1, 1) == 19723); // 54 * 365 + 13 leap days
  for (int y : {1900, 1999, 2000, 2024, 2027, 2100}) {
    for (int m = 1; m <= 12; ++m) {
      for (int d : {1, 15, 28}) {
        const auto n = cal::days_from_civil(y, m, d);
        CHECK(n == day(y, m, d));
        CHECK(cal::civil_from_days(n) == cal::civil_date{y, m, d});
      }
    }
  }
  CHECK(cal::civil_from_days(day(2024, 2, 29)) == cal::civil_date{2024, 2, 29});
  CHECK(cal::weekday(day(2026, 11, 26)) == 4); // Thursday
  CHECK(cal::weekday(day(2024, 6, 16)) == 0);  // Sunday
  CHECK(cal::weekday(day(1969, 12, 31)) == 3); // Wednesday, before the epoch
}

TEST_CASE("Easter Sunday matches published dates") {
  const std::vector<ymd> easter{{2000, 4, 23}, {2008, 3, 23}, {2011, 4, 24},
                                {2019, 4, 21}, {2024, 3, 31}, {2025, 4, 20},
                                {2026, 4, 5},  {2027, 3, 28}, {2038, 4, 25}};
  for (auto e : easter)
    CHECK(cal::easter_sunday(e.y) == day(e.y, e.m, e.d));
}

TEST_CASE("NYSE holidays 2024-2027 are exactly the published ones") {
  // The exchange's published calendars (full-day closures, as observed).
  const std::vector<ymd> published{
      // 2024
      {2024, 1, 1},
      {2024, 1, 15},
      {2024, 2, 19},
      {2024, 3, 29},
      {2024, 5, 27},
      {2024, 6, 19},
      {2024, 7, 4},
      {2024, 9, 2},
      {2024, 11, 28},
      {2024, 12, 25},
      // 2025 (January 9: national day of mourning)
      {2025, 1, 1},
      {2025, 1, 9},
      {2025, 1, 20},
      {2025, 2, 17},
      {2025, 4, 18},
      {2025, 5, 26},
      {2025, 6, 19},
      {2025, 7, 4},
      {2025, 9, 1},
      {2025, 11, 27},
      {2025, 12, 25},
      // 2026
      {2026, 1, 1},
      {2026, 1, 19},
      {2026, 2, 16},
      {2026, 4, 3},
      {2026, 5, 25},
      {2026, 6, 19},
      {2026, 7, 3},
      {2026, 9, 7},
      {2026, 11, 26},
      {2026, 12, 25},
      // 2027
      {2027, 1, 1},
      {2027, 1, 18},
      {2027, 2, 15},
      {2027, 3, 26},
      {2027, 5, 31},
      {2027, 6, 18},
      {2027, 7, 5},
      {2027, 9, 6},
      {2027, 11, 25},
      {2027, 12, 24},
  };
  std::set<day_number> expected;
  for (auto h : published)
    expected.insert(day(h.y, h.m, h.d));
  int weekdays = 0;
  for (day_number d = day(2024, 1, 1); d <= day(2027, 12, 31); ++d) {
    const int wd = cal::weekday(d);
    if (wd == 0 || wd == 6) {
      CHECK_FALSE(cal::is_trading_day(d));
      CHECK_FALSE(cal::session(d).has_value());
      continue;
    }
    ++weekdays;
    INFO("day " << d);
    CHECK(cal::is_holiday(d) == (expected.count(d) == 1));
    CHECK(cal::is_trading_day(d) == (expected.count(d) == 0));
  }
  CHECK(weekdays == 262 + 3 * 261); // 2024: 262 weekdays, 2025-2027: 261 each
  CHECK(cal::holiday_name(day(2025, 4, 18)) ==
        std::optional<std::string_view>{"Good Friday"});
  CHECK(cal::holiday_name(day(2026, 6, 19)) ==
        std::optional<std::string_view>{"Juneteenth"});
  CHECK(cal::holiday_name(day(2026, 11, 26)) ==
        std::optional<std::string_view>{"Thanksgiving Day"});
  // New Year's Day 2028 falls on a Saturday and is not observed on Friday 2027-12-31.
  CHECK(cal::is_trading_day(day(2027, 12, 31)));
  // ...but a Sunday New Year's Day moves to Monday (2023-01-02).
  CHECK(cal::is_holiday(day(2023, 1, 2)));
  // Juneteenth only from 2022.
  CHECK(cal::is_trading_day(day(2021, 6, 18)));
  CHECK(cal::is_holiday(day(2022, 6, 20)));
}

TEST_CASE("NYSE early closes 2024-2027 are exactly the published ones, at 13:00") {
  const std::vector<ymd> published{
      {2024, 7, 3},   {2024, 11, 29}, {2024, 12, 24}, {2025, 7, 3},   {2025, 11, 28},
      {2025, 12, 24}, {2026, 11, 27}, {2026, 12, 24}, {2027, 11, 26},
  };
  std::set<day_number> expected;
  for (auto h : published)
    expected.insert(day(h.y, h.m, h.d));
  for (day_number d = day(2024, 1, 1); d <= day(2027, 12, 31); ++d) {
    INFO("day " << d);
    CHECK(cal::is_early_close(d) == (expected.count(d) == 1));
  }
  // 2026-11-27 13:00 EST = 18:00 UTC.
  auto s = cal::session(day(2026, 11, 27));
  REQUIRE(s);
  CHECK(s->early_close);
  CHECK(s->open == utc(2026, 11, 27, 14, 30));
  CHECK(s->close == utc(2026, 11, 27, 18, 0));
  // 2025-07-03 13:00 EDT = 17:00 UTC.
  s = cal::session(day(2025, 7, 3));
  REQUIRE(s);
  CHECK(s->close == utc(2025, 7, 3, 17, 0));
}

TEST_CASE("daylight saving time switches on the US rule dates at 02:00 local") {
  struct dst_year {
    int y, march, november;
  };
  // Second Sunday of March, first Sunday of November.
  for (auto r : {dst_year{2024, 10, 3}, dst_year{2025, 9, 2}, dst_year{2026, 8, 1},
                 dst_year{2027, 14, 7}}) {
    INFO("year " << r.y);
    // Spring: 02:00 EST = 07:00 UTC.
    CHECK_FALSE(cal::is_new_york_dst(utc(r.y, 3, r.march, 6, 59, 59)));
    CHECK(cal::is_new_york_dst(utc(r.y, 3, r.march, 7, 0, 0)));
    // Autumn: 02:00 EDT = 06:00 UTC.
    CHECK(cal::is_new_york_dst(utc(r.y, 11, r.november, 5, 59, 59)));
    CHECK_FALSE(cal::is_new_york_dst(utc(r.y, 11, r.november, 6, 0, 0)));
    CHECK(cal::new_york_utc_offset(utc(r.y, 7, 1)) == minutes{-240});
    CHECK(cal::new_york_utc_offset(utc(r.y, 1, 15)) == minutes{-300});
  }
  // The session opens at 09:30 local on both sides of a change.
  CHECK(cal::session(day(2026, 3, 6))->open == utc(2026, 3, 6, 14, 30)); // Friday, EST
  CHECK(cal::session(day(2026, 3, 9))->open == utc(2026, 3, 9, 13, 30)); // Monday, EDT
  CHECK(cal::session(day(2026, 10, 30))->close == utc(2026, 10, 30, 20, 0)); // EDT
  CHECK(cal::session(day(2026, 11, 2))->close == utc(2026, 11, 2, 21, 0));   // EST
}

TEST_CASE("New York wall-clock conversion round-trips, gap and repeated hour included") {
  auto lt = cal::to_new_york(utc(2026, 7, 1, 3, 15));
  CHECK(lt.day == day(2026, 6, 30));
  CHECK(lt.since_midnight == hours{23} + minutes{15});
  lt = cal::to_new_york(utc(2026, 1, 2, 14, 30));
  CHECK(lt.day == day(2026, 1, 2));
  CHECK(lt.since_midnight == hours{9} + minutes{30});
  CHECK(cal::from_new_york(day(2026, 1, 2), hours{9} + minutes{30}) ==
        utc(2026, 1, 2, 14, 30));
  // 02:30 does not exist on 2026-03-08: read as EST (07:30 UTC).
  CHECK(cal::from_new_york(day(2026, 3, 8), hours{2} + minutes{30}) ==
        utc(2026, 3, 8, 7, 30));
  CHECK(cal::from_new_york(day(2026, 3, 8), hours{3}) == utc(2026, 3, 8, 7, 0));
  // 01:30 happens twice on 2026-11-01: the first (EDT, 05:30 UTC) is returned.
  CHECK(cal::from_new_york(day(2026, 11, 1), hours{1} + minutes{30}) ==
        utc(2026, 11, 1, 5, 30));
  CHECK(cal::from_new_york(day(2026, 11, 1), hours{2} + minutes{30}) ==
        utc(2026, 11, 1, 7, 30));
}

TEST_CASE("is_open is true from the open inclusive to the close exclusive") {
  // Tuesday 2026-01-06, EST: 14:30-21:00 UTC.
  CHECK_FALSE(cal::is_open(utc(2026, 1, 6, 14, 29, 59)));
  CHECK(cal::is_open(utc(2026, 1, 6, 14, 30)));
  CHECK(cal::is_open(utc(2026, 1, 6, 20, 59, 59)));
  CHECK_FALSE(cal::is_open(utc(2026, 1, 6, 21, 0)));
  // Early close 2026-12-24 (Thursday) at 13:00 EST = 18:00 UTC.
  CHECK(cal::is_open(utc(2026, 12, 24, 17, 59, 59)));
  CHECK_FALSE(cal::is_open(utc(2026, 12, 24, 18, 0)));
  // Holidays and weekends.
  CHECK_FALSE(cal::is_open(utc(2026, 12, 25, 16, 0)));
  CHECK_FALSE(cal::is_open(utc(2026, 1, 10, 16, 0)));
  // Summer: 13:30-20:00 UTC.
  CHECK(cal::is_open(utc(2026, 7, 1, 13, 30)));
  CHECK_FALSE(cal::is_open(utc(2026, 7, 1, 20, 0)));
}

TEST_CASE("next_open skips weekends and holidays") {
  // Friday 2026-04-03 is Good Friday: from Thursday's close, the next open is Monday.
  CHECK(cal::next_open(utc(2026, 4, 2, 20, 0)) == utc(2026, 4, 6, 13, 30));
  // Saturday -> Monday.
  CHECK(cal::next_open(utc(2026, 1, 10, 12, 0)) == utc(2026, 1, 12, 14, 30));
  // Before the open the same day; exactly at the open is that open.
  CHECK(cal::next_open(utc(2026, 1, 6, 3, 0)) == utc(2026, 1, 6, 14, 30));
  CHECK(cal::next_open(utc(2026, 1, 6, 14, 30)) == utc(2026, 1, 6, 14, 30));
  // During a session the next one.
  CHECK(cal::next_open(utc(2026, 1, 6, 15, 0)) == utc(2026, 1, 7, 14, 30));
  // Thanksgiving Wednesday evening -> Friday (early-close day) open.
  CHECK(cal::next_open(utc(2026, 11, 25, 22, 0)) == utc(2026, 11, 27, 14, 30));
  // Christmas 2027 observed Friday 12-24; Thursday evening -> Monday 12-27.
  CHECK(cal::next_open(utc(2027, 12, 23, 22, 0)) == utc(2027, 12, 27, 14, 30));
  // MLK weekend 2027: Friday evening -> Tuesday.
  CHECK(cal::next_open(utc(2027, 1, 15, 23, 0)) == utc(2027, 1, 19, 14, 30));
  // Across the spring clock change: Friday EST -> Monday EDT.
  CHECK(cal::next_open(utc(2026, 3, 6, 22, 0)) == utc(2026, 3, 9, 13, 30));
  CHECK(cal::next_trading_day(day(2026, 7, 2)) == day(2026, 7, 6));
  CHECK(cal::previous_trading_day(day(2026, 7, 6)) == day(2026, 7, 2));
}

TEST_CASE("next_scan runs on a grid anchored at the open, inside market hours") {
  const seconds five_min{300};
  // Not restricted: simply now + interval.
  CHECK(cal::next_scan(utc(2026, 1, 10, 3, 7), five_min, false) ==
        utc(2026, 1, 10, 3, 12));
  // Before the open: the open itself.
  CHECK(cal::next_scan(utc(2026, 1, 6, 12, 0), five_min, true) ==
        utc(2026, 1, 6, 14, 30));
  // At the open: the next grid point.
  CHECK(cal::next_scan(utc(2026, 1, 6, 14, 30), five_min, true) ==
        utc(2026, 1, 6, 14, 35));
  // Between grid points.
  CHECK(cal::next_scan(utc(2026, 1, 6, 15, 2, 10), five_min, true) ==
        utc(2026, 1, 6, 15, 5));
  // The last grid point before the close is 20:55; after it, the next day's open.
  CHECK(cal::next_scan(utc(2026, 1, 6, 20, 50), five_min, true) ==
        utc(2026, 1, 6, 20, 55));
  CHECK(cal::next_scan(utc(2026, 1, 6, 20, 55), five_min, true) ==
        utc(2026, 1, 7, 14, 30));
  // Friday after the close -> Monday open; a 7-minute grid does not land on the close.
  CHECK(cal::next_scan(utc(2026, 1, 9, 21, 30), five_min, true) ==
        utc(2026, 1, 12, 14, 30));
  CHECK(cal::next_scan(utc(2026, 1, 6, 14, 31), seconds{420}, true) ==
        utc(2026, 1, 6, 14, 37));
  // Early close: grid stops before 18:00 UTC.
  CHECK(cal::next_scan(utc(2026, 11, 27, 17, 55), five_min, true) ==
        utc(2026, 11, 30, 14, 30));
}

TEST_CASE("next_daily_rescan is a fixed time after each trading day's close") {
  // Tuesday 2026-01-06 close 21:00 UTC -> 21:30.
  CHECK(cal::next_daily_rescan(utc(2026, 1, 6, 15, 0)) == utc(2026, 1, 6, 21, 30));
  CHECK(cal::next_daily_rescan(utc(2026, 1, 6, 21, 29)) == utc(2026, 1, 6, 21, 30));
  CHECK(cal::next_daily_rescan(utc(2026, 1, 6, 21, 30)) == utc(2026, 1, 7, 21, 30));
  // Friday night -> Monday.
  CHECK(cal::next_daily_rescan(utc(2026, 1, 10, 2, 0)) == utc(2026, 1, 12, 21, 30));
  // Early close 2026-11-27 at 18:00 UTC -> 18:30; Thanksgiving itself has none.
  CHECK(cal::next_daily_rescan(utc(2026, 11, 26, 12, 0)) == utc(2026, 11, 27, 18, 30));
  // A custom offset; shortly after midnight UTC (still the previous New York evening).
  CHECK(cal::next_daily_rescan(utc(2026, 7, 2, 0, 30), minutes{240}) ==
        utc(2026, 7, 2, 0, 0) + hours{24});
}
