// Candlestick patterns. See patterns.hpp for the contract.
//
// Sizes are judged against the 10 bars before the pattern: R = their mean high-low
// range, B = their mean body |close - open|. Trend context, where a definition asks for
// it, is also read from the bars before the pattern's first bar s:
//   downtrend: close[s-1] < mean(close[s-10..s-1]) and close[s-1] < close[s-6]
//   uptrend:   the mirror image.
// A pattern therefore needs 10 bars of history before its first bar.
//
// Bullish and bearish twins are one rule run on the bars reflected about zero (open,
// close negated, high and low swapped and negated), which also flips the trend.
//
// Confidence: patterns that require a trend = 0.6 shape + 0.2 trend strength + 0.2
// volume; the others = 0.8 shape + 0.2 volume. Shape scores are given per rule below;
// trend strength = |close[s-6] - close[s-1]| / (2 R), capped at 1; volume = the last
// bar's volume against the 10 bars before the pattern (0 at average, 1 at 2x).
#include "analytics/patterns/detail.hpp"

namespace sc::patterns::detail {
namespace {

constexpr size_t ref_bars = 10;

struct candle_view {
  const double *o, *h, *l, *c, *v;
  double s;
  double op(size_t i) const { return s * o[i]; }
  double cl(size_t i) const { return s * c[i]; }
  double hi(size_t i) const { return s > 0 ? h[i] : -l[i]; }
  double lo(size_t i) const { return s > 0 ? l[i] : -h[i]; }
  double body(size_t i) const { return std::abs(c[i] - o[i]); }
  double range(size_t i) const { return h[i] - l[i]; }
  double top(size_t i) const { return std::max(op(i), cl(i)); }
  double bottom(size_t i) const { return std::min(op(i), cl(i)); }
  double upper(size_t i) const { return hi(i) - top(i); }
  double lower(size_t i) const { return bottom(i) - lo(i); }
  bool up(size_t i) const { return cl(i) > op(i); }
  bool down(size_t i) const { return cl(i) < op(i); }
};

/// Reference sizes and trend before a pattern starting at bar s (s >= ref_bars).
struct reference {
  double avg_range = 0;
  double avg_body = 0;
  double avg_volume = 0;
  int trend = 0;       ///< +1 up, -1 down, 0 neither (in the view's orientation).
  double strength = 0; ///< In [0,1].
};

reference make_reference(const candle_view& w, size_t s) {
  reference r;
  double sc = 0;
  for (size_t j = s - ref_bars; j < s; ++j) {
    r.avg_range += w.range(j);
    r.avg_body += w.body(j);
    r.avg_volume += w.v[j];
    sc += w.cl(j);
  }
  r.avg_range /= ref_bars;
  r.avg_body /= ref_bars;
  r.avg_volume /= ref_bars;
  sc /= ref_bars;
  double last = w.cl(s - 1), back = w.cl(s - 6);
  if (last < sc && last < back)
    r.trend = -1;
  else if (last > sc && last > back)
    r.trend = +1;
  r.strength = r.avg_range > 0 ? clamp01(std::abs(back - last) / (2.0 * r.avg_range)) : 0;
  return r;
}

struct candle_ctx {
  candle_view w;
  size_t from;
  size_t n;
  const pattern_mask& m;
  std::vector<pattern_match>& out;

  int id(int upright, int reflected) const { return w.s > 0 ? upright : reflected; }

