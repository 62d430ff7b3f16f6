// Performance statistics of a ledger. Pure C++, no CAF.
#pragma once

#include "analytics/portfolio/ledger.hpp"

namespace sc::portfolio {

struct performance {
  double starting_cash = 0;
  double equity = 0;
  double total_return = 0; ///< equity / starting cash - 1.
  double realized = 0;
  double unrealized = 0;
  double fees = 0;
  size_t trades = 0;     ///< Closed round trips (open to flat).
  size_t wins = 0;       ///< Net P&L (fees included) > 0.
  size_t losses = 0;     ///< Net P&L < 0.
  double win_rate = nan; ///< wins / trades.
  double avg_win = nan;  ///< Mean net P&L of wins.
  double avg_loss = nan; ///< Mean net P&L of losses (negative).
  /// Sum of winning net P&L / |sum of losing net P&L|; +inf with wins and no losses.
  double profit_factor = nan;
  double sharpe = nan; ///< Of the equity curve's period returns, sqrt(252).
  double sortino = nan;
  double max_drawdown = 0;
  double current_drawdown = 0;
};

/// Statistics of the closed trades and of the sampled equity curve (one sample per
/// trading day is assumed for the annualisation; the current equity is not appended).
performance performance_of(const ledger& l, double risk_free_annual = 0);

} // namespace sc::portfolio
