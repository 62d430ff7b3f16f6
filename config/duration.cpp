#include "config/duration.hpp"

#include <cstdint>
#include <limits>

namespace sc::config {

namespace {

/// Milliseconds per unit, longest unit names first so "min" is not read as "m" + "in".
struct unit_def {
  std::string_view name;
  int64_t ms;
};
constexpr unit_def units[] = {
    {"min", 60'000}, {"ms", 1}, {"s", 1'000}, {"h", 3'600'000}, {"d", 86'400'000},
};

bool fail(std::string* why, const char* what) {
  if (why) *why = what;
  return false;
}

} // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text,
                                                        std::string* why) {
  if (text.empty()) {
    fail(why, "empty");
    return std::nullopt;
  }
  // Work in whole milliseconds; fractional input is accepted only when it lands on a
  // whole millisecond ("0.5s" yes, "0.0005s" no), which keeps the result exact.
  long double total = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    long double value = 0;
    bool digits = false;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      value = value * 10 + (text[i] - '0');
      ++i;
      digits = true;
    }
    if (i < text.size() && text[i] == '.') {
      ++i;
      long double scale = 0.1L;
      bool frac = false;
      while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
        value += (text[i] - '0') * scale;
        scale /= 10;
        ++i;
        frac = true;
      }
      if (!frac) {
        fail(why, "a digit must follow '.'");
        return std::nullopt;
      }
    }
    if (!digits && i == start) {
      fail(why, "expected a number");
      return std::nullopt;
    }
    const unit_def* found = nullptr;
    for (const auto& u : units) {
      if (text.substr(i, u.name.size()) == u.name) {
        found = &u;
        break;
      }
    }
    if (!found) {
      if (i < text.size() && text[i] == 'm')
        fail(why, "'m' is ambiguous, write 'min' or 'ms'");
      else if (i == text.size())
        fail(why, "missing unit (ms, s, min, h, d)");
      else
        fail(why, "unknown unit (allowed: ms, s, min, h, d)");
      return std::nullopt;
    }
    i += found->name.size();
    total += value * found->ms;
  }
  if (total > static_cast<long double>(std::numeric_limits<int64_t>::max() / 2)) {
    fail(why, "too large");
    return std::nullopt;
  }
  long double whole = static_cast<long double>(static_cast<int64_t>(total + 0.5L));
  if (whole - total > 1e-6L || total - whole > 1e-6L) {
    fail(why, "finer than a millisecond");
    return std::nullopt;
  }
  return std::chrono::milliseconds{static_cast<int64_t>(whole)};
}

std::string format_duration(std::chrono::milliseconds d) {
  const int64_t ms = d.count();
  if (ms == 0) return "0s";
  // Largest exact unit first.
  constexpr unit_def order[] = {
      {"d", 86'400'000}, {"h", 3'600'000}, {"min", 60'000}, {"s", 1'000}, {"ms", 1}};
  for (const auto& u : order)
    if (ms % u.ms == 0) return std::to_string(ms / u.ms) + std::string(u.name);
  return std::to_string(ms) + "ms";
}

} // namespace sc::config
