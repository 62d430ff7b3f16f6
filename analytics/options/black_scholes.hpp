// European option pricing and Greeks under Black-Scholes-Merton with a continuous
// dividend yield. Pure C++, no CAF.
//
// Units: spot and strike in currency, years in years (ACT/365), rate and dividend
// yield continuously compounded decimals, vol a decimal per sqrt(year).
// Greeks: vega and rho per 1.00 change of vol or rate; theta per year, the
// derivative with respect to calendar time (negative for a long option that decays).
#pragma once

#include "messages/data.hpp"

namespace sc::options {

/// Inputs of one European contract.
struct bsm_inputs {
  option_type type = option_type::call;
  double spot = 0;
  double strike = 0;
  double years = 0;
  double rate = 0;
  double dividend_yield = 0;
  double vol = 0;
};

/// Price and Greeks of one contract.
struct greeks {
  double price = 0;
  double delta = 0;
  double gamma = 0;
  double vega = 0;
  double theta = 0;
  double rho = 0;
  double vanna = 0; ///< d(delta)/d(vol)
  double volga = 0; ///< d(vega)/d(vol)
  double charm = 0; ///< d(delta)/d(calendar time), per year
};

/// Price only.
double bsm_price(const bsm_inputs& in);

/// Price and all Greeks.
greeks bsm_greeks(const bsm_inputs& in);

} // namespace sc::options
