// American exercise: the Bjerksund-Stensland (2002) two-step flat-boundary approximation
// for speed, a Leisen-Reimer binomial tree as the reference, Greeks by central finite
// differences, and implied volatility from American prices. Pure C++, no CAF.
#pragma once

#include "analytics/options/black_scholes.hpp"
#include "analytics/options/implied_vol.hpp"

namespace sc::options {

/// Bjerksund-Stensland (2002) price of an American option. Calls directly; puts through
/// the put-call transformation P(S, K, r, q) = C(K, S, q, r). A call without a positive
/// dividend yield is never exercised early and gets the European price. Invalid inputs
/// give NaN, years == 0 or vol == 0 the exercise value max(intrinsic, European limit).
double bjerksund_stensland_price(const bsm_inputs& c);

/// Leisen-Reimer binomial tree (Peizer-Pratt inversion 2) with `steps` steps (an even
/// count is rounded up to the next odd one, as the method requires). Converges at about
/// 1/steps^2 for European and smoothly for American exercise; used as the reference.
double binomial_price(const bsm_inputs& c, int steps,
                      exercise_style style = exercise_style::american);

/// Price (Bjerksund-Stensland) and Greeks of an American option by central finite
/// differences of that price (vanna, volga, charm included, same units as greeks).
greeks american_greeks(const bsm_inputs& c);

/// Implied vol from an American price: Brent's bracketed root finder on the
/// Bjerksund-Stensland price over vol in [1e-4, 20], to 1e-12 in vol. Errors:
/// below_intrinsic (below the exercise value or the zero-vol value), above_maximum
/// (call at or above spot, put at or above strike), invalid_input, no_convergence.
iv_result american_implied_vol(const bsm_inputs& contract, double price);

} // namespace sc::options
