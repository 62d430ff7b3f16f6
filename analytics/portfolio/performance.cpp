#include "analytics/portfolio/performance.hpp"

#include "analytics/risk/stats.hpp"

#include <limits>

namespace sc::portfolio {

performance performance_of(const ledger& l, double risk_free_annual) {
  performance p;
  p.starting_cash = l.starting_cash();
  p.equity = l.equity();
  p.total_return = p.starting_cash > 0 ? p.equity / p.starting_cash - 1 : nan;
  p.realized = l.realized();
  p.unrealized = l.unrealized();
  p.fees = l.fees();
  double gross_win = 0, gross_loss = 0;
  for (const auto& t : l.trades()) {
    ++p.trades;
    const double n = t.net();
    if (n > 0) {
      ++p.wins;
      gross_win += n;
    } else if (n < 0) {
      ++p.losses;
      gross_loss += n;
    }
  }
  if (p.trades > 0)
    p.win_rate = static_cast<double>(p.wins) / static_cast<double>(p.trades);
  if (p.wins > 0) p.avg_win = gross_win / static_cast<double>(p.wins);
  if (p.losses > 0) {
    p.avg_loss = gross_loss / static_cast<double>(p.losses);
    p.profit_factor = gross_win / -gross_loss;
  } else if (p.wins > 0) {
    p.profit_factor = std::numeric_limits<double>::infinity();
  }
  std::vector<double> curve;
  for (const auto& e : l.equity_curve())
    curve.push_back(e.equity);
  const auto r = risk::simple_returns(curve);
  p.sharpe = risk::sharpe_ratio(r, risk_free_annual);
  p.sortino = risk::sortino_ratio(r, risk_free_annual);
  const auto dd = risk::drawdowns(curve);
  p.max_drawdown = dd.max_depth;
  p.current_drawdown = dd.current_depth;
  return p;
}

} // namespace sc::portfolio
