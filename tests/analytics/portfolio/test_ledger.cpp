// Ledger accounting: a hand-worked journal, flips, marks and the P&L identity.
#include "analytics/portfolio/ledger.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace sc;
using namespace sc::portfolio;

namespace {

instrument stock(std::string sym, std::string sector = "Energy") {
  instrument i;
  i.symbol = std::move(sym);
  i.sector = std::move(sector);
  return i;
}

instrument call(std::string sym, std::string und, double strike, day_number expiry) {
  instrument i;
  i.symbol = std::move(sym);
  i.underlying = std::move(und);
  i.kind = asset_kind::option;
  i.type = option_type::call;
  i.strike = strike;
  i.expiry = expiry;
  i.multiplier = 100;
  return i;
}

fill mk(double qty, double price, double fees = 0, int64_t t = 0) {
  fill f;
  f.quantity = qty;
  f.price = price;
  f.fees = fees;
  f.time = timestamp{std::chrono::duration<int64_t, std::nano>{t}};
  return f;
}

// equity - starting cash = realized + unrealized - fees, and equity = cash + marks.
void check_identity(const ledger& l) {
  double marks = 0;
  for (const auto& [s, p] : l.positions())
    marks += p.quantity * p.spec.multiplier * p.mark_or_cost();
  CHECK(l.equity() == Approx(l.cash() + marks));
  CHECK(l.equity() - l.starting_cash() ==
        Approx(l.realized() + l.unrealized() - l.fees()).margin(1e-6));
}

} // namespace

