// The build's widest double-precision vector (AVX-512: 8 lanes; AVX2 with FMA: 4) and
// the vector math library's exp and the square root on it, for the option kernels.
// Defines SC_OPTIONS_VECTOR when such a vector exists. Internal header.
#pragma once

#if defined(__AVX512F__) || (defined(__AVX2__) && defined(__FMA__))
#include <immintrin.h>
#include <sleef.h>
#define SC_OPTIONS_VECTOR 1

namespace sc::options::detail::simd {

#if defined(__AVX512F__)
constexpr int width = 8;
using vd = __m512d;
/// exp to 1.0 ulp.
inline vd v_exp(vd x) {
  return Sleef_expd8_u10avx512f(x);
}
inline vd v_sqrt(vd x) {
  return _mm512_maskz_sqrt_pd(0xff, x);
}
#else
constexpr int width = 4;
using vd = __m256d;
/// exp to 1.0 ulp.
inline vd v_exp(vd x) {
  return Sleef_expd4_u10avx2(x);
}
inline vd v_sqrt(vd x) {
  return _mm256_sqrt_pd(x);
}
#endif

} // namespace sc::options::detail::simd

#endif
