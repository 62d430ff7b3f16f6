// Counter-based hashing and small random streams for the simulated market.
//
// Determinism is the point: every random number the simulation draws comes either from
// a hash of (seed, instrument, purpose, counters...) or from a stream seeded by such a
// hash and consumed in a fixed order. Nothing reads global RNG state, so results do not
// depend on which symbol is asked for first or from which thread.
#pragma once

#include <cmath>
#include <cstdint>

namespace sc::sim::detail {

/// The splitmix64 finaliser (Steele, Lea, Flood, "Fast splittable pseudorandom number
/// generators", 2014): a bijective 64-bit mixer with good avalanche.
inline uint64_t mix64(uint64_t z) noexcept {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

/// Folds one more value into a running hash.
inline uint64_t fold(uint64_t h, uint64_t v) noexcept {
  return mix64(h + 0x9e3779b97f4a7c15ULL + mix64(v + 0x632be59bd9b4e019ULL));
}

/// A hash key of up to five values, e.g. key(seed, instrument, purpose, day, node).
inline uint64_t key(uint64_t a, uint64_t b, uint64_t c = 0, uint64_t d = 0,
                    uint64_t e = 0) noexcept {
  return fold(fold(fold(fold(fold(0x5eed5eed5eed5eedULL, a), b), c), d), e);
}

/// Uniform in the open interval (0, 1) from 64 random bits (53 bits used).
inline double to_open_unit(uint64_t bits) noexcept {
  return (static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53;
}

/// Inverse of the standard normal CDF by Acklam's rational approximation (relative
/// error below 1.2e-9), enough for simulation and free of platform differences.
inline double inv_norm_cdf(double p) noexcept {
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,
                                 -2.759285104469687e+02, 1.383577518672690e+02,
                                 -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02,
                                 -1.556989798598866e+02, 6.680131188771972e+01,
                                 -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01,
                                 -2.400758277161838e+00, -2.549732539343734e+00,
                                 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01,
                                 2.445134137142996e+00, 3.754408661907416e+00};
  constexpr double p_low = 0.02425;
  if (p < p_low) {
    const double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - p_low) {
    const double q = std::sqrt(-2 * std::log1p(-p));
    return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  const double q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/// A standard normal draw addressed by a hash key (random access, no state).
inline double normal_at(uint64_t k) noexcept {
  return inv_norm_cdf(to_open_unit(mix64(k)));
}
/// A uniform (0,1) draw addressed by a hash key.
inline double uniform_at(uint64_t k) noexcept {
  return to_open_unit(mix64(k ^ 0xa5a5a5a5ULL));
}

/// xoshiro256** (Blackman and Vigna, 2018), seeded from one 64-bit key through
/// splitmix64 as its authors recommend. Used for sequential per-instrument paths.
class stream {
public:
  explicit stream(uint64_t seed_key) noexcept {
    uint64_t x = seed_key;
    for (auto& w : s_) {
      x += 0x9e3779b97f4a7c15ULL;
      w = mix64(x);
    }
  }

  uint64_t next() noexcept {
    const uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  double uniform() noexcept { return to_open_unit(next()); }
  double normal() noexcept { return inv_norm_cdf(uniform()); }
  /// Lognormal with the given median and log-standard deviation.
  double lognormal(double median, double sigma) noexcept {
    return median * std::exp(sigma * normal());
  }
  double uniform(double lo, double hi) noexcept { return lo + (hi - lo) * uniform(); }

private:
  static uint64_t rotl(uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

} // namespace sc::sim::detail
