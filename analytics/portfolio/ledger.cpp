#include "analytics/portfolio/ledger.hpp"

#include <algorithm>
#include <cmath>

namespace sc::portfolio {

namespace {

int sign_of(double x) {
  return x > 0 ? 1 : (x < 0 ? -1 : 0);
}

std::string num(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

} // namespace

double mark_price(double bid, double ask, double last) {
  if (bid > 0 && ask > 0 && ask >= bid) return 0.5 * (bid + ask);
  if (last > 0) return last;
  return nan;
}

ledger::ledger(double starting_cash) {
  account_.starting_cash = starting_cash;
  account_.cash = starting_cash;
}

const position* ledger::find(const std::string& symbol) const {
  auto it = positions_.find(symbol);
  return it == positions_.end() ? nullptr : &it->second;
}

double ledger::market_value() const {
  double v = 0;
  for (const auto& [s, p] : positions_)
    v += p.market_value();
  return v;
}

double ledger::unrealized() const {
  double v = 0;
  for (const auto& [s, p] : positions_)
    v += p.unrealized();
  return v;
}

result<fill_effect> ledger::apply(const instrument& spec, fill f) {
  if (f.symbol.empty()) f.symbol = spec.symbol;
  if (f.symbol != spec.symbol)
    return error{"fill symbol '" + f.symbol + "' does not match instrument '" +
                 spec.symbol + "'"};
  if (spec.symbol.empty()) return error{"fill has an empty symbol"};
  if (!std::isfinite(f.quantity) || f.quantity == 0)
    return error{"fill of " + f.symbol + ": quantity " + num(f.quantity) +
                 " must be finite and non-zero"};
  if (!std::isfinite(f.price) || f.price < 0)
    return error{"fill of " + f.symbol + ": price " + num(f.price) +
                 " must be finite and >= 0"};
  if (!std::isfinite(f.fees) || f.fees < 0)
    return error{"fill of " + f.symbol + ": fees " + num(f.fees) + " must be >= 0"};
  if (!(spec.multiplier > 0) || !std::isfinite(spec.multiplier))
    return error{"instrument " + spec.symbol + ": multiplier " + num(spec.multiplier) +
                 " must be positive"};
  auto it = positions_.find(f.symbol);
  if (it != positions_.end() && (it->second.spec.kind != spec.kind ||
                                 it->second.spec.multiplier != spec.multiplier))
    return error{"fill of " + f.symbol +
                 ": instrument kind or multiplier differs from "
                 "the open position's"};

  fill_effect eff;
  f.id = fills_.empty() ? 1 : fills_.back().id + 1;
  const double m = spec.multiplier;
  account_.cash -= f.quantity * f.price * m + f.fees;
  account_.fees += f.fees;

  if (it == positions_.end()) {
    position p;
    p.spec = spec;
    p.quantity = f.quantity;
    p.avg_cost = f.price;
    p.opened = f.time;
    p.fees = f.fees;
    positions_.emplace(f.symbol, std::move(p));
    eff.opened = true;
  } else {
    position& p = it->second;
    if (sign_of(p.quantity) == sign_of(f.quantity)) {
      // Increase: weighted average cost.
      const double q = p.quantity + f.quantity;
      p.avg_cost = (p.quantity * p.avg_cost + f.quantity * f.price) / q;
      p.quantity = q;
      p.fees += f.fees;
    } else {
      const double closing = std::min(std::abs(f.quantity), std::abs(p.quantity));
      const double pnl = closing * (f.price - p.avg_cost) * m * sign_of(p.quantity);
      eff.realized = pnl;
      account_.realized += pnl;
      p.realized += pnl;
      p.fees += f.fees;
      const double rest = p.quantity + f.quantity;
      // Exact zero or a residue far below one unit: the position is flat.
      if (std::abs(rest) < 1e-9) {
        closed_trade t{p.spec.symbol, p.opened, f.time, p.realized, p.fees};
        trades_.push_back(t);
        eff.closed = t;
        positions_.erase(it);
      } else if (sign_of(rest) == sign_of(p.quantity)) {
        p.quantity = rest; // partial reduction: average cost unchanged
      } else {
        // Flip: close the old position (with this fill's fees) and open the remainder.
        closed_trade t{p.spec.symbol, p.opened, f.time, p.realized, p.fees};
        trades_.push_back(t);
        eff.closed = t;
        position n;
        n.spec = p.spec;
        n.quantity = rest;
        n.avg_cost = f.price;
        n.opened = f.time;
        p = std::move(n);
        eff.opened = true;
      }
    }
  }
  fills_.push_back(f);
  eff.applied = std::move(f);
  return eff;
}

status ledger::set_exit_levels(const std::string& symbol, double stop, double target) {
  auto it = positions_.find(symbol);
  if (it == positions_.end()) return error{"no open position in " + symbol};
  it->second.stop = stop;
  it->second.target = target;
  return done{};
}

bool ledger::mark(const std::string& symbol, double price, timestamp time) {
  auto it = positions_.find(symbol);
  if (it == positions_.end() || !std::isfinite(price) || price < 0) return false;
  it->second.mark = price;
  it->second.mark_time = time;
  return true;
}

size_t ledger::mark(const std::vector<quote>& quotes) {
  size_t n = 0;
  for (const auto& q : quotes) {
    auto it = positions_.find(q.symbol);
    if (it == positions_.end() || it->second.spec.kind != asset_kind::stock) continue;
    n += mark(q.symbol, mark_price(q.bid, q.ask, q.last), q.time) ? 1 : 0;
  }
  return n;
}

size_t ledger::mark(const std::vector<option_quote>& quotes) {
  size_t n = 0;
  for (const auto& q : quotes) {
    auto it = positions_.find(q.contract);
    if (it == positions_.end() || it->second.spec.kind != asset_kind::option) continue;
    n += mark(q.contract, mark_price(q.bid, q.ask, q.last), q.quote_time) ? 1 : 0;
  }
  return n;
}

equity_point ledger::sample_equity(timestamp time) {
  equity_point e{time, equity(), account_.cash};
  curve_.push_back(e);
  return e;
}

ledger::checkpoint ledger::capture(const std::string& symbol) const {
  checkpoint c;
  c.symbol = symbol;
  if (auto p = find(symbol)) c.before = *p;
  c.totals = account_;
  c.fills = fills_.size();
  c.trades = trades_.size();
  return c;
}

void ledger::rollback(const checkpoint& c) {
  if (c.before)
    positions_[c.symbol] = *c.before;
  else
    positions_.erase(c.symbol);
  account_ = c.totals;
  fills_.resize(std::min(fills_.size(), c.fills));
  trades_.resize(std::min(trades_.size(), c.trades));
}

ledger ledger::restore(account totals, std::map<std::string, position> positions,
                       std::vector<fill> fills, std::vector<closed_trade> trades,
                       std::vector<equity_point> curve) {
  ledger l(totals.starting_cash);
  l.account_ = totals;
  l.positions_ = std::move(positions);
  l.fills_ = std::move(fills);
  l.trades_ = std::move(trades);
  l.curve_ = std::move(curve);
  return l;
}

result<ledger> replay(double starting_cash, const std::vector<fill>& fills,
                      const std::map<std::string, instrument>& specs) {
  ledger l(starting_cash);
  for (const auto& f : fills) {
    auto it = specs.find(f.symbol);
    if (it == specs.end())
      return error{"fill " + std::to_string(f.id) + " trades unknown instrument " +
                   f.symbol};
    auto r = l.apply(it->second, f);
    if (!r) return error{"fill " + std::to_string(f.id) + ": " + r.error_message()};
  }
  return l;
}

risk::risk_position to_risk(const position& p, double spot, double iv, day_number today,
                            double rate) {
  risk::risk_position r;
  r.symbol = p.spec.symbol;
  r.underlying = p.spec.underlying_symbol();
  r.sector = p.spec.sector;
  r.kind = p.spec.kind;
  r.type = p.spec.type;
  r.strike = p.spec.strike;
  r.years = std::max(0.0, static_cast<double>(p.spec.expiry - today) / 365.0);
  r.iv = iv;
  r.rate = rate;
  r.quantity = p.quantity;
  r.multiplier = p.spec.multiplier;
  r.spot = spot;
  risk::fill_model_greeks(r);
  if (p.mark == p.mark) r.price = p.mark;
  return r;
}

} // namespace sc::portfolio
