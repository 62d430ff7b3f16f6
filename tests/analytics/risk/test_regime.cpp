// Volatility regime thresholds.
#include "analytics/risk/regime.hpp"
#include "config/settings.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace sc::risk;

TEST_CASE("regime from the volatility index level uses the documented thresholds",
          "[regime]") {
  sc::config::risk_settings lim; // 15 / 25 / 35
  const std::vector<double> none;
  CHECK(classify_regime(12, none, lim).regime == vol_regime::low);
  CHECK(classify_regime(15, none, lim).regime == vol_regime::normal);
  CHECK(classify_regime(24.9, none, lim).regime == vol_regime::normal);
  CHECK(classify_regime(25, none, lim).regime == vol_regime::high);
  CHECK(classify_regime(35, none, lim).regime == vol_regime::crisis);
  auto r = classify_regime(std::nan(""), none, lim);
  CHECK(r.regime == vol_regime::normal);
  CHECK_FALSE(r.has_index_level);
}

TEST_CASE("regime from realised volatility ranks the latest window in its history",
          "[regime]") {
  sc::config::risk_settings lim;
  // 60 quiet days (+-0.5%) then 20 wild days (+-3%): the last 20-day window is the most
  // volatile of the 61 windows: rank 1.0 -> crisis. Its vol: alternating +-a over 20
  // days has sample sd a * sqrt(20/19), annualised * sqrt(252).
  std::vector<double> r;
  for (int i = 0; i < 60; ++i)
    r.push_back(i % 2 ? 0.005 : -0.005);
  for (int i = 0; i < 20; ++i)
    r.push_back(i % 2 ? 0.03 : -0.03);
  auto rep = classify_regime(std::nan(""), r, lim);
  REQUIRE(rep.has_realised);
  CHECK(rep.realised_rank == Approx(1.0));
  CHECK(rep.realised_vol == Approx(0.03 * std::sqrt(20.0 / 19.0) * std::sqrt(252.0)));
  CHECK(rep.regime == vol_regime::crisis);
  // A calm index level does not soften it: the more severe input wins.
  auto both = classify_regime(12, r, lim);
  CHECK(both.by_index_level == vol_regime::low);
  CHECK(both.regime == vol_regime::crisis);
  // Wild, then medium, then 20 very quiet days: the last window is the quietest of
  // the 61, rank 1/61 < 0.25 -> low.
  std::vector<double> calm;
  for (int i = 0; i < 20; ++i)
    calm.push_back(i % 2 ? 0.03 : -0.03);
  for (int i = 0; i < 40; ++i)
    calm.push_back(i % 2 ? 0.01 : -0.01);
  for (int i = 0; i < 20; ++i)
    calm.push_back(i % 2 ? 0.002 : -0.002);
  auto c = classify_regime(std::nan(""), calm, lim);
  CHECK(c.realised_rank == Approx(1.0 / 61));
  CHECK(c.regime == vol_regime::low);
  // Too short a history is ignored.
  CHECK_FALSE(classify_regime(std::nan(""), {0.01, -0.01}, lim).has_realised);
}
