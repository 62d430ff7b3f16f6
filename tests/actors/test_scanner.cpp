// The SCANNER actor against a mock fetcher backed by the simulated market, on the real
// scheduler: scoped_actor requests with short timeouts, no sleeps.
#include "actors/actors.hpp"
#include "actors/registry.hpp"
#include "adapters/sim/market.hpp"
#include "app/log.hpp"
#include "config/settings.hpp"
#include "messages/caf_errors.hpp"
#include "messages/register.hpp"
#include "tests/actors/sim_fetcher.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

using namespace sc;
using namespace std::chrono_literals;

namespace {

using test::mock_fetcher;
using test::mock_fetcher_state;
using test::sim_market;

/// A PORTFOLIO MANAGER that holds one fixed snapshot.
portfolio_actor::behavior_type mock_portfolio(portfolio_actor::pointer self,
                                              portfolio_snapshot snap) {
  return {
      [=](atom::open, const std::vector<risk_decision>&) {
        return std::vector<std::string>{};
      },
      [=](atom::mark) { return snap; },
      [=](caf::get_atom) { return snap; },
      [=](atom::status) {
        return actor_health{"mock_portfolio", lifecycle::running, 0, ""};
      },
      [=](atom::crash) { self->quit(); },
  };
}

// -- fixture ---------------------------------------------------------------------------

struct fixture {
  static caf::actor_system_config& init(caf::actor_system_config& c) {
    register_types(c);
    log::init_stderr(log::level::warn, "test");
    return c;
  }

  static std::shared_ptr<config::settings> make_settings() {
    auto s = std::make_shared<config::settings>();
    // Short data timeouts: a request that gets no answer fails after about a second.
    s->data.sources[0].timeout = 200ms;
    s->data.retry.max_attempts = 1;
    s->scanner.threads = 2;
    return s;
  }

  caf::actor_system_config cfg;
  caf::actor_system sys{init(cfg)};
  std::shared_ptr<config::settings> settings = make_settings();
  std::shared_ptr<const sim::market> market = sim_market(60);
  fetcher_actor fetcher;
  scanner_actor scanner;

  void start_fetcher(std::set<std::string> failing = {},
                     std::set<std::string> silent = {}) {
    fetcher = sys.spawn(mock_fetcher, market, std::move(failing), std::move(silent));
    sys.registry().put(actors::names::fetcher,
                       caf::actor_cast<caf::strong_actor_ptr>(fetcher));
  }

  void start_scanner() { scanner = actors::spawn_scanner(sys, settings); }

  /// One scan; the report or the error.
  caf::expected<scan_report> scan(uint64_t cycle = 1) {
    caf::scoped_actor self{sys};
    caf::expected<scan_report> out{caf::error{}};
    self->request(scanner, 30s, atom::scan::value, cycle)
        .receive([&](scan_report& r) { out = std::move(r); },
                 [&](caf::error& e) { out = std::move(e); });
    return out;
  }

  actor_health status() {
    caf::scoped_actor self{sys};
    actor_health h;
    self->request(scanner, 5s, atom::status::value)
        .receive([&](actor_health& x) { h = std::move(x); },
                 [&](caf::error& e) { FAIL("status failed: " << describe(e)); });
    return h;
  }

  portfolio_actor portfolio;

  void start_portfolio(portfolio_snapshot snap) {
    portfolio = sys.spawn(mock_portfolio, std::move(snap));
    sys.registry().put(actors::names::portfolio,
                       caf::actor_cast<caf::strong_actor_ptr>(portfolio));
  }

  ~fixture() {
    sys.registry().erase(actors::names::fetcher);
    sys.registry().erase(actors::names::portfolio);
    if (portfolio) caf::anon_send_exit(portfolio, caf::exit_reason::user_shutdown);
    if (scanner) caf::anon_send_exit(scanner, caf::exit_reason::user_shutdown);
    if (fetcher) caf::anon_send_exit(fetcher, caf::exit_reason::user_shutdown);
  }
};

const factor_score* find_factor(const candidate& c, const std::string& name) {
  for (const auto& f : c.factors)
    if (f.name == name) return &f;
  return nullptr;
}

double mean_last(const std::vector<double>& x, size_t n) {
  n = std::min(n, x.size());
  double s = 0;
  for (size_t i = x.size() - n; i < x.size(); ++i)
    s += x[i];
  return s / static_cast<double>(n);
}

} // namespace

