// Private helpers shared by the risk manager and the portfolio manager: how long to wait
// for the fetcher, returns from bars, and per-unit Greeks of a held option re-derived
// from its market price. Not part of the actor API (actors/actors.hpp).
#pragma once

#include "analytics/options/american.hpp"
#include "analytics/options/black_scholes.hpp"
#include "analytics/options/implied_vol.hpp"
#include "config/settings.hpp"
#include "messages/data.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <iterator>
#include <string>
#include <vector>

namespace sc::actors::detail {

/// Daily simple returns close[t] / close[t-1] - 1 of the bars dated on `days` (sorted
/// ascending), skipping the other bars: every series returned for one request then
/// covers the same days, whatever a source left out. Empty when fewer than two of the
/// days are found or a close is not positive.
inline std::vector<double> returns_on(const bar_series& b,
                                      const std::vector<day_number>& days) {
  std::vector<double> closes;
  closes.reserve(days.size());
  size_t j = 0;
  for (size_t i = 0; i < b.date.size() && j < days.size(); ++i) {
    while (j < days.size() && days[j] < b.date[i])
      ++j;
    if (j < days.size() && days[j] == b.date[i]) closes.push_back(b.close[i]);
  }
  std::vector<double> r;
  if (closes.size() < 2) return r;
  r.reserve(closes.size() - 1);
  for (size_t i = 1; i < closes.size(); ++i) {
    if (!(closes[i - 1] > 0) || !(closes[i] > 0)) return {};
    r.push_back(closes[i] / closes[i - 1] - 1.0);
  }
  return r;
}

/// The trading days shared by every series, sorted: the calendar on which returns of
/// different underlyings line up day for day.
inline std::vector<day_number> common_days(const std::vector<const bar_series*>& series) {
  if (series.empty()) return {};
  std::vector<day_number> days = series.front()->date;
  std::sort(days.begin(), days.end());
  for (size_t k = 1; k < series.size(); ++k) {
    std::vector<day_number> other = series[k]->date;
    std::sort(other.begin(), other.end());
    std::vector<day_number> both;
    std::set_intersection(days.begin(), days.end(), other.begin(), other.end(),
                          std::back_inserter(both));
    days = std::move(both);
  }
  return days;
}

/// Per-unit price and Greeks of an option re-derived from its market price at a new
/// spot: the implied volatility is solved from `price` (European or American by the
/// contract's style) and the Greeks follow from it. When no volatility fits the price
/// (below intrinsic, no time left, a one-sided quote) the last known volatility is
/// used instead, and with none the Greeks are those of zero volatility (intrinsic).
struct unit_greeks {
  double iv = nan;
  bool solved = false; ///< iv came from `price` (rather than the fallback).
  options::greeks g;   ///< Per share; vega per 1.00 of vol, theta per year.
};

inline unit_greeks greeks_from_price(option_type type, exercise_style style, double spot,
                                     double strike, double years, double rate,
                                     double dividend_yield, double price,
                                     double fallback_iv) {
  options::bsm_inputs in;
  in.type = type;
  in.spot = spot;
  in.strike = strike;
  in.years = std::max(0.0, years);
  in.rate = rate;
  in.dividend_yield = dividend_yield;
  unit_greeks out;
  if (in.years > 0 && price > 0 && spot > 0) {
    const auto iv = style == exercise_style::american
                        ? options::american_implied_vol(in, price)
                        : options::implied_vol(in, price);
    if (iv.ok() && iv.vol > 0) {
      out.iv = iv.vol;
      out.solved = true;
    }
  }
  if (!out.solved) out.iv = fallback_iv > 0 ? fallback_iv : 0.0;
  in.vol = out.iv;
  if (in.years > 0 && in.vol > 0 && style == exercise_style::american)
    out.g = options::american_greeks(in);
  else
    out.g = options::bsm_greeks(in);
  return out;
}

/// Years from `today` to the close of `expiry` on the ACT/365 calendar-day count the
/// risk library uses; 0 on and after the expiry day.
inline double years_to(day_number expiry, day_number today) {
  return std::max(0, expiry - today) / 365.0;
}

} // namespace sc::actors::detail
