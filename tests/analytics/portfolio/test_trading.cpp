// Sizing, paper fills, stops, targets and expiry settlement.
#include "analytics/portfolio/trading.hpp"
#include "config/settings.hpp"

#include <catch2/catch.hpp>

using namespace sc;
using namespace sc::portfolio;

namespace {
instrument opt(std::string sym, option_type t, double strike, day_number expiry) {
  instrument i;
  i.symbol = std::move(sym);
  i.underlying = "U";
  i.kind = asset_kind::option;
  i.type = t;
  i.strike = strike;
  i.expiry = expiry;
  i.multiplier = 100;
  return i;
}
} // namespace

TEST_CASE("option sizing: premium at risk, position cap, contract cap", "[sizing]") {
  config::trading_settings tr; // position_size 2%, contracts_per_trade_max 10
  config::risk_settings rk;    // max_position 5%
  sizing_request r;
  r.kind = asset_kind::option;
  r.multiplier = 100;
  // Premium 1.50: 150 per contract; budget 2000 -> 13; cap 5000 / 150 -> 33; max 10.
  r.price = 1.5;
  auto a = size_position(100'000, r, tr, rk);
  CHECK(a.quantity == 10);
  CHECK(a.binding == "contracts_per_trade_max");
  CHECK(a.risk_per_unit == Approx(150));
  // Premium 4: 400 per contract -> 5 by risk; cap 12.
  r.price = 4;
  auto b = size_position(100'000, r, tr, rk);
  CHECK(b.quantity == 5);
  CHECK(b.binding == "risk");
  // Premium 25: 2500 per contract exceeds the 2000 budget -> 0.
  r.price = 25;
  CHECK(size_position(100'000, r, tr, rk).quantity == 0);
  // A tighter position cap binds: max_position 1% -> 1000 / 400 -> 2.
  rk.max_position = 0.01;
  r.price = 4;
  auto c = size_position(100'000, r, tr, rk);
  CHECK(c.quantity == 2);
  CHECK(c.binding == "max_position");
}

TEST_CASE("stock sizing: distance to the stop", "[sizing]") {
  config::trading_settings tr;
  config::risk_settings rk;
  sizing_request r;
  r.kind = asset_kind::stock;
  r.price = 50;
  r.stop_price = 45; // 5 per share: 2000 / 5 = 400; cap 5000 / 50 = 100
  auto a = size_position(100'000, r, tr, rk);
  CHECK(a.quantity == 100);
  CHECK(a.binding == "max_position");
  r.stop_price = sc::nan; // default stop 50 * (1 - 0.5) = 25: 2000 / 25 = 80
  auto b = size_position(100'000, r, tr, rk);
  CHECK(b.quantity == 80);
  CHECK(b.binding == "risk");
  r.stop_price = 55; // a stop above the price is refused
  CHECK(size_position(100'000, r, tr, rk).quantity == 0);
}

TEST_CASE("paper fills cross the spread and charge fees per contract", "[execution]") {
  config::trading_settings tr; // slippage 1, fee 0.65 per contract
  order o;
  o.spec = opt("C1", option_type::call, 20, 100);
  o.quantity = 2;
  auto buy = paper_fill(o, 1.20, 1.40, 10'000, 0, tr);
  REQUIRE(buy);
  CHECK(buy->price == Approx(1.40));
  CHECK(buy->fees == Approx(1.30));
  o.quantity = -2;
  auto sell = paper_fill(o, 1.20, 1.40, 10'000, 2, tr);
  REQUIRE(sell);
  CHECK(sell->price == Approx(1.20));
  tr.slippage = 0; // at the mid
  o.quantity = 2;
  CHECK(paper_fill(o, 1.20, 1.40, 10'000, 0, tr)->price == Approx(1.30));
  tr.slippage = 0.5; // a quarter of the spread above the mid
  CHECK(paper_fill(o, 1.20, 1.40, 10'000, 0, tr)->price == Approx(1.35));
}

TEST_CASE("paper fills are refused without cash, quote or holding", "[execution]") {
  config::trading_settings tr;
  order o;
  o.spec = opt("C1", option_type::call, 20, 100);
  o.quantity = 2;
  auto poor = paper_fill(o, 1.20, 1.40, 200, 0, tr); // needs 280 + 1.30
  REQUIRE_FALSE(poor);
  CHECK_THAT(poor.error_message(),
             Catch::Contains("C1: needs 281.30 but cash is 200.00"));
  auto noquote = paper_fill(o, sc::nan, 1.40, 10'000, 0, tr);
  REQUIRE_FALSE(noquote);
  CHECK_THAT(noquote.error_message(), Catch::Contains("no two-sided quote"));
  o.quantity = -3;
  auto naked = paper_fill(o, 1.20, 1.40, 10'000, 2, tr);
  REQUIRE_FALSE(naked);
  CHECK_THAT(naked.error_message(), Catch::Contains("short"));
  o.quantity = 1.5;
  CHECK_FALSE(paper_fill(o, 1.20, 1.40, 10'000, 0, tr));
}

TEST_CASE("stops and targets trigger on the mark", "[exits]") {
  config::trading_settings tr; // stop_loss 0.5, profit_target 1.0
  auto [stop, target] = exit_levels(2.0, 3, tr);
  CHECK(stop == Approx(1.0));
  CHECK(target == Approx(4.0));
  auto [sstop, starget] = exit_levels(50, -100, tr); // short: 75 and 0
  CHECK(sstop == Approx(75));
  CHECK(starget == Approx(0));

  ledger l(100'000);
  const auto c = opt("C1", option_type::call, 20, 100);
  instrument s;
  s.symbol = "SH";
  fill f;
  f.quantity = 3;
  f.price = 2;
  REQUIRE(l.apply(c, f));
  REQUIRE(l.set_exit_levels("C1", stop, target));
  f.quantity = -100;
  f.price = 50;
  f.symbol = "SH";
  REQUIRE(l.apply(s, f));
  REQUIRE(l.set_exit_levels("SH", sstop, starget));
  CHECK(check_exits(l).empty()); // never marked
  l.mark("C1", 2.5, {});
  l.mark("SH", 60, {});
  CHECK(check_exits(l).empty());
  l.mark("C1", 0.95, {});
  auto e = check_exits(l);
  REQUIRE(e.size() == 1);
  CHECK(e[0].symbol == "C1");
  CHECK(e[0].reason == exit_reason::stop_loss);
  CHECK(e[0].quantity == -3);
  l.mark("C1", 4.1, {});
  l.mark("SH", 80, {});
  e = check_exits(l);
  REQUIRE(e.size() == 2);
  CHECK(e[0].reason == exit_reason::profit_target); // C1 (map order)
  CHECK(e[1].symbol == "SH");
  CHECK(e[1].reason == exit_reason::stop_loss);
  CHECK(e[1].quantity == 100);
  // Carrying out the target exit: 3 contracts at 4.10 realize 3 * 100 * 2.10 = 630.
  auto done = l.apply(c, exit_fill(e[0], {}, 1.95));
  REQUIRE(done);
  CHECK(done->realized == Approx(630));
  CHECK(l.fills().back().reason == "profit_target");
}

TEST_CASE("expired options settle at intrinsic value", "[exits]") {
  ledger l(10'000);
  const day_number d = 20'000;
  const auto c = opt("C20", option_type::call, 20, d);
  const auto p = opt("P20", option_type::put, 20, d);
  const auto later = opt("C25", option_type::call, 25, d + 30);
  fill f;
  f.quantity = 2;
  f.price = 1.5;
  REQUIRE(l.apply(c, f));
  REQUIRE(l.apply(p, f));
  REQUIRE(l.apply(later, f));
  const std::map<std::string, double> close{{"U", 23.5}};
  CHECK(expired_options(l, d, false, close).settlements.empty()); // before the close
  auto r = expired_options(l, d, true, close);
  REQUIRE(r.settlements.size() == 2);
  // Call: max(23.5 - 20, 0) = 3.5; put: max(20 - 23.5, 0) = 0.
  CHECK(r.settlements[0].symbol == "C20");
  CHECK(r.settlements[0].price == Approx(3.5));
  CHECK(r.settlements[1].symbol == "P20");
  CHECK(r.settlements[1].price == Approx(0));
  const double cash = l.cash();
  for (const auto& s : r.settlements) {
    const auto& spec = s.symbol == "C20" ? c : p;
    REQUIRE(l.apply(spec, exit_fill(s, {})));
  }
  // +2 * 100 * 3.5 for the call, nothing for the put.
  CHECK(l.cash() == Approx(cash + 700));
  CHECK(l.find("C20") == nullptr);
  CHECK(l.find("P20") == nullptr);
  CHECK(l.find("C25") != nullptr);
  // Realized: call (3.5 - 1.5) * 200 = 400; put -1.5 * 200 = -300.
  CHECK(l.realized() == Approx(100));
  // A day later without a price for the underlying: reported, left open.
  auto missing = expired_options(l, d + 31, false, {});
  CHECK(missing.settlements.empty());
  REQUIRE(missing.errors.size() == 1);
  CHECK_THAT(missing.errors[0], Catch::Contains("C25"));
}
