// Every message type survives a binary serialization round trip, field by field.
#include "messages/caf_errors.hpp"
#include "messages/inspect.hpp"
#include "messages/register.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>
#include <caf/deep_to_string.hpp>

#include <catch2/catch.hpp>

using namespace sc;

namespace {

struct fixture {
  static caf::actor_system_config& init(caf::actor_system_config& cfg) {
    register_types(cfg);
    return cfg;
  }
  caf::actor_system_config cfg;
  caf::actor_system sys{init(cfg)};

  template <class T> T roundtrip(T x) {
    std::vector<char> buf;
    caf::binary_serializer sink{sys, buf};
    REQUIRE(!sink(x));
    T y;
    caf::binary_deserializer source{sys, buf};
    REQUIRE(!source(y));
    // Serialising the copy again gives the same bytes, and both print the same.
    std::vector<char> buf2;
    caf::binary_serializer sink2{sys, buf2};
    REQUIRE(!sink2(y));
    CHECK(buf == buf2);
    CHECK(caf::deep_to_string(x) == caf::deep_to_string(y));
    return y;
  }
};

timestamp at(int64_t ns) {
  return timestamp{std::chrono::duration<int64_t, std::nano>{ns}};
}

provenance prov() {
  return {"sim", at(1'700'000'000'123'456'789), true};
}

option_idea idea() {
  option_idea x;
  x.contract = "ABCD260116C00012500";
  x.underlying = "ABCD";
  x.type = option_type::put;
  x.style = exercise_style::european;
  x.strike = 12.5;
  x.expiry = 20'469;
  x.days = 30;
  x.spot = 12.1;
  x.bid = 0.8;
  x.ask = 0.9;
  x.mid = 0.85;
  x.iv = 0.61;
  x.delta = -0.48;
  x.gamma = 0.2;
  x.vega = 1.4;
  x.theta = -3.1;
  x.rho = -0.5;
  x.iv_percentile = 0.3;
  x.iv_rank = 0.25;
  x.pop = 0.41;
  x.pop_risk_neutral = 0.39;
  x.expected_return = 0.07;
  x.breakeven = 11.6;
  x.liquidity = 0.77;
  x.score = 0.66;
  x.factors = {{"liquidity", 0.77, 0.77, 0.2}, {"iv", 0.3, 0.7, 0.15}};
  return x;
}

} // namespace

TEST_CASE_METHOD(fixture, "market data values survive a round trip") {
  security s{"ABCD", "Abcd Corp", "Energy", "NASDAQ", 7.5e8, {"sim", "watchlist"}};
  auto s2 = roundtrip(s);
  CHECK(s2.symbol == "ABCD");
  CHECK(s2.market_cap == 7.5e8);
  CHECK(s2.origin == std::vector<std::string>{"sim", "watchlist"});

  fundamentals f;
  f.symbol = "ABCD";
  f.revenue_growth = 0.2;
  f.eps_growth = -0.1;
  f.eps = -0.3;
  f.insider_ownership = 0.1;
  f.institutional_ownership = 0.5;
  f.short_interest = 1e6;
  f.float_shares = 2e7;
  f.shares_outstanding = 3e7;
  f.meta = prov();
  auto f2 = roundtrip(f);
  CHECK(f2.eps == -0.3);
  CHECK(std::isnan(f2.pe_ratio));
  CHECK(f2.meta.source == "sim");
  CHECK(f2.meta.stale);
  CHECK(f2.meta.fetched == prov().fetched);

  bar_series b;
  b.symbol = "ABCD";
  b.date = {20'000, 20'001};
  b.open = {1, 2};
  b.high = {1.5, 2.5};
  b.low = {0.5, 1.5};
  b.close = {1.2, 2.2};
  b.volume = {1e5, 2e5};
  auto b2 = roundtrip(b);
  CHECK(b2.date == b.date);
  CHECK(b2.close == b.close);
  CHECK(b2.volume == b.volume);

  quote q;
  q.symbol = "ABCD";
  q.bid = 1;
  q.ask = 1.1;
  q.last = 1.05;
  q.prev_close = 1.0;
  q.volume = 12345;
  q.bid_size = 3;
  q.ask_size = 4;
  q.time = at(42);
  auto q2 = roundtrip(q);
  CHECK(q2.ask == 1.1);
  CHECK(q2.time == at(42));
  CHECK(q2.ask_size == 4);

  option_chain c;
  c.underlying = "ABCD";
  c.spot = 12.1;
  c.rate = 0.04;
  c.dividend_yield = 0.01;
  c.as_of = at(7);
  option_quote oq;
  oq.contract = "ABCD260116P00012500";
  oq.type = option_type::put;
  oq.style = exercise_style::european;
  oq.strike = 12.5;
  oq.expiry = 20'469;
  oq.open_interest = 900;
  oq.provider_iv = 0.5;
  c.contracts = {oq, oq};
  auto c2 = roundtrip(c);
  REQUIRE(c2.contracts.size() == 2);
  CHECK(c2.contracts[1].type == option_type::put);
  CHECK(c2.contracts[1].style == exercise_style::european);
  CHECK(c2.contracts[1].open_interest == 900);
  CHECK(c2.dividend_yield == 0.01);

  // NaN ("unknown") and infinities travel unchanged.
  quote odd;
  odd.bid = std::numeric_limits<double>::infinity();
  odd.ask = -std::numeric_limits<double>::infinity();
  odd.last = 5e-324;
  auto odd2 = roundtrip(odd);
  CHECK(std::isinf(odd2.bid));
  CHECK(odd2.ask < 0);
  CHECK(std::isnan(odd2.prev_close));
  CHECK(odd2.last == 5e-324);

  auto iv = roundtrip(std::vector<iv_point>{{1, 0.5}, {2, 0.6}});
  REQUIRE(iv.size() == 2);
  CHECK(iv[1].iv == 0.6);
}