TEST_CASE("a hand-worked journal gives the written-out cash, costs and P&L", "[ledger]") {
  ledger l(10'000);
  const auto aaa = stock("AAA");
  const auto x = call("X260116C00025000", "X", 25, 20469);
  // 1. buy 100 @ 20, fee 1: cash 10000 - 2000 - 1 = 7999.
  REQUIRE(l.apply(aaa, mk(100, 20, 1)));
  CHECK(l.cash() == Approx(7999));
  // 2. buy 50 @ 23, fee 1: cash 6848; average (2000 + 1150) / 150 = 21.
  REQUIRE(l.apply(aaa, mk(50, 23, 1)));
  CHECK(l.cash() == Approx(6848));
  CHECK(l.find("AAA")->avg_cost == Approx(21));
  // 3. sell 60 @ 25, fee 1: realized 60 * (25 - 21) = 240; cash 6848 + 1500 - 1 = 8347.
  auto e3 = l.apply(aaa, mk(-60, 25, 1));
  REQUIRE(e3);
  CHECK(e3->realized == Approx(240));
  CHECK(l.cash() == Approx(8347));
  CHECK(l.find("AAA")->quantity == 90);
  CHECK(l.find("AAA")->avg_cost == Approx(21));
  // 4. buy 2 calls @ 1.50 (x100), fee 1.30: cash 8347 - 300 - 1.30 = 8045.70.
  REQUIRE(l.apply(x, mk(2, 1.5, 1.3)));
  CHECK(l.cash() == Approx(8045.7));
  // Never marked: valued at cost, no unrealized P&L.
  CHECK(l.unrealized() == Approx(0));
  // Marks: AAA mid (24 + 24.2) / 2 = 24.1; the call mid (1.2 + 1.4) / 2 = 1.3.
  quote q;
  q.symbol = "AAA";
  q.bid = 24;
  q.ask = 24.2;
  q.last = 30;
  CHECK(l.mark(std::vector<quote>{q}) == 1);
  option_quote oq;
  oq.contract = "X260116C00025000";
  oq.bid = 1.2;
  oq.ask = 1.4;
  CHECK(l.mark(std::vector<option_quote>{oq}) == 1);
  // market 90 * 24.1 + 200 * 1.3 = 2169 + 260 = 2429; equity 10474.70.
  CHECK(l.market_value() == Approx(2429));
  CHECK(l.equity() == Approx(10474.7));
  // unrealized 90 * 3.1 - 200 * 0.2 = 239; fees 4.30; 240 + 239 - 4.30 = 474.70.
  CHECK(l.unrealized() == Approx(239));
  CHECK(l.fees() == Approx(4.3));
  check_identity(l);
  // 5. sell the remaining 90 @ 19, fee 1: realized 90 * (19 - 21) = -180; the round
  //    trip closes with realized 60 and the four AAA fees of 1 (net 56).
  auto e5 = l.apply(aaa, mk(-90, 19, 1));
  REQUIRE(e5);
  REQUIRE(e5->closed);
  CHECK(e5->closed->realized == Approx(60));
  CHECK(e5->closed->fees == Approx(4));
  CHECK(e5->closed->net() == Approx(56));
  CHECK(l.find("AAA") == nullptr);
  CHECK(l.cash() == Approx(9754.7));
  CHECK(l.fills().size() == 5);
  CHECK(l.fills().back().id == 5);
  check_identity(l);
}

TEST_CASE("a sell through zero closes the long and opens a short at the fill price",
          "[ledger]") {
  ledger l(1'000);
  const auto b = stock("B");
  REQUIRE(l.apply(b, mk(10, 5)));
  auto e = l.apply(b, mk(-15, 6)); // realized 10 * (6 - 5) = 10
  REQUIRE(e);
  CHECK(e->realized == Approx(10));
  REQUIRE(e->closed);
  CHECK(e->opened);
  CHECK(l.find("B")->quantity == -5);
  CHECK(l.find("B")->avg_cost == Approx(6));
  // Cover at 4: the short gains 5 * (6 - 4) = 10.
  auto c = l.apply(b, mk(5, 4));
  CHECK(c->realized == Approx(10));
  CHECK(l.realized() == Approx(20));
  CHECK(l.cash() == Approx(1'000 + 20));
  CHECK(l.trades().size() == 2);
}

TEST_CASE("bad fills are refused with the symbol named and change nothing", "[ledger]") {
  ledger l(100);
  auto r = l.apply(stock("C"), mk(0, 5));
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error_message(), Catch::Contains("C"));
  CHECK_FALSE(l.apply(stock("C"), mk(1, -5)));
  CHECK_FALSE(l.apply(stock("C"), mk(1, sc::nan)));
  CHECK_FALSE(l.apply(stock("C"), mk(1, 5, -1)));
  REQUIRE(l.apply(stock("C"), mk(1, 5)));
  CHECK_FALSE(l.apply(call("C", "C", 5, 1), mk(1, 5))); // kind differs from the position
  CHECK(l.fills().size() == 1);
  CHECK(l.cash() == Approx(95));
}

TEST_CASE("a checkpoint rolls a fill back exactly", "[ledger]") {
  ledger l(1'000);
  REQUIRE(l.apply(stock("D"), mk(10, 5, 1)));
  const auto before_cash = l.cash();
  const auto cp = l.capture("D");
  REQUIRE(l.apply(stock("D"), mk(-10, 7, 1)));
  CHECK(l.find("D") == nullptr);
  l.rollback(cp);
  CHECK(l.cash() == before_cash);
  CHECK(l.find("D")->quantity == 10);
  CHECK(l.fills().size() == 1);
  CHECK(l.trades().empty());
}

TEST_CASE("the P&L identity holds over random journals", "[ledger]") {
  std::mt19937 rng(2024);
  std::uniform_int_distribution<int> sym(0, 3), qty(-20, 20);
  std::uniform_real_distribution<double> px(1, 50), fee(0, 2);
  ledger l(50'000);
  const instrument specs[] = {stock("S0"), stock("S1"), call("O2", "S2", 10, 30000),
                              call("O3", "S3", 20, 30000)};
  for (int i = 0; i < 500; ++i) {
    const int q = qty(rng);
    if (q == 0) continue;
    const auto& s = specs[sym(rng)];
    REQUIRE(l.apply(s, mk(q, px(rng), fee(rng))));
    if (i % 7 == 0)
      for (const auto& sp : specs)
        l.mark(sp.symbol, px(rng), timestamp{});
    check_identity(l);
  }
  // Replaying the journal reproduces the state.
  std::map<std::string, instrument> m;
  for (const auto& s : specs)
    m[s.symbol] = s;
  auto r = replay(50'000, l.fills(), m);
  REQUIRE(r);
  CHECK(r->cash() == Approx(l.cash()));
  CHECK(r->realized() == Approx(l.realized()));
  CHECK(r->positions().size() == l.positions().size());
}

TEST_CASE("mark price uses the mid and falls back to the last", "[ledger]") {
  CHECK(mark_price(1, 2, 9) == Approx(1.5));
  CHECK(mark_price(sc::nan, 2, 9) == Approx(9));
  CHECK(mark_price(0, 2, 9) == Approx(9));
  CHECK(mark_price(3, 2, 9) == Approx(9)); // crossed quote: not trusted
  CHECK(std::isnan(mark_price(sc::nan, sc::nan, sc::nan)));
}

TEST_CASE("the risk view carries quantity, multiplier and BSM Greeks", "[ledger]") {
  ledger l(10'000);
  REQUIRE(l.apply(call("O", "U", 50, 1000 + 73), mk(-2, 3)));
  auto r = to_risk(*l.find("O"), 52, 0.4, 1000, 0.03);
  CHECK(r.quantity == -2);
  CHECK(r.multiplier == 100);
  CHECK(r.years == Approx(73.0 / 365));
  CHECK(r.delta > 0.5);
  CHECK(r.delta < 1);
  CHECK(r.price > 2); // never marked: the model price
  CHECK(r.price != Approx(3.1));
  l.mark("O", 3.1, timestamp{});
  CHECK(to_risk(*l.find("O"), 52, 0.4, 1000, 0.03).price == Approx(3.1)); // mark wins
}
