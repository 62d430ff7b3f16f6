// The simulated market's trading calendar and New York session times.
//
// Trading days are weekdays that are not NYSE full-day holidays, computed by rule:
// New Year's Day (Sunday -> Monday; Saturday -> no holiday), Martin Luther King Jr. Day
// (3rd Monday of January), Washington's Birthday (3rd Monday of February), Good Friday,
// Memorial Day (last Monday of May), Juneteenth (from 2022), Independence Day and
// Christmas (Saturday -> Friday, Sunday -> Monday), Labor Day (1st Monday of
// September), Thanksgiving (4th Thursday of November). Early closes and one-off
// closures are not modelled: every session runs 09:30-16:00 New York time.
//
// New York time is computed with the US daylight-saving rule in force since 2007
// (EDT, UTC-4, from the second Sunday of March to the first Sunday of November;
// EST, UTC-5, otherwise). The switch happens at 02:00 local time, outside any session,
// so for session times the rule is applied per calendar day.
#pragma once

#include "messages/data.hpp"

#include <optional>
#include <string_view>

namespace sc::sim {

/// A proleptic Gregorian calendar date.
struct civil_date {
  int year = 1970;
  int month = 1; ///< 1..12
  int day = 1;   ///< 1..31
};

/// Days since 1970-01-01 of a civil date (Hinnant's days_from_civil algorithm).
day_number to_day_number(civil_date d) noexcept;
/// The civil date of a day number.
civil_date to_civil(day_number d) noexcept;
/// Day of the week, 0 = Sunday .. 6 = Saturday.
int weekday(day_number d) noexcept;

/// Parses "YYYY-MM-DD"; nullopt when the text is not a valid date.
std::optional<day_number> parse_date(std::string_view text) noexcept;
/// Formats a day as "YYYY-MM-DD".
std::string format_date(day_number d);

/// True when d is an NYSE full-day holiday by the rules above.
bool is_market_holiday(day_number d) noexcept;
/// True for weekdays that are not holidays.
bool is_trading_day(day_number d) noexcept;
/// The first trading day strictly after d.
day_number next_trading_day(day_number d) noexcept;
/// The last trading day strictly before d.
day_number previous_trading_day(day_number d) noexcept;

/// New York's offset from UTC on day d in seconds (-4 h or -5 h).
int ny_utc_offset_seconds(day_number d) noexcept;
/// The New York calendar day a UTC timestamp falls on.
day_number ny_day(timestamp t) noexcept;
/// The instant of hh:mm New York time on day d.
timestamp ny_time(day_number d, int hour, int minute) noexcept;

/// Regular session bounds: 09:30 and 16:00 New York time.
inline timestamp session_open(day_number d) noexcept {
  return ny_time(d, 9, 30);
}
inline timestamp session_close(day_number d) noexcept {
  return ny_time(d, 16, 0);
}
/// Length of a regular session in seconds (6.5 hours).
inline constexpr int64_t session_seconds = 23'400;

} // namespace sc::sim
