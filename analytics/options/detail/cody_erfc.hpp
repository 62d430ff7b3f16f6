// Coefficients of W. J. Cody's rational Chebyshev approximations of the complementary
// error function ("Rational Chebyshev approximations for the error function", Math.
// Comp. 23, 1969), relative error below 2e-16 in each of his three ranges of y >= 0:
//   y < 0.46875:    erfc = 1 - y A(y^2) / B(y^2)
//   0.46875..4:     erfc = exp(-y^2) C(y) / D(y)
//   y > 4:          erfc = exp(-y^2) / y (1/sqrt(pi) - z P(z) / Q(z)),  z = 1 / y^2
// (polynomials in increasing powers). Shared by the vector kernels that supply exp(-y^2)
// themselves. Internal header.
#pragma once

namespace sc::options::detail::cody {

inline constexpr double a[] = {3.20937758913846947e03, 3.77485237685302021e02,
                               1.13864154151050156e02, 3.16112374387056560e00,
                               1.85777706184603153e-1};
inline constexpr double b[] = {2.84423683343917062e03, 1.28261652607737228e03,
                               2.44024637934444173e02, 2.36012909523441209e01, 1.0};
inline constexpr double c[] = {
    1.23033935479799725e03, 2.05107837782607147e03, 1.71204761263407058e03,
    8.81952221241769090e02, 2.98635138197400131e02, 6.61191906371416295e01,
    8.88314979438837594e00, 5.64188496988670089e-1, 2.15311535474403846e-8};
inline constexpr double d[] = {
    1.23033935480374942e03, 3.43936767414372164e03, 4.36261909014324716e03,
    3.29079923573345963e03, 1.62138957456669019e03, 5.37181101862009858e02,
    1.17693950891312499e02, 1.57449261107098347e01, 1.0};
inline constexpr double p[] = {6.58749161529837803e-4, 1.60837851487422766e-2,
                               1.25781726111229246e-1, 3.60344899949804439e-1,
                               3.05326634961232344e-1, 1.63153871373020978e-2};
inline constexpr double q[] = {2.33520497626869185e-3, 6.05183413124413191e-2,
                               5.27905102951428412e-1, 1.87295284992346725e00,
                               2.56852019228982242e00, 1.0};
inline constexpr double inv_sqrt_pi = 0.56418958354775628695;

/// Horner evaluation of c[0] + c[1] x + ... + c[N-1] x^(N-1), for any arithmetic type
/// (double or a vector of doubles).
template <class T, int N> inline T horner(T x, const double (&k)[N]) {
  T acc = T{} + k[N - 1];
  for (int j = N - 2; j >= 0; --j)
    acc = acc * x + k[j];
  return acc;
}

/// erfc(y) for y >= 0 given e = exp(-y^2), branch-free (all three ranges evaluated and
/// one kept), so that a loop over many y vectorises. y above 26.6 gives 0 (e underflows).
inline double erfc_given_exp(double y, double e) {
  const double y2 = y * y;
  const double qs = horner(y2, b);
  const double small = (qs - y * horner(y2, a)) / qs;
  const double mid = e * horner(y, c) / horner(y, d);
  const double z = 1 / (y2 > 16 ? y2 : 16.0);
  const double ql = horner(z, q);
  const double large = e * (inv_sqrt_pi * ql - z * horner(z, p)) / (y * ql);
  return y < 0.46875 ? small : (y <= 4 ? mid : large);
}

} // namespace sc::options::detail::cody
