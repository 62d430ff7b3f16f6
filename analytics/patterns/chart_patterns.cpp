// Swing points and chart patterns. See patterns.hpp for the contract.
//
// Every detector is written once for the bullish (or the "top") form and run twice: on
// the bars as they are and on the bars reflected about zero (high' = -low, low' = -high,
// close' = -close). Reflection turns a double bottom into a double top, a bull flag into
// a bear flag, and so on; all ratios divide by |price| so they survive the sign flip.
#include "analytics/patterns/detail.hpp"

#include "analytics/indicators/indicators.hpp"

#include <limits>

namespace sc::patterns {

namespace detail {
namespace {

/// The bars seen upright (s = +1) or reflected (s = -1).
struct view {
  const double* h;
  const double* l;
  const double* c;
  const double* v;
  size_t n;
  double s;
  double hi(size_t i) const { return s > 0 ? h[i] : -l[i]; }
  double lo(size_t i) const { return s > 0 ? l[i] : -h[i]; }
  double cl(size_t i) const { return s * c[i]; }
  /// A price of the view back to a real price.
  double real(double x) const { return s * x; }
};

/// ATR with its undefined head filled by the first defined value, so that every bar
/// has a scale for the prominence filter.
std::vector<double> filled_atr(const bar_series& b, size_t n, int period) {
  std::vector<double> a;
  if (b.high.size() == n && b.low.size() == n && b.close.size() == n) {
    a = ind::atr(b.high, b.low, b.close, period);
  } else { // ragged input: only the common prefix is read
    std::vector<double> h(b.high.begin(), b.high.begin() + n);
    std::vector<double> l(b.low.begin(), b.low.begin() + n);
    std::vector<double> c(b.close.begin(), b.close.begin() + n);
    a = ind::atr(h, l, c, period);
  }
  a.resize(n, nan);
  double first = nan;
  for (double x : a)
    if (!std::isnan(x)) {
      first = x;
      break;
    }
  if (std::isnan(first)) {
    // Too short for the ATR: use the mean high-low range instead.
    double s = 0;
    for (size_t i = 0; i < n; ++i)
      s += b.high[i] - b.low[i];
    first = n ? s / static_cast<double>(n) : 0;
  }
  for (auto& x : a)
    if (std::isnan(x)) x = first;
  return a;
}

std::vector<swing_point> swings_impl(const view& w, const std::vector<double>& atr,
                                     const swing_params& p) {
  // (w is always the upright view.)
  std::vector<swing_point> out;
  const size_t n = w.n;
  const size_t k = static_cast<size_t>(std::max(1, p.k));
  if (n < 2 * k + 1) return out;
  out.reserve(n / (2 * k) + 2);
  auto threshold = [&](size_t i, double price) {
    return std::max(p.min_atr * atr[i], p.min_pct * std::abs(price));
  };
  auto offer = [&](swing_point c) {
    if (out.empty()) {
      out.push_back(c);
      return;
    }
    auto& top = out.back();
    if (c.type == top.type) {
      if ((c.type > 0 && c.price > top.price) || (c.type < 0 && c.price < top.price))
        top = c;
      return;
    }
    if (std::abs(c.price - top.price) >= threshold(c.index, c.price)) out.push_back(c);
  };
  // Swings are found on the upright bars only (the reflected list is derived from
  // them). The comparisons are combined without branching: on noisy data an early exit
  // mispredicts about every other bar and costs more than doing all 4k compares.
  const double* h = w.h;
  const double* l = w.l;
  for (size_t i = k; i + k < n; ++i) {
    const double hi = h[i], lo = l[i];
    bool is_high = true, is_low = true;
    for (size_t d = 1; d <= k; ++d) {
      is_high &= (hi > h[i - d]) & (hi >= h[i + d]);
      is_low &= (lo < l[i - d]) & (lo <= l[i + d]);
    }
    if (!(is_high | is_low)) continue;
    // An outside bar can be both; its close side decides which extreme came last.
    if (is_high && is_low) {
      if (w.cl(i) >= 0.5 * (hi + lo)) {
        offer({i, lo, -1});
        offer({i, hi, +1});
      } else {
        offer({i, hi, +1});
        offer({i, lo, -1});
      }
    } else if (is_high) {
      offer({i, hi, +1});
    } else if (is_low) {
      offer({i, lo, -1});
    }
  }
  return out;
}

/// Everything a detector needs for one orientation.
struct context {
  const chart_params& p;
  view w;
  const std::vector<swing_point>& sw;
  const std::vector<double>& atr;
  size_t from; ///< Report only patterns whose confirming bar is >= from.
  std::vector<pattern_match>& out;

