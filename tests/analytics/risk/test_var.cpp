// Historical and parametric VaR/CVaR against hand-worked samples and plain loops.
#include "analytics/options/black_scholes.hpp"
#include "analytics/risk/var.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>

using namespace sc;
using namespace sc::risk;

namespace {
// The 20-value sample used by the hand-worked cases; sorted ascending it reads
// -15 -12 -9 -7 -5 -4 -3 -2 -1 0 1 2 3 4 5 6 7 8 9 10.
const std::vector<double> sample20 = {-5, 3,  -12, 8,   1, -7, 4,  -2, 6,  -9,
                                      10, -1, 2,   -15, 5, 0,  -3, 7,  -4, 9};
} // namespace

TEST_CASE("tail count is ceil(n(1-c)) without binary noise", "[var]") {
  CHECK(tail_count(100, 0.95) == 5); // 100 * 0.05 must not round up to 6
  CHECK(tail_count(20, 0.95) == 1);
  CHECK(tail_count(20, 0.90) == 2);
  CHECK(tail_count(21, 0.95) == 2);   // 1.05 -> 2
  CHECK(tail_count(10, 0.99) == 1);   // 0.1 -> 1
  CHECK(tail_count(252, 0.95) == 13); // 12.6 -> 13
  CHECK(tail_count(3, 0.01) == 3);    // clamped to n
}

TEST_CASE("historical VaR and CVaR of a 20-value sample match the hand computation",
          "[var]") {
  // c = 0.95: k = 1, the worst value -15 is both VaR and CVaR.
  auto a = historical_tail(sample20, 0.95);
  REQUIRE(a.ok());
  CHECK(a.tail_count == 1);
  CHECK(a.var == Approx(15));
  CHECK(a.cvar == Approx(15));
  // c = 0.90: k = 2, VaR = 12, CVaR = (15 + 12) / 2 = 13.5.
  auto b = historical_tail(sample20, 0.90);
  CHECK(b.tail_count == 2);
  CHECK(b.var == Approx(12));
  CHECK(b.cvar == Approx(13.5));
  // c = 0.80: k = 4, VaR = 7, CVaR = (15 + 12 + 9 + 7) / 4 = 10.75.
  auto c = historical_tail(sample20, 0.80);
  CHECK(c.tail_count == 4);
  CHECK(c.var == Approx(7));
  CHECK(c.cvar == Approx(10.75));
}

TEST_CASE("VaR of 100 equally spaced outcomes takes the 5th worst at 95%", "[var]") {
  std::vector<double> pnl;
  for (int i = 1; i <= 100; ++i)
    pnl.push_back(i - 50); // -49 .. 50, shuffled below
  std::mt19937 rng(7);
  std::shuffle(pnl.begin(), pnl.end(), rng);
  auto t = historical_tail(pnl, 0.95);
  CHECK(t.tail_count == 5);
  CHECK(t.var == Approx(45));                              // 5th smallest is -45
  CHECK(t.cvar == Approx((49 + 48 + 47 + 46 + 45) / 5.0)); // 47
}

TEST_CASE("a sample of gains gives a negative VaR and bad input gives an error",
          "[var]") {
  auto t = historical_tail({1, 2, 3, 4}, 0.5); // k = 2: VaR = -2, CVaR = -1.5
  CHECK(t.var == Approx(-2));
  CHECK(t.cvar == Approx(-1.5));
  CHECK_FALSE(historical_tail({}, 0.95).ok());
  CHECK_FALSE(historical_tail({1, 2}, 1.0).ok());
  CHECK_FALSE(historical_tail({1, std::nan(""), 2}, 0.95).ok());
}

TEST_CASE("historical VaR matches a reference loop on random samples", "[var]") {
  std::mt19937 rng(12345);
  std::student_t_distribution<double> fat(3.0);
  for (int trial = 0; trial < 50; ++trial) {
    const int n = 20 + trial * 13;
    std::vector<double> pnl(static_cast<size_t>(n));
    for (auto& x : pnl)
      x = 1000 * fat(rng);
    // Reference: full sort, k = ceil(5n / 100) in integer arithmetic.
    std::vector<double> s = pnl;
    std::sort(s.begin(), s.end());
    const int k = (5 * n + 99) / 100;
    double sum = 0;
    for (int i = 0; i < k; ++i)
      sum += s[static_cast<size_t>(i)];
    auto t = historical_tail(pnl, 0.95);
    REQUIRE(t.ok());
    CHECK(static_cast<int>(t.tail_count) == k);
    CHECK(t.var == Approx(-s[static_cast<size_t>(k - 1)]));
    CHECK(t.cvar == Approx(-sum / k));
    CHECK(t.cvar >= t.var);
  }
}

