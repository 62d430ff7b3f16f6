// Performance statistics of a ledger with known trades and equity samples.
#include "analytics/portfolio/performance.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace sc;
using namespace sc::portfolio;

TEST_CASE("performance of four round trips and five equity samples", "[performance]") {
  ledger l(10'000);
  auto trade = [&l](const char* sym, double buy, double sell) {
    instrument s;
    s.symbol = sym;
    fill f;
    f.quantity = 1;
    f.price = buy;
    REQUIRE(l.apply(s, f));
    f.quantity = -1;
    f.price = sell;
    REQUIRE(l.apply(s, f));
  };
  l.sample_equity({}); // 10000
  trade("A", 100, 200);
  l.sample_equity({}); // +100 -> 10100
  trade("B", 100, 50);
  l.sample_equity({}); // -50  -> 10050
  trade("C", 100, 130);
  l.sample_equity({}); // +30  -> 10080
  trade("D", 100, 80);
  l.sample_equity({}); // -20  -> 10060
  auto p = performance_of(l);
  CHECK(p.trades == 4);
  CHECK(p.wins == 2);
  CHECK(p.losses == 2);
  CHECK(p.win_rate == Approx(0.5));
  CHECK(p.avg_win == Approx(65));   // (100 + 30) / 2
  CHECK(p.avg_loss == Approx(-35)); // (-50 - 20) / 2
  CHECK(p.profit_factor == Approx(130.0 / 70.0));
  CHECK(p.total_return == Approx(0.006));
  CHECK(p.max_drawdown == Approx(50.0 / 10100));
  CHECK(p.current_drawdown == Approx(40.0 / 10100));
  // Sharpe from the four daily returns, written out.
  const double r[] = {10100.0 / 10000 - 1, 10050.0 / 10100 - 1, 10080.0 / 10050 - 1,
                      10060.0 / 10080 - 1};
  double m = 0;
  for (double x : r)
    m += x / 4;
  double ss = 0;
  for (double x : r)
    ss += (x - m) * (x - m);
  CHECK(p.sharpe == Approx(m / std::sqrt(ss / 3) * std::sqrt(252.0)));
  // No losing trade: an infinite profit factor.
  ledger w(1'000);
  instrument s;
  s.symbol = "W";
  fill f;
  f.quantity = 1;
  f.price = 1;
  REQUIRE(w.apply(s, f));
  f.quantity = -1;
  f.price = 2;
  REQUIRE(w.apply(s, f));
  CHECK(std::isinf(performance_of(w).profit_factor));
  CHECK(std::isnan(performance_of(ledger(5)).win_rate));
}
