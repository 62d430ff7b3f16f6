// Pre-trade check: approve, resize and reject against each limit.
#include "analytics/options/black_scholes.hpp"
#include "analytics/risk/pre_trade.hpp"
#include "config/settings.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>

using namespace sc;
using namespace sc::risk;

namespace {

risk_position stock(std::string sym, std::string sector, double qty, double price) {
  risk_position p;
  p.symbol = std::move(sym);
  p.sector = std::move(sector);
  p.kind = asset_kind::stock;
  p.quantity = qty;
  p.spot = price;
  p.price = price;
  return p;
}

// Independent pseudo-random returns per symbol, small enough that VaR never binds
// unless a test wants it to.
std::vector<double> quiet_returns(unsigned seed, size_t n = 60) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> d(0, 0.001);
  std::vector<double> r(n);
  for (auto& x : r)
    x = d(rng);
  return r;
}

trade_proposal propose(risk_position p, unsigned seed) {
  trade_proposal t;
  t.position = std::move(p);
  t.underlying_returns = quiet_returns(seed);
  return t;
}

portfolio_state empty_book() {
  portfolio_state s;
  s.equity = 100'000;
  return s;
}

} // namespace

TEST_CASE("a small stock position within every limit is approved", "[pre_trade]") {
  config::risk_settings lim;
  auto d =
      pre_trade_check(propose(stock("AAA", "Energy", 100, 20), 1), empty_book(), lim);
  CHECK(d.decision == verdict::approve);
  CHECK(d.quantity == 100);
  CHECK(d.checks.size() == 7); // every limit reported
}

TEST_CASE("max_position resizes to the largest cost within the fraction", "[pre_trade]") {
  config::risk_settings lim; // max_position 5%: 5000 of 100k = 100 shares at 50
  auto d =
      pre_trade_check(propose(stock("AAA", "Energy", 200, 50), 1), empty_book(), lim);
  CHECK(d.decision == verdict::resize);
  CHECK(d.quantity == 100);
  CHECK_THAT(d.reason, Catch::Contains("position AAA cost 10.0% of equity would exceed "
                                       "max_position 5.0%"));
  // A single share over the limit cannot be sized down: rejected.
  auto r =
      pre_trade_check(propose(stock("BIG", "Energy", 3, 6000), 1), empty_book(), lim);
  CHECK(r.decision == verdict::reject);
  CHECK(r.quantity == 0);
  CHECK_THAT(r.reason, Catch::Contains("max_position"));
}

TEST_CASE("max_sector counts the holdings of the same sector", "[pre_trade]") {
  config::risk_settings lim; // max_sector 30%
  auto book = empty_book();
  // Technology already holds 27,000 (27%): 5,000 + 4,000 x 3 + 10,000.
  book.positions = {
      stock("T1", "Technology", 100, 50), stock("T2", "Technology", 100, 40),
      stock("T3", "Technology", 100, 40), stock("T4", "Technology", 100, 40),
      stock("T5", "Technology", 200, 50), stock("E1", "Energy", 100, 10)};
  for (size_t i = 0; i < book.positions.size(); ++i)
    book.returns[book.positions[i].symbol] = quiet_returns(10 + static_cast<unsigned>(i));
  // 400 shares at 10 = 4% (position ok) -> sector 31% > 30%: 300 shares fit exactly.
  auto d = pre_trade_check(propose(stock("T6", "Technology", 400, 10), 2), book, lim);
  CHECK(d.decision == verdict::resize);
  CHECK(d.quantity == 300);
  CHECK_THAT(d.reason, Catch::Contains("sector Technology exposure 31.0% would exceed "
                                       "max_sector 30.0%"));
  // The same trade in another sector passes.
  auto ok = pre_trade_check(propose(stock("H1", "Health", 400, 10), 2), book, lim);
  CHECK(ok.decision == verdict::approve);
}

