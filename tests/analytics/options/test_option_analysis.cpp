// Per-contract option analysis, scoring and iv30, each checked against a computation
// written separately here (numerical integration, Monte Carlo, hand-worked numbers).

#include "analytics/options/black_scholes.hpp"
#include "analytics/options/contract_analysis.hpp"
#include "analytics/options/iv_surface.hpp"
#include "config/settings.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <random>

using namespace sc;
using namespace sc::options;

namespace {

const double pi = std::acos(-1.0);

/// Composite Simpson rule on [a, b] with n (even) panels.
double simpson(const std::function<double(double)>& f, double a, double b, int n = 4000) {
  if (b <= a) return 0;
  const double h = (b - a) / n;
  double s = f(a) + f(b);
  for (int i = 1; i < n; ++i)
    s += f(a + i * h) * (i % 2 ? 4 : 2);
  return s * h / 3;
}

/// The law of ln S_T: normal with mean m and std v.
struct log_law {
  double m, v;
  double pdf(double x) const {
    const double z = (x - m) / v;
    return std::exp(-0.5 * z * z) / (v * std::sqrt(2 * pi));
  }
};

log_law law_of(double s, double t, double mu, double sigma) {
  return {std::log(s) + (mu - 0.5 * sigma * sigma) * t, sigma * std::sqrt(t)};
}

/// P(payoff > premium) by integrating the density of ln S_T beyond the breakeven.
double pop_by_integration(option_type type, double s, double k, double prem, double t,
                          double mu, double sigma) {
  auto L = law_of(s, t, mu, sigma);
  auto pdf = [&](double x) { return L.pdf(x); };
  if (type == option_type::call) return simpson(pdf, std::log(k + prem), L.m + 12 * L.v);
  if (k - prem <= 0) return 0;
  return simpson(pdf, L.m - 12 * L.v, std::log(k - prem));
}

/// E[payoff] by integrating payoff times density of ln S_T.
double payoff_by_integration(option_type type, double s, double k, double t, double mu,
                             double sigma) {
  auto L = law_of(s, t, mu, sigma);
  if (type == option_type::call)
    return simpson([&](double x) { return (std::exp(x) - k) * L.pdf(x); }, std::log(k),
                   L.m + 12 * L.v);
  return simpson([&](double x) { return (k - std::exp(x)) * L.pdf(x); }, L.m - 12 * L.v,
                 std::log(k));
}

config::option_settings loose_settings() {
  config::option_settings cfg;
  cfg.min_days = 1;
  cfg.max_days = 365;
  cfg.min_volume = 0;
  cfg.min_open_interest = 0;
  cfg.max_spread = 1.0;
  return cfg;
}

constexpr day_number today = 20000;

/// A contract quoted around its BSM value at `vol`, with the Greeks at that vol.
struct priced {
  option_quote q;
  contract_inputs in;
  double price;
};

priced make_contract(const std::string& name, option_type type, double spot, double k,
                     int days, double r, double q, double vol, double half_spread) {
  bsm_inputs b{type, spot, k, days / 365.0, r, q, vol};
  auto g = bsm_greeks(b);
  priced p;
  p.price = g.price;
  p.q.contract = name;
  p.q.underlying = "TEST";
  p.q.type = type;
  p.q.strike = k;
  p.q.expiry = today + days;
  p.q.bid = g.price - half_spread;
  p.q.ask = g.price + half_spread;
  p.q.volume = 500;
  p.q.open_interest = 2000;
  p.q.bid_size = 20;
  p.q.ask_size = 30;
  p.in = {vol, g.delta, g.gamma, g.vega, g.theta};
  return p;
}

} // namespace

// -- single metrics -------------------------------------------------------------------

