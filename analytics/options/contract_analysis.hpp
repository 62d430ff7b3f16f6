// Per-contract option analysis and scoring for a long buyer. Pure C++, no CAF.
//
// The caller computes each contract's implied vol and Greeks (European or American
// solver, its choice) and hands them in; this module turns them, the quote and the
// underlying's statistics into metrics, factor scores in [0,1] and a weighted score.
//
// Conventions (one place, used by every function below):
// - Time: the analysis is taken at the close of `today`; a contract expires at the close
//   of its expiry day. days = expiry - today (calendar days), years = days / 365.
// - Moneyness: K/S, and log-moneyness ln(K/F) against the forward F = S e^{(r-q)T}.
// - Premium: a buyer pays the ASK. Intrinsic and time value are taken from the MID.
// - Theta is per year of calendar time (as bsm_greeks gives it); per day = theta / 365.
// - Lognormal terminal price: S_T = S exp((mu - sigma^2/2) T + sigma sqrt(T) Z), so that
//   E[S_T] = S e^{mu T}. Risk-neutral: mu = r - q, sigma = the contract's IV.
//   Real world: mu = the underlying's historical (arithmetic) drift, sigma = its
//   historical vol. Expected payoffs are undiscounted.
#pragma once

#include "messages/data.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace sc::config {
struct option_settings;
struct option_weights;
} // namespace sc::config

namespace sc::options {

// -- inputs ---------------------------------------------------------------------------

/// What the caller computed for one contract (at the contract's own IV).
struct contract_inputs {
  double iv = nan; ///< Implied vol, decimal per sqrt(year).
  double delta = nan;
  double gamma = nan;
  double vega = nan;  ///< Per 1.00 of vol.
  double theta = nan; ///< Per year of calendar time.
};

/// Statistics of the underlying the chain belongs to.
struct underlying_stats {
  /// Arithmetic drift per year: E[S_T] = S e^{hist_drift T}. From daily log returns with
  /// mean m and daily std s: hist_drift = 252 m + hist_vol^2 / 2 (see
  /// estimate_drift_vol).
  double hist_drift = nan;
  double hist_vol = nan; ///< Annualised std of daily log returns.
  double iv30 = nan;     ///< Current 30-day constant-maturity ATM IV.
  /// Daily iv30 values, oldest first, up to YESTERDAY (today's value is `iv30`); the
  /// last option_settings::iv_history_days are used.
  std::vector<double> iv_history;
};

/// Estimates hist_drift and hist_vol from daily closes (oldest first) over the last
/// `lookback` returns: vol = sqrt(252) * sample std of log returns, drift as documented
/// in underlying_stats. Fewer than 2 returns (or a non-positive close) gives NaNs.
void estimate_drift_vol(const std::vector<double>& closes, int lookback,
                        underlying_stats& out);

// -- single metrics -------------------------------------------------------------------

/// Moneyness classes by |delta| (lower bound inclusive): deep ITM [0.80, 1],
/// ITM [0.60, 0.80), ATM [0.40, 0.60), OTM [0.20, 0.40), deep OTM [0, 0.20).
enum class delta_bucket : uint8_t { deep_itm = 0, itm, atm, otm, deep_otm, unknown };

const char* to_string(delta_bucket x);

/// Classifies a (call or put) delta; NaN gives unknown.
delta_bucket classify_delta(double delta);

/// Inputs of the liquidity score.
struct liquidity_inputs {
  double volume = 0; ///< Contracts traded today.
  double open_interest = 0;
  double rel_spread = nan; ///< (ask - bid) / mid; NaN = no two-sided quote.
  double quote_size = 0;   ///< min(bid size, ask size), contracts.
  double quote_age = nan;  ///< Seconds since the quote; NaN = unknown.
};

/// Liquidity in [0,1] as a weighted sum of saturating transforms, each in [0,1] and
/// monotone in its input:
///   volume     0.25 * v / (v + 100)
///   open int.  0.25 * oi / (oi + 1000)
///   spread     0.30 / (1 + s / 0.05)        (a 5% spread scores half)
///   size       0.10 * q / (q + 50)
///   age        0.10 / (1 + a / 300)         (a 5-minute-old quote scores half)
/// Negative inputs count as 0; a NaN spread scores 0; an unknown age scores half.
double liquidity_score(const liquidity_inputs& in);

/// Share of finite history values strictly below `current`, in [0,1]. Uses the last
/// `window` values only. NaN when there is no finite history or current is NaN.
double iv_percentile(double current, const std::vector<double>& history,
                     int window = 252);

/// (current - min) / (max - min) over the last `window` finite values, clamped to [0,1];
/// 0.5 when max == min; NaN without history.
double iv_rank(double current, const std::vector<double>& history, int window = 252);

/// Outcome of a long position held to expiry under a lognormal terminal price.
struct lognormal_outcome {
  double breakeven = nan;       ///< Call: K + premium; put: K - premium.
  double pop = nan;             ///< P(payoff at expiry > premium).
  double expected_payoff = nan; ///< E[max(+-(S_T - K), 0)], undiscounted.
  double expected_return = nan; ///< (expected_payoff - premium) / premium.
};

/// Closed forms: with b the breakeven and d(x) = (ln(S/x) + (mu - sigma^2/2) T)/(sigma
/// sqrt T), call PoP = N(d(b)), put PoP = N(-d(b)) (0 when b <= 0); E[payoff] is the
/// Black formula with forward S e^{mu T}, undiscounted. sigma sqrt(T) == 0 gives the
/// deterministic limit S_T = S e^{mu T}. NaN fields when an input is invalid.
lognormal_outcome long_outcome(option_type type, double spot, double strike,
                               double premium, double years, double drift, double vol);

// -- whole-contract analysis ----------------------------------------------------------

/// The seven factor scores, each in [0,1] (or their weighted contributions).
struct factor_scores {
  double moneyness = 0;       ///< exp(-(|delta| - target)^2 / (2 width^2)).
  double time_value = 0;      ///< 1 / (1 + decay_rate / 0.02); 0.5 without time value.
  double liquidity = 0;       ///< liquidity_score.
  double greeks = 0;          ///< Mean of elasticity and gamma-over-theta carry scores.
  double iv = 0;              ///< 1 - IV percentile; 0.5 without history.
  double expected_return = 0; ///< 0.5 + 0.5 tanh(expected_return / 0.5).
  double probability = 0;     ///< PoP.

