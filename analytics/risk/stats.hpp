// Return statistics of an equity curve: Sharpe, Sortino, drawdowns. Pure C++, no CAF.
#pragma once

#include <cstddef>
#include <vector>

namespace sc::risk {

/// Simple period returns e[t] / e[t-1] - 1 of an equity curve (n values give n - 1
/// returns). A non-positive previous value gives NaN for that period.
std::vector<double> simple_returns(const std::vector<double>& equity);

/// Annualised Sharpe ratio of periodic simple returns:
///   x_t = r_t - rf / periods (the per-period risk-free rate, simple);
///   Sharpe = mean(x) / stdev(x) * sqrt(periods), stdev with divisor n - 1.
/// NaN with fewer than 2 returns or a zero standard deviation.
double sharpe_ratio(const std::vector<double>& returns, double risk_free_annual = 0,
                    int periods_per_year = 252);

/// Annualised Sortino ratio, target = the per-period risk-free rate:
///   x_t = r_t - rf / periods;
///   downside deviation DD = sqrt(sum_t min(x_t, 0)^2 / n) over all n periods;
///   Sortino = mean(x) / DD * sqrt(periods).
/// NaN with fewer than 2 returns or no period below the target (DD = 0).
double sortino_ratio(const std::vector<double>& returns, double risk_free_annual = 0,
                     int periods_per_year = 252);

/// The drawdown picture of an equity curve. Depths are fractions of the running peak
/// (0.25 = 25% below the highest value seen so far).
struct drawdown_info {
  double max_depth = 0;   ///< max_t (peak_t - e_t) / peak_t.
  size_t peak = 0;        ///< Index of the peak before the deepest trough.
  size_t trough = 0;      ///< Index of the deepest trough.
  bool recovered = false; ///< Equity came back to the peak value after the trough.
  size_t recovery = 0;    ///< First index after the trough with e >= peak value.
  /// Length of the max drawdown in periods: recovery - peak when recovered, otherwise
  /// (last index) - peak, i.e. still running.
  size_t duration = 0;
  double current_depth = 0; ///< (running peak - last) / running peak.
  size_t current_peak = 0;  ///< Index of the running peak (latest index of the maximum).
};

/// Drawdowns of an equity curve (values must be positive). Ties in the deepest trough
/// keep the first; the running peak moves to a new index when the curve makes a new
/// high or equals it, so a flat top dates the peak at its last day.
drawdown_info drawdowns(const std::vector<double>& equity);

} // namespace sc::risk
