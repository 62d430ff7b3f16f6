// Batch pricing: price and the five first-order Greeks (delta, gamma, vega, theta, rho)
// of many European contracts at once, over structure-of-arrays inputs. The kernel runs
// 8 (AVX-512) or 4 (AVX2) contracts per instruction: one vector log, three exp and a
// rational erfc (Cody, 1969) that shares exp(-d1^2/2) with the density and keeps full
// relative precision in the tails. Contracts where
// the vector form would lose precision (price a small difference of large terms) or whose
// inputs are degenerate are finished by the scalar bsm_greeks, so every result agrees
// with the scalar path to 1e-12 relative. Pure C++, no CAF.
#pragma once

#include "messages/data.hpp"

#include <cstddef>

namespace sc::options {

/// Inputs, one array per field, all of length n (units as in bsm_inputs).
struct bsm_batch_inputs {
  const option_type* type;
  const double* spot;
  const double* strike;
  const double* years;
  const double* rate;
  const double* dividend_yield;
  const double* vol;
};

/// Outputs, one array per field, all of length n (units as in greeks).
struct bsm_batch_outputs {
  double* price;
  double* delta;
  double* gamma;
  double* vega;
  double* theta;
  double* rho;
};

/// Prices n contracts. Inputs and outputs must not overlap.
void bsm_batch(const bsm_batch_inputs& in, const bsm_batch_outputs& out, std::size_t n);

/// Vector width the kernel was built with (8, 4, or 1 without AVX2).
int bsm_batch_width();

} // namespace sc::options