TEST_CASE("delta buckets follow the documented |delta| thresholds for calls and puts") {
  CHECK(classify_delta(0.95) == delta_bucket::deep_itm);
  CHECK(classify_delta(-0.80) == delta_bucket::deep_itm);
  CHECK(classify_delta(0.7999) == delta_bucket::itm);
  CHECK(classify_delta(-0.60) == delta_bucket::itm);
  CHECK(classify_delta(0.5999) == delta_bucket::atm);
  CHECK(classify_delta(-0.40) == delta_bucket::atm);
  CHECK(classify_delta(0.3999) == delta_bucket::otm);
  CHECK(classify_delta(-0.20) == delta_bucket::otm);
  CHECK(classify_delta(0.1999) == delta_bucket::deep_otm);
  CHECK(classify_delta(0.0) == delta_bucket::deep_otm);
  CHECK(classify_delta(sc::nan) == delta_bucket::unknown);
  CHECK(std::string(to_string(delta_bucket::deep_otm)) == "deep_otm");
}

TEST_CASE("liquidity score is half when every input sits at its half-saturation point") {
  liquidity_inputs in{100, 1000, 0.05, 50, 300};
  CHECK(liquidity_score(in) == Approx(0.5).epsilon(1e-12));
  // Hand-worked: v=300 -> .75, oi=0 -> 0, s=0 -> 1, q=50 -> .5, age unknown -> .5
  liquidity_inputs h{300, 0, 0.0, 50, sc::nan};
  CHECK(liquidity_score(h) ==
        Approx(0.25 * 0.75 + 0 + 0.30 * 1 + 0.10 * 0.5 + 0.10 * 0.5).epsilon(1e-12));
}

TEST_CASE("liquidity score stays in [0,1] and is monotone in each input") {
  CHECK(liquidity_score({0, 0, sc::nan, 0, 1e12}) >= 0.0);
  CHECK(liquidity_score({0, 0, sc::nan, 0, 1e12}) < 0.01);
  CHECK(liquidity_score({1e12, 1e12, 0, 1e12, 0}) <= 1.0);
  CHECK(liquidity_score({1e12, 1e12, 0, 1e12, 0}) > 0.99);
  CHECK(liquidity_score({-5, -5, -1, -5, -5}) >= 0.0);

  const liquidity_inputs base{50, 400, 0.10, 10, 120};
  const double s0 = liquidity_score(base);
  for (double step : {1.0, 10.0, 1000.0}) {
    auto a = base;
    a.volume += step;
    CHECK(liquidity_score(a) > s0);
    auto b = base;
    b.open_interest += step;
    CHECK(liquidity_score(b) > s0);
    auto c = base;
    c.quote_size += step;
    CHECK(liquidity_score(c) > s0);
    auto d = base;
    d.rel_spread += step * 0.01;
    CHECK(liquidity_score(d) < s0);
    auto e = base;
    e.quote_age += step;
    CHECK(liquidity_score(e) < s0);
  }
}

TEST_CASE("IV percentile and rank match hand-worked histories") {
  const std::vector<double> h{0.20, 0.25, 0.30, 0.35, 0.40};
  CHECK(iv_percentile(0.32, h) == Approx(3.0 / 5));
  CHECK(iv_rank(0.32, h) == Approx(0.6));
  CHECK(iv_percentile(0.30, h) == Approx(2.0 / 5)); // strictly below
  CHECK(iv_rank(0.30, h) == Approx(0.5));
  CHECK(iv_percentile(0.10, h) == 0.0);
  CHECK(iv_rank(0.10, h) == 0.0); // clamped
  CHECK(iv_percentile(0.50, h) == 1.0);
  CHECK(iv_rank(0.50, h) == 1.0); // clamped

  // NaNs in the history are skipped.
  const std::vector<double> with_nan{0.20, sc::nan, 0.40, 0.30};
  CHECK(iv_percentile(0.35, with_nan) == Approx(2.0 / 3));
  CHECK(iv_rank(0.35, with_nan) == Approx(0.75));

  // Constant and empty histories.
  CHECK(iv_rank(0.3, std::vector<double>(10, 0.3)) == 0.5);
  CHECK(std::isnan(iv_percentile(0.3, {})));
  CHECK(std::isnan(iv_rank(0.3, {})));
  CHECK(std::isnan(iv_rank(sc::nan, h)));
}

