#include "analytics/portfolio/trading.hpp"

#include "config/settings.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sc::portfolio {

namespace {
std::string fmt(const char* f, double a, double b = 0, double c = 0) {
  char buf[256];
  std::snprintf(buf, sizeof buf, f, a, b, c);
  return buf;
}
} // namespace

sizing_result size_position(double equity, const sizing_request& req,
                            const config::trading_settings& trading,
                            const config::risk_settings& risk) {
  sizing_result out;
  if (!(equity > 0) || !(req.price > 0) || !(req.multiplier > 0)) {
    out.reason = fmt("cannot size: equity %.2f, price %.4f and multiplier %g must be "
                     "positive",
                     equity, req.price, req.multiplier);
    return out;
  }
  if (req.kind == asset_kind::option) {
    out.risk_per_unit = req.price * req.multiplier;
  } else {
    const double stop = std::isfinite(req.stop_price)
                            ? req.stop_price
                            : req.price * (1 - trading.stop_loss);
    out.risk_per_unit = (req.price - stop) * req.multiplier;
    if (!(out.risk_per_unit > 0)) {
      out.reason =
          fmt("cannot size: stop %.4f is not below the price %.4f", stop, req.price);
      return out;
    }
  }
  out.risk_budget = trading.position_size * equity;
  const double by_risk = std::floor(out.risk_budget / out.risk_per_unit + 1e-9);
  const double by_cost =
      std::floor(risk.max_position * equity / (req.price * req.multiplier) + 1e-9);
  double q = by_risk;
  out.binding = "risk";
  if (by_cost < q) {
    q = by_cost;
    out.binding = "max_position";
  }
  if (req.kind == asset_kind::option && trading.contracts_per_trade_max < q) {
    q = trading.contracts_per_trade_max;
    out.binding = "contracts_per_trade_max";
  }
  out.quantity = static_cast<int>(std::max(0.0, q));
  out.reason = fmt("risk budget %.2f / risk per unit %.2f -> %.0f", out.risk_budget,
                   out.risk_per_unit, by_risk) +
               fmt("; max_position cap %.0f", by_cost) + "; bound by " + out.binding;
  return out;
}

result<fill> paper_fill(const order& o, double bid, double ask, double cash, double held,
                        const config::trading_settings& trading) {
  const auto& sym = o.spec.symbol;
  if (!std::isfinite(o.quantity) || o.quantity == 0 ||
      o.quantity != std::trunc(o.quantity))
    return error{"order " + sym + ": quantity " + fmt("%g", o.quantity) +
                 " must be a non-zero whole number"};
  if (!(bid > 0) || !(ask > 0) || ask < bid)
    return error{"order " + sym + ": no two-sided quote (bid " + fmt("%g", bid) +
                 ", ask " + fmt("%g", ask) + ")"};
  const double side = o.quantity > 0 ? 1.0 : -1.0;
  if (side < 0 && held + o.quantity < -1e-9)
    return error{"order " + sym + ": selling " + fmt("%g", -o.quantity) + " with " +
                 fmt("%g", held) + " held would open a short position"};
  const double mid = 0.5 * (bid + ask);
  const double price = std::max(0.0, mid + side * trading.slippage * 0.5 * (ask - bid));
  const double unit_fee = o.spec.kind == asset_kind::option ? trading.fee_per_contract
                                                            : trading.fee_per_share;
  const double fees = std::abs(o.quantity) * unit_fee;
  const double cost = o.quantity * price * o.spec.multiplier + fees;
  if (cost > cash + 1e-9)
    return error{"order " + sym + ": needs " + fmt("%.2f", cost) + " but cash is " +
                 fmt("%.2f", cash)};
  fill f;
  f.time = o.time;
  f.symbol = sym;
  f.quantity = o.quantity;
  f.price = price;
  f.fees = fees;
  f.reason = o.reason;
  return f;
}

std::pair<double, double> exit_levels(double avg_cost, double quantity,
                                      const config::trading_settings& trading) {
  if (quantity >= 0)
    return {avg_cost * (1 - trading.stop_loss), avg_cost * (1 + trading.profit_target)};
  return {avg_cost * (1 + trading.stop_loss),
          std::max(0.0, avg_cost * (1 - trading.profit_target))};
}

const char* to_string(exit_reason r) {
  switch (r) {
  case exit_reason::stop_loss:
    return "stop_loss";
  case exit_reason::profit_target:
    return "profit_target";
  case exit_reason::expiry:
    return "expiry";
  }
  return "unknown";
}

std::vector<exit_signal> check_exits(const ledger& l) {
  std::vector<exit_signal> out;
  for (const auto& [sym, p] : l.positions()) {
    if (!(p.mark == p.mark) || p.quantity == 0) continue;
    const bool is_long = p.quantity > 0;
    const bool stop_hit =
        p.stop == p.stop && (is_long ? p.mark <= p.stop : p.mark >= p.stop);
    const bool target_hit =
        p.target == p.target && (is_long ? p.mark >= p.target : p.mark <= p.target);
    if (!stop_hit && !target_hit) continue;
    exit_signal s;
    s.symbol = sym;
    s.reason = stop_hit ? exit_reason::stop_loss : exit_reason::profit_target;
    s.quantity = -p.quantity;
    s.price = p.mark;
    s.message = sym + " " + to_string(s.reason) + ": mark " + fmt("%.4f", p.mark) +
                (stop_hit ? " crossed stop " : " reached target ") +
                fmt("%.4f", stop_hit ? p.stop : p.target) + " (cost " +
                fmt("%.4f", p.avg_cost) + ")";
    out.push_back(std::move(s));
  }
  return out;
}

expiry_result expired_options(const ledger& l, day_number today, bool after_close,
                              const std::map<std::string, double>& underlying_close) {
  expiry_result out;
  for (const auto& [sym, p] : l.positions()) {
    if (p.spec.kind != asset_kind::option) continue;
    const bool expired = p.spec.expiry < today || (p.spec.expiry == today && after_close);
    if (!expired) continue;
    auto it = underlying_close.find(p.spec.underlying_symbol());
    if (it == underlying_close.end() || !(it->second > 0)) {
      out.errors.push_back(sym + ": expired but no closing price of " +
                           p.spec.underlying_symbol() + " to settle it");
      continue;
    }
    const double s = it->second;
    const double intrinsic = p.spec.type == option_type::call
                                 ? std::max(s - p.spec.strike, 0.0)
                                 : std::max(p.spec.strike - s, 0.0);
    exit_signal e;
    e.symbol = sym;
    e.reason = exit_reason::expiry;
    e.quantity = -p.quantity;
    e.price = intrinsic;
    e.message = sym + " expired: settles at intrinsic " + fmt("%.4f", intrinsic) +
                " (underlying " + fmt("%.4f", s) + ", strike " +
                fmt("%.4f", p.spec.strike) + ")";
    out.settlements.push_back(std::move(e));
  }
  return out;
}

fill exit_fill(const exit_signal& s, timestamp time, double fees) {
  fill f;
  f.time = time;
  f.symbol = s.symbol;
  f.quantity = s.quantity;
  f.price = s.price;
  f.fees = fees;
  f.reason = to_string(s.reason);
  return f;
}

} // namespace sc::portfolio