  double sum() const noexcept {
    return moneyness + time_value + liquidity + greeks + iv + expected_return +
           probability;
  }
};

/// Everything computed for one contract.
struct contract_analysis {
  std::string contract;
  option_type type = option_type::call;
  double strike = nan;
  day_number expiry = 0;

  double spot = nan;
  double forward = nan;       ///< S e^{(r-q)T}.
  double moneyness = nan;     ///< K / S.
  double log_moneyness = nan; ///< ln(K / F).
  delta_bucket bucket = delta_bucket::unknown;
  int days = 0;       ///< Calendar days to expiry.
  double years = nan; ///< days / 365.

  double bid = nan, ask = nan, mid = nan;
  double rel_spread = nan; ///< (ask - bid) / mid.
  double premium = nan;    ///< What a buyer pays: the ask.
  double intrinsic = nan;
  double time_value = nan; ///< mid - intrinsic (may be negative for American ITM).

  double iv = nan, delta = nan, gamma = nan, vega = nan, theta = nan;
  double theta_per_day = nan; ///< theta / 365.
  double decay_rate = nan;    ///< -theta_per_day / time_value: share lost per day.
  double elasticity = nan;    ///< |delta| S / premium.
  double carry_ratio = nan;   ///< 0.5 gamma S^2 hist_vol^2 / -theta.

  double liquidity = nan;
  double iv_percentile = nan; ///< Of the underlying's iv30 (same for every contract).
  double iv_rank = nan;

  lognormal_outcome risk_neutral; ///< mu = r - q, sigma = iv.
  lognormal_outcome real_world;   ///< mu = hist_drift, sigma = hist_vol.

  factor_scores factors;       ///< Each in [0,1].
  factor_scores contributions; ///< weight_i * factor_i / sum(weights); sums to score.
  double score = 0;            ///< In [0,1]; 0 when excluded.

  bool excluded = false;
  std::string reason; ///< Why it was excluded (first failing rule).
};

/// Analyses one contract. `now` is the market time the quote age is measured against.
contract_analysis analyse_contract(const option_quote& q, const contract_inputs& in,
                                   double spot, double rate, double dividend_yield,
                                   const underlying_stats& u,
                                   const config::option_settings& cfg, day_number today,
                                   timestamp now);

/// Analyses every contract of a chain; `inputs` is parallel to chain.contracts (a
/// missing entry excludes its contract). Quote ages are measured against chain.as_of.
/// Excluded contracts stay in the result with their reason.
std::vector<contract_analysis> analyse_chain(const option_chain& chain,
                                             const std::vector<contract_inputs>& inputs,
                                             const underlying_stats& u,
                                             const config::option_settings& cfg,
                                             day_number today);

/// Weighted score of factor scores; weights are normalised by their sum (negative or
/// non-finite weights count as 0; all zero means equal weights). Fills `contributions`.
double combine(const factor_scores& f, const config::option_weights& w,
               factor_scores* contributions = nullptr);

/// The `top` best non-excluded contracts, score descending; ties broken by contract
/// symbol, then expiry, strike and type, so the order is deterministic.
std::vector<contract_analysis> rank(std::vector<contract_analysis> analysed, int top);

/// rank() keeping cfg.top_contracts.
std::vector<contract_analysis> rank(std::vector<contract_analysis> analysed,
                                    const config::option_settings& cfg);

} // namespace sc::options