TEST_CASE("IV percentile and rank use only the last 252 days") {
  std::vector<double> h(48, 5.0); // old, extreme days that must be ignored
  for (int i = 0; i < 252; ++i)
    h.push_back(0.10 + 0.001 * i); // 0.100 .. 0.351
  const double cur = 0.10 + 0.001 * 100.5;
  CHECK(iv_percentile(cur, h) == Approx(101.0 / 252));
  CHECK(iv_rank(cur, h) == Approx(100.5 / 251));
  // A shorter window: the last 52 values are 0.300 .. 0.351.
  CHECK(iv_percentile(cur, h, 52) == 0.0);
}

TEST_CASE("drift and vol estimates match hand-worked return series") {
  underlying_stats u;
  std::vector<double> growth;
  for (int i = 0; i <= 300; ++i)
    growth.push_back(100 * std::exp(0.001 * i));
  estimate_drift_vol(growth, 252, u);
  CHECK(u.hist_vol == Approx(0).margin(1e-9));
  CHECK(u.hist_drift == Approx(0.252).epsilon(1e-9));

  // Alternating +a, -a log returns: mean 0, sample std a sqrt(n/(n-1)).
  const double a = 0.02;
  std::vector<double> zigzag{50};
  for (int i = 0; i < 100; ++i)
    zigzag.push_back(zigzag.back() * std::exp(i % 2 ? -a : a));
  estimate_drift_vol(zigzag, 252, u);
  const double sd = a * std::sqrt(100.0 / 99.0);
  CHECK(u.hist_vol == Approx(sd * std::sqrt(252.0)).epsilon(1e-9));
  CHECK(u.hist_drift == Approx(0.5 * 252 * sd * sd).epsilon(1e-9));

  estimate_drift_vol({100, -1, 101}, 252, u);
  CHECK(std::isnan(u.hist_vol));
}

TEST_CASE("probability of profit equals the integral of the lognormal density") {
  struct row {
    option_type t;
    double s, k, prem, years, mu, sigma;
  };
  const row rows[] = {
      {option_type::call, 100, 105, 2.5, 0.25, 0.08, 0.35},
      {option_type::call, 20, 15, 5.6, 60 / 365.0, -0.10, 0.80},
      {option_type::call, 10, 14, 0.05, 14 / 365.0, 0.20, 1.20},
      {option_type::put, 100, 95, 1.8, 0.5, 0.03, 0.25},
      {option_type::put, 40, 50, 10.5, 90 / 365.0, 0.15, 0.60},
      {option_type::put, 8, 5, 0.10, 30 / 365.0, 0.0, 0.9},
  };
  for (const auto& r : rows) {
    auto o = long_outcome(r.t, r.s, r.k, r.prem, r.years, r.mu, r.sigma);
    INFO(to_string(r.t) << " S=" << r.s << " K=" << r.k);
    CHECK(o.breakeven == Approx(r.t == option_type::call ? r.k + r.prem : r.k - r.prem));
    CHECK(o.pop ==
          Approx(pop_by_integration(r.t, r.s, r.k, r.prem, r.years, r.mu, r.sigma))
              .margin(1e-8));
    const double ep = payoff_by_integration(r.t, r.s, r.k, r.years, r.mu, r.sigma);
    CHECK(o.expected_payoff == Approx(ep).epsilon(1e-7).margin(1e-9));
    CHECK(o.expected_return == Approx((ep - r.prem) / r.prem).epsilon(1e-6).margin(1e-8));
  }
}

TEST_CASE("a put whose premium exceeds the strike can never profit") {
  auto o = long_outcome(option_type::put, 10, 5, 6, 0.2, 0.05, 0.5);
  CHECK(o.breakeven == -1);
  CHECK(o.pop == 0);
  CHECK(o.expected_return < -0.9); // payoff at most 5 for 6 paid
}

