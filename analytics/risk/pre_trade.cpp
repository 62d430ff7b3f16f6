#include "analytics/risk/pre_trade.hpp"

#include "analytics/risk/exposure.hpp"
#include "config/settings.hpp"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>

namespace sc::risk {

const char* to_string(verdict v) {
  switch (v) {
  case verdict::approve:
    return "approve";
  case verdict::resize:
    return "resize";
  case verdict::reject:
    return "reject";
  }
  return "unknown";
}

namespace {

std::string format(const char* fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return buf;
}

pre_trade_decision reject(std::string reason, std::vector<limit_check> checks = {}) {
  pre_trade_decision d;
  d.decision = verdict::reject;
  d.quantity = 0;
  d.reason = std::move(reason);
  d.checks = std::move(checks);
  return d;
}

// The quantity-dependent limits, precomputed so that each quantity costs O(1)
// (plus O(L) for VaR).
struct linear_model {
  double equity = 0;
  double existing = 0;          // signed quantity already held in this symbol
  double sign = 1;              // direction of the trade
  double unit_value = 0;        // multiplier * price
  double sector_other = 0;      // gross value of the sector without this symbol
  double delta_other = 0;       // share-equivalents of every other position
  double unit_delta = 0;        // multiplier * per-unit delta
  std::vector<double> base_pnl; // scenarios of the other positions
  std::vector<double> unit_pnl; // scenarios of one unit of the candidate
  std::string var_error;
  double resulting(double x) const { return existing + sign * x; }
};

struct evaluation {
  std::vector<limit_check> checks;
  bool all_passed() const {
    return std::all_of(checks.begin(), checks.end(),
                       [](const limit_check& c) { return c.passed; });
  }
};

evaluation evaluate(const linear_model& m, double x, const risk_position& cand,
                    const config::risk_settings& lim, bool with_var) {
  evaluation ev;
  const double n = m.resulting(x);
  {
    limit_check c;
    c.limit = "max_position";
    c.value = std::abs(n) * m.unit_value / m.equity;
    c.bound = lim.max_position;
    c.passed = c.value <= c.bound + 1e-12;
    c.message = format("position %s cost %.1f%% of equity %s max_position %.1f%%",
                       cand.symbol.c_str(), c.value * 100,
                       c.passed ? "within" : "would exceed", c.bound * 100);
    ev.checks.push_back(std::move(c));
  }
  {
    limit_check c;
    c.limit = "max_sector";
    c.value = (m.sector_other + std::abs(n) * m.unit_value) / m.equity;
    c.bound = lim.max_sector;
    c.passed = c.value <= c.bound + 1e-12;
    const std::string sector = cand.sector.empty() ? "Unknown" : cand.sector;
    c.message =
        format("sector %s exposure %.1f%% %s max_sector %.1f%%", sector.c_str(),
               c.value * 100, c.passed ? "within" : "would exceed", c.bound * 100);
    ev.checks.push_back(std::move(c));
  }
  {
    limit_check c;
    c.limit = "max_delta";
    c.value = std::abs(m.delta_other + n * m.unit_delta);
    c.bound = lim.max_delta;
    c.passed = c.value <= c.bound + 1e-9;
    c.message = format("net delta %.0f shares %s max_delta %.0f", c.value,
                       c.passed ? "within" : "would exceed", c.bound);
    ev.checks.push_back(std::move(c));
  }
  if (with_var) {
    limit_check c;
    c.limit = "max_var";
    c.bound = lim.max_var;
    if (!m.var_error.empty()) {
      c.passed = false;
      c.value = std::nan("");
      c.message = "portfolio VaR cannot be computed: " + m.var_error;
    } else {
      std::vector<double> pnl(m.base_pnl.size());
      for (size_t t = 0; t < pnl.size(); ++t)
        pnl[t] = m.base_pnl[t] + n * m.unit_pnl[t];
      const auto tail = historical_tail(pnl, lim.var_confidence);
      if (!tail.ok()) {
        c.passed = false;
        c.value = std::nan("");
        c.message = "portfolio VaR cannot be computed: " + tail.error;
      } else {
        c.value = tail.var / m.equity;
        c.passed = c.value <= c.bound + 1e-12;
        c.message = format("portfolio VaR %.0f%% %.1f%% of equity %s max_var %.1f%%",
                           lim.var_confidence * 100, c.value * 100,
                           c.passed ? "within" : "would exceed", c.bound * 100);
      }
    }
    ev.checks.push_back(std::move(c));
  }
  return ev;
}

std::string failed_messages(const std::vector<limit_check>& checks) {
  std::string out;
  for (const auto& c : checks)
    if (!c.passed) {
      if (!out.empty()) out += "; ";
      out += c.message;
    }
  return out;
}

} // namespace

pre_trade_decision pre_trade_check(const trade_proposal& proposal,
                                   const portfolio_state& portfolio,
                                   const config::risk_settings& lim,
                                   const revaluation_options& reval) {
  const auto& cand = proposal.position;
  const double q = std::trunc(cand.quantity);
  if (!std::isfinite(cand.quantity) || q == 0)
    return reject(format("proposal %s: quantity %g is not a non-zero whole number",
                         cand.symbol.c_str(), cand.quantity));
  if (!(cand.price > 0) || !(cand.multiplier > 0))
    return reject(format("proposal %s: price %g and multiplier %g must be positive",
                         cand.symbol.c_str(), cand.price, cand.multiplier));
  if (!(portfolio.equity > 0))
    return reject(
        format("equity %.2f is not positive: no new positions", portfolio.equity));

  double existing = 0;
  for (const auto& p : portfolio.positions)
    if (p.symbol == cand.symbol) existing += p.quantity;
  // Closing or reducing is always allowed: it cannot add exposure to this name.
  if (existing != 0 && (existing > 0) != (q > 0) && std::abs(q) <= std::abs(existing)) {
    pre_trade_decision d;
    d.decision = verdict::approve;
    d.quantity = q;
    d.reason =
        format("reduces the existing %s position of %g", cand.symbol.c_str(), existing);
    return d;
  }

  std::vector<limit_check> gate;
  {
    limit_check c;
    c.limit = "max_drawdown";
    c.value = portfolio.drawdown;
    c.bound = lim.max_drawdown;
    c.passed = portfolio.drawdown <= lim.max_drawdown;
    c.message = format("drawdown %.1f%% %s max_drawdown %.1f%%%s", c.value * 100,
                       c.passed ? "within" : "exceeds", c.bound * 100,
                       c.passed ? "" : ": no new positions");
    gate.push_back(std::move(c));
  }
  {
    limit_check c;
    c.limit = "max_positions";
    size_t held = 0;
    for (const auto& p : portfolio.positions)
      if (p.quantity != 0 && p.symbol != cand.symbol) ++held;
    const bool is_new = existing == 0;
    c.value = static_cast<double>(held + 1);
    c.bound = lim.max_positions;
    c.passed = !is_new || c.value <= c.bound;
    c.message =
        format("%s would make %.0f positions, %s max_positions %d", cand.symbol.c_str(),
               c.value, c.passed ? "within" : "exceeding", lim.max_positions);
    gate.push_back(std::move(c));
  }
  {
    limit_check c;
    c.limit = "max_correlation";
    const auto hit =
        max_correlation(cand.underlying_symbol(), proposal.underlying_returns,
                        portfolio.positions, portfolio.returns, lim.var_lookback);
    c.bound = lim.max_correlation;
    if (std::isnan(hit.value)) {
      c.value = 0;
      c.passed = true;
      c.message = "no holding to correlate with";
    } else {
      c.value = hit.value;
      c.passed = hit.value <= lim.max_correlation;
      c.message =
          format("correlation %.2f of %s with holding %s %s max_correlation %.2f",
                 hit.value, cand.underlying_symbol().c_str(), hit.underlying.c_str(),
                 c.passed ? "within" : "exceeds", lim.max_correlation);
    }
    gate.push_back(std::move(c));
  }

  // Quantity-dependent limits.
  linear_model m;
  m.equity = portfolio.equity;
  m.existing = existing;
  m.sign = q > 0 ? 1.0 : -1.0;
  m.unit_value = cand.multiplier * cand.price;
  m.unit_delta = cand.multiplier * cand.unit_delta();
  const std::string cand_sector = cand.sector.empty() ? "Unknown" : cand.sector;
  std::vector<risk_position> others;
  for (const auto& p : portfolio.positions) {
    if (p.symbol == cand.symbol) continue;
    others.push_back(p);
    if ((p.sector.empty() ? "Unknown" : p.sector) == cand_sector)
      m.sector_other += p.gross_value();
    m.delta_other += greeks_of(p).delta_shares;
  }
  {
    return_history returns = portfolio.returns;
    if (!proposal.underlying_returns.empty())
      returns[cand.underlying_symbol()] = proposal.underlying_returns;
    risk_position unit = cand;
    unit.quantity = 1;
    // One window for both sets so that day t means the same day in each.
    std::vector<risk_position> all = others;
    all.push_back(unit);
    auto joint = portfolio_scenarios(all, returns, lim.var_lookback, reval);
    if (!joint.ok()) {
      m.var_error = joint.error;
    } else {
      const int len = static_cast<int>(joint.pnl.size());
      auto mine = portfolio_scenarios({unit}, returns, len, reval);
      auto rest = portfolio_scenarios(others, returns, len, reval);
      m.unit_pnl = std::move(mine.pnl);
      m.base_pnl = others.empty() ? std::vector<double>(m.unit_pnl.size(), 0.0)
                                  : std::move(rest.pnl);
    }
  }

  const double requested = std::abs(q);
  auto at_requested = evaluate(m, requested, cand, lim, true);
  std::vector<limit_check> checks = gate;
  checks.insert(checks.end(), at_requested.checks.begin(), at_requested.checks.end());

  const bool gate_ok = std::all_of(gate.begin(), gate.end(),
                                   [](const limit_check& c) { return c.passed; });
  if (!gate_ok) return reject(failed_messages(gate), std::move(checks));

  if (at_requested.all_passed()) {
    pre_trade_decision d;
    d.decision = verdict::approve;
    d.quantity = q;
    d.reason = format("%s %g within every limit", cand.symbol.c_str(), q);
    d.checks = std::move(checks);
    return d;
  }

  double granted = 0;
  for (double x = requested - 1; x >= 1; x -= 1) {
    if (!evaluate(m, x, cand, lim, false).all_passed()) continue;
    if (evaluate(m, x, cand, lim, true).all_passed()) {
      granted = x;
      break;
    }
  }
  if (granted >= 1) {
    pre_trade_decision d;
    d.decision = verdict::resize;
    d.quantity = m.sign * granted;
    d.reason =
        format("resized %s from %g to %g: ", cand.symbol.c_str(), requested, granted) +
        failed_messages(at_requested.checks);
    d.checks = std::move(checks);
    return d;
  }
  const auto at_one = evaluate(m, 1, cand, lim, true);
  return reject(format("%s: not even 1 unit fits: ", cand.symbol.c_str()) +
                    failed_messages(at_one.checks),
                std::move(checks));
}

} // namespace sc::risk
