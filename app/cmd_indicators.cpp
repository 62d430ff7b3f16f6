// `smallcap indicators`: CSV bars in, indicators out (JSON or a table of the last rows).
#include "app/cmd_indicators.hpp"

#include "analytics/indicators/indicators.hpp"

#include <boost/json.hpp>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <istream>
#include <optional>
#include <ostream>
#include <string_view>
#include <vector>

namespace sc::app {

namespace {

constexpr std::string_view expected_header = "date,open,high,low,close,volume";
constexpr const char* field_names[6] = {"date", "open", "high", "low", "close", "volume"};

struct bar_table {
  std::vector<std::string> dates;
  std::vector<double> open, high, low, close, volume;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

/// Days since 1970-01-01 of a proleptic Gregorian date (the civil-from-days inverse).
long days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const long era = (y >= 0 ? y : y - 399) / 400;
  const long yoe = y - era * 400;
  const long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/// Parses YYYY-MM-DD (a real calendar date) into days since the epoch.
std::optional<long> parse_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto num = [&](std::size_t pos, std::size_t len, int& v) {
    const char* b = s.data() + pos;
    const auto r = std::from_chars(b, b + len, v);
    return r.ec == std::errc() && r.ptr == b + len;
  };
  int y, m, d;
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d) || s[0] == '-') return std::nullopt;
  static constexpr int month_days[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > month_days[m - 1]) return std::nullopt;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m == 2 && d == 29 && !leap) return std::nullopt;
  return days_from_civil(y, m, d);
}