TEST_CASE(
    "expected payoff agrees with a fixed-seed Monte Carlo within its standard error") {
  const double s = 25, k = 27, t = 45 / 365.0, mu = 0.12, sigma = 0.55;
  std::mt19937_64 rng(20240601);
  std::normal_distribution<double> z(0.0, 1.0);
  const int n = 200000;
  double sc_ = 0, sc2 = 0, sp = 0, sp2 = 0;
  for (int i = 0; i < n; ++i) {
    const double st =
        s * std::exp((mu - 0.5 * sigma * sigma) * t + sigma * std::sqrt(t) * z(rng));
    const double c = std::max(st - k, 0.0), p = std::max(k - st, 0.0);
    sc_ += c;
    sc2 += c * c;
    sp += p;
    sp2 += p * p;
  }
  const double mc = sc_ / n, se_c = std::sqrt((sc2 / n - mc * mc) / n);
  const double mp = sp / n, se_p = std::sqrt((sp2 / n - mp * mp) / n);
  auto oc = long_outcome(option_type::call, s, k, 1.0, t, mu, sigma);
  auto op = long_outcome(option_type::put, s, k, 1.0, t, mu, sigma);
  CHECK(std::fabs(oc.expected_payoff - mc) < 4 * se_c);
  CHECK(std::fabs(op.expected_payoff - mp) < 4 * se_p);
}

TEST_CASE("risk-neutral expected payoff is the BSM price grown at the risk-free rate") {
  const double s = 30, k = 32, t = 75 / 365.0, r = 0.045, q = 0.01, v = 0.45;
  for (auto type : {option_type::call, option_type::put}) {
    const double price = bsm_price({type, s, k, t, r, q, v});
    auto o = long_outcome(type, s, k, price, t, r - q, v);
    CHECK(o.expected_payoff == Approx(price * std::exp(r * t)).epsilon(1e-12));
    CHECK(o.expected_return == Approx(std::exp(r * t) - 1).epsilon(1e-9));
  }
}

TEST_CASE("zero vol or zero time gives the deterministic terminal price") {
  auto o = long_outcome(option_type::call, 100, 90, 5, 0.5, 0.10, 0.0);
  const double st = 100 * std::exp(0.05);
  CHECK(o.expected_payoff == Approx(st - 90));
  CHECK(o.pop == 1.0);
  auto p = long_outcome(option_type::put, 100, 90, 5, 0.0, 0.10, 0.3);
  CHECK(p.expected_payoff == 0.0);
  CHECK(p.pop == 0.0);
  CHECK(std::isnan(long_outcome(option_type::call, 100, 90, 0, 0.5, 0.1, 0.3).pop));
}

// -- contract analysis ----------------------------------------------------------------

