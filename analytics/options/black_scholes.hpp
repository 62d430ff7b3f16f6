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
///
/// Accuracy: about 1e-14 relative over the practical domain, including deep in and out
/// of the money and very short or long expiries. Out-of-the-money values come from a
/// cancellation-free form (see normalised_black); in-the-money prices are the
/// out-of-the-money price plus the discounted forward intrinsic value computed with
/// expm1. Degenerate inputs: years == 0 or vol == 0 give the discounted forward intrinsic
/// value and its deterministic sensitivities (gamma, vega, vanna, volga zero); a
/// non-positive spot or strike, negative years or vol, or any non-finite input give NaN
/// everywhere.
greeks bsm_greeks(const bsm_inputs& in);

/// Normalised Black function (Jackel's notation):
///   b(x, s) = theta * [exp(x/2) N(theta (x/s + s/2)) - exp(-x/2) N(theta (x/s - s/2))]
/// with x = ln(F/K) and s = vol * sqrt(years); the undiscounted price is sqrt(F K) b.
/// Computed without cancellation: for the out-of-the-money side, where the difference of
/// the two terms loses digits (small s relative to |x/s|), a series in s with positive
/// terms is used instead; the in-the-money side adds the intrinsic value.
double normalised_black(double x, double s, option_type type);

namespace detail {
/// ln(spot/strike) without the rounding of the quotient near 1 (log1p of the exact
/// difference when the two are within a factor 2).
double log_moneyness(double spot, double strike);

/// b(x, s) of an out-of-the-money call, x <= 0, s > 0 (the core of normalised_black).
double normalised_black_otm(double x, double s);
/// The cancellation-free small-s series form of normalised_black_otm (any s > 0, x < 0;
/// converges fastest where the direct difference cancels).
double otm_series_value(double x, double s);
/// The same with the vega b'(s) = exp(-(x/s)^2/2 - s^2/8) / sqrt(2 pi) supplied by a
/// caller that has it (an implied-vol iteration), which saves an exponential.
double otm_series_value(double x, double s, double vega);
} // namespace detail

} // namespace sc::options
