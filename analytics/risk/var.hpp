// Value at risk and expected shortfall: historical (from a P&L sample or from a full
// revaluation of positions under past joint moves of their underlyings) and parametric
// (delta-normal). Pure C++, no CAF.
//
// Sign convention everywhere in this header: a P&L sample is positive for gains; VaR
// and CVaR are reported as positive numbers for losses (a VaR of 1200 means "lose at
// least 1200 on the worst (1-c) share of days"). When even the tail shows gains the
// figures come out negative, which is reported as is rather than clamped.
#pragma once

#include "analytics/risk/position.hpp"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace sc::risk {

/// Historical VaR and CVaR of one sample.
struct tail_risk {
  double var = 0;         ///< -(k-th smallest P&L).
  double cvar = 0;        ///< -(mean of the k smallest P&Ls); always >= var.
  size_t tail_count = 0;  ///< k.
  size_t sample_size = 0; ///< n.
  std::string error;      ///< Non-empty when the input could not be used.
  bool ok() const noexcept { return error.empty(); }
};

/// Number of observations in the tail at `confidence` for `n` observations:
/// k = ceil(n * (1 - c)), clamped to [1, n]. A tolerance of 1e-9 absorbs the binary
/// error of 1 - c (100 * (1 - 0.95) is 5.000000000000004 in doubles, and must give 5).
size_t tail_count(size_t n, double confidence);

/// Historical VaR and CVaR of a P&L (or return) sample, no interpolation:
///   sort ascending x(1) <= ... <= x(n); k = tail_count(n, c);
///   VaR = -x(k); CVaR = -(x(1) + ... + x(k)) / k.
/// With n = 100 and c = 0.95 the VaR is minus the 5th worst outcome and the CVaR minus
/// the mean of the 5 worst. NaNs in the sample are an error (they would sort anywhere).
tail_risk historical_tail(const std::vector<double>& pnl, double confidence = 0.95);

/// How positions are revalued under a historical scenario.
struct revaluation_options {
  /// Options: implied volatility is held at its current value in every scenario.
  /// Time: when roll_time is true the scenario value is taken `horizon_years` later
  /// (one calendar day by default), so the P&L includes one day of theta; when false
  /// time is frozen and only the spot moves.
  bool roll_time = true;
  double horizon_years = 1.0 / 365.0;
};

/// P&L scenarios of a set of positions.
struct scenario_set {
  std::vector<double> pnl; ///< One P&L per historical day, oldest first.
  std::string error;
  bool ok() const noexcept { return error.empty(); }
};

/// Daily simple returns of each underlying, oldest first. All series must end on the
/// same (latest) trading day; scenarios use the last L entries of every series, where
/// L = min(lookback, shortest series used), so day t of one series lines up with day t
/// of every other.
using return_history = std::map<std::string, std::vector<double>>;

/// Full revaluation: scenario t moves each underlying's spot to spot * (1 + r_t) and
/// revalues every position. Stocks: P&L = qty * multiplier * spot * r_t. Options:
/// P&L = qty * multiplier * (BSM(spot*(1+r_t), T - h, iv) - BSM(spot, T, iv)), both
/// legs from the model so that a gap between the market mark and the model price does
/// not leak into every scenario. An option whose remaining time reaches zero is valued
/// at intrinsic value. Fails (naming the underlying) when a series is missing.
scenario_set portfolio_scenarios(const std::vector<risk_position>& positions,
                                 const return_history& returns, int lookback,
                                 const revaluation_options& opts = {});

/// Historical VaR/CVaR of a portfolio: historical_tail of portfolio_scenarios.
tail_risk portfolio_historical_var(const std::vector<risk_position>& positions,
                                   const return_history& returns, int lookback,
                                   double confidence = 0.95,
                                   const revaluation_options& opts = {});

/// Delta-normal VaR.
struct parametric_risk {
  double var = 0;   ///< z_c * sigma.
  double cvar = 0;  ///< sigma * pdf(z_c) / (1 - c), the normal expected shortfall.
  double sigma = 0; ///< One-day P&L standard deviation, currency.
  std::string error;
  bool ok() const noexcept { return error.empty(); }
};

/// Variance-covariance VaR with a zero mean: the P&L is approximated by
/// sum_u D_u * r_u, where D_u is the dollar delta on underlying u (sum over positions
/// of qty * multiplier * delta * spot), and sigma^2 = D' S D with S the sample
/// covariance (divisor L - 1) of the last L aligned returns. Gamma and theta are
/// ignored by construction, which is why it is reported next to the historical figure.
parametric_risk parametric_var(const std::vector<risk_position>& positions,
                               const return_history& returns, int lookback,
                               double confidence = 0.95);

} // namespace sc::risk