TEST_CASE("an OTM call's metrics follow the documented conventions") {
  const double spot = 50, r = 0.04, q = 0.0, vol = 0.5;
  auto p = make_contract("TESTC52", option_type::call, spot, 52, 45, r, q, vol, 0.05);
  underlying_stats u;
  u.hist_drift = 0.15;
  u.hist_vol = 0.40;
  u.iv30 = 0.32;
  u.iv_history = {0.20, 0.25, 0.30, 0.35, 0.40};
  auto cfg = loose_settings();
  const timestamp now = to_timestamp(today) + std::chrono::hours(20);
  p.q.quote_time = now - std::chrono::seconds(300);

  auto a = analyse_contract(p.q, p.in, spot, r, q, u, cfg, today, now);
  REQUIRE_FALSE(a.excluded);
  CHECK(a.days == 45);
  CHECK(a.years == Approx(45.0 / 365));
  CHECK(a.moneyness == Approx(52.0 / 50));
  CHECK(a.log_moneyness == Approx(std::log(52 / (50 * std::exp(0.04 * 45 / 365.0)))));
  CHECK(a.forward == Approx(50 * std::exp(0.04 * 45 / 365.0)));
  CHECK(a.bucket == delta_bucket::atm); // delta ~0.45 at 45 days, 50% vol
  CHECK(a.mid == Approx(p.price));
  CHECK(a.premium == Approx(p.price + 0.05));
  CHECK(a.rel_spread == Approx(0.10 / p.price));
  CHECK(a.intrinsic == 0);
  CHECK(a.time_value == Approx(p.price));
  CHECK(a.theta_per_day == Approx(p.in.theta / 365));
  CHECK(a.decay_rate == Approx(-p.in.theta / 365 / p.price));
  CHECK(a.decay_rate > 0);
  CHECK(a.elasticity == Approx(p.in.delta * 50 / (p.price + 0.05)));
  CHECK(a.iv_percentile == Approx(0.6));
  CHECK(a.iv_rank == Approx(0.6));

  // Liquidity: volume 500, OI 2000, spread 0.1/price, min size 20, age 300 s.
  const double liq = 0.25 * 500 / 600.0 + 0.25 * 2000 / 3000.0 +
                     0.30 / (1 + (0.10 / p.price) / 0.05) + 0.10 * 20 / 70.0 + 0.10 * 0.5;
  CHECK(a.liquidity == Approx(liq));

  // Both views against direct integration, the premium being the ask.
  const double t = 45 / 365.0, prem = p.price + 0.05;
  CHECK(a.risk_neutral.pop ==
        Approx(pop_by_integration(option_type::call, 50, 52, prem, t, r - q, vol))
            .margin(1e-8));
  CHECK(a.real_world.pop ==
        Approx(pop_by_integration(option_type::call, 50, 52, prem, t, 0.15, 0.40))
            .margin(1e-8));
  const double ep_rw = payoff_by_integration(option_type::call, 50, 52, t, 0.15, 0.40);
  CHECK(a.real_world.expected_return == Approx((ep_rw - prem) / prem).epsilon(1e-6));
  CHECK(a.risk_neutral.expected_payoff ==
        Approx(p.price * std::exp(r * t)).epsilon(1e-9));

  // Factor scores as documented.
  const double x = (p.in.delta - 0.40) / 0.20;
  CHECK(a.factors.moneyness == Approx(std::exp(-0.5 * x * x)));
  CHECK(a.factors.time_value == Approx(1 / (1 + a.decay_rate / 0.02)));
  CHECK(a.factors.iv == Approx(0.4));
  CHECK(a.factors.probability == Approx(a.real_world.pop));
  CHECK(a.factors.expected_return ==
        Approx(0.5 + 0.5 * std::tanh(((ep_rw - prem) / prem) / 0.5)));
  const double carry = 0.5 * p.in.gamma * 2500 * 0.16 / -p.in.theta;
  const double el = a.elasticity;
  CHECK(a.factors.greeks == Approx(0.5 * el / (el + 5) + 0.5 * carry / (carry + 1)));
  for (double f :
       {a.factors.moneyness, a.factors.time_value, a.factors.liquidity, a.factors.greeks,
        a.factors.iv, a.factors.expected_return, a.factors.probability})
    CHECK((f >= 0 && f <= 1));
}

TEST_CASE("gamma carry is exactly one when realised vol equals implied and r = q = 0") {
  // The BSM equation with r = q = 0 gives theta = -gamma S^2 sigma^2 / 2.
  auto p = make_contract("X", option_type::put, 40, 38, 60, 0, 0, 0.6, 0.02);
  underlying_stats u;
  u.hist_vol = 0.6;
  u.hist_drift = 0;
  auto a = analyse_contract(p.q, p.in, 40, 0, 0, u, loose_settings(), today, {});
  CHECK(a.carry_ratio == Approx(1.0).epsilon(1e-10));
}

TEST_CASE("an ITM put has intrinsic K - S and time value mid - intrinsic") {
  auto p = make_contract("TESTP60", option_type::put, 50, 60, 30, 0.03, 0.0, 0.4, 0.10);
  auto a = analyse_contract(p.q, p.in, 50, 0.03, 0.0, underlying_stats{},
                            loose_settings(), today, {});
  CHECK(a.intrinsic == 10);
  CHECK(a.time_value == Approx(p.price - 10));
  CHECK(a.bucket == delta_bucket::deep_itm);
  // Without underlying statistics the risk-neutral view feeds the factors, and the
  // IV factor is neutral.
  CHECK(std::isnan(a.real_world.pop));
  CHECK(a.factors.probability == Approx(a.risk_neutral.pop));
  CHECK(a.factors.iv == 0.5);
}

