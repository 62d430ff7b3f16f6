// The scanner's filters: market cap, price, liquidity and fundamentals, all from config.
// Every rejection names the filter that failed (and, optionally, every one that did), so
// a scan can say why a symbol is not a candidate and count the reasons. Pure C++.
//
// Missing data, decided once here:
//  - no bars, or a last close that is NaN or <= 0: "missing_price";
//  - market cap: the security's own, else shares outstanding x last close; when
//    neither is known: "missing_market_cap" (always rejected: the small-cap band is the
//    point of the scanner);
//  - fewer bars than filters.min_history_bars: "insufficient_history";
//  - fundamentals (no record, or a NaN field a filter needs): with
//    filters.reject_missing_fundamentals (the default) the filter fails with
//    "missing_fundamentals" / "missing_<field>"; otherwise that filter is skipped.
#pragma once

#include "config/settings.hpp"
#include "messages/data.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace sc::scan {

/// Why a symbol was rejected. Values are stable (metrics labels, stored scans).
enum class reject_reason : uint8_t {
  missing_price = 0,
  missing_market_cap = 1,
  market_cap_below_min = 2,
  market_cap_above_max = 3,
  price_below_min = 4,
  price_above_max = 5,
  insufficient_history = 6,
  avg_volume_below_min = 7,
  dollar_volume_below_min = 8,
  missing_fundamentals = 9, ///< No fundamentals record at all.
  missing_revenue_growth = 10,
  revenue_growth_below_min = 11,
  missing_eps_growth = 12,
  eps_growth_below_min = 13,
  missing_pe = 14, ///< Neither a P/E nor EPS to derive one.
  pe_below_min = 15,
  pe_above_max = 16,
  negative_earnings = 17,            ///< Rule "reject" and EPS <= 0.
  negative_earnings_low_growth = 18, ///< Rule "growth", EPS <= 0, revenue growth too low.
  missing_insider_ownership = 19,
  insider_ownership_out_of_range = 20,
  missing_institutional_ownership = 21,
  institutional_ownership_out_of_range = 22,
  missing_short_float = 23, ///< Short interest or float unknown.
  short_float_above_max = 24,
};
inline constexpr int reject_reason_count = 25;

/// The reason's stable lower_snake_case name, e.g. "missing_revenue_growth".
const char* to_string(reject_reason r);

/// 20-day liquidity from daily bars.
struct liquidity {
  double avg_volume = nan;        ///< Mean shares per day.
  double avg_dollar_volume = nan; ///< Mean of close * volume.
};

/// Means over the last `days` bars (fewer when the series is shorter); bars whose close
/// or volume is NaN are skipped; NaN when none is usable.
liquidity average_liquidity(const bar_series& bars, int days = 20);

/// What the filters look at for one symbol.
struct filter_inputs {
  double price = nan;      ///< Last close.
  double market_cap = nan; ///< USD, already resolved (see the header comment).
  double avg_volume = nan;
  double avg_dollar_volume = nan;
  int bars = 0; ///< Number of daily bars available.
  const fundamentals* fund = nullptr;
};

/// The outcome: empty `failed` means the symbol passed.
struct filter_outcome {
  std::vector<reject_reason> failed; ///< In filter order; [0] is the first failing one.
  std::string detail;                ///< Human-readable values of the first failure.
  bool passed() const noexcept { return failed.empty(); }
};

/// Applies every filter in a fixed order (price data, market cap, price, history,
/// volume, dollar volume, revenue growth, EPS growth, P/E with the negative-earnings
/// rule, insider ownership, institutional ownership, short interest / float). With
/// `stop_at_first` only the first failure is recorded.
///
/// Negative earnings (EPS <= 0, or a negative P/E when EPS is unknown) replace the P/E
/// range test by filters.negative_earnings: "reject" fails, "allow" passes, "growth"
/// passes when revenue growth >= negative_earnings_min_growth (a NaN growth fails as
/// "negative_earnings_low_growth"). Any other value is treated as "reject". A P/E that
/// is NaN with a positive EPS is derived as price / EPS.
filter_outcome apply_filters(const filter_inputs& in, const config::filter_settings& f,
                             const config::trading_settings& t,
                             bool stop_at_first = false);

/// The market cap the filters use: the security's own when finite and > 0, else shares
/// outstanding x price, else NaN.
double resolve_market_cap(const security& s, const fundamentals* f, double price);

} // namespace sc::scan
