// Pre-trade check: approve, resize or reject a proposed position against the risk
// limits of config::risk_settings, with the reason naming the limit and its numbers.
// Pure C++, no CAF.
#pragma once

#include "analytics/risk/position.hpp"
#include "analytics/risk/var.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace sc::config {
struct risk_settings;
}

namespace sc::risk {

/// A proposed trade: `position.quantity` is the requested signed quantity (shares or
/// contracts; positive buys), `position.price` the expected fill price per unit and
/// the per-unit Greeks those of the contract.
struct trade_proposal {
  risk_position position;
  std::vector<double> underlying_returns; ///< Daily simple returns, oldest first.
};

/// The portfolio the proposal is checked against.
struct portfolio_state {
  double equity = 0;   ///< Marked-to-market equity, currency.
  double drawdown = 0; ///< Current drawdown from the equity peak, fraction.
  std::vector<risk_position> positions; ///< Current holdings (one per symbol).
  return_history returns;               ///< Returns of the holdings' underlyings.
};

enum class verdict : uint8_t { approve = 0, resize = 1, reject = 2 };

const char* to_string(verdict v);

/// One limit as evaluated for the requested quantity.
struct limit_check {
  std::string limit; ///< Setting name: "max_position", "max_sector", ...
  bool passed = true;
  double value = 0;    ///< The measured figure (fraction, shares, correlation, count).
  double bound = 0;    ///< The configured limit.
  std::string message; ///< Human-readable, with numbers.
};

struct pre_trade_decision {
  verdict decision = verdict::reject;
  double quantity = 0;             ///< Signed quantity allowed (0 when rejected).
  std::string reason;              ///< Why; names every limit that bound.
  std::vector<limit_check> checks; ///< Every limit, evaluated at the requested quantity.
};

/// Checks a proposal against the limits:
///  - max_drawdown: when the current drawdown is above it, every new position is
///    rejected (a trade that reduces an existing position is always approved);
///  - max_positions: rejected when a new symbol would exceed the count;
///  - max_correlation: rejected when the candidate's underlying correlates above it
///    with a holding's underlying (max_correlation(), lookback var_lookback);
///  - max_position: |resulting quantity| * multiplier * price / equity;
///  - max_sector: gross value of the sector after the trade / equity (exposure as in
///    sector_concentration());
///  - max_delta: |net delta in share-equivalents of the whole portfolio| after the trade;
///  - max_var: historical VaR at var_confidence over var_lookback days of the portfolio
///    with the candidate, full revaluation with `reval`, over equity.
/// Quantity-dependent limits are evaluated at integer quantities x = |q|, |q|-1, ..., 1
/// in the requested direction; the largest x that passes every limit is granted:
/// x = |q| approves, 1 <= x < |q| resizes, none rejects. The scan makes no monotonicity
/// assumption (a hedge can lower VaR or delta); its cost is O(|q|) cheap checks plus one
/// VaR evaluation (O(lookback)) per quantity that passes the linear limits.
pre_trade_decision pre_trade_check(const trade_proposal& proposal,
                                   const portfolio_state& portfolio,
                                   const config::risk_settings& limits,
                                   const revaluation_options& reval = {});

} // namespace sc::risk