TEST_CASE_METHOD(fixture, "A scan returns ranked candidates that really pass the filters",
                 "[scanner]") {
  start_fetcher();
  start_scanner();
  auto rep = scan(7);
  REQUIRE(rep);
  CHECK(rep->cycle == 7);
  CHECK(rep->universe_size == 60);
  CHECK(rep->errors.empty());
  REQUIRE(rep->passed > 0);
  REQUIRE(!rep->candidates.empty());
  CHECK(static_cast<int64_t>(rep->candidates.size()) ==
        std::min<int64_t>(rep->passed, settings->scanner.top_n));
  CHECK(rep->duration_ms > 0);

  const auto& f = settings->scanner.filters;
  const auto& t = settings->trading;
  std::map<std::string, security> universe;
  for (const auto& s : market->universe())
    universe[s.symbol] = s;
  for (const auto& c : rep->candidates) {
    INFO(c.symbol);
    REQUIRE(universe.count(c.symbol));
    // Filters checked against the config with data taken straight from the market.
    auto bars = market->bars(c.symbol, settings->scanner.history_days);
    REQUIRE(bars);
    const double close = bars->close.back();
    CHECK(c.price == Approx(close));
    CHECK(close >= f.price_min);
    CHECK(close <= f.price_max);
    CHECK(c.market_cap == Approx(universe[c.symbol].market_cap));
    CHECK(c.market_cap >= t.market_cap_min);
    CHECK(c.market_cap <= t.market_cap_max);
    CHECK(mean_last(bars->volume, 20) >= f.avg_volume_min);
    std::vector<double> dollar(bars->size());
    for (size_t i = 0; i < bars->size(); ++i)
      dollar[i] = bars->close[i] * bars->volume[i];
    CHECK(mean_last(dollar, 20) >= f.dollar_volume_min);
    CHECK(static_cast<int>(bars->size()) >= f.min_history_bars);

    // Scores and factors.
    CHECK(c.score >= 0);
    CHECK(c.score <= 1);
    REQUIRE(c.factors.size() == 7);
    double wsum = 0, composite = 0;
    for (const auto& x : c.factors) {
      CHECK(x.score >= 0);
      CHECK(x.score <= 1);
      CHECK(x.weight >= 0);
      wsum += x.weight;
      composite += x.weight * x.score;
    }
    CHECK(wsum == Approx(1.0).epsilon(1e-12));
    CHECK(c.score == Approx(composite).epsilon(1e-9));
    // Default weights normalised by their sum (1.0): momentum 0.25.
    const auto* mom = find_factor(c, "momentum");
    REQUIRE(mom);
    CHECK(mom->weight == Approx(0.25));
    // Its raw input is the 20-day return, recomputed here from the bars.
    const size_t n = bars->size();
    CHECK(mom->raw ==
          Approx(bars->close[n - 1] / bars->close[n - 21] - 1).epsilon(1e-12));
    // Without a portfolio manager there are no holdings: the fit is perfect.
    const auto* fit = find_factor(c, "portfolio_fit");
    REQUIRE(fit);
    CHECK(fit->score == Approx(1.0));
    for (const auto& p : c.patterns) {
      auto open = p.find('(');
      REQUIRE(open != std::string::npos);
      CHECK(p.back() == ')');
      const double conf = std::stod(p.substr(open + 1));
      CHECK(conf >= 0);
      CHECK(conf <= 1);
    }
  }
  for (size_t i = 1; i < rep->candidates.size(); ++i)
    CHECK(rep->candidates[i - 1].score >= rep->candidates[i].score);
}

TEST_CASE_METHOD(fixture, "Rejection counts add up to the symbols that did not pass",
                 "[scanner]") {
  start_fetcher();
  start_scanner();
  auto rep = scan();
  REQUIRE(rep);
  int64_t rejected = 0;
  for (const auto& r : rep->rejections) {
    CHECK(!r.reason.empty());
    CHECK(r.count > 0);
    rejected += r.count;
  }
  CHECK(rejected == rep->universe_size - rep->passed);
  // The sim's market caps are spread around the small-cap band on purpose: some fall
  // outside it, and a symbol is counted under its first failing filter.
  std::set<std::string> reasons;
  for (const auto& r : rep->rejections)
    reasons.insert(r.reason);
  int outside = 0;
  for (const auto& s : market->universe())
    if (s.market_cap < settings->trading.market_cap_min ||
        s.market_cap > settings->trading.market_cap_max)
      ++outside;
  if (outside > 0)
    CHECK((reasons.count("market_cap_below_min") + reasons.count("market_cap_above_max") +
           reasons.count("missing_price")) > 0);
}