std::optional<double> parse_number(std::string_view s) {
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  double v;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string fmt(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

/// Reads and validates the CSV; on the first malformed row writes the error and returns
/// false.
bool read_bars(std::istream& in, const std::string& name, std::ostream& err,
               bar_table& b) {
  auto fail = [&](long line, std::string_view field, const std::string& what) {
    err << name << ':' << line << ": " << field << ": " << what << '\n';
    return false;
  };
  std::string line;
  long lineno = 0;
  // The header: the first line, an optional UTF-8 byte-order mark before it.
  if (!std::getline(in, line))
    return fail(1, "header",
                "expected '" + std::string(expected_header) + "', got an empty input");
  ++lineno;
  std::string_view h = line;
  if (h.substr(0, 3) == "\xEF\xBB\xBF") h.remove_prefix(3);
  {
    std::string norm;
    std::size_t start = 0;
    while (true) {
      const std::size_t comma = h.find(',', start);
      norm +=
          trim(h.substr(start, comma == std::string_view::npos ? h.npos : comma - start));
      if (comma == std::string_view::npos) break;
      norm += ',';
      start = comma + 1;
    }
    if (norm != expected_header)
      return fail(1, "header",
                  "expected '" + std::string(expected_header) + "', got '" +
                      std::string(trim(h)) + "'");
  }
  long prev_day = 0;
  std::string prev_date;
  while (std::getline(in, line)) {
    ++lineno;
    const std::string_view l = trim(line);
    if (l.empty()) continue;
    std::string_view f[6];
    std::size_t nf = 0, start = 0;
    while (true) {
      const std::size_t comma = l.find(',', start);
      const std::string_view part =
          trim(l.substr(start, comma == std::string_view::npos ? l.npos : comma - start));
      if (nf == 6)
        return fail(lineno, "volume",
                    "expected the end of the row after the volume (6 fields: " +
                        std::string(expected_header) + "), got more fields");
      f[nf++] = part;
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    if (nf < 6)
      return fail(lineno, field_names[nf],
                  "missing (expected 6 fields: " + std::string(expected_header) + ")");
    for (std::size_t i = 0; i < 6; ++i)
      if (f[i].empty()) return fail(lineno, field_names[i], "missing (empty field)");
    const auto day = parse_date(f[0]);
    if (!day)
      return fail(lineno, "date",
                  "expected a calendar date YYYY-MM-DD, got '" + std::string(f[0]) + "'");
    if (!b.dates.empty() && *day <= prev_day)
      return fail(lineno, "date",
                  "expected a date after " + prev_date + " (dates must increase), got " +
                      std::string(f[0]));
    double v[6];
    for (std::size_t i = 1; i < 6; ++i) {
      const auto x = parse_number(f[i]);
      if (!x)
        return fail(lineno, field_names[i],
                    "expected a number, got '" + std::string(f[i]) + "'");
      if (!std::isfinite(*x))
        return fail(lineno, field_names[i],
                    "expected a finite number, got '" + std::string(f[i]) + "'");
      v[i] = *x;
    }
    for (std::size_t i = 1; i <= 4; ++i)
      if (!(v[i] > 0.0))
        return fail(lineno, field_names[i],
                    "expected a positive price, got " + fmt(v[i]));
    const double open = v[1], high = v[2], low = v[3], close = v[4], volume = v[5];
    if (high < low)
      return fail(lineno, "high",
                  "expected high >= low (" + fmt(low) + "), got " + fmt(high));
    if (open < low || open > high)
      return fail(lineno, "open",
                  "expected a value within [low, high] = [" + fmt(low) + ", " +
                      fmt(high) + "], got " + fmt(open));
    if (close < low || close > high)
      return fail(lineno, "close",
                  "expected a value within [low, high] = [" + fmt(low) + ", " +
                      fmt(high) + "], got " + fmt(close));
    if (volume < 0.0)
      return fail(lineno, "volume", "expected a non-negative number, got " + fmt(volume));
    prev_day = *day;
    prev_date = std::string(f[0]);
    b.dates.push_back(prev_date);
    b.open.push_back(open);
    b.high.push_back(high);
    b.low.push_back(low);
    b.close.push_back(close);
    b.volume.push_back(volume);
  }
  return true;
}

struct named_series {
  const char* name;
  ind::series values;
};

std::vector<named_series> compute(const bar_table& b) {
  const auto m = ind::macd(b.close, 12, 26, 9);
  const auto bb = ind::bollinger(b.close, 20, 2.0);
  const auto st = ind::stoch(b.high, b.low, b.close, 14, 3, 3);
  return {
      {"sma_20", ind::sma(b.close, 20)},
      {"sma_50", ind::sma(b.close, 50)},
      {"sma_200", ind::sma(b.close, 200)},
      {"ema_12", ind::ema(b.close, 12)},
      {"ema_20", ind::ema(b.close, 20)},
      {"ema_26", ind::ema(b.close, 26)},
      {"rsi_14", ind::rsi(b.close, 14)},
      {"macd", m.macd},
      {"macd_signal", m.signal},
      {"macd_hist", m.hist},
      {"bb_upper", bb.upper},
      {"bb_middle", bb.middle},
      {"bb_lower", bb.lower},
      {"atr_14", ind::atr(b.high, b.low, b.close, 14)},
      {"adx_14", ind::adx(b.high, b.low, b.close, 14)},
      {"obv", ind::obv(b.close, b.volume)},
      {"stoch_k", st.k},
      {"stoch_d", st.d},
  };
}

void print_json(const std::vector<named_series>& all, std::ostream& out) {
  boost::json::object obj;
  for (const auto& s : all) {
    boost::json::array a;
    a.reserve(s.values.size());
    for (double v : s.values) {
      if (std::isnan(v))
        a.emplace_back(nullptr);
      else
        a.emplace_back(v);
    }
    obj.emplace(s.name, std::move(a));
  }
  out << boost::json::serialize(obj) << '\n';
}

void print_table(const bar_table& b, const std::vector<named_series>& all,
                 std::ostream& out) {
  const char* shown[] = {"sma_20", "sma_50",      "ema_20",   "rsi_14",
                         "macd",   "macd_signal", "bb_upper", "bb_lower",
                         "atr_14", "adx_14",      "stoch_k",  "stoch_d"};
  auto find = [&](const char* name) -> const ind::series& {
    for (const auto& s : all)
      if (std::string_view(s.name) == name) return s.values;
    return all.front().values;
  };
  char buf[64];
  std::string line = "date        ";
  std::snprintf(buf, sizeof buf, "%12s", "close");
  line += buf;
  for (const char* n : shown) {
    std::snprintf(buf, sizeof buf, "%12s", n);
    line += buf;
  }
  out << line << '\n';
  const std::size_t rows = 10;
  const std::size_t first = b.close.size() > rows ? b.close.size() - rows : 0;
  for (std::size_t t = first; t < b.close.size(); ++t) {
    line = b.dates[t];
    line += "  ";
    std::snprintf(buf, sizeof buf, "%12.4f", b.close[t]);
    line += buf;
    for (const char* n : shown) {
      const double v = find(n)[t];
      if (std::isnan(v))
        std::snprintf(buf, sizeof buf, "%12s", "-");
      else
        std::snprintf(buf, sizeof buf, "%12.4f", v);
      line += buf;
    }
    out << line << '\n';
  }
  out << b.close.size() << " bars; last " << (b.close.size() - first)
      << " shown; '-' = not yet defined\n";
}

} // namespace

int run_indicators(std::istream& in, const std::string& input_name, std::ostream& out,
                   std::ostream& err, bool json) {
  bar_table b;
  if (!read_bars(in, input_name, err, b)) return 2;
  const auto all = compute(b);
  if (json)
    print_json(all, out);
  else
    print_table(b, all, out);
  return 0;
}

} // namespace sc::app
