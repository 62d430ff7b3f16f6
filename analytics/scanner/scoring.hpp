// The scanner's score: seven factors, each mapped to [0, 1] by a documented formula, and
// a weighted composite in [0, 100] whose per-factor contributions add up to it.
// Pure C++, no CAF.
//
// Mapping helpers (x NaN gives NaN):
//   ramp(x, lo, hi)         = clamp((x - lo) / (hi - lo), 0, 1)   (lo > hi: decreasing)
//   plateau(x, a, b, c, d)  = 0 below a, rising linearly to 1 at b, 1 on [b, c],
//                             falling linearly to 0 at d, 0 above d
// A factor made of several parts is the weighted mean of the parts that are known
// (NaN parts drop out and the others' weights are renormalised). A factor with no known
// part scores 0.5, neutral, and is flagged `missing` in the breakdown.
//
// Factors (default constants of score_params in brackets):
//   momentum     0.4 ramp(r20, -0.15, 0.15) + 0.4 ramp(r60, -0.30, 0.30)
//                + 0.2 plateau(RSI14, 30, 60, 70, 90)        (overbought fades)
//   trend        direction d = mean of ramp(close/SMA50 - 1, -0.10, 0.10),
//                ramp(close/SMA200 - 1, -0.20, 0.20), ramp(SMA50/SMA200 - 1, -0.10,
//                0.10); strength s = ramp(ADX14, 15, 40) (0 when unknown); trend = 0.5 +
//                (d - 0.5)(0.5 + 0.5 s): ADX scales how far the direction moves the score
//                from neutral.
//   volume       0.5 ramp(mean relative volume of the last 5 bars, 0.5, 2.0)
//                + 0.5 ramp(OBV slope, -0.5, 0.5), OBV slope = (OBV[t] - OBV[t-20]) /
//                (20 x 20-day average volume), i.e. the net share of volume on up days.
//   volatility   0.75 plateau(HV20, 0.10, 0.30, 0.60, 1.20)
//                + 0.25 plateau(beta60, -0.5, 0.8, 1.8, 3.0): moderate volatility is
//                preferred; dead and wild stocks both score low.
//   fundamentals 0.4 ramp(revenue growth, -0.10, 0.40) + 0.3 ramp(EPS growth, -0.25,
//   0.50)
//                + 0.3 valuation, valuation = ramp(P/E, 60, 10) for positive earnings,
//                0 for negative earnings.
//   patterns     clamp(0.5 + 0.5 (sum of bullish confidences - sum of bearish ones), 0,
//   1);
//                no pattern = 0.5.
//   portfolio_fit (1 - max(0, max correlation of daily log returns with any holding))
//                x (1 - share of holdings' value in the candidate's sector); 1 with no
//                holdings.
// composite = 100 sum_i w_i f_i with w normalised to sum 1; contribution_i = 100 w_i f_i.
#pragma once

#include "config/settings.hpp"
#include "messages/data.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sc::patterns {
struct pattern_match;
}

