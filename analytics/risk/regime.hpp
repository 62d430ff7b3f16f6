// Market volatility regime: low / normal / high / crisis. Pure C++, no CAF.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sc::config {
struct risk_settings;
}

namespace sc::risk {

enum class vol_regime : uint8_t { low = 0, normal = 1, high = 2, crisis = 3 };

const char* to_string(vol_regime r);

/// Realised-volatility thresholds, as percentile ranks of the current realised vol
/// within its own rolling history.
struct regime_options {
  int window = 20;           ///< Days per realised-vol estimate.
  double low_below = 0.25;   ///< Rank below this: low.
  double high_from = 0.75;   ///< Rank at or above: high.
  double crisis_from = 0.95; ///< Rank at or above: crisis.
};

struct regime_report {
  vol_regime regime = vol_regime::normal;
  vol_regime by_index_level = vol_regime::normal; ///< From the volatility index.
  vol_regime by_realised = vol_regime::normal;    ///< From the realised-vol rank.
  bool has_index_level = false;
  bool has_realised = false;
  double index_level = 0;
  double realised_vol = 0; ///< Annualised (sqrt(252)) stdev of the last `window` returns.
  double realised_rank = 0; ///< Fraction of historical windows with vol <= current.
  std::string reason;       ///< Which input decided, with its numbers.
};

/// Classifies the regime from the volatility-index level (NaN = not available) and
/// the daily returns of the small-cap index (oldest first; may be empty).
///
/// Index level: < vix_low low; < vix_high normal; < vix_crisis high; else crisis
/// (defaults 15 / 25 / 35 in config::risk_settings).
/// Realised: the annualised standard deviation (divisor window - 1) of each rolling
/// window of `window` returns; the rank of the latest among all of them (including
/// itself) maps to low / normal / high / crisis with regime_options. Needs at least
/// 2 * window returns, otherwise that input is ignored.
/// With both inputs the more severe classification wins; with neither, normal.
regime_report classify_regime(double index_level,
                              const std::vector<double>& index_returns,
                              const config::risk_settings& limits,
                              const regime_options& opts = {});

} // namespace sc::risk
