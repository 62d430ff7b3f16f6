// Counter-based hashing and small random streams for the simulated market.
//
// Determinism is the point: every random number the simulation draws comes either from
// a hash of (seed, instrument, purpose, counters...) or from a stream seeded by such a
// hash and consumed in a fixed order. Nothing reads global RNG state, so results do not
// depend on which symbol is asked for first or from which thread.
#pragma once

#include "analytics/options/normal.hpp"

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

/// Inverse of the standard normal CDF (Acklam's approximation, relative error below
/// 1.2e-9): enough for simulation and free of platform differences.
inline double inv_norm_cdf(double p) noexcept {
  return sc::options::inverse_norm_cdf_approx(p);
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
