// The standard normal distribution in the forms option pricing needs: the CDF through the
// complementary error function (so both tails keep full relative precision) and an
// inverse CDF accurate to the last bits. Pure C++, no CAF.
#pragma once

namespace sc::options {

/// Standard normal density.
double norm_pdf(double x);

/// Standard normal CDF, 0.5 * erfc(-x / sqrt(2)): full relative precision in the lower
/// tail down to underflow. Never write `1 - norm_cdf(x)`: use `norm_cdf(-x)`.
double norm_cdf(double x);

/// Inverse of norm_cdf for p in (0, 1); -inf at 0, +inf at 1, NaN outside.
/// A rational first guess (rel. error about 1e-9) refined by one Halley step on erfc,
/// which leaves the result within a few ulps. For p > 0.5 the precision is limited by the
/// spacing of doubles near 1; pass the smaller tail probability when you have it.
double inverse_norm_cdf(double p);

/// Acklam's rational approximation of the inverse normal CDF for p in (0, 1), without
/// refinement: relative error below 1.2e-9, no special functions in the central
/// region. Good enough to turn uniform draws into normal ones (the simulator) and the
/// starting point of inverse_norm_cdf.
double inverse_norm_cdf_approx(double p) noexcept;

} // namespace sc::options
