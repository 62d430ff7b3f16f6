// Greeks aggregation, sector concentration and correlation.
#include "analytics/risk/correlation.hpp"
#include "analytics/risk/exposure.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

using namespace sc;
using namespace sc::risk;

namespace {
risk_position option(std::string sym, std::string und, option_type t, double qty,
                     double delta, double gamma, double vega, double theta, double spot) {
  risk_position p;
  p.symbol = std::move(sym);
  p.underlying = std::move(und);
  p.kind = asset_kind::option;
  p.type = t;
  p.quantity = qty;
  p.multiplier = 100;
  p.delta = delta;
  p.gamma = gamma;
  p.vega = vega;
  p.theta = theta;
  p.spot = spot;
  p.price = 2;
  return p;
}
} // namespace

TEST_CASE("position Greeks are per-unit Greeks times contracts times 100, signed",
          "[exposure]") {
  // 3 long calls: delta 0.5 -> 150 shares; gamma 0.04 -> 12; vega 0.2 -> 60 (0.60 per
  // vol point); theta -7.3 a year -> -2190 a year, -6 a day.
  auto c = option("X_C", "X", option_type::call, 3, 0.5, 0.04, 0.2, -7.3, 20);
  // 2 short puts: delta -0.3 -> +60 shares; gamma 0.05 -> -10; vega 0.1 -> -20;
  // theta -3.65 -> +730 a year, +2 a day.
  auto p = option("X_P", "X", option_type::put, -2, -0.3, 0.05, 0.1, -3.65, 20);
  // 100 shares of Y at 30.
  risk_position s;
  s.symbol = "Y";
  s.quantity = 100;
  s.spot = 30;
  s.price = 30;
  auto g = aggregate_greeks({c, p, s});
  REQUIRE(g.positions.size() == 3);
  CHECK(g.positions[0].delta_shares == Approx(150));
  CHECK(g.positions[0].delta_dollars == Approx(3000));
  CHECK(g.positions[0].gamma == Approx(12));
  CHECK(g.positions[0].vega == Approx(60));
  CHECK(g.positions[0].vega_per_point == Approx(0.6));
  CHECK(g.positions[0].theta_day == Approx(-6));
  CHECK(g.positions[1].delta_shares == Approx(60));
  CHECK(g.positions[1].gamma == Approx(-10));
  CHECK(g.positions[1].vega == Approx(-20));
  CHECK(g.positions[1].theta_day == Approx(2));
  CHECK(g.positions[2].delta_shares == Approx(100));
  CHECK(g.positions[2].delta_dollars == Approx(3000));
  CHECK(g.positions[2].gamma == 0);
  // Totals: delta 310 shares, 3000 + 1200 + 3000 dollars; gamma 2; vega 40; theta -4/day.
  CHECK(g.total.delta_shares == Approx(310));
  CHECK(g.total.delta_dollars == Approx(7200));
  CHECK(g.total.gamma == Approx(2));
  CHECK(g.total.vega == Approx(40));
  CHECK(g.total.theta_day == Approx(-4));
  CHECK(g.total.theta_year == Approx(-1460));
  CHECK(g.by_underlying.at("X").delta_shares == Approx(210));
  CHECK(g.by_underlying.at("Y").delta_shares == Approx(100));
  // Market value: 300 * 2 - 200 * 2 + 3000.
  CHECK(g.total.market_value == Approx(3200));
}

TEST_CASE("sector exposure and the Herfindahl index", "[exposure]") {
  risk_position a, b, c;
  a.symbol = "A";
  a.sector = "Technology";
  a.quantity = 100;
  a.price = 30; // 3000
  b.symbol = "B";
  b.sector = "Technology";
  b.quantity = -50;
  b.price = 20; // 1000 gross
  c.symbol = "C";
  c.sector = "Energy";
  c.quantity = 2;
  c.multiplier = 100;
  c.price = 5;
  c.kind = asset_kind::option; // 1000
  auto e = sector_concentration({a, b, c}, 20000);
  CHECK(e.value.at("Technology") == Approx(4000));
  CHECK(e.fraction.at("Technology") == Approx(0.2));
  CHECK(e.fraction.at("Energy") == Approx(0.05));
  CHECK(e.gross == Approx(5000));
  // Weights 0.8 and 0.2: 0.64 + 0.04.
  CHECK(e.herfindahl == Approx(0.68));
}

TEST_CASE("Pearson correlation of a hand example", "[exposure]") {
  // x = 1..5, y = 2 4 5 4 5: sxy = 6, sxx = 10, syy = 6 -> 6 / sqrt(60).
  CHECK(pearson({1, 2, 3, 4, 5}, {2, 4, 5, 4, 5}) == Approx(0.7745966692414834));
  // Aligned at the end: the extra leading value of the first series is ignored.
  CHECK(pearson({99, 1, 2, 3, 4, 5}, {2, 4, 5, 4, 5}) == Approx(0.7745966692414834));
  CHECK(std::isnan(pearson({1, 1, 1}, {1, 2, 3})));
}

TEST_CASE("correlation matrix matches a direct two-pass computation", "[exposure]") {
  std::mt19937 rng(5);
  std::normal_distribution<double> d(0, 0.02);
  std::vector<std::vector<double>> s(4, std::vector<double>(120));
  for (size_t t = 0; t < 120; ++t) {
    const double common = d(rng);
    for (size_t j = 0; j < 4; ++j)
      s[j][t] = 0.5 * j * common + d(rng);
  }
  s[2].insert(s[2].begin(), 0.5); // longer series: aligned at the end
  auto c = correlation_matrix(s);
  REQUIRE(c.rows() == 4);
  for (size_t i = 0; i < 4; ++i)
    for (size_t j = 0; j < 4; ++j) {
      const auto& a = s[i];
      const auto& b = s[j];
      const size_t oa = a.size() - 120, ob = b.size() - 120;
      double ma = 0, mb = 0;
      for (size_t t = 0; t < 120; ++t) {
        ma += a[oa + t];
        mb += b[ob + t];
      }
      ma /= 120;
      mb /= 120;
      double sab = 0, saa = 0, sbb = 0;
      for (size_t t = 0; t < 120; ++t) {
        sab += (a[oa + t] - ma) * (b[ob + t] - mb);
        saa += (a[oa + t] - ma) * (a[oa + t] - ma);
        sbb += (b[ob + t] - mb) * (b[ob + t] - mb);
      }
      CHECK(c(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) ==
            Approx(sab / std::sqrt(saa * sbb)));
    }
}

TEST_CASE("max correlation picks the most correlated other underlying", "[exposure]") {
  std::vector<double> base = {0.01, -0.02, 0.015, 0.0, -0.01, 0.02, -0.005, 0.01};
  std::vector<double> opposite, noisy;
  for (size_t i = 0; i < base.size(); ++i) {
    opposite.push_back(-base[i]);
    noisy.push_back(base[i] + (i % 2 ? 0.004 : -0.004));
  }
  risk_position h1, h2, h3;
  h1.symbol = "NEG";
  h2.symbol = "SIM";
  h3.symbol = "CAND";
  std::map<std::string, std::vector<double>> r{
      {"NEG", opposite}, {"SIM", noisy}, {"CAND", base}};
  auto hit = max_correlation("CAND", base, {h1, h2, h3}, r, 252);
  CHECK(hit.underlying == "SIM");
  CHECK(hit.value == Approx(pearson(base, noisy)));
  CHECK(hit.value > 0.9);
  auto none = max_correlation("CAND", base, {h3}, r, 252); // own name is skipped
  CHECK(std::isnan(none.value));
}