TEST_CASE("max_positions rejects a new name but lets a holding grow", "[pre_trade]") {
  config::risk_settings lim;
  lim.max_positions = 3;
  auto book = empty_book();
  book.positions = {stock("A", "S1", 10, 10), stock("B", "S2", 10, 10),
                    stock("C", "S3", 10, 10)};
  for (auto& p : book.positions)
    book.returns[p.symbol] = quiet_returns(static_cast<unsigned>(p.symbol[0]));
  auto d = pre_trade_check(propose(stock("D", "S4", 10, 10), 2), book, lim);
  CHECK(d.decision == verdict::reject);
  CHECK_THAT(d.reason, Catch::Contains("D would make 4 positions, exceeding "
                                       "max_positions 3"));
  auto more = propose(stock("A", "S1", 10, 10), 2);
  more.underlying_returns = book.returns["A"];
  CHECK(pre_trade_check(more, book, lim).decision == verdict::approve);
}

TEST_CASE("above max_drawdown every new position is rejected, closing is allowed",
          "[pre_trade]") {
  config::risk_settings lim; // max_drawdown 20%
  auto book = empty_book();
  book.drawdown = 0.25;
  book.positions = {stock("A", "S1", 100, 10)};
  book.returns["A"] = quiet_returns(3);
  auto d = pre_trade_check(propose(stock("B", "S2", 10, 10), 2), book, lim);
  CHECK(d.decision == verdict::reject);
  CHECK_THAT(d.reason, Catch::Contains("drawdown 25.0% exceeds max_drawdown 20.0%: no "
                                       "new positions"));
  auto close = propose(stock("A", "S1", -100, 10), 3);
  auto c = pre_trade_check(close, book, lim);
  CHECK(c.decision == verdict::approve);
  CHECK(c.quantity == -100);
}

TEST_CASE("max_delta bounds the net share-equivalent delta", "[pre_trade]") {
  config::risk_settings lim; // max_delta 5000
  auto book = empty_book();
  // 49 call contracts of delta 1.0 on X: 4,900 share-equivalents, premium 1 (4,900 cost).
  risk_position calls;
  calls.symbol = "X_C";
  calls.underlying = "X";
  calls.sector = "S1";
  calls.kind = asset_kind::option;
  calls.quantity = 49;
  calls.multiplier = 100;
  calls.delta = 1.0;
  calls.spot = 10;
  calls.price = 1;
  calls.years = 0.2;
  calls.strike = 1; // deep in the money: delta 1 is consistent
  calls.iv = 0.3;
  book.positions = {calls};
  book.returns["X"] = quiet_returns(4);
  // 200 shares of Y at 10 (2%): delta 5,100 > 5,000 -> 100 shares.
  auto d = pre_trade_check(propose(stock("Y", "S2", 200, 10), 5), book, lim);
  CHECK(d.decision == verdict::resize);
  CHECK(d.quantity == 100);
  CHECK_THAT(d.reason, Catch::Contains("net delta 5100 shares would exceed max_delta "
                                       "5000"));
  // Selling short 200 Y reduces the net delta to 4,700: approved.
  auto h = pre_trade_check(propose(stock("Y", "S2", -200, 10), 5), book, lim);
  CHECK(h.decision == verdict::approve);
  CHECK(h.quantity == -200);
}

TEST_CASE("max_var resizes to the quantity whose historical VaR fits", "[pre_trade]") {
  config::risk_settings lim;
  lim.max_position = 1;
  lim.max_sector = 1;
  lim.max_delta = 1e9;
  lim.var_lookback = 20; // 20 days at 95%: k = 1, the worst day
  auto book = empty_book();
  auto t = propose(stock("V", "S1", 8000, 10), 0);
  // Worst return -8%: VaR(x) = x * 10 * 0.08 <= 5% of 100k = 5000 -> x <= 6250.
  t.underlying_returns = {0.01, -0.02, 0.03,  -0.08, 0.0,  0.01,  -0.01,
                          0.02, 0.0,   0.01,  -0.03, 0.02, -0.01, 0.0,
                          0.01, 0.02,  -0.02, 0.01,  0.0,  0.005};
  auto d = pre_trade_check(t, book, lim);
  CHECK(d.decision == verdict::resize);
  CHECK(d.quantity == 6250);
  CHECK_THAT(d.reason, Catch::Contains("portfolio VaR 95% 6.4% of equity would exceed "
                                       "max_var 5.0%"));
  // A holding that gains on the candidate's worst day offsets it (a hedge): W loses
  // when V gains and gains 6% on V's -8% day.
  auto hedged = book;
  hedged.positions = {stock("W", "S2", 5000, 10)};
  std::vector<double> w;
  for (double r : t.underlying_returns)
    w.push_back(r == -0.08 ? 0.06 : -0.25 * r);
  hedged.returns["W"] = w;
  lim.max_correlation = 1.0; // the hedge is perfectly anti-correlated: not the point here
  auto h = pre_trade_check(t, hedged, lim);
  CHECK(h.quantity > 6250);
}

