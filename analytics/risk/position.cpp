#include "analytics/risk/position.hpp"

#include "analytics/options/black_scholes.hpp"

#include <algorithm>
#include <cmath>

namespace sc::risk {

double risk_position::gross_value() const noexcept {
  return std::abs(quantity) * multiplier * price;
}

double option_value(const risk_position& p, double spot, double years) {
  const double phi = p.type == option_type::call ? 1.0 : -1.0;
  if (years <= 0) return std::max(phi * (spot - p.strike), 0.0);
  if (p.iv <= 0) // no volatility: the discounted forward intrinsic value
    return std::max(phi * (spot * std::exp(-p.dividend_yield * years) -
                           p.strike * std::exp(-p.rate * years)),
                    0.0);
  options::bsm_inputs in;
  in.type = p.type;
  in.spot = spot;
  in.strike = p.strike;
  in.years = years;
  in.rate = p.rate;
  in.dividend_yield = p.dividend_yield;
  in.vol = p.iv;
  return options::bsm_price(in);
}

void fill_model_greeks(risk_position& p) {
  if (p.kind == asset_kind::stock) {
    p.price = p.spot;
    p.delta = 1;
    p.gamma = p.vega = p.theta = 0;
    return;
  }
  if (p.years <= 0 || p.iv <= 0) {
    p.price = option_value(p, p.spot, p.years);
    const double phi = p.type == option_type::call ? 1.0 : -1.0;
    p.delta = p.price > 0 ? phi : 0.0;
    p.gamma = p.vega = p.theta = 0;
    return;
  }
  options::bsm_inputs in;
  in.type = p.type;
  in.spot = p.spot;
  in.strike = p.strike;
  in.years = p.years;
  in.rate = p.rate;
  in.dividend_yield = p.dividend_yield;
  in.vol = p.iv;
  const auto g = options::bsm_greeks(in);
  p.price = g.price;
  p.delta = g.delta;
  p.gamma = g.gamma;
  p.vega = g.vega;
  p.theta = g.theta;
}

} // namespace sc::risk
