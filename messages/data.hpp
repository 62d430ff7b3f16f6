// Plain market-data values shared by the adapters, the analytics glue and the actors.
//
// This header is deliberately free of CAF: adapters' parsing code and the simulated
// market produce these values without knowing about actors. The CAF `inspect()`
// overloads that make them messages live in messages/inspect.hpp.
#pragma once

#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace sc {

/// Nanoseconds since the Unix epoch, UTC. Same type as caf::timestamp.
using timestamp = std::chrono::time_point<std::chrono::system_clock,
                                          std::chrono::duration<int64_t, std::nano>>;

/// A calendar day as days since 1970-01-01 (UTC), the unit of daily bars.
using day_number = int32_t;

inline constexpr double nan = std::numeric_limits<double>::quiet_NaN();

/// Where a datum came from and how fresh it is. Every reply of the fetcher carries one.
struct provenance {
  std::string source;  ///< Source name, e.g. "sim", "yahoo".
  timestamp fetched{}; ///< When the source produced it.
  bool stale = false;  ///< True when served from cache after every source failed.
};

/// One listed stock of the universe.
struct security {
  std::string symbol;
  std::string name;
  std::string sector;
  std::string exchange;
  double market_cap = 0;           ///< USD.
  std::vector<std::string> origin; ///< Lists it came from ("sim", "nasdaq", "watchlist").
};

/// Fundamental data of one company. Ratios are decimals (0.25 = 25%).
/// Unknown values are NaN.
struct fundamentals {
  std::string symbol;
  double revenue_growth = nan; ///< Year-over-year revenue growth.
  double eps_growth = nan;     ///< Year-over-year EPS growth.
  double eps = nan;            ///< Trailing twelve-month EPS, USD (negative = loss).
  double pe_ratio = nan;       ///< Price / trailing EPS; NaN when EPS <= 0.
  double insider_ownership = nan;
  double institutional_ownership = nan;
  double short_interest = nan; ///< Shares sold short.
  double float_shares = nan;
  double shares_outstanding = nan;
  provenance meta;
};

/// Daily OHLCV bars of one symbol as a structure of arrays, oldest first.
struct bar_series {
  std::string symbol;
  std::vector<day_number> date;
  std::vector<double> open;
  std::vector<double> high;
  std::vector<double> low;
  std::vector<double> close;
  std::vector<double> volume;
  provenance meta;

  size_t size() const noexcept { return close.size(); }
};

/// Top-of-book quote of one stock or index.
struct quote {
  std::string symbol;
  double bid = nan;
  double ask = nan;
  double last = nan;
  double prev_close = nan;
  double volume = 0; ///< Shares traded today.
  int64_t bid_size = 0;
  int64_t ask_size = 0;
  timestamp time{}; ///< Time of the quote (market time).
  provenance meta;

  double mid() const noexcept { return (bid > 0 && ask > 0) ? 0.5 * (bid + ask) : last; }
};

enum class option_type : uint8_t { call = 0, put = 1 };
enum class exercise_style : uint8_t { european = 0, american = 1 };

inline const char* to_string(option_type x) {
  return x == option_type::call ? "call" : "put";
}
inline const char* to_string(exercise_style x) {
  return x == exercise_style::european ? "european" : "american";
}

/// One listed option contract as quoted.
struct option_quote {
  std::string contract; ///< OCC symbol, e.g. "ABCD260116C00012500".
  std::string underlying;
  option_type type = option_type::call;
  exercise_style style = exercise_style::american;
  double strike = 0;
  day_number expiry = 0; ///< Expiration date (the contract expires at the close).
  double bid = nan;
  double ask = nan;
  double last = nan;
  int64_t volume = 0;
  int64_t open_interest = 0;
  int64_t bid_size = 0;
  int64_t ask_size = 0;
  timestamp quote_time{};
  double provider_iv = nan; ///< Implied volatility as the provider reports it, if any.
};

/// All contracts of one underlying at one time.
struct option_chain {
  std::string underlying;
  double spot = nan;
  double rate = 0;           ///< Continuously compounded risk-free rate.
  double dividend_yield = 0; ///< Continuous dividend yield.
  timestamp as_of{};
  std::vector<option_quote> contracts;
  provenance meta;
};

/// Converts a day number to a timestamp at 00:00 UTC of that day.
inline timestamp to_timestamp(day_number d) {
  return timestamp{
      std::chrono::duration<int64_t, std::nano>{int64_t{d} * 86400LL * 1000000000LL}};
}

/// The UTC day a timestamp falls on.
inline day_number to_day(timestamp t) {
  auto ns = t.time_since_epoch().count();
  auto d = ns / (86400LL * 1000000000LL);
  if (ns < 0 && d * 86400LL * 1000000000LL != ns) --d;
  return static_cast<day_number>(d);
}

} // namespace sc