TEST_CASE("max_correlation rejects a candidate that moves with a holding",
          "[pre_trade]") {
  config::risk_settings lim; // 0.85
  auto book = empty_book();
  book.positions = {stock("H", "S1", 100, 10)};
  book.returns["H"] = quiet_returns(8);
  auto twin = propose(stock("T", "S2", 10, 10), 0);
  twin.underlying_returns.clear();
  auto noise = quiet_returns(9);
  for (size_t i = 0; i < noise.size(); ++i)
    twin.underlying_returns.push_back(2 * book.returns["H"][i] + 0.1 * noise[i]);
  auto d = pre_trade_check(twin, book, lim);
  CHECK(d.decision == verdict::reject);
  CHECK_THAT(d.reason, Catch::Contains("with holding H exceeds max_correlation 0.85"));
  auto other = propose(stock("O", "S2", 10, 10), 77);
  CHECK(pre_trade_check(other, book, lim).decision == verdict::approve);
}

TEST_CASE("bad proposals are rejected with the input named", "[pre_trade]") {
  config::risk_settings lim;
  auto d = pre_trade_check(propose(stock("Z", "S", 0, 10), 1), empty_book(), lim);
  CHECK(d.decision == verdict::reject);
  CHECK_THAT(d.reason, Catch::Contains("Z"));
  auto e = pre_trade_check(propose(stock("Z", "S", 1, -1), 1), empty_book(), lim);
  CHECK(e.decision == verdict::reject);
  // A holding without history makes VaR unknowable: rejected, naming it.
  auto book = empty_book();
  book.positions = {stock("NOHIST", "S", 1, 10)};
  auto f = pre_trade_check(propose(stock("Q", "S2", 1, 10), 1), book, lim);
  CHECK(f.decision == verdict::reject);
  CHECK_THAT(f.reason, Catch::Contains("NOHIST"));
}

TEST_CASE("an option candidate is sized by its fully revalued VaR", "[pre_trade]") {
  config::risk_settings lim;
  lim.max_position = 1;
  lim.max_sector = 1;
  lim.max_delta = 1e9;
  lim.max_var = 0.01;    // 1,000 of 100k
  lim.var_lookback = 40; // 40 days at 95%: k = 2, the second-worst day
  risk_position c;
  c.symbol = "OPT";
  c.underlying = "UND";
  c.sector = "S";
  c.kind = asset_kind::option;
  c.type = option_type::call;
  c.spot = 30;
  c.strike = 31;
  c.years = 60.0 / 365;
  c.iv = 0.55;
  c.rate = 0.04;
  c.multiplier = 100;
  c.quantity = 50;
  fill_model_greeks(c);
  trade_proposal t;
  t.position = c;
  std::mt19937 rng(11);
  std::normal_distribution<double> d(0, 0.04);
  for (int i = 0; i < 40; ++i)
    t.underlying_returns.push_back(d(rng));
  // Reference: one contract's P&L per day from BSM directly, one calendar day later.
  auto price = [&](double spot, double years) {
    options::bsm_inputs in;
    in.type = option_type::call;
    in.spot = spot;
    in.strike = 31;
    in.years = years;
    in.rate = 0.04;
    in.vol = 0.55;
    return options::bsm_price(in);
  };
  std::vector<double> pnl;
  for (double r : t.underlying_returns)
    pnl.push_back(100 * (price(30 * (1 + r), 59.0 / 365) - price(30, 60.0 / 365)));
  std::sort(pnl.begin(), pnl.end());
  const double unit_var = -pnl[1];
  REQUIRE(unit_var > 0);
  // Alone in the book the P&L scales with the quantity: the largest x with
  // x * unit_var <= 1000.
  const double expected = std::floor(1000 / unit_var);
  REQUIRE(expected >= 1);
  REQUIRE(expected < 50);
  auto dec = pre_trade_check(t, empty_book(), lim);
  CHECK(dec.decision == verdict::resize);
  CHECK(dec.quantity == expected);
  CHECK_THAT(dec.reason, Catch::Contains("max_var 1.0%"));
}
