// Pattern names, the name filter, and the public entry points.
#include "analytics/patterns/detail.hpp"

namespace sc::patterns {

namespace detail {

const char* const pattern_names[pattern_count] = {
    "breakout",
    "breakdown",
    "bull_flag",
    "bear_flag",
    "ascending_triangle",
    "descending_triangle",
    "double_bottom",
    "double_top",
    "cup_and_handle",
    "head_and_shoulders",
    "inverse_head_and_shoulders",
    "golden_cross",
    "death_cross",
    "bollinger_squeeze",
    "bullish_engulfing",
    "bearish_engulfing",
    "hammer",
    "hanging_man",
    "inverted_hammer",
    "shooting_star",
    "doji",
    "dragonfly_doji",
    "gravestone_doji",
    "morning_star",
    "evening_star",
    "three_white_soldiers",
    "three_black_crows",
    "piercing_line",
    "dark_cloud_cover",
    "bullish_harami",
    "bearish_harami",
};

void merge_overlaps(std::vector<pattern_match>& xs) {
  std::stable_sort(xs.begin(), xs.end(), [](const auto& a, const auto& b) {
    return a.name != b.name ? a.name < b.name : a.end < b.end;
  });
  std::vector<pattern_match> kept;
  kept.reserve(xs.size());
  for (auto& x : xs) {
    if (!kept.empty() && kept.back().name == x.name && x.start <= kept.back().end) {
      // Same pattern seen again over overlapping bars: one report, the better fit.
      if (x.confidence > kept.back().confidence) kept.back() = std::move(x);
      continue;
    }
    kept.push_back(std::move(x));
  }
  xs = std::move(kept);
}

namespace {

void sort_by_end(std::vector<pattern_match>& xs) {
  std::sort(xs.begin(), xs.end(), [](const auto& a, const auto& b) {
    return a.end != b.end ? a.end < b.end : a.name < b.name;
  });
}

pattern_mask chart_mask() {
  pattern_mask m;
  for (int i = 0; i < first_candle; ++i)
    m.set(i);
  return m;
}

pattern_mask candle_mask() {
  pattern_mask m;
  for (int i = first_candle; i < pattern_count; ++i)
    m.set(i);
  return m;
}

size_t candle_from(size_t n, size_t lookback) {
  return lookback == 0 || lookback >= n ? 0 : n - lookback;
}

} // namespace
} // namespace detail

std::vector<pattern_match> detect_chart_patterns(const bar_series& bars,
                                                 const chart_params& p) {
  std::vector<pattern_match> out;
  detail::detect_chart(bars, p, detail::chart_mask(), out);
  detail::merge_overlaps(out);
  detail::sort_by_end(out);
  return out;
}

std::vector<pattern_match> detect_candles(const bar_series& bars, size_t lookback_bars) {
  std::vector<pattern_match> out;
  detail::detect_candles(bars,
                         detail::candle_from(detail::usable_size(bars), lookback_bars),
                         detail::candle_mask(), out);
  detail::sort_by_end(out);
  return out;
}

std::vector<pattern_match> detect_all(const bar_series& bars, const detect_params& p) {
  detail::pattern_mask m;
  for (const auto& name : p.names) {
    if (name == "all") {
      m.set();
      break;
    }
    for (int i = 0; i < detail::pattern_count; ++i)
      if (name == detail::pattern_names[i]) m.set(i);
  }
  std::vector<pattern_match> out;
  if ((m & detail::chart_mask()).any()) {
    detail::detect_chart(bars, p.chart, m, out);
    detail::merge_overlaps(out);
  }
  if ((m & detail::candle_mask()).any()) {
    size_t n = detail::usable_size(bars);
    size_t from = p.chart.whole_history ? 0 : detail::candle_from(n, p.candle_lookback);
    detail::detect_candles(bars, from, m, out);
  }
  detail::sort_by_end(out);
  return out;
}

bool is_known_pattern(std::string_view name) {
  if (name == "all") return true;
  for (const char* x : detail::pattern_names)
    if (name == x) return true;
  return false;
}

const std::vector<std::string>& all_pattern_names() {
  static const std::vector<std::string> names(std::begin(detail::pattern_names),
                                              std::end(detail::pattern_names));
  return names;
}

} // namespace sc::patterns
