#include "analytics/calendar/calendar.hpp"

#include <array>

namespace sc::cal {

namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::nanoseconds;

constexpr int64_t ns_per_day = 86'400LL * 1'000'000'000LL;

timestamp at(day_number d, nanoseconds since_midnight) {
  return to_timestamp(d) + since_midnight;
}

/// Saturday holidays move to the Friday before, Sunday holidays to the Monday after.
day_number observed(day_number d) {
  switch (weekday(d)) {
  case 6:
    return d - 1;
  case 0:
    return d + 1;
  default:
    return d;
  }
}

/// Whole-day closures that no rule predicts (national days of mourning, emergencies).
/// Only closures of the regular session are listed.
constexpr std::array<civil_date, 11> special_closures{{
    {1994, 4, 27}, // President Nixon
    {2001, 9, 11},
    {2001, 9, 12},
    {2001, 9, 13},
    {2001, 9, 14}, // September 11
    {2004, 6, 11}, // President Reagan
    {2007, 1, 2},  // President Ford
    {2012, 10, 29},
    {2012, 10, 30}, // Hurricane Sandy
    {2018, 12, 5},  // President G. H. W. Bush
    {2025, 1, 9},   // President Carter
}};

} // namespace

// -- civil dates -----------------------------------------------------------------------

// Days-from-civil by shifting the year to start in March, so the leap day is the last
// day of the (shifted) year, and counting 400-year eras of 146097 days.
day_number days_from_civil(int year, int month, int day) {
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;                         // [0, 399]
  const int mp = month > 2 ? month - 3 : month + 9;      // March = 0
  const int doy = (153 * mp + 2) / 5 + day - 1;          // [0, 365]
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
  return static_cast<day_number>(era * 146097 + doe - 719468);
}

civil_date civil_from_days(day_number d) {
  const int z = d + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  civil_date out;
  out.day = doy - (153 * mp + 2) / 5 + 1;
  out.month = mp < 10 ? mp + 3 : mp - 9;
  out.year = yoe + era * 400 + (out.month <= 2 ? 1 : 0);
  return out;
}

int weekday(day_number d) {
  // 1970-01-01 was a Thursday (4).
  const int w = (static_cast<int64_t>(d) + 4) % 7;
  return w < 0 ? w + 7 : w;
}

day_number easter_sunday(int y) {
  const int a = y % 19;
  const int b = y / 100;
  const int c = y % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return days_from_civil(y, month, day);
}

day_number nth_weekday(int year, int month, int wday, int n) {
  if (n > 0) {
    const day_number first = days_from_civil(year, month, 1);
    return first + (wday - weekday(first) + 7) % 7 + 7 * (n - 1);
  }
  const day_number last = month == 12 ? days_from_civil(year + 1, 1, 1) - 1
                                      : days_from_civil(year, month + 1, 1) - 1;
  return last - (weekday(last) - wday + 7) % 7;
}

// -- New York time ---------------------------------------------------------------------

bool is_new_york_dst(timestamp t) {
  const int year = civil_from_days(to_day(t)).year;
  day_number start, end;
  if (year >= 2007) {
    start = nth_weekday(year, 3, 0, 2);
    end = nth_weekday(year, 11, 0, 1);
  } else {
    start = nth_weekday(year, 4, 0, 1);
    end = nth_weekday(year, 10, 0, -1);
  }
  // 02:00 EST = 07:00 UTC; 02:00 EDT = 06:00 UTC.
  return t >= at(start, hours{7}) && t < at(end, hours{6});
}

minutes new_york_utc_offset(timestamp t) {
  return is_new_york_dst(t) ? minutes{-240} : minutes{-300};
}

local_time to_new_york(timestamp t) {
  const auto local = t + new_york_utc_offset(t);
  local_time out;
  out.day = to_day(local);
  out.since_midnight = local - to_timestamp(out.day);
  return out;
}

timestamp from_new_york(day_number day, nanoseconds since_midnight) {
  const auto local = at(day, since_midnight);
  const auto as_daylight = local + hours{4};
  if (is_new_york_dst(as_daylight)) return as_daylight;
  return local + hours{5};
}

// -- the NYSE calendar -----------------------------------------------------------------

