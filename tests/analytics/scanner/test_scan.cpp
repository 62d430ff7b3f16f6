#include "analytics/scanner/scan.hpp"
#include "analytics/scanner/universe.hpp"
#include "tests/analytics/scanner/synthetic.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <set>
#include <unordered_map>

using namespace sc;

namespace {

/// A small synthetic universe with known passes and known failures.
struct world {
  std::vector<security> universe;
  std::unordered_map<std::string, fundamentals> funds;
  std::unordered_map<std::string, bar_series> bars;
  std::map<std::string, std::string> expected_reason; ///< symbol -> first reason
  bar_series index = test::make_bars("IDX", 504, 100, 0.0003, 0.01, 1e8, 999);
  config::scanner_settings scanner;
  config::trading_settings trading;

  void add(const std::string& sym, double cap, bar_series b,
           std::optional<fundamentals> f, const std::string& sector = "Technology") {
    security s;
    s.symbol = sym;
    s.name = sym + " Inc";
    s.sector = sector;
    s.market_cap = cap;
    s.origin = {"test"};
    universe.push_back(s);
    if (b.size() > 0) bars[sym] = std::move(b);
    if (f) funds[sym] = *f;
  }

  world() {
    scanner.top_n = 100;
    // Twelve names that pass, with different trends and noise.
    for (int k = 0; k < 12; ++k) {
      const std::string sym = std::string{"GD"} + static_cast<char>('A' + k);
      auto f = test::good_fundamentals(sym);
      f.revenue_growth = 0.02 * k;
      add(sym, 4e8 + 1e8 * k,
          test::make_bars(sym, 504, 15 + k, 0.0004 * (k - 5), 0.015, 400'000 + 20'000 * k,
                          100 + k),
          f, k % 2 ? "Technology" : "Health Care");
    }
    // Two names with identical data: equal scores, ranked by symbol.
    for (const char* sym : {"TIEB", "TIEA"})
      add(sym, 6e8, test::make_bars("T", 504, 30, 0.001, 0.01, 500'000, 77),
          test::good_fundamentals(sym));
    auto bars_ok = [](const char* s, double start = 20, double vol = 400'000) {
      return test::make_bars(s, 504, start, 0.0005, 0.015, vol, 5);
    };
    add("BIGC", 5e9, bars_ok("BIGC"), test::good_fundamentals("BIGC"));
    expected_reason["BIGC"] = "market_cap_above_max";
    add("PENY", 5e8, bars_ok("PENY", 1.0, 5e6), test::good_fundamentals("PENY"));
    expected_reason["PENY"] = "price_below_min";
    add("THIN", 5e8, bars_ok("THIN", 20, 20'000), test::good_fundamentals("THIN"));
    expected_reason["THIN"] = "avg_volume_below_min";
    add("NOFD", 5e8, bars_ok("NOFD"), std::nullopt);
    expected_reason["NOFD"] = "missing_fundamentals";
    {
      auto f = test::good_fundamentals("LOSS");
      f.eps = -0.5;
      f.pe_ratio = sc::nan;
      f.revenue_growth = 0.05;
      add("LOSS", 5e8, bars_ok("LOSS"), f);
      expected_reason["LOSS"] = "negative_earnings_low_growth";
    }
    {
      auto f = test::good_fundamentals("SHRT");
      f.short_interest = 16e6; // 0.8 of float
      add("SHRT", 5e8, bars_ok("SHRT"), f);
      expected_reason["SHRT"] = "short_float_above_max";
    }
    add("NOBR", 5e8, bar_series{}, test::good_fundamentals("NOBR"));
    expected_reason["NOBR"] = "missing_price";
    add("YUNG", 5e8, test::make_bars("YUNG", 30, 20, 0.001, 0.01, 500'000, 8),
        test::good_fundamentals("YUNG"));
    expected_reason["YUNG"] = "insufficient_history";
    {
      auto f = test::good_fundamentals("EXPV");
      f.pe_ratio = 150;
      add("EXPV", 5e8, bars_ok("EXPV"), f);
      expected_reason["EXPV"] = "pe_above_max";
    }
    universe = scan::merge_universe({universe}, {});
  }

  scan::scan_data data() const {
    auto d = scan::make_scan_data(funds, bars);
    d.index_bars = &index;
    return d;
  }
};

/// Independent check of the default filters, written from the settings' documentation.
bool passes_independently(const world& w, const std::string& sym) {
  auto b = w.bars.find(sym);
  auto f = w.funds.find(sym);
  if (b == w.bars.end() || f == w.funds.end()) return false;
  const auto& bs = b->second;
  const auto& fd = f->second;
  const auto& fs = w.scanner.filters;
  const size_t n = bs.size();
  if (n < static_cast<size_t>(fs.min_history_bars)) return false;
  const double price = bs.close.back();
  double v = 0, dv = 0;
  for (size_t i = n - 20; i < n; ++i) {
    v += bs.volume[i] / 20;
    dv += bs.volume[i] * bs.close[i] / 20;
  }
  double cap = 0;
  for (const auto& s : w.universe)
    if (s.symbol == sym) cap = s.market_cap;
  return cap >= w.trading.market_cap_min && cap <= w.trading.market_cap_max &&
         price >= fs.price_min && price <= fs.price_max && v >= fs.avg_volume_min &&
         dv >= fs.dollar_volume_min && fd.revenue_growth >= fs.revenue_growth_min &&
         fd.eps_growth >= fs.eps_growth_min && fd.eps > 0 && fd.pe_ratio >= fs.pe_min &&
         fd.pe_ratio <= fs.pe_max && fd.insider_ownership >= fs.insider_ownership_min &&
         fd.insider_ownership <= fs.insider_ownership_max &&
         fd.institutional_ownership >= fs.institutional_ownership_min &&
         fd.institutional_ownership <= fs.institutional_ownership_max &&
         fd.short_interest / fd.float_shares <= fs.short_float_max;
}

} // namespace

TEST_CASE("an end-to-end scan keeps exactly the names that pass every filter") {
  world w;
  auto r = scan::run_scan(w.universe, w.data(), w.scanner, w.trading);
  REQUIRE(r.error.empty());
  CHECK(r.universe_size == 23);
  CHECK(r.passed == 14);
  REQUIRE(r.candidates.size() == 14);
  // Every candidate passes the filters, checked independently; every rejection fails.
  for (const auto& c : r.candidates) {
    INFO(c.symbol);
    CHECK(passes_independently(w, c.symbol));
  }
  for (const auto& j : r.rejections) {
    INFO(j.symbol);
    CHECK_FALSE(passes_independently(w, j.symbol));
  }
  // Each rejection has the expected first reason; counts per reason add up.
  REQUIRE(r.rejections.size() == w.expected_reason.size());
  std::map<std::string, int> counted;
  for (const auto& j : r.rejections) {
    INFO(j.symbol);
    CHECK(scan::to_string(j.reason) == w.expected_reason.at(j.symbol));
    CHECK(j.all.front() == j.reason);
    CHECK_FALSE(j.detail.empty());
    ++counted[scan::to_string(j.reason)];
  }
  CHECK(r.rejected_by == counted);
  CHECK(r.rejected_by.size() == 9);
  for (const auto& [reason, n] : r.failed_by)
    CHECK(n >= (r.rejected_by.count(reason) ? r.rejected_by.at(reason) : 0));
  // Rejections are sorted by symbol.
  for (size_t i = 1; i < r.rejections.size(); ++i)
    CHECK(r.rejections[i - 1].symbol < r.rejections[i].symbol);
}

TEST_CASE("the ranking is by score, ties by symbol, and explains every score") {
  world w;
  auto r = scan::run_scan(w.universe, w.data(), w.scanner, w.trading);
  REQUIRE(r.candidates.size() == 14);
  for (size_t i = 0; i < r.candidates.size(); ++i) {
    const auto& c = r.candidates[i];
    CHECK(c.rank == static_cast<int>(i + 1));
    double sum = 0;
    for (double x : c.factors.contribution)
      sum += x;
    CHECK(c.score == Approx(sum).epsilon(1e-12));
    CHECK(c.score == c.factors.composite);
    CHECK(!std::isnan(c.inputs.beta60)); // index bars were given
    CHECK(c.origin == std::vector<std::string>{"test"});
    if (i > 0) {
      const auto& p = r.candidates[i - 1];
      CHECK((p.score > c.score || (p.score == c.score && p.symbol < c.symbol)));
    }
  }
  // The two identical names tie and are ordered by symbol, adjacent.
  size_t a = 99, b = 99;
  for (size_t i = 0; i < r.candidates.size(); ++i) {
    if (r.candidates[i].symbol == "TIEA") a = i;
    if (r.candidates[i].symbol == "TIEB") b = i;
  }
  REQUIRE(a < r.candidates.size());
  CHECK(b == a + 1);
  CHECK(r.candidates[a].score == r.candidates[b].score);
}

TEST_CASE("the result does not depend on the number of threads, and top_n truncates") {
  world w;
  w.scanner.threads = 1;
  auto one = scan::run_scan(w.universe, w.data(), w.scanner, w.trading);
  w.scanner.threads = 2;
  auto two = scan::run_scan(w.universe, w.data(), w.scanner, w.trading);
  CHECK(two.timing.threads == 1); // tiny universe: not worth a thread
  REQUIRE(one.candidates.size() == two.candidates.size());
  for (size_t i = 0; i < one.candidates.size(); ++i) {
    CHECK(one.candidates[i].symbol == two.candidates[i].symbol);
    CHECK(one.candidates[i].score == two.candidates[i].score);
  }
  // A universe big enough to use two threads: the same ranking as one thread.
  world big;
  std::vector<security> many;
  for (int k = 0; k < 200; ++k) {
    security s;
    s.symbol = "M" + std::to_string(1000 + k);
    s.market_cap = 5e8;
    s.sector = k % 3 ? "Energy" : "Financials";
    many.push_back(s);
    big.bars[s.symbol] =
        test::make_bars(s.symbol, 300, 10 + k % 40, 0.00002 * (k % 50 - 25), 0.02,
                        300'000 + 1000 * k, 500 + k);
    big.funds[s.symbol] = test::good_fundamentals(s.symbol);
  }
  big.scanner.threads = 1;
  auto m1 = scan::run_scan(many, big.data(), big.scanner, big.trading);
  big.scanner.threads = 2;
  auto m2 = scan::run_scan(many, big.data(), big.scanner, big.trading);
  CHECK(m2.timing.threads == 2);
  REQUIRE(m1.candidates.size() == m2.candidates.size());
  REQUIRE(m1.candidates.size() == 100);
  for (size_t i = 0; i < m1.candidates.size(); ++i) {
    CHECK(m1.candidates[i].symbol == m2.candidates[i].symbol);
    CHECK(m1.candidates[i].score == m2.candidates[i].score);
  }
  CHECK(m1.passed == m2.passed);
  big.scanner.top_n = 5;
  auto m3 = scan::run_scan(many, big.data(), big.scanner, big.trading);
  REQUIRE(m3.candidates.size() == 5);
  for (size_t i = 0; i < 5; ++i)
    CHECK(m3.candidates[i].symbol == m1.candidates[i].symbol);
}

TEST_CASE("holdings lower the fit of correlated names in crowded sectors") {
  world w;
  const auto& held_bars = w.bars.at("GDC");
  w.scanner.weights = {0, 0, 0, 0, 0, 0, 1}; // rank by fit alone
  auto d = w.data();
  d.holdings.push_back({"GDC", "Health Care", 10'000, &held_bars});
  auto r = scan::run_scan(w.universe, d, w.scanner, w.trading);
  REQUIRE(r.error.empty());
  REQUIRE_FALSE(r.candidates.empty());
  // The held name correlates perfectly with itself.
  for (const auto& c : r.candidates)
    if (c.symbol == "GDC") {
      CHECK(c.inputs.max_correlation == Approx(1.0));
      CHECK(c.inputs.max_correlation_with == "GDC");
    }
  // Every Health Care name is in a sector holding 100% of the portfolio: fit 0.
  for (const auto& c : r.candidates) {
    INFO(c.symbol);
    CHECK(c.inputs.has_holdings);
    if (c.sector == "Health Care")
      CHECK(c.score == Approx(0).margin(1e-9));
    else
      CHECK(c.score > 0);
  }
}

TEST_CASE("bad settings are refused with a message naming the key") {
  world w;
  w.scanner.weights.trend = -0.1;
  auto r = scan::run_scan(w.universe, w.data(), w.scanner, w.trading);
  CHECK(r.error.find("scanner.weights.trend") != std::string::npos);
  CHECK(r.candidates.empty());
  world w2;
  w2.scanner.filters.negative_earnings = "sometimes";
  r = scan::run_scan(w2.universe, w2.data(), w2.scanner, w2.trading);
  CHECK(r.error.find("scanner.filters.negative_earnings") != std::string::npos);
}

TEST_CASE("the negative-earnings rule changes who passes a scan") {
  world w;
  for (const char* rule : {"reject", "allow", "growth"}) {
    w.scanner.filters.negative_earnings = rule;
    auto r = scan::run_scan(w.universe, w.data(), w.scanner, w.trading);
    bool loss_passed = true;
    for (const auto& j : r.rejections)
      if (j.symbol == "LOSS") {
        loss_passed = false;
        const std::string expected = std::string{rule} == "reject"
                                         ? "negative_earnings"
                                         : "negative_earnings_low_growth";
        CHECK(scan::to_string(j.reason) == expected);
      }
    CHECK(loss_passed == (std::string{rule} == "allow"));
  }
}
