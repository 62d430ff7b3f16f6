// The service's settings: one struct per config section, with the defaults in one place.
//
// Precedence (written down once): command line over environment over file over these
// defaults. The loader (config/loader.hpp) fills these from TOML and validates every
// value; config/default.toml documents each key. Pure header, no CAF.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sc::config {

using std::chrono::milliseconds;
using std::chrono::seconds;

// -- [trading] ------------------------------------------------------------------------

struct trading_settings {
  std::string mode = "paper";     ///< "paper" (simulated fills) or "live" (import only).
  double starting_cash = 100'000; ///< USD, paper account.
  double market_cap_min = 300e6;  ///< USD: small-cap band.
  double market_cap_max = 2e9;
  double position_size = 0.02; ///< Fraction of equity put at risk per new position.
  int max_positions = 10;
  double stop_loss = 0.50;     ///< Exit when a position lost this fraction of its cost.
  double profit_target = 1.00; ///< Exit when a position gained this fraction.
  int contracts_per_trade_max = 10;
  /// Paper fills: price = mid +/- slippage * half-spread (buy above, sell below).
  /// 1.0 fills buys at the ask and sells at the bid; 0 fills at the mid; values above
  /// 1 model walking the book.
  double slippage = 1.0;
  double fee_per_contract = 0.65;          ///< USD per option contract, paper fills.
  double fee_per_share = 0.0;              ///< USD per share, paper stock fills.
  std::string ledger_db = "var/ledger.db"; ///< SQLite file of the persistent ledger.
};

// -- [scanner] ------------------------------------------------------------------------

struct filter_settings {
  double price_min = 2; ///< USD.
  double price_max = 200;
  double avg_volume_min = 200'000; ///< Shares per day, 20-day average.
  double dollar_volume_min = 1e6;  ///< USD per day, 20-day average of close * volume.
  double revenue_growth_min = -1;  ///< Decimal, e.g. 0.1 = +10% year over year.
  double eps_growth_min = -10;
  double pe_min = 0;
  double pe_max = 80;
  /// Rule for companies with negative earnings (no meaningful P/E):
  /// "reject", "allow" (skip the P/E test) or "growth" (allow when revenue growth
  /// is at least negative_earnings_min_growth).
  std::string negative_earnings = "growth";
  double negative_earnings_min_growth = 0.15;
  double insider_ownership_min = 0;
  double insider_ownership_max = 1;
  double institutional_ownership_min = 0;
  double institutional_ownership_max = 1;
  double short_float_max = 0.5; ///< Short interest / float shares.
  /// Missing fundamentals (no record, or a NaN field a filter needs): true fails that
  /// filter with reason "missing_<field>"; false skips the filter for that symbol.
  bool reject_missing_fundamentals = true;
  /// Fewer daily bars than this fail with "insufficient_history" (60-day return + 1).
  int min_history_bars = 61;
};

struct scanner_weights {
  double momentum = 0.25;
  double trend = 0.20;
  double volume = 0.15;
  double volatility = 0.10;
  double fundamentals = 0.15;
  double patterns = 0.10;
  double portfolio_fit = 0.05;
};

struct scanner_settings {
  seconds interval{60};           ///< Pipeline cycle (scan) period of `smallcap run`.
  bool market_hours_only = false; ///< Sim market runs around the clock by default.
  int top_n = 20;                 ///< Candidates kept in the ranking.
  int history_days = 504;         ///< Daily bars fetched per symbol (2 years).
  std::vector<std::string> watchlist;
  std::vector<std::string> patterns = {"all"};
  int threads = 0;           ///< Scan worker threads (0 = all cores, 1 = caller only).
  int correlation_days = 60; ///< Daily returns correlated with holdings (fit factor).
  filter_settings filters;
  scanner_weights weights;
};

// -- [options] ------------------------------------------------------------------------

struct option_weights {
  double moneyness = 0.15;
  double time_value = 0.10; ///< Theta decay relative to time value.
  double liquidity = 0.20;
  double greeks = 0.10;
  double iv = 0.15; ///< Cheapness: low IV percentile scores high.
  double expected_return = 0.15;
  double probability = 0.15; ///< Probability of profit.
};

struct option_settings {
  int top_candidates = 5; ///< Candidates whose chains are analysed.
  int top_contracts = 10; ///< Contracts kept per underlying.
  int min_days = 7;       ///< Days to expiry, inclusive band.
  int max_days = 120;
  int64_t min_volume = 10;
  int64_t min_open_interest = 100;
  double max_spread = 0.25; ///< (ask - bid) / mid.
  double risk_free_rate =
      0.045; ///< Continuously compounded, used when the source gives none.
  std::string iv_history_db = "var/iv_history.db";
  /// |delta| the moneyness factor prefers: slightly out of the money suits a buyer.
  double target_delta = 0.40;
  /// Width (std. dev. in |delta|) of the moneyness preference around target_delta.
  double delta_width = 0.20;
  int iv_history_days = 252; ///< Trading days of iv30 history for percentile/rank.
  option_weights weights;
};

