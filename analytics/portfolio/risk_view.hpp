// The bridge from the ledger to the risk functions: the portfolio as
// risk::portfolio_state, ready for the pre-trade check and the VaR report.
#pragma once

#include "analytics/portfolio/ledger.hpp"
#include "analytics/risk/pre_trade.hpp"

#include <map>
#include <string>

namespace sc::portfolio {

/// Market inputs for the risk view.
struct market_inputs {
  std::map<std::string, double> spot; ///< Underlying (stock) prices by symbol.
  std::map<std::string, double> iv;   ///< Implied volatility by option contract symbol.
  double rate = 0;                    ///< Continuously compounded risk-free rate.
  day_number today = 0;               ///< Valuation day.
};

/// Every open position through to_risk(): stocks take their spot from `m.spot`, or
/// their mark (or cost) when absent; options need their underlying's spot and their
/// own implied volatility, and fail naming the contract without them. Equity is the
/// ledger's marked equity; the drawdown is the current drawdown of the equity curve
/// with the current equity appended.
result<risk::portfolio_state> risk_state(const ledger& l, const market_inputs& m,
                                         risk::return_history returns);

} // namespace sc::portfolio