TEST_CASE("thresholds exclude contracts and say why") {
  auto cfg =
      config::option_settings{}; // min_days 7, max_days 120, vol 10, OI 100, spread .25
  auto base = make_contract("TESTC", option_type::call, 20, 20, 30, 0.04, 0, 0.5, 0.02);
  auto run = [&](const option_quote& q, const contract_inputs& in) {
    return analyse_contract(q, in, 20, 0.04, 0, underlying_stats{}, cfg, today, {});
  };
  REQUIRE_FALSE(run(base.q, base.in).excluded);

  auto q = base.q;
  q.volume = 9;
  auto a = run(q, base.in);
  CHECK(a.excluded);
  CHECK(a.score == 0);
  CHECK(a.reason == "volume 9 < min_volume 10");

  q = base.q;
  q.open_interest = 99;
  CHECK(run(q, base.in).reason == "open interest 99 < min_open_interest 100");

  q = base.q;
  q.bid = 0.5;
  q.ask = 0.8; // spread 0.3/0.65 = 0.46
  CHECK_THAT(run(q, base.in).reason,
             Catch::StartsWith("relative spread 0.461538 > max_spread 0.25"));

  q = base.q;
  q.expiry = today + 6;
  CHECK(run(q, base.in).reason == "days to expiry 6 outside [min_days 7, max_days 120]");
  q.expiry = today + 7;
  CHECK_FALSE(run(q, base.in).excluded); // inclusive band
  q.expiry = today + 120;
  CHECK_FALSE(run(q, base.in).excluded);
  q.expiry = today + 121;
  CHECK(run(q, base.in).excluded);

  q = base.q;
  q.bid = sc::nan;
  CHECK_THAT(run(q, base.in).reason, Catch::StartsWith("no two-sided quote"));
  q = base.q;
  q.bid = 1.2;
  q.ask = 1.1;
  CHECK_THAT(run(q, base.in).reason, Catch::StartsWith("no two-sided quote"));

  auto in = base.in;
  in.iv = sc::nan;
  CHECK_THAT(run(base.q, in).reason, Catch::StartsWith("no implied volatility"));
  in = base.in;
  in.theta = sc::nan;
  CHECK_THAT(run(base.q, in).reason, Catch::StartsWith("missing Greeks"));

  // The first failing rule is reported.
  q = base.q;
  q.volume = 0;
  q.open_interest = 0;
  CHECK_THAT(run(q, base.in).reason, Catch::StartsWith("volume 0"));
}

TEST_CASE("weights are normalised by their sum") {
  factor_scores f{0.2, 0.9, 0.9, 0.9, 0.9, 0.9, 0.8};
  config::option_weights w{1, 0, 0, 0, 0, 0, 1};
  factor_scores c;
  CHECK(combine(f, w, &c) == Approx(0.5));
  CHECK(c.moneyness == Approx(0.1));
  CHECK(c.probability == Approx(0.4));
  CHECK(c.liquidity == 0);

  config::option_weights scaled{10, 0, 0, 0, 0, 0, 10};
  CHECK(combine(f, scaled) == Approx(0.5));
  config::option_weights negative{1, -3, 0, 0, 0, 0, 1};
  CHECK(combine(f, negative) == Approx(0.5));
  config::option_weights zero{0, 0, 0, 0, 0, 0, 0};
  CHECK(combine(f, zero) == Approx((0.2 + 0.9 * 5 + 0.8) / 7));

  // Defaults: hand-weighted sum (the defaults add up to 1.0).
  config::option_weights d;
  CHECK(combine(f, d) == Approx(0.15 * 0.2 + 0.10 * 0.9 + 0.20 * 0.9 + 0.10 * 0.9 +
                                0.15 * 0.9 + 0.15 * 0.9 + 0.15 * 0.8));
}

