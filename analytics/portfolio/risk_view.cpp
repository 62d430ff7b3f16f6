#include "analytics/portfolio/risk_view.hpp"

#include "analytics/risk/stats.hpp"

namespace sc::portfolio {

result<risk::portfolio_state> risk_state(const ledger& l, const market_inputs& m,
                                         risk::return_history returns) {
  risk::portfolio_state s;
  s.equity = l.equity();
  std::vector<double> curve;
  for (const auto& e : l.equity_curve())
    curve.push_back(e.equity);
  curve.push_back(s.equity);
  s.drawdown = risk::drawdowns(curve).current_depth;
  for (const auto& [sym, p] : l.positions()) {
    const auto& und = p.spec.underlying_symbol();
    auto spot = m.spot.find(und);
    if (p.spec.kind == asset_kind::stock) {
      const double px = spot != m.spot.end() ? spot->second : p.mark_or_cost();
      s.positions.push_back(to_risk(p, px, 0, m.today, m.rate));
      continue;
    }
    if (spot == m.spot.end() || !(spot->second > 0))
      return error{"risk view: no spot price of " + und + " for option " + sym};
    auto iv = m.iv.find(sym);
    if (iv == m.iv.end() || !(iv->second > 0))
      return error{"risk view: no implied volatility for option " + sym};
    s.positions.push_back(to_risk(p, spot->second, iv->second, m.today, m.rate));
  }
  s.returns = std::move(returns);
  return s;
}

} // namespace sc::portfolio
