// The OPTIONS ANALYZER actor against a mock fetcher backed by the simulated market, on
// the real scheduler: scoped_actor requests with short timeouts, no sleeps. Numbers are
// checked against direct computations here (BSM repricing, counts from the chain).
#include "actors/actors.hpp"
#include "actors/registry.hpp"
#include "adapters/sim/market.hpp"
#include "adapters/storage/iv_history.hpp"
#include "analytics/options/black_scholes.hpp"
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

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

using namespace sc;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

using test::mock_fetcher;
using test::mock_fetcher_state;
using test::sim_market;

timestamp chain_time(const sim::market& m) {
  return m.first_open() + 1h;
}

// -- fixture ---------------------------------------------------------------------------

/// A fresh temporary directory per test, removed afterwards.
struct temp_dir {
  fs::path path;
  temp_dir() {
    static std::atomic<int> counter{0};
    path = fs::temp_directory_path() / ("sc_test_options_" + std::to_string(::getpid()) +
                                        "_" + std::to_string(++counter));
    fs::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

struct fixture {
  static caf::actor_system_config& init(caf::actor_system_config& c) {
    register_types(c);
    log::init_stderr(log::level::warn, "test");
    return c;
  }

  temp_dir tmp;
  std::shared_ptr<config::settings> settings = make_settings(tmp.path);
  caf::actor_system_config cfg;
  caf::actor_system sys{init(cfg)};
  std::shared_ptr<const sim::market> market = sim_market(60);
  fetcher_actor fetcher;
  options_actor analyzer;

  static std::shared_ptr<config::settings> make_settings(const fs::path& dir) {
    auto s = std::make_shared<config::settings>();
    s->data.sources[0].timeout = 200ms;
    s->data.retry.max_attempts = 1;
    s->options.iv_history_db = (dir / "iv" / "iv_history.db").string();
    return s;
  }

  void start_fetcher(std::set<std::string> failing = {}) {
    fetcher =
        sys.spawn(mock_fetcher, market, std::move(failing), std::set<std::string>{});
    sys.registry().put(actors::names::fetcher,
                       caf::actor_cast<caf::strong_actor_ptr>(fetcher));
  }

  void start_analyzer() { analyzer = actors::spawn_options_analyzer(sys, settings); }

  caf::expected<option_report> analyse(const std::string& symbol) {
    caf::scoped_actor self{sys};
    caf::expected<option_report> out{caf::error{}};
    self->request(analyzer, 30s, atom::analyse::value, symbol)
        .receive([&](option_report& r) { out = std::move(r); },
                 [&](caf::error& e) { out = std::move(e); });
    return out;
  }

  caf::expected<std::vector<option_report>> analyse(const std::vector<candidate>& cs) {
    caf::scoped_actor self{sys};
    caf::expected<std::vector<option_report>> out{caf::error{}};
    self->request(analyzer, 30s, atom::analyse::value, cs)
        .receive([&](std::vector<option_report>& r) { out = std::move(r); },
                 [&](caf::error& e) { out = std::move(e); });
    return out;
  }

  actor_health status() {
    caf::scoped_actor self{sys};
    actor_health h;
    self->request(analyzer, 5s, atom::status::value)
        .receive([&](actor_health& x) { h = std::move(x); },
                 [&](caf::error& e) { FAIL("status failed: " << describe(e)); });
    return h;
  }

  /// The first stock whose chain has ideas under the default settings.
  std::string symbol() const { return market->universe()[0].symbol; }

  option_chain chain_of(const std::string& sym) const {
    auto c = market->chain(sym, chain_time(*market));
    REQUIRE(c);
    return *c;
  }

  ~fixture() {
    sys.registry().erase(actors::names::fetcher);
    if (analyzer) caf::anon_send_exit(analyzer, caf::exit_reason::user_shutdown);
    if (fetcher) caf::anon_send_exit(fetcher, caf::exit_reason::user_shutdown);
  }
};

/// Share of the last `window` history values (days before `today`) strictly below x,
/// written out directly.
double percentile_below(double x, const std::vector<std::pair<day_number, double>>& hist,
                        day_number today, size_t window) {
  std::vector<double> v;
  for (auto [d, iv] : hist)
    if (d < today) v.push_back(iv);
  if (v.size() > window) v.erase(v.begin(), v.end() - window);
  size_t below = 0;
  for (double y : v)
    if (y < x) ++below;
  return static_cast<double>(below) / static_cast<double>(v.size());
}

std::map<std::string, option_quote> by_contract(const option_chain& c) {
  std::map<std::string, option_quote> m;
  for (const auto& q : c.contracts)
    m[q.contract] = q;
  return m;
}

} // namespace

TEST_CASE_METHOD(
    fixture,
    "Ideas are ranked by score, Greeks are in bounds and the IV reprices the mid",
    "[options]") {
  start_fetcher();
  start_analyzer();
  const auto sym = symbol();
  auto rep = analyse(sym);
  REQUIRE(rep);
  CHECK(rep->error.empty());
  CHECK(rep->underlying == sym);
  const auto chain = chain_of(sym);
  CHECK(rep->spot == Approx(chain.spot));
  CHECK(rep->iv30 > 0);
  REQUIRE(!rep->ideas.empty());
  CHECK(static_cast<int>(rep->ideas.size()) <= settings->options.top_contracts);
  const auto quotes = by_contract(chain);
  const day_number today = to_day(chain.as_of);
  for (const auto& x : rep->ideas) {
    INFO(x.contract);
    REQUIRE(quotes.count(x.contract));
    const auto& q = quotes.at(x.contract);
    CHECK(x.underlying == sym);
    CHECK(x.days == q.expiry - today);
    CHECK(x.mid == Approx(0.5 * (q.bid + q.ask)));
    CHECK(std::fabs(x.delta) <= 1.0);
    CHECK(x.gamma >= 0);
    CHECK(x.vega >= 0);
    if (x.type == option_type::call)
      CHECK(x.delta >= 0);
    else
      CHECK(x.delta <= 0);
    // The IV solved from the mid gives back the mid under BSM (the sim's contracts are
    // European), priced here directly.
    REQUIRE(q.style == exercise_style::european);
    options::bsm_inputs in;
    in.type = q.type;
    in.spot = chain.spot;
    in.strike = q.strike;
    in.years = (q.expiry - today) / 365.0;
    in.rate = chain.rate;
    in.dividend_yield = chain.dividend_yield;
    in.vol = x.iv;
    CHECK(options::bsm_price(in) == Approx(x.mid).epsilon(1e-9));
    // Scores and the factor breakdown.
    CHECK(x.score > 0);
    CHECK(x.score <= 1);
    REQUIRE(x.factors.size() == 7);
    double w = 0, s = 0;
    for (const auto& f : x.factors) {
      CHECK(f.score >= 0);
      CHECK(f.score <= 1);
      w += f.weight;
      s += f.weight * f.score;
    }
    CHECK(w == Approx(1.0).epsilon(1e-12));
    CHECK(x.score == Approx(s).epsilon(1e-9));
    CHECK(x.breakeven ==
          Approx(q.type == option_type::call ? q.strike + q.ask : q.strike - q.ask));
  }
  for (size_t i = 1; i < rep->ideas.size(); ++i)
    CHECK(rep->ideas[i - 1].score >= rep->ideas[i].score);
}

TEST_CASE_METHOD(fixture,
                 "Ideas respect the liquidity and expiry filters and exclusions add up",
                 "[options]") {
  start_fetcher();
  start_analyzer();
  const auto sym = symbol();
  auto rep = analyse(sym);
  REQUIRE(rep);
  const auto chain = chain_of(sym);
  const auto& o = settings->options;
  const day_number today = to_day(chain.as_of);
  CHECK(rep->analysed == static_cast<int64_t>(chain.contracts.size()));
  int64_t sum = 0;
  std::map<std::string, int64_t> counts;
  for (const auto& r : rep->exclusions) {
    sum += r.count;
    counts[r.reason] = r.count;
  }
  CHECK(sum == rep->excluded);
  CHECK(static_cast<int64_t>(rep->ideas.size()) <= rep->analysed - rep->excluded);
  // Independently: contracts a buyer could trade under the settings, and those whose
  // first failing rule is the expiry band (the quote rule comes before it).
  int64_t tradable = 0, out_of_band = 0;
  for (const auto& q : chain.contracts) {
    const int days = q.expiry - today;
    const bool two_sided = q.bid >= 0 && q.ask > 0 && q.ask >= q.bid;
    const bool in_band = days >= o.min_days && days <= o.max_days;
    if (two_sided && !in_band) ++out_of_band;
    const double mid = 0.5 * (q.bid + q.ask);
    if (two_sided && in_band && q.volume >= o.min_volume &&
        q.open_interest >= o.min_open_interest && (q.ask - q.bid) / mid <= o.max_spread)
      ++tradable;
  }
  CHECK(counts["days_out_of_range"] == out_of_band);
  CHECK(rep->analysed - rep->excluded <= tradable);
  CHECK(rep->excluded >= static_cast<int64_t>(chain.contracts.size()) - tradable);
  const auto quotes = by_contract(chain);
  for (const auto& x : rep->ideas) {
    INFO(x.contract);
    const auto& q = quotes.at(x.contract);
    CHECK(q.volume >= o.min_volume);
    CHECK(q.open_interest >= o.min_open_interest);
    CHECK((q.ask - q.bid) / (0.5 * (q.bid + q.ask)) <= o.max_spread);
    CHECK(x.days >= o.min_days);
    CHECK(x.days <= o.max_days);
  }
}

TEST_CASE_METHOD(fixture, "The IV store is created, seeded and holds today's iv30",
                 "[options]") {
  const fs::path db = settings->options.iv_history_db;
  REQUIRE(!fs::exists(db));
  start_fetcher();
  start_analyzer();
  CHECK(status().state == lifecycle::running);
  const auto sym = symbol();
  auto rep = analyse(sym);
  REQUIRE(rep);
  REQUIRE(rep->error.empty());
  CHECK(fs::exists(db));
  const auto chain = chain_of(sym);
  const day_number today = to_day(chain.as_of);
  const auto hist = market->iv_history(sym);
  {
    auto store = storage::iv_history::open(db.string());
    REQUIRE(store.ok());
    auto last = store.value->last(sym, 1);
    REQUIRE(last.ok());
    REQUIRE(last.value->size() == 1);
    CHECK(last.value->front().day == today);
    CHECK(last.value->front().iv30 == Approx(rep->iv30).epsilon(1e-12));
    auto n = store.value->count(sym);
    REQUIRE(n.ok());
    CHECK(*n.value == hist.size() + 1);
  }
  // The percentile comes from the seeded history (days before today).
  REQUIRE(!rep->ideas.empty());
  const double expected =
      percentile_below(rep->iv30, hist, today, settings->options.iv_history_days);
  CHECK(rep->ideas[0].iv_percentile == Approx(expected).epsilon(1e-12));
  // Analysing again replaces today's value instead of adding a row.
  auto again = analyse(sym);
  REQUIRE(again);
  auto store = storage::iv_history::open(db.string());
  REQUIRE(store.ok());
  CHECK(*store.value->count(sym).value == hist.size() + 1);
}

TEST_CASE_METHOD(fixture,
                 "An unwritable IV store degrades the actor but it still answers",
                 "[options]") {
  // A regular file where the store's directory should be: it cannot be created.
  const auto blocker = tmp.path / "blocker";
  std::ofstream{blocker} << "not a directory";
  settings->options.iv_history_db = (blocker / "iv_history.db").string();
  start_fetcher();
  start_analyzer();
  auto h = status();
  CHECK(h.state == lifecycle::degraded);
  CHECK(h.last_error.find(settings->options.iv_history_db) != std::string::npos);
  const auto sym = symbol();
  auto rep = analyse(sym);
  REQUIRE(rep);
  CHECK(rep->error.empty());
  REQUIRE(!rep->ideas.empty());
  // Without the store the fetcher's history gives the percentile.
  const auto chain = chain_of(sym);
  const double expected =
      percentile_below(rep->iv30, market->iv_history(sym), to_day(chain.as_of),
                       settings->options.iv_history_days);
  CHECK(rep->ideas[0].iv_percentile == Approx(expected).epsilon(1e-12));
}

TEST_CASE_METHOD(fixture, "An unknown symbol gives a report with an error", "[options]") {
  start_fetcher();
  start_analyzer();
  auto rep = analyse(std::string{"ZZNOPE"});
  REQUIRE(rep);
  CHECK(rep->underlying == "ZZNOPE");
  CHECK(rep->error.find("not_found") != std::string::npos);
  CHECK(rep->ideas.empty());
}

TEST_CASE_METHOD(fixture, "Candidates are analysed in order up to top_candidates",
                 "[options]") {
  settings->options.top_candidates = 3;
  start_fetcher();
  start_analyzer();
  const auto& u = market->universe();
  std::vector<candidate> cs(5);
  cs[0].symbol = u[1].symbol;
  cs[1].symbol = "ZZNOPE";
  cs[2].symbol = u[2].symbol;
  cs[3].symbol = u[3].symbol;
  cs[4].symbol = u[4].symbol;
  auto reps = analyse(cs);
  REQUIRE(reps);
  REQUIRE(reps->size() == 3);
  CHECK((*reps)[0].underlying == u[1].symbol);
  CHECK((*reps)[0].error.empty());
  CHECK((*reps)[1].underlying == "ZZNOPE");
  CHECK(!(*reps)[1].error.empty());
  CHECK((*reps)[2].underlying == u[2].symbol);
  CHECK((*reps)[2].error.empty());
}

TEST_CASE_METHOD(fixture, "Without a registered fetcher the analyzer answers unavailable",
                 "[options]") {
  start_analyzer();
  auto rep = analyse(std::string{"ABCD"});
  REQUIRE(!rep);
  CHECK(code_of(rep.error()) == ec::unavailable);
  auto reps = analyse(std::vector<candidate>(2));
  REQUIRE(!reps);
  CHECK(code_of(reps.error()) == ec::unavailable);
}