// -- [risk] ---------------------------------------------------------------------------

struct risk_settings {
  double max_position = 0.05; ///< Largest position cost as a fraction of equity.
  double max_sector = 0.30;   ///< Largest sector exposure as a fraction of equity.
  double max_var = 0.05;      ///< 1-day VaR at var_confidence over equity.
  double var_confidence = 0.95;
  int var_lookback = 252;     ///< Days of history for historical VaR.
  double max_drawdown = 0.20; ///< New positions stop above this drawdown.
  double max_delta = 5'000; ///< Net portfolio delta in shares-equivalent dollars / spot.
  double max_correlation =
      0.85; ///< With any holding, above which a candidate is rejected.
  int max_positions = 10;
  /// Volatility-index levels separating the regimes low | normal | high | crisis.
  double vix_low = 15;
  double vix_high = 25;
  double vix_crisis = 35;
};

// -- [data] ---------------------------------------------------------------------------

struct rate_limit {
  double per_second = 0; ///< 0 = no limit at that scale.
  double per_minute = 0;
  double per_day = 0;
};

struct source_settings {
  std::string name; ///< "sim", "yahoo", "polygon", "alphavantage", "nasdaq".
  bool enabled = true;
  int priority = 0;        ///< Lower is tried first.
  std::string api_key_env; ///< Environment variable holding the key ("" = none).
  std::string base_url;    ///< Overrides the provider's URL (tests, proxies).
  milliseconds timeout{5'000};
  rate_limit limits;
};

struct cache_ttls {
  seconds quotes{60};
  seconds bars{86'400};
  seconds fundamentals{86'400};
  seconds chains{3'600};
  seconds universe{86'400};
};

struct refresh_intervals {
  seconds quotes{15};
  seconds chains{300};
  seconds universe{86'400};
};

struct sim_settings {
  uint64_t seed = 42;
  int universe_size = 500;
  int history_days = 756;                ///< Trading days of history generated (3 years).
  double clock_speed = 60;               ///< Simulated seconds per real second.
  std::string start_date = "2026-01-02"; ///< First trading day after the history.
  /// Future trading days the simulation can run past start_date (2520 = about ten
  /// years); later times show the last simulated close.
  int horizon_days = 2520;
  double stock_vol = 0.45;       ///< Median annualised volatility of the stocks.
  double market_vol = 0.18;      ///< Long-run annualised volatility of the market factor.
  double risk_free_rate = 0.045; ///< Continuously compounded rate used to price options.
  /// sim_clock: true = simulated time jumps from one session's close to the next
  /// open, so the market trades around the (real) clock; false = plain calendar time.
  bool skip_closed = true;
};

struct retry_settings {
  int max_attempts = 3;
  milliseconds base_delay{200};
  milliseconds max_delay{5'000};
  int breaker_failures = 5; ///< Consecutive failures that open a circuit.
  seconds breaker_cooldown{30};
};

/// The embedded default: the simulated market alone (a named variable rather than
/// source_settings{"sim"}, which -Wextra flags for the members left out).
inline std::vector<source_settings> default_sources() {
  source_settings sim;
  sim.name = "sim";
  return {sim};
}

struct data_settings {
  std::vector<source_settings> sources = default_sources();
  cache_ttls cache;
  refresh_intervals refresh;
  retry_settings retry;
  sim_settings sim;
  std::string cache_db = "var/cache.db";
};

// -- [service] ------------------------------------------------------------------------

struct service_settings {
  std::string node = "node1";
  std::string log_level = "info"; ///< trace, debug, info, warn, error, critical, off.
  std::string log_file;           ///< Empty = standard error.
  std::string bind_address = "127.0.0.1";
  uint16_t http_port = 8080;
  std::string api_token_env; ///< Required when bind_address is not loopback.
  int max_restarts = 5;      ///< Supervisor: restarts allowed per restart_window.
  seconds restart_window{60};
  milliseconds restart_backoff{100}; ///< First restart delay; doubles each time.
  milliseconds restart_backoff_max{10'000};
};

// -- [cluster] ------------------------------------------------------------------------

struct cluster_settings {
  bool enabled = false;
  std::string role = "all";       ///< all, data, analytics, portfolio.
  std::vector<std::string> peers; ///< "host:port" of other nodes.
  uint16_t port = 0;
};

/// The whole configuration.
struct settings {
  trading_settings trading;
  scanner_settings scanner;
  option_settings options;
  risk_settings risk;
  data_settings data;
  service_settings service;
  cluster_settings cluster;
  std::string source_file; ///< The file it was loaded from ("" = defaults).
};

} // namespace sc::config
