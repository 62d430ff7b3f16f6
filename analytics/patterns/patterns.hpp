// Chart and candlestick pattern detection over daily bars. Pure C++, no CAF.
//
// Chart patterns are found from swing points (pivots with a prominence filter) and are
// reported only once confirmed: the bar that closes through the neckline / resistance /
// flag line is the pattern's `end`, so a match is something one can act on. Candlestick
// patterns use the standard definitions with body and shadow sizes measured against the
// average range and body of the 10 bars before the pattern.
//
// By default only *current* patterns are reported (ending within the last few bars), the
// scanner's need; `whole_history` scans the whole series (backtests, the dashboard).
//
// Every detector also has a mirror image (double_bottom / double_top, bull_flag /
// bear_flag, ...). They are the same code run on the price series reflected about zero,
// so the two directions cannot drift apart.
#pragma once

#include "messages/data.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sc::patterns {

enum class pattern_kind : uint8_t { chart = 0, candle = 1 };

/// One detected pattern.
struct pattern_match {
  std::string name; ///< Stable lower_snake_case name (see all_pattern_names()).
  pattern_kind kind = pattern_kind::chart;
  int direction = 0;     ///< +1 bullish, -1 bearish, 0 neutral.
  double confidence = 0; ///< In [0, 1]; how well the geometry fits (see each rule).
  double target = nan;   ///< Measured-move price target, NaN when none is defined.
  size_t start = 0;      ///< Index of the pattern's first bar.
  size_t end = 0;        ///< Index of its last (confirming) bar.
};

/// A pivot: a bar whose high (low) is the extreme within +-k bars and that stands out
/// from the previous pivot of the other kind by at least the prominence threshold.
struct swing_point {
  size_t index = 0;
  double price = 0; ///< The bar's high for a swing high, its low for a swing low.
  int type = 0;     ///< +1 swing high, -1 swing low.
};

struct swing_params {
  int k = 3;            ///< Half-width of the window the extreme must dominate.
  int atr_period = 14;  ///< ATR (Wilder) used to scale the prominence.
  double min_atr = 1.0; ///< Minimum move from the previous opposite pivot, in ATRs.
  double min_pct = 0.0; ///< ... and as a fraction of price (the larger applies).
};

/// Swing highs and lows, alternating (high, low, high, ...), oldest first.
/// Candidates are bars whose high is strictly above the k bars before and not below the
/// k bars after (ties resolve to the first bar of a flat top), likewise for lows. A
/// zigzag pass then keeps them alternating: of two consecutive pivots of the same kind
/// the more extreme one stays, and a pivot of the other kind is accepted only if it moved
/// at least max(min_atr * ATR, min_pct * price) away from the last kept pivot. Linear in
/// bars.
std::vector<swing_point> find_swings(const bar_series& bars, const swing_params& p = {});

/// Tunables of the chart detectors. Fractions are of price unless noted.
struct chart_params {
  swing_params swings;
  size_t recent_bars = 5;     ///< "Current" = the confirming bar is one of these.
  bool whole_history = false; ///< Report every confirmed pattern, not only current.
  int volume_period = 20;     ///< Average volume over the bars before the signal.
  double volume_mult = 1.5;   ///< Breakout volume >= this x average.
  int confirm_max_bars = 30;  ///< A break must come this soon after the last pivot.
  // -- breakout ----------------------------------------------------------------------
  int breakout_bars = 20; ///< N of the N-day range.
  // -- double bottom / top -----------------------------------------------------------
  double double_tolerance = 0.04; ///< The two lows within this fraction of each other.
  int double_min_bars = 10;       ///< Bars between the two lows, at least ...
  int double_max_bars = 150;      ///< ... and at most.
  // -- head and shoulders ------------------------------------------------------------
  double shoulder_tolerance = 0.06; ///< Shoulders within this fraction of each other.
  double head_min_excess = 0.01;    ///< Head above the higher shoulder by this fraction.
  double hs_min_symmetry = 0.3;     ///< min/max of the two shoulder-to-head durations.
  // -- flag ----------------------------------------------------------------------------
  int pole_max_bars = 15;      ///< The pole rises within this many bars ...
  double pole_min_gain = 0.15; ///< ... by at least this fraction.
  int flag_min_bars = 4;       ///< Consolidation length bounds.
  int flag_max_bars = 20;
  double flag_max_range = 0.5; ///< Flag high-low range <= this x pole height.
  double flag_max_rise = 0.05; ///< Flag drift (regression) <= this x pole height.
  // -- ascending triangle --------------------------------------------------------------
  double flat_tolerance = 0.02; ///< Resistance touches within this band.
  // -- cup and handle ------------------------------------------------------------------
  int cup_min_bars = 20;
  int cup_max_bars = 250;
  double cup_min_depth = 0.12;
  double cup_max_depth = 0.50;
  double rim_tolerance = 0.05;     ///< The two rims within this fraction of each other.
  double handle_max_retrace = 0.5; ///< Handle depth <= this x cup depth.
  int handle_min_bars = 3;         ///< Bars between the right rim and the breakout.
  double cup_min_roundness = 0.4;  ///< Share of cup bars closing in its lower third.
  // -- moving-average cross and squeeze
  // --------------------------------------------------
  int cross_fast = 50;
  int cross_slow = 200;
  int bb_period = 20;
  double bb_k = 2.0;
  int squeeze_lookback = 120; ///< Bandwidth lowest of this many bars.
};

/// Confirmed chart patterns, oldest end first. Bars of unequal array lengths are read
/// only up to the shortest array.
std::vector<pattern_match> detect_chart_patterns(const bar_series& bars,
                                                 const chart_params& p = {});

/// Candlestick patterns whose last bar is one of the last `lookback_bars` bars
/// (0 = the whole history), oldest first.
std::vector<pattern_match> detect_candles(const bar_series& bars,
                                          size_t lookback_bars = 5);

/// What detect_all looks for.
struct detect_params {
  chart_params chart;
  size_t candle_lookback = 5;            ///< Ignored when chart.whole_history is set.
  std::vector<std::string> names{"all"}; ///< "all" or a list of pattern names.
};

/// Chart and candle patterns restricted to `names`, sorted by end bar then name.
/// Unknown names are ignored here; validate configuration with is_known_pattern().
std::vector<pattern_match> detect_all(const bar_series& bars,
                                      const detect_params& p = {});

/// True for "all" and every name in all_pattern_names().
bool is_known_pattern(std::string_view name);

/// Every pattern name this library can report (chart patterns first).
const std::vector<std::string>& all_pattern_names();

} // namespace sc::patterns
