// One full scan: universe -> filters -> indicators and patterns -> score -> rank.
// Pure C++, no CAF; the scanner actor holds the data and calls run_scan().
#pragma once

#include "analytics/patterns/patterns.hpp"
#include "analytics/scanner/filters.hpp"
#include "analytics/scanner/scoring.hpp"
#include "config/settings.hpp"
#include "messages/data.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace sc::scan {

/// A current position, for the portfolio-fit factor.
struct holding {
  std::string symbol;
  std::string sector;
  double value = 0;                 ///< Market value (USD); weights the sector share.
  const bar_series* bars = nullptr; ///< Daily bars for return correlation; may be null.
};

/// Where run_scan gets its data. Lookups are called from the calling thread only, once
/// per universe symbol (canonical spelling, see normalise_symbol), before any work is
/// split across threads; the pointed-to values must outlive the call. A null answer
/// means "not available".
struct scan_data {
  std::function<const fundamentals*(const std::string& symbol)> fundamentals_of;
  std::function<const bar_series*(const std::string& symbol)> bars_of;
  const bar_series* index_bars = nullptr; ///< Benchmark index for beta; may be null.
  std::vector<holding> holdings;
};

/// Lookups over maps keyed by symbol (the maps must outlive the scan_data).
scan_data
make_scan_data(const std::unordered_map<std::string, fundamentals>& fundamentals,
               const std::unordered_map<std::string, bar_series>& bars);

/// One ranked candidate with everything that explains its score.
struct candidate {
  int rank = 0; ///< 1 = best.
  std::string symbol;
  std::string name;
  std::string sector;
  std::vector<std::string> origin;
  double score = 0; ///< Composite in [0, 100].
  raw_inputs inputs;
  factor_breakdown factors;
  std::vector<patterns::pattern_match> patterns;
};

/// One symbol that did not pass the filters.
struct rejection {
  std::string symbol;
  reject_reason reason{};         ///< The first failing filter.
  std::vector<reject_reason> all; ///< Every failing filter, in filter order.
  std::string detail;             ///< Values behind the first failure.
};

struct scan_timing {
  std::chrono::microseconds total{0};
  std::chrono::microseconds filter{0}; ///< Data resolution, liquidity and filters.
  std::chrono::microseconds score{0};  ///< Indicators, patterns, factors.
  std::chrono::microseconds rank{0};
  int threads = 1;
};

struct scan_result {
  std::vector<candidate> candidates; ///< The top_n best, ranked (ties by symbol).
  size_t universe_size = 0;
  size_t passed = 0;                 ///< Symbols that passed every filter (all scored).
  std::vector<rejection> rejections; ///< Sorted by symbol.
  std::map<std::string, int> rejected_by; ///< Count per first failing reason.
  std::map<std::string, int> failed_by;   ///< Count per failing filter (any position).
  scan_timing timing;
  std::string error; ///< Non-empty: bad settings, nothing was scanned.
};

/// Runs one scan of `universe`. Symbols are filtered, every survivor is scored (the
/// batch indicator API and the pattern detector on its daily bars), and the best
/// scanner.top_n are returned ranked by composite score, then symbol. With
/// scanner.threads != 1 the symbols are split over worker threads; the result does not
/// depend on the number of threads.
scan_result run_scan(const std::vector<security>& universe, const scan_data& data,
                     const config::scanner_settings& scanner,
                     const config::trading_settings& trading);

} // namespace sc::scan
