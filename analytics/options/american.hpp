// American exercise: the Bjerksund-Stensland (2002) two-step flat-boundary approximation
// for speed, a Leisen-Reimer binomial tree as the reference, Greeks by central finite
// differences, and implied volatility from American prices. Pure C++, no CAF.
#pragma once

#include "analytics/options/black_scholes.hpp"
#include "analytics/options/implied_vol.hpp"

namespace sc::options {

/// Bjerksund-Stensland (2002) price of an American option. Calls directly; puts through
/// the put-call transformation P(S, K, r, q) = C(K, S, q, r). A call with q <= 0 <= r is
/// never exercised early and gets the European price. The method is a lower bound (a
/// feasible flat two-step exercise strategy); its own error grows with vol^2 T, see the
/// measured table in tests/analytics/options/test_american.cpp. Where the closed form
/// cannot be evaluated to double precision (small vol, where the reflection factors
/// (I/S)^kappa overflow), where its trigger rule breaks down (b tau + 2 vol sqrt(tau) < 0
/// puts the trigger below B0), or outside the method (a call with r < 0 and q <= 0) a
/// 1001-step binomial tree is used instead. Invalid inputs give NaN; years == 0 or
/// vol == 0 the exact deterministic-path value (best exercise date on the forward path).
double bjerksund_stensland_price(const bsm_inputs& c);

/// Leisen-Reimer binomial tree (Peizer-Pratt inversion 2) with `steps` steps (an even
/// count is rounded up to the next odd one, as the method requires). Converges at about
/// 1/steps^2 for European and smoothly for American exercise; used as the reference.
/// So far from the money that no path of the tree reaches the strike (|d| > about
/// 27 sqrt(steps)) it returns the deterministic-path value; vol == 0 or years == 0 too.
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

namespace detail {
/// Bivariate standard normal CDF P(X <= a, Y <= b), correlation |rho| <= 0.9, as used by
/// Bjerksund-Stensland (rho = +-sqrt(t1 / T)); absolute error about 1e-16. Exposed for
/// tests.
double bivariate_normal_cdf(double a, double b, double rho);
} // namespace detail

} // namespace sc::options
