#include "analytics/options/contract_analysis.hpp"

#include "config/settings.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <tuple>

namespace sc::options {

namespace {

constexpr double inv_sqrt2 = 0.70710678118654752440;
constexpr double days_per_year = 365.0;
constexpr double inf = std::numeric_limits<double>::infinity();

double norm_cdf(double x) {
  return 0.5 * std::erfc(-x * inv_sqrt2);
}

bool finite(double x) {
  return std::isfinite(x);
}

/// x / (x + half) for x >= 0: 0 at 0, 1/2 at `half`, tends to 1.
double saturate(double x, double half) {
  if (!(x > 0)) return 0;
  if (!finite(x)) return 1;
  return x / (x + half);
}

/// 1 / (1 + x / half) for x >= 0: 1 at 0, 1/2 at `half`, tends to 0.
double decay(double x, double half) {
  if (!(x > 0)) return 1;
  if (!finite(x)) return 0;
  return 1.0 / (1.0 + x / half);
}

/// The last `window` finite values of a history.
std::vector<double> tail_finite(const std::vector<double>& h, int window) {
  std::vector<double> out;
  size_t n = h.size();
  size_t from = (window > 0 && n > static_cast<size_t>(window)) ? n - window : 0;
  for (size_t i = from; i < n; ++i)
    if (finite(h[i])) out.push_back(h[i]);
  return out;
}

std::string fmt_num(double x) {
  std::ostringstream os;
  os.precision(6);
  os << x;
  return os.str();
}

double weight_or_zero(double w) {
  return (finite(w) && w > 0) ? w : 0.0;
}

} // namespace

// -- underlying statistics ------------------------------------------------------------

void estimate_drift_vol(const std::vector<double>& closes, int lookback,
                        underlying_stats& out) {
  out.hist_drift = nan;
  out.hist_vol = nan;
  if (closes.size() < 3) return;
  size_t n_ret = closes.size() - 1;
  if (lookback > 0 && n_ret > static_cast<size_t>(lookback)) n_ret = lookback;
  const size_t first = closes.size() - 1 - n_ret;
  std::vector<double> r;
  r.reserve(n_ret);
  for (size_t i = first; i + 1 < closes.size(); ++i) {
    if (!(closes[i] > 0) || !(closes[i + 1] > 0) || !finite(closes[i + 1])) return;
    r.push_back(std::log(closes[i + 1] / closes[i]));
  }
  if (r.size() < 2) return;
  double mean = 0;
  for (double x : r)
    mean += x;
  mean /= r.size();
  double ss = 0;
  for (double x : r)
    ss += (x - mean) * (x - mean);
  const double sd = std::sqrt(ss / (r.size() - 1));
  out.hist_vol = sd * std::sqrt(252.0);
  out.hist_drift = 252.0 * mean + 0.5 * out.hist_vol * out.hist_vol;
}

// -- single metrics -------------------------------------------------------------------

const char* to_string(delta_bucket x) {
  switch (x) {
  case delta_bucket::deep_itm:
    return "deep_itm";
  case delta_bucket::itm:
    return "itm";
  case delta_bucket::atm:
    return "atm";
  case delta_bucket::otm:
    return "otm";
  case delta_bucket::deep_otm:
    return "deep_otm";
  case delta_bucket::unknown:
    break;
  }
  return "unknown";
}

delta_bucket classify_delta(double delta) {
  if (!finite(delta)) return delta_bucket::unknown;
  const double a = std::fabs(delta);
  if (a >= 0.80) return delta_bucket::deep_itm;
  if (a >= 0.60) return delta_bucket::itm;
  if (a >= 0.40) return delta_bucket::atm;
  if (a >= 0.20) return delta_bucket::otm;
  return delta_bucket::deep_otm;
}

double liquidity_score(const liquidity_inputs& in) {
  const double f_vol = saturate(in.volume, 100);
  const double f_oi = saturate(in.open_interest, 1000);
  const double f_spread = finite(in.rel_spread) ? decay(in.rel_spread, 0.05) : 0.0;
  const double f_size = saturate(in.quote_size, 50);
  const double f_age = std::isnan(in.quote_age) ? 0.5 : decay(in.quote_age, 300);
  return 0.25 * f_vol + 0.25 * f_oi + 0.30 * f_spread + 0.10 * f_size + 0.10 * f_age;
}

double iv_percentile(double current, const std::vector<double>& history, int window) {
  if (!finite(current)) return nan;
  auto h = tail_finite(history, window);
  if (h.empty()) return nan;
  auto below = std::count_if(h.begin(), h.end(), [&](double x) { return x < current; });
  return static_cast<double>(below) / static_cast<double>(h.size());
}

double iv_rank(double current, const std::vector<double>& history, int window) {
  if (!finite(current)) return nan;
  auto h = tail_finite(history, window);
  if (h.empty()) return nan;
  auto [lo, hi] = std::minmax_element(h.begin(), h.end());
  if (*hi == *lo) return 0.5;
  return std::clamp((current - *lo) / (*hi - *lo), 0.0, 1.0);
}

lognormal_outcome long_outcome(option_type type, double spot, double strike,
                               double premium, double years, double drift, double vol) {
  lognormal_outcome out;
  if (!(spot > 0) || !(strike > 0) || !(premium > 0) || !(years >= 0) || !finite(drift) ||
      !(vol >= 0) || !finite(vol) || !finite(premium))
    return out;
  const bool call = type == option_type::call;
  const double b = call ? strike + premium : strike - premium;
  out.breakeven = b;
  const double fwd = spot * std::exp(drift * years); // E[S_T]
  const double vst = vol * std::sqrt(years);
  if (vst <= 0) {
    // Deterministic terminal price.
    const double payoff =
        call ? std::max(fwd - strike, 0.0) : std::max(strike - fwd, 0.0);
    out.pop = payoff > premium ? 1.0 : 0.0;
    out.expected_payoff = payoff;
  } else {
    // d(x) = (ln(S/x) + (mu - sigma^2/2) T) / (sigma sqrt T) = ln(F/x)/vst - vst/2.
    auto d2_at = [&](double x) { return std::log(fwd / x) / vst - 0.5 * vst; };
    if (call) {
      out.pop = norm_cdf(d2_at(b));
    } else {
      out.pop = b > 0 ? norm_cdf(-d2_at(b)) : 0.0;
    }
    const double d2 = d2_at(strike), d1 = d2 + vst;
    out.expected_payoff = call ? fwd * norm_cdf(d1) - strike * norm_cdf(d2)
                               : strike * norm_cdf(-d2) - fwd * norm_cdf(-d1);
    out.expected_payoff = std::max(out.expected_payoff, 0.0); // rounding near zero
  }
  out.expected_return = (out.expected_payoff - premium) / premium;
  return out;
}

// -- scoring --------------------------------------------------------------------------

double combine(const factor_scores& f, const config::option_weights& w,
               factor_scores* contributions) {
  factor_scores wt{weight_or_zero(w.moneyness),  weight_or_zero(w.time_value),
                   weight_or_zero(w.liquidity),  weight_or_zero(w.greeks),
                   weight_or_zero(w.iv),         weight_or_zero(w.expected_return),
                   weight_or_zero(w.probability)};
  double total = wt.sum();
  if (!(total > 0)) {
    wt = factor_scores{1, 1, 1, 1, 1, 1, 1};
    total = 7;
  }
  factor_scores c{wt.moneyness * f.moneyness / total,
                  wt.time_value * f.time_value / total,
                  wt.liquidity * f.liquidity / total,
                  wt.greeks * f.greeks / total,
                  wt.iv * f.iv / total,
                  wt.expected_return * f.expected_return / total,
                  wt.probability * f.probability / total};
  if (contributions) *contributions = c;
  return c.sum();
}

contract_analysis analyse_contract(const option_quote& q, const contract_inputs& in,
                                   double spot, double rate, double dividend_yield,
                                   const underlying_stats& u,
                                   const config::option_settings& cfg, day_number today,
                                   timestamp now) {
  contract_analysis a;
  a.contract = q.contract;
  a.type = q.type;
  a.strike = q.strike;
  a.expiry = q.expiry;
  a.spot = spot;
  a.days = static_cast<int>(q.expiry) - static_cast<int>(today);
  a.years = a.days / days_per_year;
  const bool call = q.type == option_type::call;
  const double r = finite(rate) ? rate : cfg.risk_free_rate;
  const double dq = finite(dividend_yield) ? dividend_yield : 0.0;

  // Reasons are collected in rule order; the first one is reported.
  std::string reason;
  auto exclude = [&](std::string why) {
    if (reason.empty()) reason = std::move(why);
  };

  if (!(spot > 0) || !finite(spot))
    exclude("underlying spot " + fmt_num(spot) + " is not a positive price");
  if (!(q.strike > 0) || !finite(q.strike))
    exclude("strike " + fmt_num(q.strike) + " is not a positive price");

  // -- quote ---------------------------------------------------------------------------
  a.bid = q.bid;
  a.ask = q.ask;
  const bool two_sided =
      finite(q.bid) && finite(q.ask) && q.bid >= 0 && q.ask > 0 && q.ask >= q.bid;
  if (two_sided) {
    a.mid = 0.5 * (q.bid + q.ask);
    a.rel_spread = (q.ask - q.bid) / a.mid;
    a.premium = q.ask;
  } else {
    exclude("no two-sided quote (bid " + fmt_num(q.bid) + ", ask " + fmt_num(q.ask) +
            ")");
  }

  // -- time and moneyness --------------------------------------------------------------
  if (a.days < cfg.min_days || a.days > cfg.max_days)
    exclude("days to expiry " + std::to_string(a.days) + " outside [min_days " +
            std::to_string(cfg.min_days) + ", max_days " + std::to_string(cfg.max_days) +
            "]");
  if (q.volume < cfg.min_volume)
    exclude("volume " + std::to_string(q.volume) + " < min_volume " +
            std::to_string(cfg.min_volume));
  if (q.open_interest < cfg.min_open_interest)
    exclude("open interest " + std::to_string(q.open_interest) + " < min_open_interest " +
            std::to_string(cfg.min_open_interest));
  if (two_sided && a.rel_spread > cfg.max_spread)
    exclude("relative spread " + fmt_num(a.rel_spread) + " > max_spread " +
            fmt_num(cfg.max_spread));

  if (spot > 0 && q.strike > 0) {
    a.forward = spot * std::exp((r - dq) * std::max(a.years, 0.0));
    a.moneyness = q.strike / spot;
    a.log_moneyness = std::log(q.strike / a.forward);
    a.intrinsic = call ? std::max(spot - q.strike, 0.0) : std::max(q.strike - spot, 0.0);
    if (two_sided) a.time_value = a.mid - a.intrinsic;
  }

  // -- caller's IV and Greeks ----------------------------------------------------------
  a.iv = in.iv;
  a.delta = in.delta;
  a.gamma = in.gamma;
  a.vega = in.vega;
  a.theta = in.theta;
  if (!(in.iv > 0) || !finite(in.iv))
    exclude("no implied volatility (iv " + fmt_num(in.iv) + ")");
  if (!finite(in.delta) || !finite(in.gamma) || !finite(in.theta))
    exclude("missing Greeks (delta " + fmt_num(in.delta) + ", gamma " +
            fmt_num(in.gamma) + ", theta " + fmt_num(in.theta) + ")");
  a.bucket = classify_delta(in.delta);
  a.theta_per_day = in.theta / days_per_year;
  if (finite(a.time_value) && a.time_value > 0 && finite(a.theta_per_day))
    a.decay_rate = -a.theta_per_day / a.time_value;
  if (a.premium > 0 && finite(in.delta))
    a.elasticity = std::fabs(in.delta) * spot / a.premium;
  if (finite(in.gamma) && finite(in.theta) && finite(u.hist_vol)) {
    const double gamma_pnl = 0.5 * in.gamma * spot * spot * u.hist_vol * u.hist_vol;
    a.carry_ratio = in.theta < 0 ? gamma_pnl / -in.theta : inf;
  }

  // -- liquidity -----------------------------------------------------------------------
  liquidity_inputs li;
  li.volume = static_cast<double>(q.volume);
  li.open_interest = static_cast<double>(q.open_interest);
  li.rel_spread = a.rel_spread;
  li.quote_size = static_cast<double>(std::min(q.bid_size, q.ask_size));
  if (q.quote_time != timestamp{} && now != timestamp{})
    li.quote_age =
        std::max(0.0, std::chrono::duration<double>(now - q.quote_time).count());
  a.liquidity = liquidity_score(li);

  // -- IV percentile and rank of the underlying ----------------------------------------
  a.iv_percentile = iv_percentile(u.iv30, u.iv_history, cfg.iv_history_days);
  a.iv_rank = iv_rank(u.iv30, u.iv_history, cfg.iv_history_days);

  // -- distribution at expiry ----------------------------------------------------------
  a.risk_neutral =
      long_outcome(q.type, spot, q.strike, a.premium, a.years, r - dq, in.iv);
  a.real_world =
      long_outcome(q.type, spot, q.strike, a.premium, a.years, u.hist_drift, u.hist_vol);

  // -- factor scores -------------------------------------------------------------------
  factor_scores& f = a.factors;
  if (finite(in.delta)) {
    const double w = cfg.delta_width > 0 ? cfg.delta_width : 0.20;
    const double x = (std::fabs(in.delta) - cfg.target_delta) / w;
    f.moneyness = std::exp(-0.5 * x * x);
  }
  f.time_value = finite(a.decay_rate) ? decay(a.decay_rate, 0.02) : 0.5;
  f.liquidity = a.liquidity;
  {
    const double f_el = finite(a.elasticity) ? saturate(a.elasticity, 5.0) : 0.0;
    const double f_carry = std::isnan(a.carry_ratio) ? 0.5 : saturate(a.carry_ratio, 1.0);
    f.greeks = 0.5 * f_el + 0.5 * f_carry;
  }
  f.iv = finite(a.iv_percentile) ? 1.0 - a.iv_percentile : 0.5;
  // Real-world view when the underlying's statistics are known, risk-neutral otherwise.
  const lognormal_outcome& view =
      finite(a.real_world.expected_return) ? a.real_world : a.risk_neutral;
  f.expected_return = finite(view.expected_return)
                          ? 0.5 + 0.5 * std::tanh(view.expected_return / 0.5)
                          : 0.0;
  f.probability = finite(view.pop) ? view.pop : 0.0;

  if (!reason.empty()) {
    a.excluded = true;
    a.reason = std::move(reason);
    a.score = 0;
    a.contributions = factor_scores{};
  } else {
    a.score = combine(f, cfg.weights, &a.contributions);
  }
  return a;
}

std::vector<contract_analysis> analyse_chain(const option_chain& chain,
                                             const std::vector<contract_inputs>& inputs,
                                             const underlying_stats& u,
                                             const config::option_settings& cfg,
                                             day_number today) {
  std::vector<contract_analysis> out;
  out.reserve(chain.contracts.size());
  const contract_inputs missing{};
  for (size_t i = 0; i < chain.contracts.size(); ++i) {
    const bool have = i < inputs.size();
    auto a =
        analyse_contract(chain.contracts[i], have ? inputs[i] : missing, chain.spot,
                         chain.rate, chain.dividend_yield, u, cfg, today, chain.as_of);
    if (!have) {
      a.excluded = true;
      a.score = 0;
      a.contributions = factor_scores{};
      a.reason = "no IV/Greeks input for contract " + chain.contracts[i].contract +
                 " (inputs has " + std::to_string(inputs.size()) + " entries for " +
                 std::to_string(chain.contracts.size()) + " contracts)";
    }
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<contract_analysis> rank(std::vector<contract_analysis> analysed, int top) {
  analysed.erase(std::remove_if(analysed.begin(), analysed.end(),
                                [](const contract_analysis& a) { return a.excluded; }),
                 analysed.end());
  auto key = [](const contract_analysis& a) {
    // NaN scores cannot occur for included contracts, but keep the order total anyway.
    const double s = std::isnan(a.score) ? -inf : a.score;
    return std::make_tuple(-s, std::cref(a.contract), a.expiry, a.strike,
                           static_cast<int>(a.type));
  };
  std::sort(analysed.begin(), analysed.end(),
            [&](const contract_analysis& x, const contract_analysis& y) {
              return key(x) < key(y);
            });
  if (top >= 0 && analysed.size() > static_cast<size_t>(top)) analysed.resize(top);
  return analysed;
}

std::vector<contract_analysis> rank(std::vector<contract_analysis> analysed,
                                    const config::option_settings& cfg) {
  return rank(std::move(analysed), cfg.top_contracts);
}

} // namespace sc::options
