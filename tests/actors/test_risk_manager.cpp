// The RISK MANAGER actor against a mock fetcher serving hand-made bars and quotes, on
// the real scheduler: scoped_actor requests with timeouts, no sleeps. Expected numbers
// are worked out in the tests (limits by hand, VaR by direct revaluation with a textbook
// Black-Scholes written here, Sharpe from its definition).
#include "actors/actors.hpp"
#include "actors/registry.hpp"
#include "app/log.hpp"
#include "config/settings.hpp"
#include "messages/caf_errors.hpp"
#include "messages/register.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <mutex>
#include <numeric>
#include <string>
#include <vector>

using namespace sc;
using namespace std::chrono_literals;

namespace {

// -- the mock FETCHER ------------------------------------------------------------------

/// Hand-made market data; unknown symbols answer not_found.
struct mock_data {
  std::mutex mx;
  std::map<std::string, bar_series> bars;
  std::map<std::string, quote> quotes;
  int64_t bar_requests = 0;
};

fetcher_actor::behavior_type mock_fetcher(fetcher_actor::pointer self,
                                          std::shared_ptr<mock_data> d) {
  return {
      [](atom::universe) { return std::vector<security>{}; },
      [d](atom::quote, const std::vector<std::string>& syms) {
        std::lock_guard<std::mutex> g{d->mx};
        std::vector<quote> out;
        for (const auto& s : syms)
          if (auto i = d->quotes.find(s); i != d->quotes.end()) out.push_back(i->second);
        return out;
      },
      [d](atom::bars, const std::string& s, int32_t n) -> caf::result<bar_series> {
        std::lock_guard<std::mutex> g{d->mx};
        ++d->bar_requests;
        auto i = d->bars.find(s);
        if (i == d->bars.end()) return make_error(ec::not_found, std::string{"mock"}, s);
        return i->second;
      },
      [](atom::fundament, const std::string& s) -> caf::result<fundamentals> {
        return make_error(ec::not_found, std::string{"mock"}, s);
      },
      [](atom::chain, const std::string& s) -> caf::result<option_chain> {
        return make_error(ec::not_found, std::string{"mock"}, s);
      },
      [](atom::ivhist, const std::string&) { return std::vector<iv_point>{}; },
      [](atom::sources) { return std::vector<source_status>{}; },
      [](atom::retry, uint64_t) {},
      [](atom::status) {
        return actor_health{"mock_fetcher", lifecycle::running, 0, ""};
      },
      [self](atom::crash) { self->quit(); },
  };
}

// -- data -------------------------------------------------------------------------------

constexpr day_number today = 20'500; // 2026-02-16 (a Monday), valuation day of the tests

/// A deterministic, irregular daily log-return path (no generator state to share).
std::vector<double> log_returns(int n, double scale, int phase) {
  std::vector<double> r;
  for (int i = 0; i < n; ++i)
    r.push_back(scale *
                (std::sin(1.7 * i + phase) + 0.6 * std::cos(0.37 * i * i + 2 * phase)));
  return r;
}

/// Bars ending yesterday whose closes follow the given simple returns from `start`.
bar_series bars_from(const std::string& sym, double start,
                     const std::vector<double>& simple) {
  bar_series b;
  b.symbol = sym;
  double c = start;
  const int n = static_cast<int>(simple.size()) + 1;
  for (int i = 0; i < n; ++i) {
    if (i > 0) c *= 1 + simple[i - 1];
    b.date.push_back(today - n + i);
    b.open.push_back(c);
    b.high.push_back(c);
    b.low.push_back(c);
    b.close.push_back(c);
    b.volume.push_back(1e6);
  }
  return b;
}

quote two_sided(const std::string& sym, double bid, double ask) {
  quote q;
  q.symbol = sym;
  q.bid = bid;
  q.ask = ask;
  q.last = 0.5 * (bid + ask);
  return q;
}

/// A call proposal on `und` at `ask` per share, `qty` contracts, in `sector`.
trade_proposal call_proposal(const std::string& und, const std::string& sector,
                             double ask, int64_t qty, int phase) {
  trade_proposal p;
  p.idea.contract = und + "260320C00020000";
  p.idea.underlying = und;
  p.idea.type = option_type::call;
  p.idea.style = exercise_style::european;
  p.idea.strike = 20;
  p.idea.expiry = today + 32;
  p.idea.days = 32;
  p.idea.spot = 20;
  p.idea.bid = ask - 0.05;
  p.idea.ask = ask;
  p.idea.mid = ask - 0.025;
  p.idea.iv = 0.5;
  p.idea.delta = 0.55;
  p.idea.gamma = 0.12;
  p.idea.vega = 2.3;
  p.idea.theta = -9;
  p.sector = sector;
  p.quantity = qty;
  p.price = ask;
  p.underlying_returns = log_returns(60, 0.01, phase);
  return p;
}

portfolio_snapshot cash_only(double equity, day_number day = today) {
  portfolio_snapshot s;
  s.time = to_timestamp(day) + 15h;
  s.cash = equity;
  s.equity = equity;
  return s;
}

// -- textbook Black-Scholes (independent of analytics/options) --------------------------

double norm_cdf(double x) {
  return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

double bs_call(double s, double k, double t, double r, double v) {
  if (t <= 0) return std::max(s - k, 0.0);
  const double d1 = (std::log(s / k) + (r + 0.5 * v * v) * t) / (v * std::sqrt(t));
  const double d2 = d1 - v * std::sqrt(t);
  return s * norm_cdf(d1) - k * std::exp(-r * t) * norm_cdf(d2);
}

// -- fixture ---------------------------------------------------------------------------

struct fixture {
  static caf::actor_system_config& init(caf::actor_system_config& c) {
    register_types(c);
    log::init_stderr(log::level::error, "test");
    return c;
  }

  /// Limits that do not bind unless a test tightens one.
  static std::shared_ptr<config::settings> make_settings() {
    auto s = std::make_shared<config::settings>();
    s->data.sources[0].timeout = 300ms;
    s->data.retry.max_attempts = 1;
    s->risk.max_position = 0.05;
    s->risk.max_sector = 1.0;
    s->risk.max_var = 1.0;
    s->risk.max_delta = 1e9;
    s->risk.max_correlation = 1.0;
    s->risk.max_positions = 10;
    s->risk.var_lookback = 40;
    s->risk.var_confidence = 0.95;
    s->options.risk_free_rate = 0.04;
    return s;
  }

  caf::actor_system_config cfg;
  caf::actor_system sys{init(cfg)};
  std::shared_ptr<config::settings> settings = make_settings();
  std::shared_ptr<mock_data> data = std::make_shared<mock_data>();
  fetcher_actor fetcher;
  risk_actor risk;

  void start_fetcher() {
    fetcher = sys.spawn(mock_fetcher, data);
    sys.registry().put(actors::names::fetcher,
                       caf::actor_cast<caf::strong_actor_ptr>(fetcher));
  }
  void start_risk() { risk = actors::spawn_risk_manager(sys, settings); }

  std::vector<risk_decision> check(const std::vector<trade_proposal>& props,
                                   const portfolio_snapshot& snap) {
    caf::scoped_actor self{sys};
    std::vector<risk_decision> out;
    self->request(risk, 10s, atom::check::value, props, snap)
        .receive([&](std::vector<risk_decision>& d) { out = std::move(d); },
                 [&](caf::error& e) { FAIL("check failed: " << describe(e)); });
    return out;
  }

  risk_report report(const portfolio_snapshot& snap) {
    caf::scoped_actor self{sys};
    risk_report out;
    self->request(risk, 10s, atom::report::value, snap)
        .receive([&](risk_report& r) { out = std::move(r); },
                 [&](caf::error& e) { FAIL("report failed: " << describe(e)); });
    return out;
  }

  actor_health status() {
    caf::scoped_actor self{sys};
    actor_health h;
    self->request(risk, 5s, atom::status::value)
        .receive([&](actor_health& x) { h = std::move(x); },
                 [&](caf::error& e) { FAIL("status failed: " << describe(e)); });
    return h;
  }

  ~fixture() {
    sys.registry().erase(actors::names::fetcher);
    if (risk) caf::anon_send_exit(risk, caf::exit_reason::user_shutdown);
    if (fetcher) caf::anon_send_exit(fetcher, caf::exit_reason::user_shutdown);
  }
};

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

} // namespace

// -- pre-trade checks -------------------------------------------------------------------

TEST_CASE_METHOD(fixture, "a proposal within every limit is approved at its quantity",
                 "[risk]") {
  start_fetcher();
  start_risk();
  // 10 contracts at 2.00 cost 2,000 = 2% of 100,000 equity, under max_position 5%.
  auto d = check({call_proposal("AAA", "Tech", 2.00, 10, 1)}, cash_only(100'000));
  REQUIRE(d.size() == 1);
  CHECK(d[0].decision == verdict::approve);
  CHECK(d[0].quantity == 10);
  CHECK(d[0].proposal.idea.contract == "AAA260320C00020000");
}

TEST_CASE_METHOD(
    fixture, "a proposal over max_position is resized to the largest quantity that fits",
    "[risk]") {
  start_fetcher();
  start_risk();
  // One contract at 2.35 costs 235; max_position 5% of 100,000 = 5,000:
  // 21 * 235 = 4,935 fits, 22 * 235 = 5,170 does not.
  auto d = check({call_proposal("AAA", "Tech", 2.35, 40, 1)}, cash_only(100'000));
  REQUIRE(d.size() == 1);
  CHECK(d[0].decision == verdict::resize);
  CHECK(d[0].quantity == 21);
  CHECK(contains(d[0].reason, "max_position"));
}

TEST_CASE_METHOD(fixture, "a sector breach is rejected with a reason naming max_sector",
                 "[risk]") {
  settings->risk.max_sector = 0.10;
  {
    std::lock_guard<std::mutex> g{data->mx};
    data->bars["HELD"] = bars_from("HELD", 10, [] {
      std::vector<double> s;
      for (double x : log_returns(60, 0.012, 7))
        s.push_back(std::expm1(x));
      return s;
    }());
    data->quotes["HELD"] = two_sided("HELD", 9.99, 10.01);
  }
  start_fetcher();
  start_risk();
  auto snap = cash_only(100'000);
  position_view held;
  held.symbol = "HELD";
  held.underlying = "HELD";
  held.sector = "Tech";
  held.is_option = false;
  held.quantity = 990;
  held.avg_cost = 10;
  held.mark = 10;
  snap.positions.push_back(held);
  snap.cash = 100'000 - 9'900;
  // The sector holds 9,900 of a 10,000 allowance; one contract at 2.00 adds 200.
  auto d = check({call_proposal("AAA", "Tech", 2.00, 5, 1)}, snap);
  REQUIRE(d.size() == 1);
  INFO(d[0].reason);
  CHECK(d[0].decision == verdict::reject);
  CHECK(d[0].quantity == 0);
  CHECK(contains(d[0].reason, "max_sector"));
  CHECK(contains(d[0].reason, "Tech"));
}

TEST_CASE_METHOD(fixture,
                 "a new position beyond max_positions is rejected naming the limit",
                 "[risk]") {
  settings->risk.max_positions = 1;
  {
    std::lock_guard<std::mutex> g{data->mx};
    data->bars["HELD"] = bars_from("HELD", 10, std::vector<double>(60, 0.001));
    data->quotes["HELD"] = two_sided("HELD", 9.99, 10.01);
  }
  start_fetcher();
  start_risk();
  auto snap = cash_only(100'000);
  position_view held;
  held.symbol = "HELD";
  held.sector = "Energy";
  held.is_option = false;
  held.quantity = 100;
  held.avg_cost = 10;
  held.mark = 10;
  snap.positions.push_back(held);
  auto d = check({call_proposal("AAA", "Tech", 2.00, 1, 1)}, snap);
  REQUIRE(d.size() == 1);
  CHECK(d[0].decision == verdict::reject);
  CHECK(contains(d[0].reason, "max_positions"));
}

TEST_CASE_METHOD(
    fixture, "two proposals that only together breach a limit give approve then resize",
    "[risk]") {
  settings->risk.max_sector = 0.08;
  start_fetcher();
  start_risk();
  // Alone: 20 x 200 = 4,000 (4%) and 25 x 200 = 5,000 (5%) each respect max_sector 8%
  // and max_position 5%. Together the sector would hold 9,000: the second gets the
  // largest x with 4,000 + 200 x <= 8,000, x = 20.
  auto first = call_proposal("AAA", "Tech", 2.00, 20, 1);
  auto second = call_proposal("BBB", "Tech", 2.00, 25, 3);
  auto alone = check({second}, cash_only(100'000));
  REQUIRE(alone.size() == 1);
  CHECK(alone[0].decision == verdict::approve);
  auto d = check({first, second}, cash_only(100'000));
  REQUIRE(d.size() == 2);
  CHECK(d[0].decision == verdict::approve);
  CHECK(d[0].quantity == 20);
  CHECK(d[1].decision == verdict::resize);
  CHECK(d[1].quantity == 20);
  CHECK(contains(d[1].reason, "max_sector"));
}

TEST_CASE_METHOD(fixture,
                 "without a fetcher a holding without history is rejected conservatively "
                 "and the actor is degraded",
                 "[risk]") {
  start_risk(); // no fetcher registered
  auto snap = cash_only(100'000);
  position_view held;
  held.symbol = "HELD";
  held.sector = "Energy";
  held.is_option = false;
  held.quantity = 100;
  held.avg_cost = 10;
  held.mark = 10;
  snap.positions.push_back(held);
  auto d = check({call_proposal("AAA", "Tech", 2.00, 1, 1)}, snap);
  REQUIRE(d.size() == 1);
  CHECK(d[0].decision == verdict::reject);
  CHECK(contains(d[0].reason, "VaR"));
  CHECK(contains(d[0].reason, "no fetcher"));
  auto h = status();
  CHECK(h.state == lifecycle::degraded);
  CHECK(contains(h.last_error, "HELD"));
  // The same proposal against cash alone needs no data and is approved.
  auto ok = check({call_proposal("AAA", "Tech", 2.00, 1, 1)}, cash_only(100'000));
  REQUIRE(ok.size() == 1);
  CHECK(ok[0].decision == verdict::approve);
  CHECK(status().state == lifecycle::running);
}

// -- the risk report
// ----------------------------------------------------------------------

namespace {

/// The library's documented convention: k = ceil(n (1 - c)) worst P&Ls,
/// VaR = -(k-th smallest), CVaR = -(mean of the k smallest).
std::pair<double, double> direct_var(std::vector<double> pnl, double c) {
  std::sort(pnl.begin(), pnl.end());
  const size_t k = static_cast<size_t>(std::ceil(pnl.size() * (1 - c) - 1e-9));
  double sum = 0;
  for (size_t i = 0; i < k; ++i)
    sum += pnl[i];
  return {-pnl[k - 1], -sum / k};
}

std::vector<double> simple_from_log(const std::vector<double>& r) {
  std::vector<double> s;
  for (double x : r)
    s.push_back(std::expm1(x));
  return s;
}

} // namespace

TEST_CASE_METHOD(fixture,
                 "the report's VaR of a one-stock portfolio equals a direct computation",
                 "[risk][var]") {
  // 60 days of history, var_lookback 40, 95%: k = ceil(40 * 0.05) = 2.
  const auto simple = simple_from_log(log_returns(60, 0.02, 5));
  {
    std::lock_guard<std::mutex> g{data->mx};
    data->bars["STK"] = bars_from("STK", 40, simple);
    data->quotes["STK"] = two_sided("STK", 49.90, 50.10);
    data->quotes["SVIX"] = two_sided("SVIX", 39.9, 40.1); // 40 >= vix_crisis 35
    data->bars["SCX"] = bars_from("SCX", 100, simple);
  }
  start_fetcher();
  start_risk();
  auto snap = cash_only(100'000);
  position_view p;
  p.symbol = "STK";
  p.sector = "Health Care";
  p.is_option = false;
  p.quantity = 100;
  p.avg_cost = 45;
  p.mark = 50;
  snap.positions.push_back(p);
  snap.cash = 95'000;
  snap.drawdown = 0.03;
  auto r = report(snap);

  std::vector<double> pnl;
  for (size_t t = simple.size() - 40; t < simple.size(); ++t)
    pnl.push_back(100 * 50.0 * simple[t]); // qty * spot * r_t, spot = quote mid 50
  auto [var, cvar] = direct_var(pnl, 0.95);
  CHECK(r.var == Approx(var).epsilon(1e-12));
  CHECK(r.cvar == Approx(cvar).epsilon(1e-12));
  CHECK(r.cvar >= r.var);
  CHECK(r.confidence == 0.95);
  CHECK(r.delta == Approx(100 * 50.0));
  CHECK(r.gamma == 0);
  CHECK(r.drawdown == 0.03);
  REQUIRE(r.sectors.size() == 1);
  CHECK(r.sectors[0].name == "Health Care");
  CHECK(r.sectors[0].fraction == Approx(5'000 / 100'000.0));
  CHECK(r.regime == "crisis");
  CHECK(status().state == lifecycle::running);
}

TEST_CASE_METHOD(
    fixture,
    "the report's VaR of a one-option portfolio equals a direct full revaluation",
    "[risk][var]") {
  const auto simple = simple_from_log(log_returns(60, 0.025, 2));
  const double spot = 20, strike = 21, vol = 0.55, rate = 0.04;
  const day_number expiry = today + 45;
  const double years = 45 / 365.0, h = 1 / 365.0;
  const double mark = bs_call(spot, strike, years, rate, vol);
  {
    std::lock_guard<std::mutex> g{data->mx};
    data->bars["OPT"] = bars_from("OPT", 18, simple);
    data->quotes["OPT"] = two_sided("OPT", 19.99, 20.01);
    data->bars["SVIX"] =
        bars_from("SVIX", 12, std::vector<double>(60, 0.0)); // level 12: low
  }
  start_fetcher();
  start_risk();
  auto snap = cash_only(100'000);
  position_view p;
  p.symbol = "OPT260402C00021000";
  p.underlying = "OPT";
  p.sector = "Energy";
  p.is_option = true;
  p.type = option_type::call;
  p.strike = strike;
  p.expiry = expiry;
  p.quantity = 7;
  p.avg_cost = mark;
  p.mark = mark;
  snap.positions.push_back(p);
  auto r = report(snap);

  // Every scenario moves the spot by that day's return and rolls one day of time, with
  // the volatility held at the one implied by the mark.
  std::vector<double> pnl;
  for (size_t t = simple.size() - 40; t < simple.size(); ++t)
    pnl.push_back(7 * 100 *
                  (bs_call(spot * (1 + simple[t]), strike, years - h, rate, vol) - mark));
  auto [var, cvar] = direct_var(pnl, 0.95);
  CHECK(r.var == Approx(var).epsilon(1e-7));
  CHECK(r.cvar == Approx(cvar).epsilon(1e-7));
  // Dollar delta: N(d1) * 7 * 100 * spot.
  const double d1 = (std::log(spot / strike) + (rate + 0.5 * vol * vol) * years) /
                    (vol * std::sqrt(years));
  CHECK(r.delta == Approx(norm_cdf(d1) * 700 * spot).epsilon(1e-7));
  CHECK(r.regime == "low");
}

TEST_CASE_METHOD(fixture,
                 "the report's Sharpe ratio comes from the daily equities seen and is "
                 "NaN until enough",
                 "[risk][sharpe]") {
  start_fetcher();
  start_risk();
  const std::vector<double> equity = {100'000, 101'000, 100'500, 102'000, 101'800};
  std::vector<double> sharpe;
  for (size_t i = 0; i < equity.size(); ++i) {
    // Two snapshots a day: only the day's last equity counts.
    report(cash_only(equity[i] - 700, today + static_cast<day_number>(i)));
    sharpe.push_back(
        report(cash_only(equity[i], today + static_cast<day_number>(i))).sharpe);
  }
  CHECK(std::isnan(sharpe[0]));
  CHECK(std::isnan(sharpe[1])); // one return: no standard deviation
  std::vector<double> r;
  for (size_t i = 1; i < equity.size(); ++i)
    r.push_back(equity[i] / equity[i - 1] - 1);
  const double mean = std::accumulate(r.begin(), r.end(), 0.0) / r.size();
  double ss = 0;
  for (double x : r)
    ss += (x - mean) * (x - mean);
  const double sd = std::sqrt(ss / (r.size() - 1));
  CHECK(sharpe.back() == Approx(mean / sd * std::sqrt(252.0)).epsilon(1e-12));
  // No SVIX and no SCX data: the regime cannot be known.
  CHECK(report(cash_only(101'800, today + 4)).regime == "unknown");
}

TEST_CASE_METHOD(fixture, "bars are fetched once per market day across repeated checks",
                 "[risk]") {
  {
    std::lock_guard<std::mutex> g{data->mx};
    data->bars["HELD"] = bars_from("HELD", 10, std::vector<double>(60, 0.001));
    data->quotes["HELD"] = two_sided("HELD", 9.99, 10.01);
  }
  start_fetcher();
  start_risk();
  auto snap = cash_only(100'000);
  position_view held;
  held.symbol = "HELD";
  held.sector = "Energy";
  held.is_option = false;
  held.quantity = 100;
  held.avg_cost = 10;
  held.mark = 10;
  snap.positions.push_back(held);
  check({call_proposal("AAA", "Tech", 2.00, 1, 1)}, snap);
  check({call_proposal("AAA", "Tech", 2.00, 1, 1)}, snap);
  int64_t after_checks = 0;
  {
    std::lock_guard<std::mutex> g{data->mx};
    after_checks = data->bar_requests;
  }
  CHECK(after_checks == 1);
}
