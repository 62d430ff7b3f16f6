// Implied volatility of European options to full double precision, after P. Jaeckel,
// "Let's Be Rational" (Wilmott, 2015): the price is reduced to the normalised Black value
// of an out-of-the-money call, a first guess comes from one of four rational branches
// (two of them on non-linear transforms of the price), and at most two Householder
// iterations of order four on a branch-specific objective reach the attainable precision.
// In the central branches the first step also inverts b's Taylor series to fifth order;
// where its terms show the remainder is below the last bit, that one step is the answer.
// Pure C++, no CAF.
#pragma once

#include "analytics/options/black_scholes.hpp"

#include <cstddef>
#include <cstdint>

namespace sc::options {

/// Why no volatility could be implied.
enum class iv_error : std::uint8_t {
  none = 0, ///< Solved.
  invalid_input =
      1, ///< Non-finite input, non-positive spot, strike or years, negative price.
  below_intrinsic =
      2, ///< Price below the discounted forward intrinsic value: no vol fits.
  above_maximum =
      3, ///< Price at or above the upper bound (S e^{-qT} call, K e^{-rT} put).
  no_convergence =
      4, ///< No root found (American solver; European prices near underflow).
};

/// Stable lower-case name of an error ("below_intrinsic", ...).
const char* to_string(iv_error e);

/// A volatility or the reason there is none (vol is NaN then).
struct iv_result {
  double vol;
  iv_error error;
  bool ok() const { return error == iv_error::none; }
};

/// Implied Black-Scholes-Merton volatility of a European option.
/// `contract.vol` is ignored. A price exactly at the intrinsic value gives vol 0.
iv_result implied_vol(const bsm_inputs& contract, double price);

/// Implied total volatility s = vol * sqrt(years) from a normalised Black value
/// beta = undiscounted price / sqrt(F K), with x = ln(F/K).
iv_result implied_normalised_vol(double beta, double x, option_type type);

/// Structure-of-arrays inputs of the batch entry point (all arrays of the same length).
struct iv_batch_inputs {
  const option_type* type;
  const double* price;
  const double* spot;
  const double* strike;
  const double* years;
  const double* rate;
  const double* dividend_yield;
};

/// Implied vols of n contracts; `error` may be null when the caller checks vol for NaN.
void implied_vol_batch(const iv_batch_inputs& in, double* vol, iv_error* error,
                       std::size_t n);

} // namespace sc::options