  void emit(int id, int direction, double confidence, double view_target, size_t start,
            size_t end) const {
    pattern_match m;
    m.name = pattern_names[id];
    m.kind = pattern_kind::chart;
    m.direction = direction;
    m.confidence = clamp01(confidence);
    m.target = std::isnan(view_target) ? nan : w.real(view_target);
    m.start = start;
    m.end = end;
    out.push_back(std::move(m));
  }
  double vol_score(size_t t) const {
    return volume_score(w.v, t, p.volume_period, p.volume_mult);
  }
  int id(int upright, int reflected) const { return w.s > 0 ? upright : reflected; }
};

// -- breakout: close above the prior N-bar high on volume ------------------------------
//
// Rule: close[t] > max(high[t-N..t-1]) and volume[t] >= volume_mult x mean volume of the
// volume_period bars before t. Target: range high + range height.
// Confidence = 0.5 volume score + 0.25 tightness (1 - range height / 30% of price)
//            + 0.25 margin (how far the close cleared the range, in ATRs, capped at 1).
void find_breakouts(const context& x, int id) {
  const size_t nb = static_cast<size_t>(std::max(2, x.p.breakout_bars));
  for (size_t t = std::max(nb, x.from); t < x.w.n; ++t) {
    double rh = -std::numeric_limits<double>::infinity();
    double rl = std::numeric_limits<double>::infinity();
    for (size_t j = t - nb; j < t; ++j) {
      rh = std::max(rh, x.w.hi(j));
      rl = std::min(rl, x.w.lo(j));
    }
    if (!(x.w.cl(t) > rh)) continue;
    double avg = avg_volume_before(x.w.v, t, x.p.volume_period);
    if (!(avg > 0) || !(x.w.v[t] >= x.p.volume_mult * avg)) continue;
    double height = rh - rl;
    double tight = 1.0 - clamp01(height / std::abs(rh) / 0.30);
    double margin = clamp01((x.w.cl(t) - rh) / x.atr[t]);
    x.emit(id, static_cast<int>(x.w.s),
           0.5 * x.vol_score(t) + 0.25 * tight + 0.25 * margin, rh + height, t - nb, t);
  }
}

// -- double bottom: two swing lows within tolerance, separated by a peak ---------------
//
// Rule: consecutive pivots low a, high k, low b with |b - a| <= tol x price and
// double_min_bars <= b - a <= double_max_bars; confirmed by the first close above the
// neckline (the high k) within confirm_max_bars of b, before any low undercuts the
// lower bottom by more than tol. Target: neckline + (neckline - lower bottom).
// Confidence = 0.4 similarity (1 - |b - a| / tolerance) + 0.3 time symmetry
//            (min/max of the two legs a->k, k->b) + 0.3 volume score on the break.
void find_double_bottoms(const context& x, int id) {
  const auto& sw = x.sw;
  for (size_t i = 0; i + 2 < sw.size(); ++i) {
    const auto &a = sw[i], &k = sw[i + 1], &b = sw[i + 2];
    if (a.type != -1) continue;
    size_t gap = b.index - a.index;
    if (gap < static_cast<size_t>(x.p.double_min_bars) ||
        gap > static_cast<size_t>(x.p.double_max_bars))
      continue;
    if (b.index + x.p.confirm_max_bars < x.from) continue;
    double ref = 0.5 * (std::abs(a.price) + std::abs(b.price));
    double diff = std::abs(b.price - a.price) / ref;
    if (diff > x.p.double_tolerance) continue;
    double bottom = std::min(a.price, b.price);
    double floor = bottom - x.p.double_tolerance * std::abs(bottom);
    double neck = k.price;
    size_t last = std::min(x.w.n - 1, b.index + x.p.confirm_max_bars);
    for (size_t t = b.index + 1; t <= last; ++t) {
      if (x.w.lo(t) < floor) break;
      if (x.w.cl(t) > neck) {
        if (t >= x.from) {
          double l1 = static_cast<double>(k.index - a.index);
          double l2 = static_cast<double>(b.index - k.index);
          double sim = 1.0 - diff / x.p.double_tolerance;
          double sym = std::min(l1, l2) / std::max(l1, l2);
          x.emit(id, static_cast<int>(x.w.s),
                 0.4 * sim + 0.3 * sym + 0.3 * x.vol_score(t), neck + (neck - bottom),
                 a.index, t);
        }
        break;
      }
    }
  }
}

// -- head and shoulders: three peaks, the middle highest, shoulders level -------------
//
// Rule: consecutive pivots LS, T1, H, T2, RS (highs and lows alternating) with
// H >= max(LS, RS) x (1 + head_min_excess), |LS - RS| <= shoulder_tolerance x price, and
// the durations LS->H, H->RS within hs_min_symmetry of each other. The neckline runs
// through T1 and T2; the first close below it within confirm_max_bars of RS (before any
// high above the head) confirms. Target: neckline at the break - (H - neckline at H).
// Confidence = 0.35 shoulder level (1 - |LS - RS| / tolerance) + 0.25 time symmetry
//            + 0.2 neckline flatness (1 - |T2 - T1| / head height) + 0.2 volume score.
void find_head_and_shoulders(const context& x, int id) {
  const auto& sw = x.sw;
  const auto& p = x.p;
  for (size_t i = 0; i + 4 < sw.size(); ++i) {
    const auto &ls = sw[i], &t1 = sw[i + 1], &hd = sw[i + 2], &t2 = sw[i + 3],
               &rs = sw[i + 4];
    if (ls.type != +1) continue;
    if (rs.index + p.confirm_max_bars < x.from) continue;
    double shoulder = std::max(ls.price, rs.price);
    if (!(hd.price >= shoulder + p.head_min_excess * std::abs(shoulder))) continue;
    double sref = 0.5 * (std::abs(ls.price) + std::abs(rs.price));
    double sdiff = std::abs(ls.price - rs.price) / sref;
    if (sdiff > p.shoulder_tolerance) continue;
    double d1 = static_cast<double>(hd.index - ls.index);
    double d2 = static_cast<double>(rs.index - hd.index);
    double sym = std::min(d1, d2) / std::max(d1, d2);
    if (sym < p.hs_min_symmetry) continue;
    double slope = (t2.price - t1.price) / static_cast<double>(t2.index - t1.index);
    auto neck = [&](size_t t) {
      return t1.price + slope * (static_cast<double>(t) - static_cast<double>(t1.index));
    };
    double head_height = hd.price - neck(hd.index);
    if (!(head_height > 0)) continue;
    size_t last = std::min(x.w.n - 1, rs.index + p.confirm_max_bars);
    for (size_t t = rs.index + 1; t <= last; ++t) {
      if (x.w.hi(t) > hd.price) break;
      if (x.w.cl(t) < neck(t)) {
        if (t >= x.from) {
          double flat = 1.0 - clamp01(std::abs(t2.price - t1.price) / head_height);
          double conf = 0.35 * (1.0 - sdiff / p.shoulder_tolerance) + 0.25 * sym +
                        0.2 * flat + 0.2 * x.vol_score(t);
          x.emit(id, -static_cast<int>(x.w.s), conf, neck(t) - head_height, ls.index, t);
        }
        break;
      }
    }
  }
}

// -- bull flag: a strong pole, then a tight, flat-to-falling consolidation ------------
//
// Rule, for a breakout bar t: the pole top P1 is the highest high of bars
// [t - flag_max_bars - 1, t - flag_min_bars - 1] and no bar after it (before t) is
// higher; the pole bottom P0 is the lowest low of the pole_max_bars before P1, and
// (P1 - P0) / P0 >= pole_min_gain. The flag (bars strictly between P1 and t) spans at
// most flag_max_range x pole (high to low, and pole top to flag low), and the
// least-squares line of its closes drifts at most flag_max_rise x pole upward. The flag's
// upper line is that regression line raised to touch its highest high; t must close
// above it. Target: the upper line at t + pole height.
// Confidence = 0.3 tightness (1 - flag range / allowed range) + 0.25 pole strength
//            (gain / twice the minimum) + 0.25 volume score on the break
//            + 0.2 volume dry-up (flag mean volume vs the pole's, 1 at half or less).
void find_flags(const context& x, int id) {
  const auto& p = x.p;
  const auto& w = x.w;
  const size_t fmin = static_cast<size_t>(std::max(2, p.flag_min_bars));
  const size_t fmax = static_cast<size_t>(std::max(p.flag_min_bars, p.flag_max_bars));
  const size_t pmax = static_cast<size_t>(std::max(1, p.pole_max_bars));
  for (size_t t = std::max(x.from, fmin + 2); t < w.n; ++t) {
    size_t lo_p1 = t > fmax + 1 ? t - fmax - 1 : 1;
    size_t hi_p1 = t - fmin - 1;
    if (lo_p1 > hi_p1) continue;
    size_t p1 = hi_p1;
    for (size_t j = hi_p1 + 1; j-- > lo_p1;)
      if (w.hi(j) >= w.hi(p1)) // ties go to the earliest bar: where the pole ended
        p1 = j;
    double top = w.hi(p1);
    bool valid = true;
    double fhi = -std::numeric_limits<double>::infinity();
    double flo = std::numeric_limits<double>::infinity();
    for (size_t j = p1 + 1; j < t; ++j) {
      if (w.hi(j) > top) {
        valid = false;
        break;
      }
      fhi = std::max(fhi, w.hi(j));
      flo = std::min(flo, w.lo(j));
    }
    if (!valid) continue;
    size_t p0 = p1 - 1;
    for (size_t j = p1 >= pmax ? p1 - pmax : 0; j < p1; ++j)
      if (w.lo(j) < w.lo(p0)) p0 = j;
    double pole = top - w.lo(p0);
    double gain = pole / std::abs(w.lo(p0));
    if (!(gain >= p.pole_min_gain)) continue;
    double allowed = p.flag_max_range * pole;
    if (fhi - flo > allowed || top - flo > allowed) continue;
    // Least squares of the flag's closes against the bar index (relative to p1).
    size_t len = t - p1 - 1;
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (size_t j = p1 + 1; j < t; ++j) {
      double xj = static_cast<double>(j - p1), yj = w.cl(j);
      sx += xj, sy += yj, sxx += xj * xj, sxy += xj * yj;
    }
    double nl = static_cast<double>(len);
    double den = nl * sxx - sx * sx;
    double b = den != 0 ? (nl * sxy - sx * sy) / den : 0;
    double a = (sy - b * sx) / nl;
    if (b * nl > p.flag_max_rise * pole) continue;
    double lift = -std::numeric_limits<double>::infinity();
    for (size_t j = p1 + 1; j < t; ++j)
      lift = std::max(lift, w.hi(j) - (a + b * static_cast<double>(j - p1)));
    double upper = a + b * static_cast<double>(t - p1) + lift;
    if (!(w.cl(t) > upper)) continue;
    double vpole = 0, vflag = 0;
    for (size_t j = p0; j <= p1; ++j)
      vpole += w.v[j];
    for (size_t j = p1 + 1; j < t; ++j)
      vflag += w.v[j];
    vpole /= static_cast<double>(p1 - p0 + 1);
    vflag /= nl;
    double dry = vpole > 0 ? clamp01(2.0 * (1.0 - vflag / vpole)) : 0;
    double tight = 1.0 - clamp01((fhi - flo) / allowed);
    double strength = clamp01(gain / (2.0 * p.pole_min_gain));
    x.emit(id, static_cast<int>(w.s),
           0.3 * tight + 0.25 * strength + 0.25 * x.vol_score(t) + 0.2 * dry,
           upper + pole, p0, t);
  }
}

// -- ascending triangle: flat resistance touched twice or more, rising lows ------------
//
// Rule: two or more consecutive swing highs whose spread is within flat_tolerance of
// price (resistance R = the highest of them), the swing lows between them (and the one
// before the first touch) each higher than the previous by more than flat_tolerance x
// price, at least two such lows; confirmed by the first close above R within
// confirm_max_bars of the last touch, before any low undercuts the last rising low.
// Target: R + (R - first low), the base height.
// Confidence = 0.3 touches (2 -> 0.5, 3 or more -> 1) + 0.4 flatness (1 - spread /
//            tolerance) + 0.3 volume score on the break.
void find_ascending_triangles(const context& x, int id) {
  const auto& sw = x.sw;
  const auto& p = x.p;
  for (size_t last = 0; last < sw.size(); ++last) {
    if (sw[last].type != +1) continue;
    if (sw[last].index + p.confirm_max_bars < x.from) continue;
    double rmax = sw[last].price, rmin = rmax;
    double rise = p.flat_tolerance * std::abs(rmax);
    size_t first = last;
    int touches = 1;
    int lows = 0;
    double earliest_low = std::numeric_limits<double>::infinity();
    // Walk back over (high, low) pairs while the highs stay in the band and the lows
    // keep falling (i.e. rising forward in time).
    while (first >= 2 && sw[first - 2].type == +1) {
      double h = sw[first - 2].price;
      double nmax = std::max(rmax, h), nmin = std::min(rmin, h);
      double lowp = sw[first - 1].price;
      if ((nmax - nmin) / std::abs(nmax) > p.flat_tolerance) break;
      if (lows > 0 && !(lowp < earliest_low - rise)) break;
      rmax = nmax, rmin = nmin;
      earliest_low = lowp;
      ++lows;
      ++touches;
      first -= 2;
    }
    if (touches < 2) continue;
    size_t start = sw[first].index;
    double base = earliest_low;
    if (first >= 1 && sw[first - 1].price < earliest_low - rise) {
      base = sw[first - 1].price;
      start = sw[first - 1].index;
      ++lows;
    }
    double last_low = sw[last - 1].price;
    size_t stop = std::min(x.w.n - 1, sw[last].index + p.confirm_max_bars);
    for (size_t t = sw[last].index + 1; t <= stop; ++t) {
      if (x.w.lo(t) < last_low) break;
      if (x.w.cl(t) > rmax) {
        // A higher low printed after the last touch and before the break also counts.
        if (last + 1 < sw.size() && sw[last + 1].index < t &&
            sw[last + 1].price > last_low + rise)
          ++lows;
        if (lows >= 2 && t >= x.from) {
          double touch = touches >= 3 ? 1.0 : 0.5;
          double flat = 1.0 - (rmax - rmin) / std::abs(rmax) / p.flat_tolerance;
          x.emit(id, static_cast<int>(x.w.s),
                 0.3 * touch + 0.4 * flat + 0.3 * x.vol_score(t), rmax + (rmax - base),
                 start, t);
        }
        break;
      }
    }
  }
}

// -- cup and handle: a rounded base between two level rims, then a short shallow dip --
//
// Rule: swing highs L (left rim) and R (right rim) at most three highs apart, with
// cup_min_bars <= R - L <= cup_max_bars, |L - R| <= rim_tolerance x price, depth
// (R - lowest low between) in [cup_min_depth, cup_max_depth] x price, any swing high
// inside the cup at least a quarter of the depth below the lower rim, and roundness (the
// share of cup bars closing in the lower third of the depth; 1/3 for a V, ~0.58 for a
// parabola, ~0.75 for a half circle) >= cup_min_roundness. The handle is the bars after
// R: at least handle_min_bars, dipping at most handle_max_retrace x depth, and lasting at
// most max(5, half the cup); the first close above R confirms. Target: R + depth.
// Confidence = 0.25 rim level (1 - |L - R| / tolerance) + 0.3 roundness (0 at a V,
//            1 at a half circle) + 0.2 handle shallowness + 0.25 volume score.
void find_cups(const context& x, int id) {
  const auto& sw = x.sw;
  const auto& p = x.p;
  const auto& w = x.w;
  for (size_t i = 0; i < sw.size(); ++i) {
    if (sw[i].type != +1) continue;
    for (size_t j = i + 2; j < sw.size() && j <= i + 6; j += 2) {
      const auto &lr = sw[i], &rr = sw[j];
      size_t cup = rr.index - lr.index;
      if (cup < static_cast<size_t>(p.cup_min_bars)) continue;
      if (cup > static_cast<size_t>(p.cup_max_bars)) break;
      size_t handle_max = std::max<size_t>(5, cup / 2);
      if (rr.index + handle_max < x.from) continue;
      double rref = 0.5 * (std::abs(lr.price) + std::abs(rr.price));
      double rdiff = std::abs(lr.price - rr.price) / rref;
      if (rdiff > p.rim_tolerance) continue;
      double bottom = std::numeric_limits<double>::infinity();
      for (size_t t = lr.index + 1; t < rr.index; ++t)
        bottom = std::min(bottom, w.lo(t));
      double rim = rr.price;
      double depth = rim - bottom;
      double dfrac = depth / std::abs(rim);
      if (!(dfrac >= p.cup_min_depth && dfrac <= p.cup_max_depth)) continue;
      double inner_cap = std::min(lr.price, rr.price) - 0.25 * depth;
      bool bowl = true;
      for (size_t q = i + 2; q < j; q += 2)
        bowl = bowl && sw[q].price < inner_cap;
      if (!bowl) continue;
      size_t low_third = 0;
      for (size_t t = lr.index; t <= rr.index; ++t)
        low_third += w.cl(t) <= bottom + depth / 3.0;
      double round = static_cast<double>(low_third) / static_cast<double>(cup + 1);
      if (round < p.cup_min_roundness) continue;
      double handle_low = std::numeric_limits<double>::infinity();
      size_t stop = std::min(w.n - 1, rr.index + handle_max);
      for (size_t t = rr.index + 1; t <= stop; ++t) {
        if (w.cl(t) > rim) {
          size_t hbars = t - rr.index - 1;
          double hdepth = rim - handle_low;
          if (hbars >= static_cast<size_t>(p.handle_min_bars) && hdepth > 0 &&
              t >= x.from) {
            double level = 1.0 - rdiff / p.rim_tolerance;
            double rnd = clamp01((round - 1.0 / 3.0) / (0.75 - 1.0 / 3.0));
            double shallow = 1.0 - clamp01(hdepth / (p.handle_max_retrace * depth));
            x.emit(id, static_cast<int>(w.s),
                   0.25 * level + 0.3 * rnd + 0.2 * shallow + 0.25 * x.vol_score(t),
                   rim + depth, lr.index, t);
          }
          break;
        }
        handle_low = std::min(handle_low, w.lo(t));
        if (rim - handle_low > p.handle_max_retrace * depth) break;
      }
    }
  }
}

// -- golden / death cross
// ----------------------------------------------------------------
//
// Rule: SMA(fast) crosses above (below) SMA(slow) between bars t-1 and t.
// Confidence = 0.4 price confirmation (close beyond both averages 1, beyond the slow one
//            only 0.5) + 0.3 fast-average slope (1 at 0.2%/bar in the cross direction)
//            + 0.3 slow-average slope (1 when flat or with the cross, 0 at 0.1%/bar
//            against).
void find_crosses(const bar_series& b, size_t n, const chart_params& p, size_t from,
                  const pattern_mask& m, std::vector<pattern_match>& out) {
  if (n < static_cast<size_t>(p.cross_slow) + 1) return;
  // A simple average only sees its window, so averaging the tail that the current bars
  // (and the 5-bar slopes) need gives the same numbers as the whole series, faster.
  const size_t need = static_cast<size_t>(std::max(p.cross_fast, p.cross_slow)) + 6;
  const size_t base = from > need ? from - need : 0;
  std::vector<double> c(b.close.begin() + base, b.close.begin() + n);
  auto f = ind::sma(c, p.cross_fast);
  auto s = ind::sma(c, p.cross_slow);
  if (f.size() < c.size() || s.size() < c.size()) return;
  // t indexes the tail; bars are reported as base + t.
  for (size_t t = std::max<size_t>(from - base, 1); t < c.size(); ++t) {
    if (std::isnan(f[t - 1]) || std::isnan(s[t - 1])) continue;
    int dir = 0;
    if (f[t - 1] <= s[t - 1] && f[t] > s[t])
      dir = +1;
    else if (f[t - 1] >= s[t - 1] && f[t] < s[t])
      dir = -1;
    if (dir == 0 || !m.test(dir > 0 ? golden_cross : death_cross)) continue;
    double d = dir;
    double price = (d * (c[t] - s[t]) > 0) ? (d * (c[t] - f[t]) > 0 ? 1.0 : 0.5) : 0.0;
    size_t back = std::min<size_t>(5, t);
    double fs = std::isnan(f[t - back]) ? 0 : (f[t] / f[t - back] - 1.0) / back;
    double ss = std::isnan(s[t - back]) ? 0 : (s[t] / s[t - back] - 1.0) / back;
    double fast_score = clamp01(d * fs / 0.002);
    double slow_score = d * ss >= 0 ? 1.0 : clamp01(1.0 + d * ss / 0.001);
    pattern_match x;
    x.name = pattern_names[dir > 0 ? golden_cross : death_cross];
    x.kind = pattern_kind::chart;
    x.direction = dir;
    x.confidence = clamp01(0.4 * price + 0.3 * fast_score + 0.3 * slow_score);
    x.target = nan;
    x.start = base + t - 1;
    x.end = base + t;
    out.push_back(std::move(x));
  }
}

// -- Bollinger squeeze
// ---------------------------------------------------------------------
//
// Rule: the band width (upper - lower) / middle at t is the lowest of the last
// squeeze_lookback bars (t included). Direction neutral: a squeeze precedes a move,
// either way. Confidence = how far below its window average the width sits:
// (1 - width / mean width) / 0.6, capped at 1 (a width at 40% of the average scores 1).
void find_squeezes(const bar_series& b, size_t n, const chart_params& p, size_t from,
                   std::vector<pattern_match>& out) {
  const size_t look = static_cast<size_t>(std::max(2, p.squeeze_lookback));
  if (n < look + static_cast<size_t>(p.bb_period)) return;
  // The bands only see their window: computing them over the tail the current bars'
  // lookback needs gives the whole series' numbers at a fraction of the cost.
  const size_t need = look + static_cast<size_t>(std::max(1, p.bb_period));
  const size_t base = from > need ? from - need : 0;
  std::vector<double> c(b.close.begin() + base, b.close.begin() + n);
  auto bb = ind::bollinger(c, p.bb_period, p.bb_k);
  if (bb.upper.size() < c.size()) return;
  auto width = [&](size_t t) {
    t -= base;
    return (bb.upper[t] - bb.lower[t]) / std::abs(bb.middle[t]);
  };
  for (size_t t = std::max(from, look - 1); t < n; ++t) {
    double wt = width(t);
    if (std::isnan(wt)) continue;
    bool lowest = true;
    double sum = 0;
    for (size_t j = t + 1 - look; j <= t && lowest; ++j) {
      double wj = width(j);
      lowest = !std::isnan(wj) && wt <= wj;
      sum += wj;
    }
    if (!lowest) continue;
    double mean = sum / static_cast<double>(look);
    pattern_match x;
    x.name = pattern_names[bollinger_squeeze];
    x.kind = pattern_kind::chart;
    x.direction = 0;
    x.confidence = mean > 0 ? clamp01((1.0 - wt / mean) / 0.6) : 0;
    x.target = nan;
    x.start = t + 1 - look;
    x.end = t;
    out.push_back(std::move(x));
  }
}

bool any_swing_pattern(const pattern_mask& m, int upright, int reflected) {
  return m.test(upright) || (reflected >= 0 && m.test(reflected));
}

} // namespace

void detect_chart(const bar_series& bars, const chart_params& p, const pattern_mask& m,
                  std::vector<pattern_match>& out) {
  const size_t n = usable_size(bars);
  if (n == 0) return;
  const size_t from =
      p.whole_history ? 0
                      : (n > p.recent_bars ? n - std::max<size_t>(1, p.recent_bars) : 0);
  const bool need_swings =
      any_swing_pattern(m, ascending_triangle, descending_triangle) ||
      any_swing_pattern(m, double_bottom, double_top) ||
      any_swing_pattern(m, head_and_shoulders, inverse_head_and_shoulders) ||
      m.test(cup_and_handle);
  const bool need_atr = need_swings || any_swing_pattern(m, breakout, breakdown);
  const bool need_bars = need_atr || any_swing_pattern(m, bull_flag, bear_flag);
  if (need_bars) {
    std::vector<double> atr;
    if (need_atr) atr = filled_atr(bars, n, p.swings.atr_period);
    view up{
        bars.high.data(), bars.low.data(), bars.close.data(), bars.volume.data(), n, 1};
    view down = up;
    down.s = -1;
    std::vector<swing_point> sw_up, sw_down;
    if (need_swings) {
      sw_up = swings_impl(up, atr, p.swings);
      sw_down = sw_up;
      for (auto& s : sw_down)
        s.type = -s.type, s.price = -s.price;
    }
    const context xs[2] = {{p, up, sw_up, atr, from, out},
                           {p, down, sw_down, atr, from, out}};
    for (const auto& x : xs) {
      if (m.test(x.id(breakout, breakdown))) find_breakouts(x, x.id(breakout, breakdown));
      if (m.test(x.id(bull_flag, bear_flag))) find_flags(x, x.id(bull_flag, bear_flag));
      if (m.test(x.id(ascending_triangle, descending_triangle)))
        find_ascending_triangles(x, x.id(ascending_triangle, descending_triangle));
      if (m.test(x.id(double_bottom, double_top)))
        find_double_bottoms(x, x.id(double_bottom, double_top));
      if (m.test(x.id(head_and_shoulders, inverse_head_and_shoulders)))
        find_head_and_shoulders(x, x.id(head_and_shoulders, inverse_head_and_shoulders));
    }
    if (m.test(cup_and_handle)) find_cups(xs[0], cup_and_handle);
  }
  if (m.test(golden_cross) || m.test(death_cross)) find_crosses(bars, n, p, from, m, out);
  if (m.test(bollinger_squeeze)) find_squeezes(bars, n, p, from, out);
}

} // namespace detail

std::vector<swing_point> find_swings(const bar_series& bars, const swing_params& p) {
  const size_t n = detail::usable_size(bars);
  if (n == 0) return {};
  auto atr = detail::filled_atr(bars, n, p.atr_period);
  detail::view up{
      bars.high.data(), bars.low.data(), bars.close.data(), bars.volume.data(), n, 1};
  return detail::swings_impl(up, atr, p);
}

} // namespace sc::patterns
