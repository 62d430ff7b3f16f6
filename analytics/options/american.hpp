// American exercise: the early-exercise boundary solved from its integral equation (the
// accurate default, american_price), the Bjerksund-Stensland (2002) two-step
// flat-boundary approximation (fastest, accurate where vol^2 T is small), a Leisen-Reimer
// binomial tree as the reference, Greeks by central finite differences, and implied
// volatility from American prices. Pure C++, no CAF.
#pragma once

#include "analytics/options/black_scholes.hpp"
#include "analytics/options/implied_vol.hpp"

#include <array>

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

/// Discretisation of the boundary method: Chebyshev nodes in sqrt(time), quadrature
/// points per boundary integral, fixed-point iterations, and quadrature points of the
/// final price integral. The default is within 6.2e-7 of the strike of a fine scheme
/// (32, 48, 12, 128) over spot/strike 0.2-5, T 1 day-5 y, vol 0.01-3, r 0.001-0.1, q
/// 0-0.1 (measured in tests/analytics/options/test_american.cpp), at about 14 us a price.
/// The iteration count is fixed (no stopping test), so the price is a smooth function
/// of the inputs and finite-difference Greeks stay clean.
struct american_boundary_scheme {
  static constexpr int max_nodes = 64;
  static constexpr int max_points = 512;
  int nodes = 10;
  int points = 12;
  int iterations = 6;
  int price_points = 24;
  bool valid() const;
};

/// American price from the early-exercise boundary, solved as the fixed point of its
/// integral equation on Chebyshev nodes (the method of Andersen, Lake and Offengenden,
/// "High-performance American option pricing", 2016; see american_boundary.cpp). Puts
/// directly, calls through the put-call symmetry C(S, K, r, q) = P(K, S, q, r). Where
/// no early exercise can pay (a put with r <= 0 and q >= r; a call with q <= 0 and
/// r >= q) the European price. The double-boundary case of negative rates (a put with
/// q < r <= 0, a call with r < q <= 0) and any non-finite result go to a 1001-step
/// tree. Invalid inputs give NaN; years == 0 or vol == 0 the exact deterministic value.
double american_boundary_price(const bsm_inputs& c,
                               const american_boundary_scheme& scheme = {});

/// The product's American price: american_boundary_price with the default scheme.
double american_price(const bsm_inputs& c);

/// Leisen-Reimer binomial tree (Peizer-Pratt inversion 2) with `steps` steps (an even
/// count is rounded up to the next odd one, as the method requires). Converges at about
/// 1/steps^2 for European and smoothly for American exercise; used as the reference.
/// So far from the money that no path of the tree reaches the strike (|d| > about
/// 27 sqrt(steps)) it returns the deterministic-path value; vol == 0 or years == 0 too.
double binomial_price(const bsm_inputs& c, int steps,
                      exercise_style style = exercise_style::american);

/// Price and Greeks of an American option by central finite differences of
/// american_price (vanna, volga, charm included, same units as greeks). The spot bumps
/// reuse the exercise boundary of their (vol, years, rate); seven boundaries in all.
greeks american_greeks(const bsm_inputs& c);

/// Implied vol from an American price: Brent's bracketed root finder on american_price
/// over vol in [1e-4, 20], to 1e-12 in vol. Errors:
/// below_intrinsic (below the exercise value or the zero-vol value), above_maximum
/// (call at or above spot, put at or above strike), invalid_input, no_convergence.
iv_result american_implied_vol(const bsm_inputs& contract, double price);

namespace detail {
/// The early-exercise boundary of an American put with strike 1 and r > 0, as
/// ln(B / X)^2 on the scheme's Chebyshev-Lobatto nodes in sqrt(tau) (node 0 at expiry
/// T, node `nodes` at tau = 0 where B = X = min(1, r/q)).
struct put_boundary {
  double r = 0, q = 0, sigma = 0, years = 0, ln_x = 0;
  american_boundary_scheme scheme;
  std::array<double, american_boundary_scheme::max_nodes + 1> h{}, ln_b{};
};
put_boundary solve_put_boundary(double r, double q, double sigma, double years,
                                const american_boundary_scheme& scheme);
/// Price of the put on `spot` with `strike` from a solved boundary (of strike 1).
double put_price_from_boundary(const put_boundary& b, double spot, double strike);

/// Bivariate standard normal CDF P(X <= a, Y <= b), correlation |rho| <= 0.9, as used by
/// Bjerksund-Stensland (rho = +-sqrt(t1 / T)); absolute error about 1e-16. Exposed for
/// tests.
double bivariate_normal_cdf(double a, double b, double rho);
} // namespace detail

} // namespace sc::options