  void emit(int id, int view_direction, double shape, const reference& r, bool trend_rule,
            size_t start, size_t end) const {
    double vol = r.avg_volume > 0 ? clamp01(w.v[end] / r.avg_volume - 1.0) : 0;
    double conf = trend_rule ? 0.6 * clamp01(shape) + 0.2 * r.strength + 0.2 * vol
                             : 0.8 * clamp01(shape) + 0.2 * vol;
    pattern_match x;
    x.name = pattern_names[id];
    x.kind = pattern_kind::candle;
    x.direction = view_direction * static_cast<int>(w.s);
    x.confidence = clamp01(conf);
    x.target = nan;
    x.start = start;
    x.end = end;
    out.push_back(std::move(x));
  }
};

// Every rule below is written in its bullish form (or, for the lower-shadow shapes, the
// form with the long lower shadow); the reflected run yields the twin named second.

/// One-bar patterns ending at i.
void one_bar(const candle_ctx& x, size_t i) {
  const auto& w = x.w;
  if (i < ref_bars + 6) return;
  auto r = make_reference(w, i);
  double range = w.range(i), body = w.body(i);
  if (!(range > 0) || !(range >= 0.5 * r.avg_range)) return;
  bool dojiish = body <= 0.1 * range;
  // Dragonfly doji / gravestone doji: doji body at the top of the range, lower shadow at
  // least 60% of the range, upper shadow at most 10%. Shape: lower shadow share (0.6..1).
  if (dojiish && w.upper(i) <= 0.1 * range && w.lower(i) >= 0.6 * range) {
    int id = x.id(dragonfly_doji, gravestone_doji);
    if (x.m.test(id))
      x.emit(id, +1, (w.lower(i) / range - 0.6) / 0.4 * 0.5 + 0.5, r, false, i, i);
    return;
  }
  // Doji (upright pass only; neutral): body <= 10% of the range, range at least half the
  // average range. Shape: 1 - body / (10% of the range).
  if (dojiish) {
    if (w.s > 0 && x.m.test(doji))
      x.emit(doji, 0, 1.0 - body / (0.1 * range), r, false, i, i);
    return;
  }
  // Hammer / shooting star (after a decline), hanging man / inverted hammer (after an
  // advance): small body (10%..35% of the range) in the top of the bar, lower shadow at
  // least twice the body, upper shadow at most 10% of the range, range at least 0.8 R.
  // Shape: lower shadow share of the range, 0 at 50%, 1 at 80% or more.
  if (body <= 0.35 * range && w.lower(i) >= 2.0 * body && w.upper(i) <= 0.1 * range &&
      range >= 0.8 * r.avg_range) {
    double shape = (w.lower(i) / range - 0.5) / 0.3;
    if (r.trend < 0) {
      int id = x.id(hammer, shooting_star);
      if (x.m.test(id)) x.emit(id, +1, shape, r, true, i, i);
    } else if (r.trend > 0) {
      int id = x.id(hanging_man, inverted_hammer);
      // A hanging man in an uptrend is bearish; its reflection, the inverted hammer in
      // a downtrend, is bullish.
      if (x.m.test(id)) x.emit(id, -1, shape, r, true, i, i);
    }
  }
}

/// Two-bar patterns ending at i (first bar i - 1).
void two_bar(const candle_ctx& x, size_t i) {
  const auto& w = x.w;
  const size_t a = i - 1;
  if (a < ref_bars + 6) return;
  auto r = make_reference(w, a);
  if (r.trend >= 0)
    return; // every two-bar rule here is a reversal of a decline (in the view)
  // Bullish / bearish engulfing: a down bar (body >= 10% of R, not a doji) then an up
  // bar whose body covers it (open <= prior close, close >= prior open, larger body).
  // Shape: body ratio - 1, 1 at twice the prior body.
  if (w.down(a) && w.up(i) && w.body(a) >= 0.1 * r.avg_range && w.op(i) <= w.cl(a) &&
      w.cl(i) >= w.op(a) && w.body(i) > w.body(a)) {
    int id = x.id(bullish_engulfing, bearish_engulfing);
    if (x.m.test(id)) x.emit(id, +1, w.body(i) / w.body(a) - 1.0, r, true, a, i);
    return;
  }
  // Piercing line / dark cloud cover: a long down bar (body >= B) then an up bar opening
  // below the prior close and closing above the midpoint of the prior body but below
  // its open. (The classic asks for an open below the prior low; daily equity bars
  // rarely gap that far, so the open below the prior close is used.) Shape: how far past
  // the midpoint it closed, 0 at the midpoint, 1 at the prior open.
  double mid = 0.5 * (w.op(a) + w.cl(a));
  if (w.down(a) && w.up(i) && w.body(a) >= r.avg_body && w.op(i) < w.cl(a) &&
      w.cl(i) > mid && w.cl(i) < w.op(a)) {
    int id = x.id(piercing_line, dark_cloud_cover);
    if (x.m.test(id)) x.emit(id, +1, (w.cl(i) - mid) / (w.op(a) - mid), r, true, a, i);
    return;
  }
  // Bullish / bearish harami: a long down bar (body >= B) then a bar whose body lies
  // inside the prior body and is at most half as large. Shape: 1 - body / (half prior).
  if (w.down(a) && w.body(a) >= r.avg_body && w.top(i) <= w.op(a) &&
      w.bottom(i) >= w.cl(a) && w.body(i) <= 0.5 * w.body(a)) {
    int id = x.id(bullish_harami, bearish_harami);
    if (x.m.test(id)) x.emit(id, +1, 1.0 - w.body(i) / (0.5 * w.body(a)), r, true, a, i);
  }
}

/// Three-bar patterns ending at i (first bar i - 2).
void three_bar(const candle_ctx& x, size_t i) {
  const auto& w = x.w;
  const size_t a = i - 2, b = i - 1;
  if (a < ref_bars + 6) return;
  auto r = make_reference(w, a);
  // Morning star / evening star (after a decline): a long down bar (body >= B), a small
  // star (body <= 30% of the first) whose body sits at or below the first close, then
  // an up bar closing above the midpoint of the first body. Shape: 0.5 x how far the
  // third close went from the midpoint to the first open + 0.5 x star smallness.
  double mid = 0.5 * (w.op(a) + w.cl(a));
  if (r.trend < 0 && w.down(a) && w.body(a) >= r.avg_body &&
      w.body(b) <= 0.3 * w.body(a) && w.top(b) <= w.cl(a) && w.up(i) && w.cl(i) > mid) {
    int id = x.id(morning_star, evening_star);
    double shape = 0.5 * clamp01((w.cl(i) - mid) / (w.op(a) - mid)) +
                   0.5 * (1.0 - w.body(b) / (0.3 * w.body(a)));
    if (x.m.test(id)) x.emit(id, +1, shape, r, true, a, i);
  }
  // Three white soldiers / three black crows: three up bars, each body >= 0.5 B, each
  // opening within the previous body and closing higher, each closing near its high
  // (upper shadow <= 25% of the range). No trend required (after a decline it is a
  // reversal, otherwise a continuation). Shape: the smallest body over B, capped at 1.
  bool soldiers = true;
  double smallest = std::numeric_limits<double>::infinity();
  for (size_t j = a; j <= i && soldiers; ++j) {
    soldiers =
        w.up(j) && w.body(j) >= 0.5 * r.avg_body && w.upper(j) <= 0.25 * w.range(j);
    if (soldiers && j > a)
      soldiers =
          w.op(j) >= w.op(j - 1) && w.op(j) <= w.cl(j - 1) && w.cl(j) > w.cl(j - 1);
    smallest = std::min(smallest, w.body(j));
  }
  if (soldiers) {
    int id = x.id(three_white_soldiers, three_black_crows);
    if (x.m.test(id))
      x.emit(id, +1, r.avg_body > 0 ? smallest / r.avg_body : 1.0, r, false, a, i);
  }
}

} // namespace

void detect_candles(const bar_series& bars, size_t from, const pattern_mask& m,
                    std::vector<pattern_match>& out) {
  const size_t n = usable_size(bars);
  for (double s : {1.0, -1.0}) {
    candle_view w{bars.open.data(),  bars.high.data(),   bars.low.data(),
                  bars.close.data(), bars.volume.data(), s};
    candle_ctx x{w, from, n, m, out};
    for (size_t i = std::max<size_t>(from, 2); i < n; ++i) {
      one_bar(x, i);
      two_bar(x, i);
      three_bar(x, i);
    }
  }
}

} // namespace sc::patterns::detail