TEST_CASE("portfolio scenarios revalue stocks linearly and options with BSM", "[var]") {
  risk_position stock;
  stock.symbol = "AAA";
  stock.kind = asset_kind::stock;
  stock.quantity = 100;
  stock.spot = 20;
  stock.price = 20;
  risk_position call;
  call.symbol = "BBB_C25";
  call.underlying = "BBB";
  call.kind = asset_kind::option;
  call.type = option_type::call;
  call.strike = 25;
  call.years = 30.0 / 365;
  call.iv = 0.6;
  call.rate = 0.04;
  call.quantity = -3; // short three contracts
  call.multiplier = 100;
  call.spot = 24;
  return_history h;
  h["AAA"] = {0.5,  0.01,  -0.02,
              0.03, -0.05, 0.0}; // the first entry is outside the window
  h["BBB"] = {0.02, -0.04, 0.06, -0.01, 0.015};
  const int lookback = 5;
  auto s = portfolio_scenarios({stock, call}, h, lookback);
  REQUIRE(s.ok());
  REQUIRE(s.pnl.size() == 5);
  // Reference written out: stock leg 100 * 20 * r; option leg -300 * (C(24(1+r),
  // T - 1/365) - C(24, T)).
  auto price = [&](double spot, double years) {
    options::bsm_inputs in;
    in.type = option_type::call;
    in.spot = spot;
    in.strike = 25;
    in.years = years;
    in.rate = 0.04;
    in.vol = 0.6;
    return options::bsm_price(in);
  };
  const double base = price(24, 30.0 / 365);
  const std::vector<double> ra = {0.01, -0.02, 0.03, -0.05, 0.0};
  const std::vector<double> rb = {0.02, -0.04, 0.06, -0.01, 0.015};
  std::vector<double> ref;
  for (size_t t = 0; t < 5; ++t) {
    const double p =
        100 * 20 * ra[t] - 300 * (price(24 * (1 + rb[t]), 29.0 / 365) - base);
    ref.push_back(p);
    CHECK(s.pnl[t] == Approx(p).epsilon(1e-12));
  }
  // Frozen time drops the theta the short call earns.
  revaluation_options frozen;
  frozen.roll_time = false;
  auto f = portfolio_scenarios({stock, call}, h, lookback, frozen);
  CHECK(f.pnl[4] < s.pnl[4]);
  // k = ceil(5 * 0.05) = 1: the worst scenario.
  auto v = portfolio_historical_var({stock, call}, h, lookback, 0.95);
  CHECK(v.var == Approx(-*std::min_element(ref.begin(), ref.end())));
  // Missing history names the underlying.
  h.erase("BBB");
  auto bad = portfolio_scenarios({stock, call}, h, lookback);
  CHECK_FALSE(bad.ok());
  CHECK_THAT(bad.error, Catch::Contains("BBB"));
}

TEST_CASE("an expiring option is valued at intrinsic in the scenario", "[var]") {
  risk_position put;
  put.symbol = "P";
  put.underlying = "U";
  put.kind = asset_kind::option;
  put.type = option_type::put;
  put.strike = 10;
  put.years = 0.5 / 365; // expires within the one-day horizon
  put.iv = 0.5;
  put.quantity = 1;
  put.multiplier = 100;
  put.spot = 10;
  return_history h{{"U", {-0.1}}};
  auto s = portfolio_scenarios({put}, h, 1);
  REQUIRE(s.ok());
  options::bsm_inputs in;
  in.type = option_type::put;
  in.spot = 10;
  in.strike = 10;
  in.years = 0.5 / 365;
  in.vol = 0.5;
  const double base = options::bsm_price(in);
  CHECK(s.pnl[0] == Approx(100 * (1.0 - base))); // intrinsic max(10 - 9, 0) = 1
}

TEST_CASE("parametric VaR is z times the delta-weighted P&L deviation", "[var]") {
  risk_position a;
  a.symbol = "A";
  a.quantity = 100;
  a.spot = 50;
  a.price = 50;
  risk_position b = a;
  b.symbol = "B";
  b.quantity = -50;
  b.spot = 40;
  b.price = 40;
  // Returns chosen so the covariance is easy by hand:
  // rA = {0.01, -0.01, 0.02, -0.02}: mean 0, var = (1+1+4+4)e-4 / 3 = 10e-4/3
  // rB = {0.01, 0.01, -0.01, -0.01}: mean 0, var = 4e-4/3
  // cov = (1 - 1 - 2 + 2)e-4 / 3 = 0
  return_history h{{"A", {0.01, -0.01, 0.02, -0.02}}, {"B", {0.01, 0.01, -0.01, -0.01}}};
  // D = (5000, -2000); sigma^2 = 5000^2 * 10e-4/3 + 2000^2 * 4e-4/3
  const double sigma = std::sqrt(25e6 * 10e-4 / 3 + 4e6 * 4e-4 / 3);
  auto p = parametric_var({a, b}, h, 4, 0.95);
  REQUIRE(p.ok());
  CHECK(p.sigma == Approx(sigma));
  CHECK(p.var == Approx(1.6448536269514722 * sigma));
  // Normal ES at 95%: pdf(1.6448536) / 0.05 = 2.0627128
  CHECK(p.cvar == Approx(2.0627128075074 * sigma));
  // An option counts through its delta: 2 contracts of delta 0.25 = 50 shares.
  risk_position o;
  o.symbol = "A_C";
  o.underlying = "A";
  o.kind = asset_kind::option;
  o.quantity = 2;
  o.multiplier = 100;
  o.delta = 0.25;
  o.spot = 50;
  auto q = parametric_var({o}, h, 4, 0.95);
  CHECK(q.sigma == Approx(50 * 50 * std::sqrt(10e-4 / 3)));
}
