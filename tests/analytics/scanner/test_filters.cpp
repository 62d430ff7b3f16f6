#include "analytics/scanner/filters.hpp"
#include "tests/analytics/scanner/synthetic.hpp"

#include <catch2/catch.hpp>

using namespace sc;
using scan::reject_reason;

namespace {

/// Inputs that pass the default filters (trading band 300M-2B).
struct fixture {
  fundamentals fund = test::good_fundamentals("GOOD");
  scan::filter_inputs in;
  config::filter_settings f;
  config::trading_settings t;
  fixture() {
    in.price = 20;
    in.market_cap = 5e8;
    in.avg_volume = 500'000;
    in.avg_dollar_volume = 1e7;
    in.bars = 504;
    in.fund = &fund;
  }
  scan::filter_outcome run(bool stop = false) const {
    return scan::apply_filters(in, f, t, stop);
  }
  reject_reason first() const {
    auto o = run();
    REQUIRE_FALSE(o.passed());
    return o.failed.front();
  }
};

} // namespace

TEST_CASE("the fixture passes every default filter") {
  fixture x;
  auto o = x.run();
  CHECK(o.passed());
  CHECK(o.detail.empty());
}

TEST_CASE("each market filter rejects with its own reason") {
  {
    fixture x;
    x.in.price = sc::nan;
    CHECK(x.first() == reject_reason::missing_price);
  }
  {
    fixture x;
    x.in.market_cap = sc::nan;
    CHECK(x.first() == reject_reason::missing_market_cap);
  }
  {
    fixture x;
    x.in.market_cap = 2.99e8;
    CHECK(x.first() == reject_reason::market_cap_below_min);
    CHECK(x.run().detail.find("market cap") != std::string::npos);
  }
  {
    fixture x;
    x.in.market_cap = 2.01e9;
    CHECK(x.first() == reject_reason::market_cap_above_max);
  }
  {
    fixture x;
    x.in.price = 1.99;
    x.in.avg_dollar_volume = 1e7;
    CHECK(x.first() == reject_reason::price_below_min);
  }
  {
    fixture x;
    x.in.price = 200.5;
    CHECK(x.first() == reject_reason::price_above_max);
  }
  {
    fixture x;
    x.in.bars = 60;
    CHECK(x.first() == reject_reason::insufficient_history);
  }
  {
    fixture x;
    x.in.avg_volume = 199'999;
    CHECK(x.first() == reject_reason::avg_volume_below_min);
  }
  {
    fixture x;
    x.in.avg_volume = sc::nan; // no usable volume is not enough volume
    CHECK(x.first() == reject_reason::avg_volume_below_min);
  }
  {
    fixture x;
    x.in.avg_dollar_volume = 999'999;
    CHECK(x.first() == reject_reason::dollar_volume_below_min);
  }
  // Bounds are inclusive.
  {
    fixture x;
    x.in.market_cap = x.t.market_cap_min;
    x.in.price = x.f.price_min;
    x.in.avg_volume = x.f.avg_volume_min;
    x.in.avg_dollar_volume = x.f.dollar_volume_min;
    x.in.bars = x.f.min_history_bars;
    CHECK(x.run().passed());
  }
}

TEST_CASE("each fundamental filter rejects with its own reason") {
  {
    fixture x;
    x.f.revenue_growth_min = 0.25;
    CHECK(x.first() == reject_reason::revenue_growth_below_min);
  }
  {
    fixture x;
    x.f.eps_growth_min = 0.15;
    CHECK(x.first() == reject_reason::eps_growth_below_min);
  }
  {
    fixture x;
    x.f.pe_min = 25;
    CHECK(x.first() == reject_reason::pe_below_min);
  }
  {
    fixture x;
    x.fund.pe_ratio = 81;
    CHECK(x.first() == reject_reason::pe_above_max);
  }
  {
    fixture x;
    x.fund.insider_ownership = 0.6;
    x.f.insider_ownership_max = 0.5;
    CHECK(x.first() == reject_reason::insider_ownership_out_of_range);
  }
  {
    fixture x;
    x.f.institutional_ownership_min = 0.6;
    CHECK(x.first() == reject_reason::institutional_ownership_out_of_range);
  }
  {
    fixture x;
    x.fund.short_interest = 11e6; // 11M / 20M = 0.55 > 0.5
    CHECK(x.first() == reject_reason::short_float_above_max);
  }
}