TEST_CASE("analyse_chain and rank give a sorted top list whose breakdown adds up") {
  option_chain chain;
  chain.underlying = "TEST";
  chain.spot = 30;
  chain.rate = 0.04;
  chain.as_of = to_timestamp(today) + std::chrono::hours(20);
  std::vector<contract_inputs> inputs;
  int i = 0;
  for (int days : {14, 35, 63, 200})
    for (double k : {24.0, 27.0, 30.0, 33.0, 36.0})
      for (auto type : {option_type::call, option_type::put}) {
        auto p = make_contract("C" + std::to_string(i++), type, 30, k, days, 0.04, 0,
                               0.45 + 0.002 * k, 0.03 + 0.002 * k);
        p.q.volume = 20 + 7 * i;
        p.q.open_interest = 150 + 40 * i;
        p.q.quote_time = chain.as_of - std::chrono::seconds(10 * i);
        chain.contracts.push_back(p.q);
        inputs.push_back(p.in);
      }
  underlying_stats u;
  u.hist_drift = 0.10;
  u.hist_vol = 0.40;
  u.iv30 = 0.50;
  for (int d = 0; d < 252; ++d)
    u.iv_history.push_back(0.35 + 0.3 * (d % 17) / 17.0);
  config::option_settings cfg;
  cfg.top_contracts = 7;

  auto all = analyse_chain(chain, inputs, u, cfg, today);
  REQUIRE(all.size() == chain.contracts.size());
  int excluded = 0;
  for (const auto& a : all) {
    if (a.excluded) {
      ++excluded;
      CHECK_FALSE(a.reason.empty());
      continue;
    }
    CHECK(a.contributions.sum() == Approx(a.score).epsilon(1e-12));
    // Each contribution is weight * factor (the default weights sum to 1).
    CHECK(a.contributions.liquidity == Approx(0.20 * a.factors.liquidity));
    CHECK(a.contributions.probability == Approx(0.15 * a.factors.probability));
    CHECK((a.score >= 0 && a.score <= 1));
  }
  CHECK(excluded >= 10); // the 200-day expiry is beyond max_days

  auto top = rank(all, cfg);
  REQUIRE(top.size() == 7);
  for (size_t j = 1; j < top.size(); ++j)
    CHECK(top[j - 1].score >= top[j].score);
  for (const auto& a : top)
    CHECK_FALSE(a.excluded);
  // Nothing outside the top list scores higher than its last entry.
  for (const auto& a : all)
    if (!a.excluded &&
        std::none_of(top.begin(), top.end(), [&](const contract_analysis& t) {
          return t.contract == a.contract;
        }))
      CHECK(a.score <= top.back().score);

  // Missing inputs exclude the tail of the chain.
  inputs.resize(3);
  auto partial = analyse_chain(chain, inputs, u, cfg, today);
  CHECK(partial[3].excluded);
  CHECK_THAT(partial[3].reason, Catch::StartsWith("no IV/Greeks input for contract C3"));
}

TEST_CASE("rank breaks score ties deterministically") {
  std::vector<contract_analysis> v(4);
  v[0].contract = "B";
  v[0].score = 0.5;
  v[1].contract = "A";
  v[1].score = 0.5;
  v[2].contract = "C";
  v[2].score = 0.7;
  v[3].contract = "D";
  v[3].score = 0.9;
  v[3].excluded = true;
  auto r = rank(v, 10);
  REQUIRE(r.size() == 3);
  CHECK(r[0].contract == "C");
  CHECK(r[1].contract == "A");
  CHECK(r[2].contract == "B");
  std::reverse(v.begin(), v.end());
  auto r2 = rank(v, 2);
  REQUIRE(r2.size() == 2);
  CHECK(r2[0].contract == "C");
  CHECK(r2[1].contract == "A");
}

// -- iv30 -----------------------------------------------------------------------------

namespace {

/// The synthetic smile: ATM level a(T) plus skew and curvature in ln(K/100).
double smile(double k, double level) {
  const double x = std::log(k / 100);
  return level - 0.10 * x + 0.50 * x * x;
}

} // namespace