TEST_CASE_METHOD(fixture, "pipeline reports survive a round trip") {
  candidate cand{"ABCD",
                 "Abcd",
                 "Energy",
                 12.1,
                 7e8,
                 0.8,
                 {{"momentum", 0.1, 0.9, 0.25}},
                 {"bull_flag(0.70)"}};
  scan_report sr;
  sr.cycle = 3;
  sr.time = at(99);
  sr.universe_size = 500;
  sr.passed = 40;
  sr.rejections = {{"market_cap", 100}};
  sr.candidates = {cand};
  sr.errors = {"XYZ: not_found"};
  sr.duration_ms = 12.5;
  auto sr2 = roundtrip(sr);
  CHECK(sr2.candidates.at(0).factors.at(0).weight == 0.25);
  CHECK(sr2.rejections.at(0).count == 100);
  CHECK(sr2.errors.at(0) == "XYZ: not_found");

  option_report orp;
  orp.underlying = "ABCD";
  orp.spot = 12.1;
  orp.iv30 = 0.5;
  orp.analysed = 100;
  orp.excluded = 60;
  orp.exclusions = {{"spread", 60}};
  orp.ideas = {idea()};
  auto orp2 = roundtrip(orp);
  CHECK(orp2.ideas.at(0).breakeven == 11.6);
  CHECK(orp2.ideas.at(0).type == option_type::put);

  trade_proposal tp{idea(), "Energy", 3, 0.9, {0.01, -0.02}};
  risk_decision rd{tp, verdict::resize, 2, "max_position"};
  auto rd2 = roundtrip(rd);
  CHECK(rd2.decision == verdict::resize);
  CHECK(rd2.proposal.underlying_returns == std::vector<double>{0.01, -0.02});

  position_view pv;
  pv.symbol = "ABCD260116C00012500";
  pv.quantity = -2;
  pv.avg_cost = 0.9;
  pv.stop = 0.45;
  portfolio_snapshot ps;
  ps.time = at(5);
  ps.cash = 99'000;
  ps.equity = 100'100;
  ps.positions = {pv};
  ps.fills = 7;
  auto ps2 = roundtrip(ps);
  CHECK(ps2.positions.at(0).quantity == -2);
  CHECK(ps2.fills == 7);

  risk_report rr;
  rr.var = 1200;
  rr.cvar = 1500;
  rr.regime = "high";
  rr.sectors = {{"Energy", 0.2}};
  auto rr2 = roundtrip(rr);
  CHECK(rr2.sectors.at(0).fraction == 0.2);
  CHECK(rr2.regime == "high");

  cycle_report cr;
  cr.cycle = 9;
  cr.scan = sr;
  cr.options = {orp};
  cr.decisions = {rd};
  cr.opened = {"ABCD260116C00012500"};
  cr.portfolio = ps;
  cr.risk = rr;
  auto cr2 = roundtrip(cr);
  CHECK(cr2.options.at(0).ideas.size() == 1);
  CHECK(cr2.opened.at(0) == "ABCD260116C00012500");

  health_report hr{"node1", false, {{"scanner", lifecycle::degraded, 2, "crash"}}};
  auto hr2 = roundtrip(hr);
  CHECK(hr2.actors.at(0).state == lifecycle::degraded);
  CHECK(!hr2.healthy);

  source_status ss{"sim", "closed", 10, 1, 5, "timeout"};
  CHECK(roundtrip(ss).cache_hits == 5);
}

TEST_CASE_METHOD(fixture, "errors of our category render with their context") {
  caf::error e = make_error(ec::not_found, "sim", "ZZZZ");
  CHECK(code_of(e) == ec::not_found);
  CHECK(describe(e).find("not_found") == 0);
  CHECK(describe(e).find("ZZZZ") != std::string::npos);
  CHECK(sys.render(e).find("not_found") != std::string::npos);
  CHECK(code_of(caf::error{}) == ec::none);
  CHECK(code_of(caf::make_error(caf::sec::request_timeout)) == ec::timeout);
  CHECK(is_retryable(ec::throttled));
  CHECK_FALSE(is_retryable(ec::unauthorized));
}