TEST_CASE("P/E is derived from price and EPS when the source gives none") {
  fixture x;
  x.fund.pe_ratio = sc::nan;
  x.fund.eps = 0.2; // 20 / 0.2 = 100 > 80
  CHECK(x.first() == reject_reason::pe_above_max);
  x.fund.eps = 0.5; // 40
  CHECK(x.run().passed());
}

TEST_CASE("negative earnings follow the configured rule") {
  fixture x;
  x.fund.eps = -0.4;
  x.fund.pe_ratio = sc::nan;
  x.fund.revenue_growth = 0.20;
  SECTION("reject") {
    x.f.negative_earnings = "reject";
    CHECK(x.first() == reject_reason::negative_earnings);
  }
  SECTION("allow skips the P/E test") {
    x.f.negative_earnings = "allow";
    x.fund.revenue_growth = -0.05;
    CHECK(x.run().passed());
  }
  SECTION("growth allows only enough revenue growth") {
    x.f.negative_earnings = "growth";
    x.f.negative_earnings_min_growth = 0.15;
    CHECK(x.run().passed()); // 0.20 >= 0.15
    x.fund.revenue_growth = 0.15;
    CHECK(x.run().passed()); // inclusive
    x.fund.revenue_growth = 0.10;
    CHECK(x.first() == reject_reason::negative_earnings_low_growth);
  }
  SECTION("a negative P/E without EPS counts as negative earnings") {
    x.fund.eps = sc::nan;
    x.fund.pe_ratio = -12;
    x.f.negative_earnings = "reject";
    CHECK(x.first() == reject_reason::negative_earnings);
  }
  SECTION("zero EPS counts as negative earnings") {
    x.fund.eps = 0;
    x.f.negative_earnings = "reject";
    CHECK(x.first() == reject_reason::negative_earnings);
  }
}

TEST_CASE("missing fundamentals fail as missing_<field>, or are skipped when lenient") {
  fixture x;
  x.fund.revenue_growth = sc::nan;
  x.fund.insider_ownership = sc::nan;
  x.fund.float_shares = sc::nan;
  auto o = x.run();
  REQUIRE(o.failed.size() == 3);
  CHECK(o.failed[0] == reject_reason::missing_revenue_growth);
  CHECK(o.failed[1] == reject_reason::missing_insider_ownership);
  CHECK(o.failed[2] == reject_reason::missing_short_float);
  CHECK(o.detail == "revenue growth unknown");
  // Only the first when asked.
  CHECK(x.run(true).failed.size() == 1);
  // Lenient: the filters with unknown inputs are skipped.
  x.f.reject_missing_fundamentals = false;
  CHECK(x.run().passed());
  // No record at all.
  x.in.fund = nullptr;
  CHECK(x.run().passed());
  x.f.reject_missing_fundamentals = true;
  CHECK(x.first() == reject_reason::missing_fundamentals);
}

TEST_CASE("all failing filters are listed in filter order") {
  fixture x;
  x.in.price = 1.5;
  x.in.avg_volume = 1000;
  x.fund.pe_ratio = 500;
  auto o = x.run();
  REQUIRE(o.failed.size() == 3);
  CHECK(o.failed[0] == reject_reason::price_below_min);
  CHECK(o.failed[1] == reject_reason::avg_volume_below_min);
  CHECK(o.failed[2] == reject_reason::pe_above_max);
  CHECK(std::string{scan::to_string(o.failed[2])} == "pe_above_max");
}

TEST_CASE("20-day liquidity is the mean over the last 20 bars") {
  auto b = test::make_bars("X", 100, 10, 0.001, 0.02, 300'000, 7);
  double v = 0, dv = 0;
  for (size_t i = 80; i < 100; ++i) {
    v += b.volume[i];
    dv += b.volume[i] * b.close[i];
  }
  auto l = scan::average_liquidity(b, 20);
  CHECK(l.avg_volume == Approx(v / 20).epsilon(1e-12));
  CHECK(l.avg_dollar_volume == Approx(dv / 20).epsilon(1e-12));
  bar_series empty;
  CHECK(std::isnan(scan::average_liquidity(empty).avg_volume));
}

TEST_CASE("market cap falls back to shares outstanding times price") {
  security s;
  auto f = test::good_fundamentals("X");
  CHECK(scan::resolve_market_cap(s, &f, 20) == Approx(25e6 * 20));
  s.market_cap = 7e8;
  CHECK(scan::resolve_market_cap(s, &f, 20) == 7e8);
  s.market_cap = 0;
  CHECK(std::isnan(scan::resolve_market_cap(s, nullptr, 20)));
}