TEST_CASE("iv30 interpolates the OTM-side ATM IV in strike and total variance in time") {
  option_chain chain;
  chain.underlying = "SYN";
  chain.spot = 100;
  chain.rate = 0.05;
  chain.dividend_yield = 0.01;
  std::vector<double> ivs;
  const std::pair<int, double> term[] = {{0, 0.90}, {20, 0.30}, {45, 0.35}, {90, 0.40}};
  for (auto [days, level] : term)
    for (double k : {90.0, 95.0, 100.0, 105.0, 110.0})
      for (auto type : {option_type::put, option_type::call}) {
        option_quote q;
        q.contract = "SYN" + std::to_string(days) +
                     (type == option_type::call ? "C" : "P") + std::to_string(int(k));
        q.type = type;
        q.strike = k;
        q.expiry = today + days;
        chain.contracts.push_back(q);
        // Puts carry one vol point more than calls, so the side used is visible.
        ivs.push_back(smile(k, level) + (type == option_type::put ? 0.01 : 0.0));
      }

  auto r = iv30(chain, ivs, today);
  REQUIRE(r.ok());
  REQUIRE(r.expiries.size() == 3); // the expiry of today is ignored

  // 20 days: F = 100 e^{0.04 * 20/365} = 100.2194, between 100 (put side) and 105 (call).
  const double f1 = 100 * std::exp(0.04 * 20 / 365.0);
  const double lo1 = smile(100, 0.30) + 0.01, hi1 = smile(105, 0.30);
  const double atm1 = lo1 + (f1 - 100) / 5 * (hi1 - lo1);
  const double f2 = 100 * std::exp(0.04 * 45 / 365.0);
  const double lo2 = smile(100, 0.35) + 0.01, hi2 = smile(105, 0.35);
  const double atm2 = lo2 + (f2 - 100) / 5 * (hi2 - lo2);
  CHECK(r.expiries[0].forward == Approx(f1));
  CHECK(r.expiries[0].atm_iv == Approx(atm1).epsilon(1e-12));
  CHECK(r.expiries[1].atm_iv == Approx(atm2).epsilon(1e-12));
  CHECK_FALSE(r.expiries[0].extrapolated);

  // Total variance in day units: w(30) = w(20) + (w(45) - w(20)) * 10/25.
  const double w20 = atm1 * atm1 * 20, w45 = atm2 * atm2 * 45;
  const double expected = std::sqrt((w20 + (w45 - w20) * 10.0 / 25.0) / 30.0);
  CHECK(r.iv30 == Approx(expected).epsilon(1e-12));
  // Sanity: between the two ATM vols.
  CHECK(r.iv30 > atm1);
  CHECK(r.iv30 < atm2);

  // Flat extrapolation outside the quoted expiries.
  CHECK(constant_maturity_iv(r.expiries, 10 / 365.0) == Approx(atm1));
  CHECK(constant_maturity_iv(r.expiries, 200 / 365.0) == Approx(r.expiries[2].atm_iv));
  // Exactly on an expiry.
  CHECK(constant_maturity_iv(r.expiries, 45 / 365.0) == Approx(atm2).epsilon(1e-12));
}

TEST_CASE("iv30 falls back to the other side and flags a forward outside the strikes") {
  option_chain chain;
  chain.underlying = "SYN";
  chain.spot = 100;
  std::vector<double> ivs;
  auto add = [&](option_type t, double k, int days, double v) {
    option_quote q;
    q.type = t;
    q.strike = k;
    q.expiry = today + days;
    chain.contracts.push_back(q);
    ivs.push_back(v);
  };
  // r = q = 0: F = 100. Strike 95 has only a call (the put is missing), 105 only a call.
  add(option_type::call, 95, 30, 0.42);
  add(option_type::put, 95, 30, sc::nan);
  add(option_type::call, 105, 30, 0.38);
  auto r = iv30(chain, ivs, today);
  REQUIRE(r.ok());
  CHECK(r.iv30 == Approx(0.40)); // midway, exactly at 30 days
  // All strikes below the forward: nearest strike, flagged.
  chain.contracts.clear();
  ivs.clear();
  add(option_type::put, 80, 30, 0.5);
  add(option_type::put, 90, 30, 0.45);
  r = iv30(chain, ivs, today);
  REQUIRE(r.ok());
  CHECK(r.iv30 == Approx(0.45));
  CHECK(r.expiries[0].extrapolated);

  ivs.pop_back();
  CHECK_FALSE(iv30(chain, ivs, today).ok());
  chain.spot = sc::nan;
  CHECK_THAT(iv30(chain, ivs, today).error, Catch::Contains("SYN"));
}