namespace sc::scan {

enum class factor : uint8_t {
  momentum = 0,
  trend = 1,
  volume = 2,
  volatility = 3,
  fundamentals = 4,
  patterns = 5,
  portfolio_fit = 6,
};
inline constexpr size_t factor_count = 7;

/// Stable lower_snake_case name ("portfolio_fit").
const char* to_string(factor f);

using factor_array = std::array<double, factor_count>;

/// Weights normalised by their sum, or an error naming the bad weight.
struct weights_result {
  factor_array w{};
  std::string error; ///< Empty on success.
  bool ok() const noexcept { return error.empty(); }
};

/// Normalises the configured weights. Every weight must be finite and >= 0 and their
/// sum > 0; otherwise `error` says which.
weights_result normalise_weights(const config::scanner_weights& w);

double ramp(double x, double lo, double hi);
double plateau(double x, double a, double b, double c, double d);

/// The raw inputs of one symbol's score, kept for the explanation.
struct raw_inputs {
  // momentum
  double ret20 = nan; ///< close[t] / close[t-20] - 1
  double ret60 = nan; ///< close[t] / close[t-60] - 1
  double rsi14 = nan;
  // trend
  double close = nan;
  double sma50 = nan;
  double sma200 = nan;
  double adx14 = nan;
  // volume
  double rel_volume5 = nan; ///< Mean of the last 5 relative-volume values (20-bar base).
  double obv_slope20 = nan;
  double avg_volume20 = nan;
  double avg_dollar_volume20 = nan;
  // volatility
  double hist_vol20 = nan; ///< Annualised.
  double beta60 = nan;     ///< Against the index; NaN without index bars.
  // fundamentals
  double revenue_growth = nan;
  double eps_growth = nan;
  double pe = nan; ///< Derived from price / EPS when not given.
  bool negative_earnings = false;
  // patterns
  double pattern_bullish = 0; ///< Sum of confidences of bullish matches.
  double pattern_bearish = 0;
  // portfolio fit
  double max_correlation = nan; ///< NaN with no comparable holding.
  std::string max_correlation_with;
  double sector_share = 0; ///< Holdings' value in this sector / total value.
  bool has_holdings = false;
};

/// Tunables of the factor formulas (see the header comment); the defaults are the
/// documented constants.
struct score_params {
  double r20_lo = -0.15, r20_hi = 0.15;
  double r60_lo = -0.30, r60_hi = 0.30;
  double rsi_a = 30, rsi_b = 60, rsi_c = 70, rsi_d = 90;
  double sma50_band = 0.10, sma200_band = 0.20, cross_band = 0.10;
  double adx_lo = 15, adx_hi = 40;
  double rvol_lo = 0.5, rvol_hi = 2.0;
  double obv_band = 0.5;
  double hv_a = 0.10, hv_b = 0.30, hv_c = 0.60, hv_d = 1.20;
  double beta_a = -0.5, beta_b = 0.8, beta_c = 1.8, beta_d = 3.0;
  double rev_lo = -0.10, rev_hi = 0.40;
  double eps_lo = -0.25, eps_hi = 0.50;
  double pe_good = 10, pe_bad = 60;
};

/// Per-factor scores in [0, 1] (`missing` = no input known, score 0.5), contributions
/// (100 x weight x score) and the composite in [0, 100].
struct factor_breakdown {
  factor_array score{};
  factor_array contribution{};
  std::array<bool, factor_count> missing{};
  double composite = 0;
};

double momentum_score(const raw_inputs& in, const score_params& p = {});
double trend_score(const raw_inputs& in, const score_params& p = {});
double volume_score(const raw_inputs& in, const score_params& p = {});
double volatility_score(const raw_inputs& in, const score_params& p = {});
double fundamentals_score(const raw_inputs& in, const score_params& p = {});
double patterns_score(const raw_inputs& in, const score_params& p = {});
double portfolio_fit_score(const raw_inputs& in, const score_params& p = {});

/// All factor scores and the weighted composite.
factor_breakdown score(const raw_inputs& in, const factor_array& normalised_weights,
                       const score_params& p = {});

// -- computing the raw inputs ----------------------------------------------------------

/// One holding's daily log returns by date, prepared once per scan.
struct holding_returns {
  std::string symbol;
  std::string sector;
  double value = 0;
  std::vector<day_number> date; ///< Date of each return's second bar, ascending.
  std::vector<double> ret;
};

/// The last `days` daily log returns of `bars` (fewer when shorter), dated.
holding_returns make_holding_returns(const bar_series& bars, int days);

/// Pearson correlation of the candidate's last `days` log returns with the holding's on
/// the dates both have; NaN with fewer than 10 common dates or zero variance.
double return_correlation(const bar_series& candidate, const holding_returns& h,
                          int days);

/// Fills the technical inputs (momentum, trend, volume, volatility) of `in` from daily
/// bars with the batch indicator API; `index` (may be null) gives beta over the dates
/// both series share.
void compute_technical_inputs(const bar_series& bars, const bar_series* index,
                              raw_inputs& in);

/// Fills the fundamental inputs; `price` derives P/E when only EPS is given.
void compute_fundamental_inputs(const fundamentals* f, double price, raw_inputs& in);

/// Sums bullish and bearish pattern confidences.
void compute_pattern_inputs(const std::vector<patterns::pattern_match>& matches,
                            raw_inputs& in);

/// Correlation with holdings and sector share. `sector` is compared exactly; holdings
/// with value <= 0 count for correlation but not for the sector share.
void compute_fit_inputs(const bar_series& bars, const std::string& sector,
                        const std::vector<holding_returns>& holdings, int days,
                        raw_inputs& in);

} // namespace sc::scan
