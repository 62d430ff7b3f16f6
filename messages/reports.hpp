// The pipeline's outputs as plain values: scan results, option ideas, risk decisions,
// portfolio and health snapshots. CAF-free like data.hpp; the inspect() overloads that
// make them messages live in messages/inspect.hpp.
#pragma once

#include "messages/data.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace sc {

/// One day's 30-day constant-maturity at-the-money implied volatility.
struct iv_point {
  day_number day = 0;
  double iv = nan;
};

/// A factor of a weighted score: the raw input, its score in [0,1] and its weight
/// (normalised, so the composite is the sum of score * weight).
struct factor_score {
  std::string name;
  double raw = nan;
  double score = 0;
  double weight = 0;
};

/// A stock that passed the filters, with its score and the why of it.
struct candidate {
  std::string symbol;
  std::string name;
  std::string sector;
  double price = nan;
  double market_cap = nan;
  double score = 0; ///< Composite in [0,1].
  std::vector<factor_score> factors;
  std::vector<std::string> patterns; ///< Current patterns, e.g. "bull_flag(0.72)".
};

/// How many symbols one filter rejected.
struct reason_count {
  std::string reason;
  int64_t count = 0;
};

/// The result of one scan.
struct scan_report {
  uint64_t cycle = 0;
  timestamp time{};
  int64_t universe_size = 0;
  int64_t passed = 0;
  std::vector<reason_count> rejections;
  std::vector<candidate> candidates; ///< Ranked, best first.
  std::vector<std::string> errors;   ///< Data errors (symbol: what failed).
  double duration_ms = 0;
};

/// One option contract as analysed and scored.
struct option_idea {
  std::string contract;
  std::string underlying;
  option_type type = option_type::call;
  exercise_style style = exercise_style::american;
  double strike = 0;
  day_number expiry = 0;
  int32_t days = 0;
  double spot = nan;
  double bid = nan;
  double ask = nan;
  double mid = nan;
  double iv = nan;
  double delta = nan;
  double gamma = nan;
  double vega = nan;  ///< Per 1.00 change of vol.
  double theta = nan; ///< Per year, calendar time.
  double rho = nan;
  double iv_percentile = nan;
  double iv_rank = nan;
  double pop = nan; ///< Probability of profit, real-world.
  double pop_risk_neutral = nan;
  double expected_return = nan; ///< Real-world, over the premium.
  double breakeven = nan;
  double liquidity = nan;
  double score = 0;
  std::vector<factor_score> factors;
};

/// The ranked contracts of one underlying.
struct option_report {
  std::string underlying;
  double spot = nan;
  double iv30 = nan;
  int64_t analysed = 0;
  int64_t excluded = 0;
  std::vector<reason_count> exclusions;
  std::vector<option_idea> ideas; ///< Ranked, best first.
  std::string error;              ///< Non-empty when the chain could not be had.
};

/// A position proposed to the risk manager.
struct trade_proposal {
  option_idea idea;
  std::string sector;
  int64_t quantity = 0;                   ///< Contracts (100 shares each).
  double price = nan;                     ///< Per share (the ask for a buy).
  std::vector<double> underlying_returns; ///< Daily log returns, oldest first.
};

enum class verdict : uint8_t { approve = 0, resize = 1, reject = 2 };
inline const char* to_string(verdict v) {
  return v == verdict::approve ? "approve" : v == verdict::resize ? "resize" : "reject";
}

/// The risk manager's answer to one proposal.
struct risk_decision {
  trade_proposal proposal;
  verdict decision = verdict::reject;
  int64_t quantity = 0; ///< Approved quantity (0 when rejected).
  std::string reason;
};

/// One open position as the portfolio manager reports it.
struct position_view {
  std::string symbol; ///< Contract or stock symbol.
  std::string underlying;
  std::string sector;
  bool is_option = true;
  option_type type = option_type::call;
  double strike = 0;
  day_number expiry = 0;
  int64_t quantity = 0;
  double avg_cost = nan; ///< Per share.
  double mark = nan;     ///< Per share.
  double market_value = nan;
  double unrealized = nan;
  double delta = nan; ///< Position delta in shares.
  double stop = nan;
  double target = nan;
};

/// The portfolio marked to market.
struct portfolio_snapshot {
  timestamp time{};
  double cash = 0;
  double equity = 0;
  double realized = 0;
  double unrealized = 0;
  double drawdown = 0; ///< From the equity peak, as a fraction.
  std::vector<position_view> positions;
  int64_t fills = 0; ///< Fills in the ledger so far.
};

/// A sector's share of equity.
struct exposure {
  std::string name;
  double fraction = 0;
};

/// The portfolio's risk picture.
struct risk_report {
  timestamp time{};
  double equity = 0;
  double var = 0; ///< 1-day historical VaR, currency.
  double cvar = 0;
  double confidence = 0.95;
  double delta = 0; ///< Net dollar delta.
  double gamma = 0;
  double vega = 0;
  double theta = 0; ///< Per day.
  double drawdown = 0;
  double sharpe = nan;
  std::string regime;
  std::vector<exposure> sectors;
};

/// One pipeline cycle end to end.
struct cycle_report {
  uint64_t cycle = 0;
  scan_report scan;
  std::vector<option_report> options;
  std::vector<risk_decision> decisions;
  std::vector<std::string> opened; ///< Contracts opened this cycle.
  portfolio_snapshot portfolio;
  risk_report risk;
  double duration_ms = 0;
};

/// Lifecycle of a long-lived actor.
///
///   starting --> running <--> degraded
///       \           |             /
///        `------> stopped <------'
enum class lifecycle : uint8_t { starting = 0, running = 1, degraded = 2, stopped = 3 };
inline const char* to_string(lifecycle s) {
  switch (s) {
  case lifecycle::starting:
    return "starting";
  case lifecycle::running:
    return "running";
  case lifecycle::degraded:
    return "degraded";
  default:
    return "stopped";
  }
}

/// Health of one actor as its supervisor sees it.
struct actor_health {
  std::string name;
  lifecycle state = lifecycle::starting;
  int64_t restarts = 0;
  std::string last_error;
};

/// The node's health.
struct health_report {
  std::string node;
  bool healthy = true;
  std::vector<actor_health> actors;
};

/// Status of a data source as the fetcher sees it.
struct source_status {
  std::string name;
  std::string circuit; ///< "closed", "open", "half-open".
  int64_t requests = 0;
  int64_t failures = 0;
  int64_t cache_hits = 0;
  std::string last_error;
};

} // namespace sc
