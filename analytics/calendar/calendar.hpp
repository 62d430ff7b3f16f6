// US equity market calendar: NYSE trading days, holidays by rule, early closes, regular
// session hours in New York time, and the scanner's scheduling helpers.
//
// Everything is computed from rules, without the system time-zone database, so the
// answers are the same on every machine and in every container. Pure C++, no CAF.
#pragma once

#include "messages/data.hpp"

#include <chrono>
#include <optional>
#include <string_view>

namespace sc::cal {

// -- civil dates -----------------------------------------------------------------------

/// A proleptic Gregorian calendar date.
struct civil_date {
  int year = 1970;
  int month = 1; ///< 1..12
  int day = 1;   ///< 1..31
  friend bool operator==(const civil_date& a, const civil_date& b) {
    return a.year == b.year && a.month == b.month && a.day == b.day;
  }
};

/// Days since 1970-01-01 of a civil date (exact for every Gregorian date).
day_number days_from_civil(int year, int month, int day);
inline day_number days_from_civil(const civil_date& d) {
  return days_from_civil(d.year, d.month, d.day);
}
civil_date civil_from_days(day_number d);

/// Day of the week, 0 = Sunday .. 6 = Saturday.
int weekday(day_number d);

/// Easter Sunday of a Gregorian year (anonymous Gregorian algorithm,
/// Meeus/Jones/Butcher).
day_number easter_sunday(int year);

/// The n-th (1-based) given weekday of a month; n = -1 gives the last one.
day_number nth_weekday(int year, int month, int wday, int n);

// -- New York time ---------------------------------------------------------------------

/// True when US daylight saving time is in effect at the UTC instant `t` in New York.
/// Since 2007: from the second Sunday of March 02:00 EST to the first Sunday of November
/// 02:00 EDT; 1987-2006: first Sunday of April to last Sunday of October. Earlier years
/// use the 1987 rule (the calendar is not meant for dates that old).
bool is_new_york_dst(timestamp t);

/// New York's offset from UTC at instant `t`: -4 h (EDT) or -5 h (EST).
std::chrono::minutes new_york_utc_offset(timestamp t);

/// Wall-clock time in New York of the UTC instant `t`.
struct local_time {
  day_number day = 0; ///< Local calendar day.
  std::chrono::nanoseconds since_midnight{0};
};
local_time to_new_york(timestamp t);

/// The UTC instant of New York wall-clock time `since_midnight` on local day `day`.
/// In the spring-forward gap (02:00-03:00) the time is read as standard time; in the
/// repeated autumn hour the first (daylight) instance is returned.
timestamp from_new_york(day_number day, std::chrono::nanoseconds since_midnight);

// -- the NYSE calendar -----------------------------------------------------------------

/// Why the exchange is closed on a weekday, or nullopt when it is not a holiday.
/// Names: "New Year's Day", "Martin Luther King Jr. Day", "Washington's Birthday",
/// "Good Friday", "Memorial Day", "Juneteenth", "Independence Day", "Labor Day",
/// "Thanksgiving Day", "Christmas Day", and "Special closure" for the few unscheduled
/// whole-day closures listed in calendar.cpp.
std::optional<std::string_view> holiday_name(day_number d);

/// True for a full-day NYSE holiday (as observed) on a weekday.
bool is_holiday(day_number d);

/// True on a trading day whose session closes at 13:00 New York time: July 3 when it is
/// a Monday-Thursday, the day after Thanksgiving, and December 24 when it is a
/// Monday-Thursday.
bool is_early_close(day_number d);

/// A weekday that is not a holiday.
bool is_trading_day(day_number d);

/// One regular session in UTC.
struct session_times {
  timestamp open;  ///< 09:30 New York.
  timestamp close; ///< 16:00 New York, or 13:00 on early-close days.
  bool early_close = false;
};

/// The regular session of New York calendar day `d`, or nullopt when the market is
/// closed.
std::optional<session_times> session(day_number d);

/// True when `t` lies in a regular session, open inclusive, close exclusive.
bool is_open(timestamp t);

/// The earliest session open at or after `t` (so a time inside a session gives the next
/// day's open).
timestamp next_open(timestamp t);

/// The first trading day strictly after / before `d`.
day_number next_trading_day(day_number d);
day_number previous_trading_day(day_number d);

// -- scheduling
// --------------------------------------------------------------------------

/// When the next intraday scan should run after `now`.
///
/// Without `market_hours_only`: now + interval. With it, scans run on a grid anchored at
/// each session's open (open, open + interval, ...) strictly before the close; the result
/// is the first grid point strictly after `now`, or the next session's open when the
/// current session has no grid point left. Anchoring at the open keeps the scan times
/// the same every day whatever time the service was started. An interval <= 0 is read
/// as one second.
timestamp next_scan(timestamp now, std::chrono::seconds interval, bool market_hours_only);

/// When the daily full rescan should run after `now`: `after_close` past the close of a
/// trading day (early closes included), the first such instant strictly after `now`.
timestamp next_daily_rescan(timestamp now,
                            std::chrono::minutes after_close = std::chrono::minutes{30});

} // namespace sc::cal