std::optional<std::string_view> holiday_name(day_number d) {
  const int wd = weekday(d);
  if (wd == 0 || wd == 6) return std::nullopt;
  const civil_date c = civil_from_days(d);
  const int y = c.year;
  // New Year's Day: a Sunday moves to Monday; a Saturday is not observed on the Friday
  // before (that Friday ends the year's accounting period, so the exchange stays open).
  {
    const day_number ny = days_from_civil(y, 1, 1);
    if (d == ny || (weekday(ny) == 0 && d == ny + 1)) return "New Year's Day";
  }
  if (y >= 1998 && d == nth_weekday(y, 1, 1, 3)) return "Martin Luther King Jr. Day";
  if (y >= 1971 && d == nth_weekday(y, 2, 1, 3)) return "Washington's Birthday";
  if (d == easter_sunday(y) - 2) return "Good Friday";
  if (y >= 1971 && d == nth_weekday(y, 5, 1, -1)) return "Memorial Day";
  if (y >= 2022 && d == observed(days_from_civil(y, 6, 19))) return "Juneteenth";
  if (d == observed(days_from_civil(y, 7, 4))) return "Independence Day";
  if (d == nth_weekday(y, 9, 1, 1)) return "Labor Day";
  if (d == nth_weekday(y, 11, 4, 4)) return "Thanksgiving Day";
  if (d == observed(days_from_civil(y, 12, 25))) return "Christmas Day";
  for (const auto& s : special_closures)
    if (c == s) return "Special closure";
  return std::nullopt;
}

bool is_holiday(day_number d) {
  return holiday_name(d).has_value();
}

bool is_trading_day(day_number d) {
  const int wd = weekday(d);
  return wd != 0 && wd != 6 && !is_holiday(d);
}

bool is_early_close(day_number d) {
  if (!is_trading_day(d)) return false;
  const civil_date c = civil_from_days(d);
  const int wd = weekday(d);
  // July 3 and December 24 only when the holiday itself falls on Tuesday-Friday, i.e.
  // the eve is a Monday-Thursday; a Friday eve is the observed holiday itself.
  if (c.month == 7 && c.day == 3 && wd >= 1 && wd <= 4) return true;
  if (c.month == 12 && c.day == 24 && wd >= 1 && wd <= 4) return true;
  if (c.month == 11 && d == nth_weekday(c.year, 11, 4, 4) + 1) return true;
  return false;
}

std::optional<session_times> session(day_number d) {
  if (!is_trading_day(d)) return std::nullopt;
  session_times s;
  s.early_close = is_early_close(d);
  s.open = from_new_york(d, hours{9} + minutes{30});
  s.close = from_new_york(d, s.early_close ? hours{13} : hours{16});
  return s;
}

bool is_open(timestamp t) {
  const auto s = session(to_new_york(t).day);
  return s && t >= s->open && t < s->close;
}

day_number next_trading_day(day_number d) {
  do
    ++d;
  while (!is_trading_day(d));
  return d;
}

day_number previous_trading_day(day_number d) {
  do
    --d;
  while (!is_trading_day(d));
  return d;
}

timestamp next_open(timestamp t) {
  for (day_number d = to_new_york(t).day;; d = next_trading_day(d)) {
    if (auto s = session(d); s && s->open >= t) return s->open;
  }
}

// -- scheduling
// --------------------------------------------------------------------------

timestamp next_scan(timestamp now, std::chrono::seconds interval,
                    bool market_hours_only) {
  if (interval <= std::chrono::seconds{0}) interval = std::chrono::seconds{1};
  if (!market_hours_only) return now + interval;
  for (day_number d = to_new_york(now).day;; d = next_trading_day(d)) {
    auto s = session(d);
    if (!s) continue;
    if (now < s->open) return s->open;
    if (now < s->close) {
      const auto step = std::chrono::duration_cast<timestamp::duration>(interval);
      const auto k = (now - s->open) / step + 1;
      const auto candidate = s->open + k * step;
      if (candidate < s->close) return candidate;
    }
  }
}

timestamp next_daily_rescan(timestamp now, std::chrono::minutes after_close) {
  // Start one day early: with a long `after_close` yesterday's rescan may still be ahead.
  for (day_number d = to_new_york(now).day - 1;; d = next_trading_day(d)) {
    if (auto s = session(d); s && s->close + after_close > now)
      return s->close + after_close;
  }
}

} // namespace sc::cal
