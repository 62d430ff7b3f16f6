#include "analytics/scanner/filters.hpp"

#include <cmath>
#include <cstdio>

namespace sc::scan {

const char* to_string(reject_reason r) {
  switch (r) {
  case reject_reason::missing_price:
    return "missing_price";
  case reject_reason::missing_market_cap:
    return "missing_market_cap";
  case reject_reason::market_cap_below_min:
    return "market_cap_below_min";
  case reject_reason::market_cap_above_max:
    return "market_cap_above_max";
  case reject_reason::price_below_min:
    return "price_below_min";
  case reject_reason::price_above_max:
    return "price_above_max";
  case reject_reason::insufficient_history:
    return "insufficient_history";
  case reject_reason::avg_volume_below_min:
    return "avg_volume_below_min";
  case reject_reason::dollar_volume_below_min:
    return "dollar_volume_below_min";
  case reject_reason::missing_fundamentals:
    return "missing_fundamentals";
  case reject_reason::missing_revenue_growth:
    return "missing_revenue_growth";
  case reject_reason::revenue_growth_below_min:
    return "revenue_growth_below_min";
  case reject_reason::missing_eps_growth:
    return "missing_eps_growth";
  case reject_reason::eps_growth_below_min:
    return "eps_growth_below_min";
  case reject_reason::missing_pe:
    return "missing_pe";
  case reject_reason::pe_below_min:
    return "pe_below_min";
  case reject_reason::pe_above_max:
    return "pe_above_max";
  case reject_reason::negative_earnings:
    return "negative_earnings";
  case reject_reason::negative_earnings_low_growth:
    return "negative_earnings_low_growth";
  case reject_reason::missing_insider_ownership:
    return "missing_insider_ownership";
  case reject_reason::insider_ownership_out_of_range:
    return "insider_ownership_out_of_range";
  case reject_reason::missing_institutional_ownership:
    return "missing_institutional_ownership";
  case reject_reason::institutional_ownership_out_of_range:
    return "institutional_ownership_out_of_range";
  case reject_reason::missing_short_float:
    return "missing_short_float";
  case reject_reason::short_float_above_max:
    return "short_float_above_max";
  }
  return "unknown";
}

liquidity average_liquidity(const bar_series& bars, int days) {
  const size_t n = std::min(bars.close.size(), bars.volume.size());
  const size_t k = std::min(n, static_cast<size_t>(days > 0 ? days : 0));
  double vol = 0, dollars = 0;
  int used = 0;
  for (size_t i = n - k; i < n; ++i) {
    const double c = bars.close[i], v = bars.volume[i];
    if (std::isnan(c) || std::isnan(v)) continue;
    vol += v;
    dollars += c * v;
    ++used;
  }
  liquidity out;
  if (used > 0) {
    out.avg_volume = vol / used;
    out.avg_dollar_volume = dollars / used;
  }
  return out;
}

double resolve_market_cap(const security& s, const fundamentals* f, double price) {
  if (std::isfinite(s.market_cap) && s.market_cap > 0) return s.market_cap;
  if (f && std::isfinite(f->shares_outstanding) && f->shares_outstanding > 0 &&
      std::isfinite(price) && price > 0)
    return f->shares_outstanding * price;
  return nan;
}

namespace {

/// Collects failures; stops recording after the first when asked to.
struct recorder {
  filter_outcome& out;
  bool stop_at_first;
  bool done() const { return stop_at_first && !out.failed.empty(); }
  void fail(reject_reason r, const char* what, double value, double bound) {
    if (out.failed.empty()) {
      char buf[160];
      std::snprintf(buf, sizeof buf, "%s: %.6g (bound %.6g)", what, value, bound);
      out.detail = buf;
    }
    out.failed.push_back(r);
  }
  void missing(reject_reason r, const char* what) {
    if (out.failed.empty()) out.detail = std::string{what} + " unknown";
    out.failed.push_back(r);
  }
};

} // namespace

filter_outcome apply_filters(const filter_inputs& in, const config::filter_settings& f,
                             const config::trading_settings& t, bool stop_at_first) {
  filter_outcome out;
  recorder rec{out, stop_at_first};
  // -- market data ---------------------------------------------------------------------
  const bool have_price = std::isfinite(in.price) && in.price > 0;
  if (!have_price) rec.missing(reject_reason::missing_price, "last close");
  if (rec.done()) return out;
  if (std::isnan(in.market_cap))
    rec.missing(reject_reason::missing_market_cap, "market cap");
  else if (in.market_cap < t.market_cap_min)
    rec.fail(reject_reason::market_cap_below_min, "market cap", in.market_cap,
             t.market_cap_min);
  else if (in.market_cap > t.market_cap_max)
    rec.fail(reject_reason::market_cap_above_max, "market cap", in.market_cap,
             t.market_cap_max);
  if (rec.done()) return out;
  if (have_price) {
    if (in.price < f.price_min)
      rec.fail(reject_reason::price_below_min, "price", in.price, f.price_min);
    else if (in.price > f.price_max)
      rec.fail(reject_reason::price_above_max, "price", in.price, f.price_max);
  }
  if (rec.done()) return out;
  if (in.bars < f.min_history_bars)
    rec.fail(reject_reason::insufficient_history, "daily bars", in.bars,
             f.min_history_bars);
  if (rec.done()) return out;
  // NaN liquidity (no usable volume) fails: a symbol that cannot be shown to trade
  // enough is not tradable for us.
  if (!(in.avg_volume >= f.avg_volume_min))
    rec.fail(reject_reason::avg_volume_below_min, "20-day average volume", in.avg_volume,
             f.avg_volume_min);
  if (rec.done()) return out;
  if (!(in.avg_dollar_volume >= f.dollar_volume_min))
    rec.fail(reject_reason::dollar_volume_below_min, "20-day average dollar volume",
             in.avg_dollar_volume, f.dollar_volume_min);
  if (rec.done()) return out;
  // -- fundamentals --------------------------------------------------------------------
  const bool strict = f.reject_missing_fundamentals;
  const fundamentals* fd = in.fund;
  if (!fd) {
    if (strict) rec.missing(reject_reason::missing_fundamentals, "fundamentals");
    return out;
  }
  // Each fundamental test: NaN -> missing (strict) or skipped.
  auto check_min = [&](double x, double lo, reject_reason missing, reject_reason low,
                       const char* what) {
    if (rec.done()) return;
    if (std::isnan(x)) {
      if (strict) rec.missing(missing, what);
    } else if (x < lo) {
      rec.fail(low, what, x, lo);
    }
  };
  auto check_range = [&](double x, double lo, double hi, reject_reason missing,
                         reject_reason outside, const char* what) {
    if (rec.done()) return;
    if (std::isnan(x)) {
      if (strict) rec.missing(missing, what);
    } else if (x < lo || x > hi) {
      rec.fail(outside, what, x, x < lo ? lo : hi);
    }
  };
  check_min(fd->revenue_growth, f.revenue_growth_min,
            reject_reason::missing_revenue_growth,
            reject_reason::revenue_growth_below_min, "revenue growth");
  check_min(fd->eps_growth, f.eps_growth_min, reject_reason::missing_eps_growth,
            reject_reason::eps_growth_below_min, "EPS growth");
  if (rec.done()) return out;
  // P/E and the negative-earnings rule.
  {
    double pe = fd->pe_ratio;
    const double eps = fd->eps;
    bool negative = false;
    if (!std::isnan(eps)) {
      negative = eps <= 0;
      if (!negative && std::isnan(pe) && have_price) pe = in.price / eps;
    } else if (!std::isnan(pe)) {
      negative = pe <= 0;
    }
    if (negative) {
      if (f.negative_earnings == "allow") {
        // the P/E test does not apply
      } else if (f.negative_earnings == "growth") {
        const double g = fd->revenue_growth;
        if (!(g >= f.negative_earnings_min_growth))
          rec.fail(reject_reason::negative_earnings_low_growth,
                   "negative earnings, revenue growth", g,
                   f.negative_earnings_min_growth);
      } else {
        rec.fail(reject_reason::negative_earnings, "EPS", eps, 0);
      }
    } else if (std::isnan(pe)) {
      if (strict) rec.missing(reject_reason::missing_pe, "P/E");
    } else if (pe < f.pe_min) {
      rec.fail(reject_reason::pe_below_min, "P/E", pe, f.pe_min);
    } else if (pe > f.pe_max) {
      rec.fail(reject_reason::pe_above_max, "P/E", pe, f.pe_max);
    }
  }
  check_range(fd->insider_ownership, f.insider_ownership_min, f.insider_ownership_max,
              reject_reason::missing_insider_ownership,
              reject_reason::insider_ownership_out_of_range, "insider ownership");
  check_range(
      fd->institutional_ownership, f.institutional_ownership_min,
      f.institutional_ownership_max, reject_reason::missing_institutional_ownership,
      reject_reason::institutional_ownership_out_of_range, "institutional ownership");
  if (rec.done()) return out;
  {
    const double si = fd->short_interest, fl = fd->float_shares;
    if (std::isnan(si) || std::isnan(fl) || fl <= 0) {
      if (strict)
        rec.missing(reject_reason::missing_short_float, "short interest / float");
    } else if (si / fl > f.short_float_max) {
      rec.fail(reject_reason::short_float_above_max, "short interest / float", si / fl,
               f.short_float_max);
    }
  }
  return out;
}

} // namespace sc::scan
