// Builders of synthetic daily bars for the pattern tests.
#pragma once

#include "analytics/patterns/patterns.hpp"
#include "messages/data.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace sc::patterns::test {

/// Closes interpolated linearly between (bar, price) waypoints, first bar 0.
inline std::vector<double> path(const std::vector<std::pair<int, double>>& pts) {
  std::vector<double> c;
  for (size_t k = 0; k + 1 < pts.size(); ++k) {
    auto [i0, p0] = pts[k];
    auto [i1, p1] = pts[k + 1];
    for (int i = i0; i < i1; ++i)
      c.push_back(p0 + (p1 - p0) * (i - i0) / double(i1 - i0));
  }
  c.push_back(pts.back().second);
  return c;
}

/// Bars from closes: each opens at the previous close, and the high (low) sits `wick`
/// above (below) the larger (smaller) of open and close. Volume is `volume` per bar.
inline bar_series from_closes(const std::vector<double>& c, double wick = 0.2,
                              double volume = 1e6) {
  bar_series b;
  b.symbol = "TEST";
  for (size_t i = 0; i < c.size(); ++i) {
    double o = i ? c[i - 1] : c[i];
    b.date.push_back(static_cast<day_number>(19000 + i));
    b.open.push_back(o);
    b.close.push_back(c[i]);
    b.high.push_back(std::max(o, c[i]) + wick);
    b.low.push_back(std::min(o, c[i]) - wick);
    b.volume.push_back(volume);
  }
  return b;
}

/// One hand-written bar appended.
inline void add_bar(bar_series& b, double o, double h, double l, double c,
                    double volume = 1000) {
  b.date.push_back(static_cast<day_number>(19000 + b.size()));
  b.open.push_back(o);
  b.high.push_back(h);
  b.low.push_back(l);
  b.close.push_back(c);
  b.volume.push_back(volume);
}

/// The first `n` bars.
inline bar_series take(bar_series b, size_t n) {
  b.date.resize(n), b.open.resize(n), b.high.resize(n), b.low.resize(n);
  b.close.resize(n), b.volume.resize(n);
  return b;
}

/// The bars reflected about price `c` (p -> 2c - p): tops become bottoms.
inline bar_series mirror(const bar_series& b, double c) {
  bar_series m = b;
  for (size_t i = 0; i < b.size(); ++i) {
    m.open[i] = 2 * c - b.open[i];
    m.close[i] = 2 * c - b.close[i];
    m.high[i] = 2 * c - b.low[i];
    m.low[i] = 2 * c - b.high[i];
  }
  return m;
}

/// The match named `name`, or nullptr.
inline const pattern_match* find(const std::vector<pattern_match>& xs,
                                 const std::string& name) {
  for (const auto& x : xs)
    if (x.name == name) return &x;
  return nullptr;
}

} // namespace sc::patterns::test
