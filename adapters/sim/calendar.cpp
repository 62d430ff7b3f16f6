#include "adapters/sim/calendar.hpp"

#include <cstdio>

namespace sc::sim {

namespace {

constexpr int64_t ns_per_s = 1'000'000'000LL;

// The n-th (1-based) given weekday of a month; n = -1 asks for the last one.
day_number nth_weekday(int year, int month, int wd, int n) noexcept {
  if (n > 0) {
    const day_number first = to_day_number({year, month, 1});
    const int shift = (wd - weekday(first) + 7) % 7;
    return first + shift + 7 * (n - 1);
  }
  const int next_month = month == 12 ? 1 : month + 1;
  const int next_year = month == 12 ? year + 1 : year;
  const day_number last = to_day_number({next_year, next_month, 1}) - 1;
  return last - (weekday(last) - wd + 7) % 7;
}

// Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
day_number easter(int y) noexcept {
  const int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
  const int f = (b + 8) / 25, g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4, k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return to_day_number({y, month, day});
}

// A fixed-date holiday moved to Friday when on Saturday and Monday when on Sunday.
day_number observed(int year, int month, int day) noexcept {
  const day_number d = to_day_number({year, month, day});
  const int wd = weekday(d);
  return wd == 6 ? d - 1 : wd == 0 ? d + 1 : d;
}

} // namespace

day_number to_day_number(civil_date cd) noexcept {
  const int y = cd.year - (cd.month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = static_cast<unsigned>(cd.month > 2 ? cd.month - 3 : cd.month + 9);
  const unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(cd.day) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<day_number>(era * 146097 + static_cast<int>(doe) - 719468);
}

civil_date to_civil(day_number dn) noexcept {
  const int z = dn + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = static_cast<int>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2 ? 1 : 0), static_cast<int>(m), static_cast<int>(d)};
}

int weekday(day_number d) noexcept {
  // 1970-01-01 was a Thursday (4).
  return static_cast<int>(((int64_t{d} % 7) + 7 + 4) % 7);
}

std::optional<day_number> parse_date(std::string_view s) noexcept {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto digits = [&](size_t pos, size_t n, int& out) {
    out = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  civil_date cd;
  if (!digits(0, 4, cd.year) || !digits(5, 2, cd.month) || !digits(8, 2, cd.day))
    return std::nullopt;
  if (cd.month < 1 || cd.month > 12 || cd.day < 1 || cd.day > 31) return std::nullopt;
  const day_number d = to_day_number(cd);
  const civil_date back = to_civil(d);
  if (back.month != cd.month || back.day != cd.day)
    return std::nullopt; // e.g. 2026-02-30
  return d;
}

std::string format_date(day_number d) {
  const civil_date c = to_civil(d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
  return buf;
}

bool is_market_holiday(day_number d) noexcept {
  const civil_date c = to_civil(d);
  const int y = c.year;
  // New Year's Day: a Saturday holiday is not moved back into the old year.
  const day_number ny = to_day_number({y, 1, 1});
  if ((weekday(ny) != 6 && observed(y, 1, 1) == d)) return true;
  if (d == nth_weekday(y, 1, 1, 3) || d == nth_weekday(y, 2, 1, 3)) return true;
  if (d == easter(y) - 2) return true;
  if (d == nth_weekday(y, 5, 1, -1)) return true;
  if (y >= 2022 && d == observed(y, 6, 19)) return true;
  if (d == observed(y, 7, 4)) return true;
  if (d == nth_weekday(y, 9, 1, 1) || d == nth_weekday(y, 11, 4, 4)) return true;
  if (d == observed(y, 12, 25)) return true;
  return false;
}

bool is_trading_day(day_number d) noexcept {
  const int wd = weekday(d);
  return wd != 0 && wd != 6 && !is_market_holiday(d);
}

day_number next_trading_day(day_number d) noexcept {
  do
    ++d;
  while (!is_trading_day(d));
  return d;
}

day_number previous_trading_day(day_number d) noexcept {
  do
    --d;
  while (!is_trading_day(d));
  return d;
}

int ny_utc_offset_seconds(day_number d) noexcept {
  const int y = to_civil(d).year;
  const day_number dst_start = nth_weekday(y, 3, 0, 2);
  const day_number dst_end = nth_weekday(y, 11, 0, 1);
  return (d >= dst_start && d < dst_end) ? -4 * 3600 : -5 * 3600;
}

day_number ny_day(timestamp t) noexcept {
  // Try the standard-time offset, then correct with that day's actual offset.
  const int64_t s = t.time_since_epoch().count() / ns_per_s -
                    (t.time_since_epoch().count() % ns_per_s < 0 ? 1 : 0);
  day_number d = to_day(timestamp{std::chrono::seconds{s - 5 * 3600}});
  const int off = ny_utc_offset_seconds(d);
  return to_day(timestamp{std::chrono::seconds{s + off}});
}

timestamp ny_time(day_number d, int hour, int minute) noexcept {
  const int64_t local = int64_t{d} * 86'400 + hour * 3600 + minute * 60;
  return timestamp{std::chrono::seconds{local - ny_utc_offset_seconds(d)}};
}

} // namespace sc::sim
