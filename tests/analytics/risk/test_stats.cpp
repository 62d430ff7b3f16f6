// Sharpe, Sortino and drawdowns against hand-worked numbers and brute-force loops.
#include "analytics/risk/stats.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

using namespace sc::risk;

TEST_CASE("Sharpe of five daily returns matches the hand computation", "[stats]") {
  // r = {1%, -2%, 3%, 0%, 1.5%}: mean 0.007; deviations 0.003 -0.027 0.023 -0.007 0.008;
  // squares sum 1380e-6; sample variance 345e-6; sd 0.0185741756;
  // Sharpe = 0.007 / 0.0185741756 * sqrt(252) = 5.9825834.
  const std::vector<double> r = {0.01, -0.02, 0.03, 0.0, 0.015};
  CHECK(sharpe_ratio(r) == Approx(5.982583417540125));
  // rf = 2.52% a year = 0.0001 a day: mean excess 0.0069, same sd:
  // 0.0069 / 0.0185741756 * sqrt(252) = 5.8971179.
  CHECK(sharpe_ratio(r, 0.0252) == Approx(5.897117940146695));
}

TEST_CASE("Sortino of five daily returns matches the hand computation", "[stats]") {
  // Only -2% is below 0: DD = sqrt(0.02^2 / 5) = 0.0089442719;
  // Sortino = 0.007 / 0.0089442719 * sqrt(252) = 12.4237675.
  const std::vector<double> r = {0.01, -0.02, 0.03, 0.0, 0.015};
  CHECK(sortino_ratio(r) == Approx(12.423767544509193));
  // rf 0.0001 a day: excess -0.0201 and -0.0001 are below target:
  // DD = sqrt((0.0201^2 + 0.0001^2) / 5) = 0.0089891045; 0.0069 / DD * sqrt(252).
  CHECK(sortino_ratio(r, 0.0252) == Approx(12.185207556861798));
  CHECK(std::isnan(sortino_ratio({0.01, 0.02}))); // nothing below target
  CHECK(std::isnan(sharpe_ratio({0.01})));
}

TEST_CASE("Sharpe and Sortino match a reference loop on random returns", "[stats]") {
  std::mt19937 rng(99);
  std::normal_distribution<double> d(0.0005, 0.02);
  std::vector<double> r(500);
  for (auto& x : r)
    x = d(rng);
  const double rf = 0.04 / 252;
  double sum = 0;
  for (double x : r)
    sum += x - rf;
  const double mean = sum / 500;
  double ss = 0, down = 0;
  for (double x : r) {
    ss += (x - rf - mean) * (x - rf - mean);
    if (x - rf < 0) down += (x - rf) * (x - rf);
  }
  CHECK(sharpe_ratio(r, 0.04) == Approx(mean / std::sqrt(ss / 499) * std::sqrt(252.0)));
  CHECK(sortino_ratio(r, 0.04) ==
        Approx(mean / std::sqrt(down / 500) * std::sqrt(252.0)));
}

TEST_CASE("simple returns of an equity curve", "[stats]") {
  auto r = simple_returns({100, 110, 99});
  REQUIRE(r.size() == 2);
  CHECK(r[0] == Approx(0.10));
  CHECK(r[1] == Approx(-0.10));
}

TEST_CASE("max drawdown, its dates, duration and the current drawdown", "[stats]") {
  // Running peak 100 110 110 120 120 120 130 130; the deepest fall is 120 -> 90 = 25%
  // from index 3 to 4, recovered at index 6 (130 >= 120): duration 6 - 3 = 3.
  // Current: 125 under the 130 peak = 5/130.
  auto d = drawdowns({100, 110, 105, 120, 90, 95, 130, 125});
  CHECK(d.max_depth == Approx(0.25));
  CHECK(d.peak == 3);
  CHECK(d.trough == 4);
  CHECK(d.recovered);
  CHECK(d.recovery == 6);
  CHECK(d.duration == 3);
  CHECK(d.current_depth == Approx(5.0 / 130));
  CHECK(d.current_peak == 6);

  // Not recovered: 100 -> 80 (20%), then 90: still running, duration = last - peak = 2.
  auto e = drawdowns({100, 80, 90});
  CHECK(e.max_depth == Approx(0.2));
  CHECK(e.peak == 0);
  CHECK(e.trough == 1);
  CHECK_FALSE(e.recovered);
  CHECK(e.duration == 2);
  CHECK(e.current_depth == Approx(0.1));

  auto up = drawdowns({1, 2, 3});
  CHECK(up.max_depth == 0);
  CHECK(up.duration == 0);
  CHECK(up.current_depth == 0);
}

TEST_CASE("max drawdown matches a brute-force pair search on random curves", "[stats]") {
  std::mt19937 rng(3);
  std::normal_distribution<double> d(0.0, 0.03);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<double> e{1000};
    for (int i = 0; i < 300; ++i)
      e.push_back(e.back() * (1 + d(rng)));
    // Over all pairs i <= j: the largest 1 - e_j / e_i.
    double best = 0;
    for (size_t j = 0; j < e.size(); ++j)
      for (size_t i = 0; i <= j; ++i)
        best = std::max(best, 1 - e[j] / e[i]);
    auto dd = drawdowns(e);
    CHECK(dd.max_depth == Approx(best));
    CHECK(1 - e[dd.trough] / e[dd.peak] == Approx(best));
  }
}
