// The ledger seen by the risk functions.
#include "analytics/options/black_scholes.hpp"
#include "analytics/portfolio/risk_view.hpp"
#include "analytics/risk/exposure.hpp"

#include <catch2/catch.hpp>

using namespace sc;
using namespace sc::portfolio;

TEST_CASE("the risk view of a ledger carries positions, equity and drawdown",
          "[risk_view]") {
  ledger l(10'000);
  instrument s;
  s.symbol = "AAA";
  s.sector = "Energy";
  instrument c;
  c.symbol = "BBB_C30";
  c.underlying = "BBB";
  c.kind = asset_kind::option;
  c.strike = 30;
  c.expiry = 1000 + 73;
  c.multiplier = 100;
  fill f;
  f.quantity = 100;
  f.price = 20;
  REQUIRE(l.apply(s, f));
  f.quantity = 2;
  f.price = 1.5;
  REQUIRE(l.apply(c, f));
  l.sample_equity({});   // 10000
  l.mark("AAA", 18, {}); // equity 9800: 2% below the peak
  market_inputs m;
  m.today = 1000;
  m.rate = 0.04;
  m.spot["BBB"] = 29;
  auto missing = risk_state(l, m, {});
  REQUIRE_FALSE(missing);
  CHECK_THAT(missing.error_message(), Catch::Contains("BBB_C30"));
  m.iv["BBB_C30"] = 0.5;
  auto st = risk_state(l, m, {});
  REQUIRE(st);
  CHECK(st->equity == Approx(9800));
  CHECK(st->drawdown == Approx(0.02));
  REQUIRE(st->positions.size() == 2);
  const auto& opt = st->positions[1];
  CHECK(opt.symbol == "BBB_C30");
  options::bsm_inputs in;
  in.type = option_type::call;
  in.spot = 29;
  in.strike = 30;
  in.years = 73.0 / 365;
  in.rate = 0.04;
  in.vol = 0.5;
  const auto g = options::bsm_greeks(in);
  CHECK(opt.delta == Approx(g.delta));
  CHECK(opt.price == Approx(g.price)); // never marked: the model price
  // Aggregated: 100 shares plus 2 * 100 * delta.
  auto agg = risk::aggregate_greeks(st->positions);
  CHECK(agg.total.delta_shares == Approx(100 + 200 * g.delta));
  CHECK(st->positions[0].spot == Approx(18)); // the stock's mark stands in for its spot
}
