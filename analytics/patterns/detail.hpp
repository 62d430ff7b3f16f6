// Internals shared by the pattern detectors (not part of the API).
#pragma once

#include "analytics/patterns/patterns.hpp"

#include <algorithm>
#include <bitset>
#include <cmath>

namespace sc::patterns::detail {

/// Every pattern, in the order of all_pattern_names(). Chart patterns first.
enum pattern_id : int {
  // chart
  breakout,
  breakdown,
  bull_flag,
  bear_flag,
  ascending_triangle,
  descending_triangle,
  double_bottom,
  double_top,
  cup_and_handle,
  head_and_shoulders,
  inverse_head_and_shoulders,
  golden_cross,
  death_cross,
  bollinger_squeeze,
  // candles
  bullish_engulfing,
  bearish_engulfing,
  hammer,
  hanging_man,
  inverted_hammer,
  shooting_star,
  doji,
  dragonfly_doji,
  gravestone_doji,
  morning_star,
  evening_star,
  three_white_soldiers,
  three_black_crows,
  piercing_line,
  dark_cloud_cover,
  bullish_harami,
  bearish_harami,
  pattern_count
};

inline constexpr int first_candle = bullish_engulfing;

using pattern_mask = std::bitset<pattern_count>;

/// Names indexed by pattern_id.
extern const char* const pattern_names[pattern_count];

/// The number of bars every OHLCV array has (the shortest array wins).
inline size_t usable_size(const bar_series& b) {
  return std::min(
      {b.open.size(), b.high.size(), b.low.size(), b.close.size(), b.volume.size()});
}

inline double clamp01(double x) {
  return std::isnan(x) ? 0.0 : std::min(1.0, std::max(0.0, x));
}

/// Mean volume of the `period` bars before `t` (fewer near the start); NaN at t = 0.
inline double avg_volume_before(const double* v, size_t t, int period) {
  size_t lo = t > static_cast<size_t>(period) ? t - period : 0;
  if (t == lo) return nan;
  double s = 0;
  for (size_t i = lo; i < t; ++i)
    s += v[i];
  return s / static_cast<double>(t - lo);
}

/// Volume confirmation in [0,1]: 0 at average volume, 0.5 at the breakout threshold
/// `mult` x average, 1 at (2 mult - 1) x average. Volume is a confirmation, so a quiet
/// break still counts but scores lower.
inline double volume_score(const double* v, size_t t, int period, double mult) {
  double avg = avg_volume_before(v, t, period);
  if (!(avg > 0)) return 0;
  return clamp01((v[t] / avg - 1.0) / (2.0 * (std::max(mult, 1.01) - 1.0)));
}

void detect_chart(const bar_series& bars, const chart_params& p, const pattern_mask& m,
                  std::vector<pattern_match>& out);
void detect_candles(const bar_series& bars, size_t from, const pattern_mask& m,
                    std::vector<pattern_match>& out);

/// Of same-named matches whose bar spans overlap, keeps the most confident one (a
/// breakout stays "a breakout" on the following days; one pattern is reported once).
void merge_overlaps(std::vector<pattern_match>& xs);

} // namespace sc::patterns::detail
