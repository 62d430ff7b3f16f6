#include "analytics/scanner/scoring.hpp"

#include "analytics/indicators/indicators.hpp"
#include "analytics/patterns/patterns.hpp"

#include <algorithm>
#include <cmath>

namespace sc::scan {

const char* to_string(factor f) {
  switch (f) {
  case factor::momentum:
    return "momentum";
  case factor::trend:
    return "trend";
  case factor::volume:
    return "volume";
  case factor::volatility:
    return "volatility";
  case factor::fundamentals:
    return "fundamentals";
  case factor::patterns:
    return "patterns";
  case factor::portfolio_fit:
    return "portfolio_fit";
  }
  return "unknown";
}

weights_result normalise_weights(const config::scanner_weights& w) {
  weights_result out;
  const factor_array raw{w.momentum,     w.trend,    w.volume,       w.volatility,
                         w.fundamentals, w.patterns, w.portfolio_fit};
  double sum = 0;
  for (size_t i = 0; i < factor_count; ++i) {
    if (!std::isfinite(raw[i]) || raw[i] < 0) {
      out.error = std::string{"scanner.weights."} + to_string(static_cast<factor>(i)) +
                  ": expected a finite number >= 0";
      return out;
    }
    sum += raw[i];
  }
  if (!(sum > 0)) {
    out.error = "scanner.weights: expected at least one weight > 0";
    return out;
  }
  for (size_t i = 0; i < factor_count; ++i)
    out.w[i] = raw[i] / sum;
  return out;
}

double ramp(double x, double lo, double hi) {
  if (std::isnan(x)) return nan;
  return std::clamp((x - lo) / (hi - lo), 0.0, 1.0);
}

double plateau(double x, double a, double b, double c, double d) {
  if (std::isnan(x)) return nan;
  if (x <= a || x >= d) return 0;
  if (x < b) return (x - a) / (b - a);
  if (x <= c) return 1;
  return (d - x) / (d - c);
}

namespace {

/// Weighted mean of the known parts; NaN when none is known.
template <size_t N>
double blend(const std::array<double, N>& parts, const std::array<double, N>& weights) {
  double s = 0, w = 0;
  for (size_t i = 0; i < N; ++i) {
    if (std::isnan(parts[i])) continue;
    s += weights[i] * parts[i];
    w += weights[i];
  }
  return w > 0 ? s / w : nan;
}

double last(const std::vector<double>& x) {
  return x.empty() ? nan : x.back();
}

} // namespace

double momentum_score(const raw_inputs& in, const score_params& p) {
  return blend<3>({ramp(in.ret20, p.r20_lo, p.r20_hi), ramp(in.ret60, p.r60_lo, p.r60_hi),
                   plateau(in.rsi14, p.rsi_a, p.rsi_b, p.rsi_c, p.rsi_d)},
                  {0.4, 0.4, 0.2});
}

double trend_score(const raw_inputs& in, const score_params& p) {
  const double d =
      blend<3>({ramp(in.close / in.sma50 - 1, -p.sma50_band, p.sma50_band),
                ramp(in.close / in.sma200 - 1, -p.sma200_band, p.sma200_band),
                ramp(in.sma50 / in.sma200 - 1, -p.cross_band, p.cross_band)},
               {1, 1, 1});
  if (std::isnan(d)) return nan;
  double s = ramp(in.adx14, p.adx_lo, p.adx_hi);
  if (std::isnan(s)) s = 0;
  return 0.5 + (d - 0.5) * (0.5 + 0.5 * s);
}

double volume_score(const raw_inputs& in, const score_params& p) {
  return blend<2>({ramp(in.rel_volume5, p.rvol_lo, p.rvol_hi),
                   ramp(in.obv_slope20, -p.obv_band, p.obv_band)},
                  {0.5, 0.5});
}

double volatility_score(const raw_inputs& in, const score_params& p) {
  return blend<2>({plateau(in.hist_vol20, p.hv_a, p.hv_b, p.hv_c, p.hv_d),
                   plateau(in.beta60, p.beta_a, p.beta_b, p.beta_c, p.beta_d)},
                  {0.75, 0.25});
}

double fundamentals_score(const raw_inputs& in, const score_params& p) {
  double valuation = nan;
  if (in.negative_earnings)
    valuation = 0;
  else if (!std::isnan(in.pe))
    valuation = ramp(in.pe, p.pe_bad, p.pe_good);
  return blend<3>({ramp(in.revenue_growth, p.rev_lo, p.rev_hi),
                   ramp(in.eps_growth, p.eps_lo, p.eps_hi), valuation},
                  {0.4, 0.3, 0.3});
}

double patterns_score(const raw_inputs& in, const score_params&) {
  return std::clamp(0.5 + 0.5 * (in.pattern_bullish - in.pattern_bearish), 0.0, 1.0);
}

double portfolio_fit_score(const raw_inputs& in, const score_params&) {
  if (!in.has_holdings) return 1;
  const double rho =
      std::isnan(in.max_correlation) ? 0 : std::max(0.0, in.max_correlation);
  const double share = std::clamp(in.sector_share, 0.0, 1.0);
  return (1 - std::min(rho, 1.0)) * (1 - share);
}

factor_breakdown score(const raw_inputs& in, const factor_array& w,
                       const score_params& p) {
  factor_breakdown out;
  const factor_array raw{momentum_score(in, p),     trend_score(in, p),
                         volume_score(in, p),       volatility_score(in, p),
                         fundamentals_score(in, p), patterns_score(in, p),
                         portfolio_fit_score(in, p)};
  double composite = 0;
  for (size_t i = 0; i < factor_count; ++i) {
    out.missing[i] = std::isnan(raw[i]);
    out.score[i] = out.missing[i] ? 0.5 : raw[i];
    out.contribution[i] = 100 * w[i] * out.score[i];
    composite += out.contribution[i];
  }
  out.composite = composite;
  return out;
}

// -- raw inputs
// ----------------------------------------------------------------------------

holding_returns make_holding_returns(const bar_series& bars, int days) {
  holding_returns h;
  h.symbol = bars.symbol;
  const size_t n = std::min(bars.close.size(), bars.date.size());
  const size_t k = std::min(n > 0 ? n - 1 : 0, static_cast<size_t>(std::max(days, 0)));
  for (size_t i = n - k; i < n; ++i) {
    const double a = bars.close[i - 1], b = bars.close[i];
    if (!(a > 0) || !(b > 0)) continue;
    h.date.push_back(bars.date[i]);
    h.ret.push_back(std::log(b / a));
  }
  return h;
}

double return_correlation(const bar_series& c, const holding_returns& h, int days) {
  const size_t n = std::min(c.close.size(), c.date.size());
  const size_t k = std::min(n > 0 ? n - 1 : 0, static_cast<size_t>(std::max(days, 0)));
  // Both date lists ascend: walk them together.
  std::vector<double> x, y;
  x.reserve(k);
  y.reserve(k);
  size_t j = 0;
  for (size_t i = n - k; i < n; ++i) {
    const day_number d = c.date[i];
    while (j < h.date.size() && h.date[j] < d)
      ++j;
    if (j == h.date.size()) break;
    if (h.date[j] != d) continue;
    const double a = c.close[i - 1], b = c.close[i];
    if (!(a > 0) || !(b > 0)) continue;
    x.push_back(std::log(b / a));
    y.push_back(h.ret[j]);
  }
  const size_t m = x.size();
  if (m < 10) return nan;
  double mx = 0, my = 0;
  for (size_t i = 0; i < m; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= m;
  my /= m;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < m; ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (!(sxx > 0) || !(syy > 0)) return nan;
  return sxy / std::sqrt(sxx * syy);
}

namespace {

/// Bars handed to the Wilder-smoothed indicators (RSI, ADX). Only their last value is
/// needed, and its dependence on the seed decays as (13/14)^k: over 300 bars RSI agrees
/// with the full-history value to ~1e-9 relative and ADX (smoothed twice) to ~1e-7 --
/// far below what the score resolves -- while the rest of a long history only costs time.
constexpr size_t wilder_bars = 300;

/// The last `k` values of `x` (all of it when shorter).
ind::series tail(const ind::series& x, size_t k) {
  return k >= x.size() ? x : ind::series(x.end() - static_cast<ptrdiff_t>(k), x.end());
}

} // namespace

void compute_technical_inputs(const bar_series& bars, const bar_series* index,
                              raw_inputs& in) {
  const auto& c = bars.close;
  const size_t n = c.size();
  if (n == 0 || bars.high.size() != n || bars.low.size() != n || bars.volume.size() != n)
    return;
  in.close = c[n - 1];
  if (n > 20) in.ret20 = c[n - 1] / c[n - 21] - 1;
  if (n > 60) in.ret60 = c[n - 1] / c[n - 61] - 1;
  // Windowed indicators get exactly the bars their last value reads; the batch API
  // returns a value for every bar, and recomputing 500 of them per symbol per scan would
  // dominate the scan's cost.
  {
    const auto c_w = tail(c, wilder_bars);
    in.rsi14 = last(ind::rsi(c_w, 14));
    in.adx14 = last(
        ind::adx(tail(bars.high, wilder_bars), tail(bars.low, wilder_bars), c_w, 14));
    in.sma50 = last(ind::sma(c_w, 50));
    in.sma200 = last(ind::sma(c_w, 200));
  }
  // Mean relative volume of the last 5 bars, each against its previous 20.
  {
    const auto rv = ind::relative_volume(tail(bars.volume, 25), 20);
    double s = 0;
    int k = 0;
    for (size_t i = rv.size() >= 5 ? rv.size() - 5 : 0; i < rv.size(); ++i)
      if (!std::isnan(rv[i])) {
        s += rv[i];
        ++k;
      }
    in.rel_volume5 = k > 0 ? s / k : nan;
  }
  // OBV change over 20 bars: the difference does not depend on where OBV starts.
  {
    double avg = 0;
    int k = 0;
    for (size_t i = n >= 20 ? n - 20 : 0; i < n; ++i)
      if (!std::isnan(bars.volume[i])) {
        avg += bars.volume[i];
        ++k;
      }
    avg = k > 0 ? avg / k : nan;
    if (n > 20 && avg > 0) {
      const auto o = ind::obv(tail(c, 21), tail(bars.volume, 21));
      in.obv_slope20 = (o[20] - o[0]) / (20 * avg);
    }
  }
  in.hist_vol20 = last(ind::hist_vol(tail(c, 21), 20));
  if (index && !index->close.empty()) {
    // Closes of the dates both series have, the most recent 61 (60 returns).
    constexpr size_t want = 61;
    std::vector<double> xs, ys;
    xs.reserve(want);
    ys.reserve(want);
    size_t i = std::min(n, bars.date.size());
    size_t j = std::min(index->close.size(), index->date.size());
    while (i > 0 && j > 0 && xs.size() < want) {
      const day_number a = bars.date[i - 1], b = index->date[j - 1];
      if (a == b) {
        xs.push_back(c[i - 1]);
        ys.push_back(index->close[j - 1]);
        --i;
        --j;
      } else if (a > b) {
        --i;
      } else {
        --j;
      }
    }
    if (xs.size() == want) {
      std::reverse(xs.begin(), xs.end());
      std::reverse(ys.begin(), ys.end());
      in.beta60 = last(ind::beta(xs, ys, 60));
    }
  }
}

void compute_fundamental_inputs(const fundamentals* f, double price, raw_inputs& in) {
  if (!f) return;
  in.revenue_growth = f->revenue_growth;
  in.eps_growth = f->eps_growth;
  in.pe = f->pe_ratio;
  if (!std::isnan(f->eps)) {
    in.negative_earnings = f->eps <= 0;
    if (!in.negative_earnings && std::isnan(in.pe) && price > 0) in.pe = price / f->eps;
  } else if (!std::isnan(in.pe)) {
    in.negative_earnings = in.pe <= 0;
  }
  if (in.negative_earnings) in.pe = nan;
}

void compute_pattern_inputs(const std::vector<patterns::pattern_match>& matches,
                            raw_inputs& in) {
  for (const auto& m : matches) {
    if (m.direction > 0)
      in.pattern_bullish += m.confidence;
    else if (m.direction < 0)
      in.pattern_bearish += m.confidence;
  }
}

void compute_fit_inputs(const bar_series& bars, const std::string& sector,
                        const std::vector<holding_returns>& holdings, int days,
                        raw_inputs& in) {
  in.has_holdings = !holdings.empty();
  double total = 0, same = 0;
  for (const auto& h : holdings) {
    const double rho = return_correlation(bars, h, days);
    if (!std::isnan(rho) &&
        (std::isnan(in.max_correlation) || rho > in.max_correlation)) {
      in.max_correlation = rho;
      in.max_correlation_with = h.symbol;
    }
    if (h.value > 0) {
      total += h.value;
      if (!sector.empty() && h.sector == sector) same += h.value;
    }
  }
  in.sector_share = total > 0 ? same / total : 0;
}

} // namespace sc::scan
