// Deterministic synthetic daily bars for the scanner tests.
#pragma once

#include "messages/data.hpp"

#include <cmath>
#include <cstdint>
#include <string>

namespace sc::test {

/// A small xorshift generator: uniform in [-1, 1).
struct noise {
  uint64_t s;
  explicit noise(uint64_t seed) : s(seed * 0x9E3779B97F4A7C15ULL + 1) {}
  double next() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return static_cast<double>(s >> 11) / 4503599627370496.0 - 1.0; // 2^52
  }
};

/// `n` daily bars starting at day 19000 (weekends included: the scanner does not care),
/// log-price drift `drift` per bar plus noise of amplitude `wiggle`, range +-1% around
/// the close, constant `volume` shares with +-20% noise.
inline bar_series make_bars(const std::string& symbol, size_t n, double start,
                            double drift, double wiggle, double volume, uint64_t seed) {
  bar_series b;
  b.symbol = symbol;
  noise r{seed};
  double lp = std::log(start);
  for (size_t i = 0; i < n; ++i) {
    const double prev = std::exp(lp);
    lp += drift + wiggle * r.next();
    const double c = std::exp(lp);
    b.date.push_back(static_cast<day_number>(19000 + i));
    b.open.push_back(prev);
    b.high.push_back(std::max(prev, c) * 1.01);
    b.low.push_back(std::min(prev, c) * 0.99);
    b.close.push_back(c);
    b.volume.push_back(volume * (1 + 0.2 * r.next()));
  }
  return b;
}

/// Fundamentals that pass the default filters.
inline fundamentals good_fundamentals(const std::string& symbol) {
  fundamentals f;
  f.symbol = symbol;
  f.revenue_growth = 0.20;
  f.eps_growth = 0.10;
  f.eps = 1.0;
  f.pe_ratio = 20;
  f.insider_ownership = 0.10;
  f.institutional_ownership = 0.50;
  f.short_interest = 1e6;
  f.float_shares = 20e6;
  f.shares_outstanding = 25e6;
  return f;
}

} // namespace sc::test