TEST_CASE_METHOD(fixture, "A fetcher failing for some symbols yields errors but a result",
                 "[scanner]") {
  auto u = market->universe();
  std::set<std::string> failing{u[0].symbol, u[1].symbol};
  settings->scanner.watchlist = {"ZZNOPE"};
  start_fetcher(failing);
  start_scanner();
  auto rep = scan();
  REQUIRE(rep);
  CHECK(rep->universe_size == 61); // the watchlist symbol joins the universe
  // Two failing symbols x (bars, fundamentals) + the unknown watchlist symbol x 2.
  CHECK(rep->errors.size() == 6);
  for (const auto& sym : {u[0].symbol, u[1].symbol, std::string{"ZZNOPE"}}) {
    INFO(sym);
    auto n =
        std::count_if(rep->errors.begin(), rep->errors.end(), [&](const std::string& e) {
          return e.rfind(sym + ": ", 0) == 0 && e.find("not_found") != std::string::npos;
        });
    CHECK(n == 2);
    for (const auto& c : rep->candidates)
      CHECK(c.symbol != sym);
  }
  CHECK(rep->passed > 0);
  int64_t rejected = 0;
  for (const auto& r : rep->rejections)
    rejected += r.count;
  CHECK(rejected == rep->universe_size - rep->passed);
  CHECK(status().state == lifecycle::running);
}

TEST_CASE_METHOD(fixture,
                 "A fetcher that never answers for a symbol times out into an error",
                 "[scanner]") {
  auto u = market->universe();
  start_fetcher({}, {u[3].symbol});
  start_scanner();
  auto rep = scan();
  REQUIRE(rep);
  REQUIRE(rep->errors.size() == 1);
  CHECK(rep->errors[0].rfind(u[3].symbol + ": bars: timeout", 0) == 0);
  CHECK(rep->universe_size == 60);
}

TEST_CASE_METHOD(fixture, "Without a registered fetcher the scan fails with unavailable",
                 "[scanner]") {
  start_scanner();
  auto rep = scan();
  REQUIRE(!rep);
  CHECK(code_of(rep.error()) == ec::unavailable);
  auto h = status();
  CHECK(h.name == "scanner");
  CHECK(h.state == lifecycle::degraded);
  CHECK(h.last_error.find("no fetcher") != std::string::npos);
  // Once a fetcher is registered the next scan works and the actor recovers.
  start_fetcher();
  auto again = scan(2);
  REQUIRE(again);
  CHECK(status().state == lifecycle::running);
}

TEST_CASE_METHOD(fixture,
                 "An invalid scanner configuration stops the actor with a clear error",
                 "[scanner]") {
  settings->scanner.filters.negative_earnings = "sometimes";
  start_fetcher();
  start_scanner();
  auto rep = scan();
  REQUIRE(!rep);
  CHECK(rep.error() == caf::sec::request_receiver_down);
}

TEST_CASE_METHOD(fixture, "Holdings from the portfolio manager shape the portfolio fit",
                 "[scanner]") {
  // First scan without holdings to learn the candidates; then hold the best one.
  start_fetcher();
  start_scanner();
  auto before = scan();
  REQUIRE(before);
  REQUIRE(before->candidates.size() >= 2);
  const auto held = before->candidates[0];
  portfolio_snapshot snap;
  position_view p;
  p.symbol = held.symbol + "260116C00010000";
  p.underlying = held.symbol;
  p.sector = held.sector;
  p.quantity = 2;
  p.market_value = 500;
  snap.positions.push_back(p);
  start_portfolio(snap);
  auto rep = scan(2);
  REQUIRE(rep);
  CHECK(rep->errors.empty());
  REQUIRE(!rep->candidates.empty());
  for (const auto& c : rep->candidates) {
    INFO(c.symbol);
    const auto* fit = find_factor(c, "portfolio_fit");
    REQUIRE(fit);
    // The holding's bars arrived: every candidate has a correlation with it (itself 1).
    REQUIRE(std::isfinite(fit->raw));
    if (c.symbol == held.symbol) CHECK(fit->raw == Approx(1.0));
    // scoring.hpp: fit = (1 - max(0, corr)) x (1 - sector share); the one holding is
    // all of the value, so its sector scores 0 and others 1 - max(0, corr).
    if (c.sector == held.sector)
      CHECK(fit->score == Approx(0.0).margin(1e-12));
    else
      CHECK(fit->score == Approx(1.0 - std::max(0.0, fit->raw)).margin(1e-12));
  }
}
