// The PORTFOLIO MANAGER actor against a mock fetcher serving hand-made option chains, on
// the real scheduler with a ledger file in a temporary directory: scoped_actor requests
// with timeouts, no sleeps. Cash, P&L and delta are worked out in the tests (delta with
// a textbook Black-Scholes written here).
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

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

using namespace sc;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// -- the mock FETCHER ------------------------------------------------------------------

/// Hand-made chains the test may change between requests.
struct mock_data {
  std::mutex mx;
  std::map<std::string, option_chain> chains;
};

fetcher_actor::behavior_type mock_fetcher(fetcher_actor::pointer self,
                                          std::shared_ptr<mock_data> d) {
  return {
      [](atom::universe) { return std::vector<security>{}; },
      [](atom::quote, const std::vector<std::string>&) { return std::vector<quote>{}; },
      [](atom::bars, const std::string& s, int32_t) -> caf::result<bar_series> {
        return make_error(ec::not_found, std::string{"mock"}, s);
      },
      [](atom::fundament, const std::string& s) -> caf::result<fundamentals> {
        return make_error(ec::not_found, std::string{"mock"}, s);
      },
      [d](atom::chain, const std::string& s) -> caf::result<option_chain> {
        std::lock_guard<std::mutex> g{d->mx};
        auto i = d->chains.find(s);
        if (i == d->chains.end())
          return make_error(ec::not_found, std::string{"mock"}, s);
        return i->second;
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

// -- textbook Black-Scholes (independent of analytics/options) --------------------------

double norm_cdf(double x) {
  return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

double bs_d1(double s, double k, double t, double r, double v) {
  return (std::log(s / k) + (r + 0.5 * v * v) * t) / (v * std::sqrt(t));
}
double bs_call(double s, double k, double t, double r, double v) {
  const double d1 = bs_d1(s, k, t, r, v);
  return s * norm_cdf(d1) - k * std::exp(-r * t) * norm_cdf(d1 - v * std::sqrt(t));
}

// -- data -------------------------------------------------------------------------------

constexpr day_number today = 20'500;
const std::string contract = "ABC260402C00020000";
constexpr double strike = 20, rate = 0.04;
constexpr day_number expiry = today + 45;

/// A chain of ABC at `spot` at 15:00 UTC of `day` with our contract quoted bid/ask.
option_chain chain_of(double spot, double bid, double ask, day_number day = today) {
  option_chain c;
  c.underlying = "ABC";
  c.spot = spot;
  c.rate = rate;
  c.as_of = to_timestamp(day) + 15h;
  option_quote q;
  q.contract = contract;
  q.underlying = "ABC";
  q.type = option_type::call;
  q.style = exercise_style::european;
  q.strike = strike;
  q.expiry = expiry;
  q.bid = bid;
  q.ask = ask;
  q.last = 0.5 * (bid + ask);
  c.contracts.push_back(q);
  return c;
}

risk_decision approve(int64_t qty, double bid, double ask) {
  risk_decision d;
  d.decision = verdict::approve;
  d.quantity = qty;
  auto& idea = d.proposal.idea;
  idea.contract = contract;
  idea.underlying = "ABC";
  idea.type = option_type::call;
  idea.style = exercise_style::european;
  idea.strike = strike;
  idea.expiry = expiry;
  idea.days = 45;
  idea.spot = 20;
  idea.bid = bid;
  idea.ask = ask;
  idea.mid = 0.5 * (bid + ask);
  idea.iv = 0.5;
  idea.delta = 0.5;
  d.proposal.sector = "Tech";
  d.proposal.quantity = qty;
  d.proposal.price = ask;
  return d;
}

/// A fresh directory under the system's temporary directory, removed at the end.
struct temp_dir {
  fs::path path;
  temp_dir() {
    std::random_device rd;
    path = fs::temp_directory_path() /
           ("sc_pm_test_" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

// -- fixture ---------------------------------------------------------------------------

struct fixture {
  static caf::actor_system_config& init(caf::actor_system_config& c) {
    register_types(c);
    log::init_stderr(log::level::critical, "test");
    return c;
  }

  caf::actor_system_config cfg;
  caf::actor_system sys{init(cfg)};
  temp_dir dir;
  std::shared_ptr<config::settings> settings = [this] {
    auto s = std::make_shared<config::settings>();
    s->data.sources[0].timeout = 300ms;
    s->data.retry.max_attempts = 1;
    s->trading.ledger_db = (dir.path / "data" / "ledger.db").string();
    s->trading.starting_cash = 100'000;
    s->trading.fee_per_contract = 0.65;
    s->trading.slippage = 1.0;
    s->trading.stop_loss = 0.5;
    s->trading.profit_target = 1.0;
    return s;
  }();
  std::shared_ptr<mock_data> data = std::make_shared<mock_data>();
  fetcher_actor fetcher;
  portfolio_actor pm;

  void start_fetcher() {
    fetcher = sys.spawn(mock_fetcher, data);
    sys.registry().put(actors::names::fetcher,
                       caf::actor_cast<caf::strong_actor_ptr>(fetcher));
  }
  void stop_fetcher() {
    sys.registry().erase(actors::names::fetcher);
    caf::anon_send_exit(fetcher, caf::exit_reason::user_shutdown);
    fetcher = nullptr;
  }
  void start_pm() { pm = actors::spawn_portfolio_manager(sys, settings); }
  /// Stops the manager and waits until it is gone (its ledger file closed).
  void stop_pm() {
    caf::scoped_actor self{sys};
    self->monitor(pm);
    self->send_exit(pm, caf::exit_reason::user_shutdown);
    self->receive([](const caf::down_msg&) {});
    pm = nullptr;
  }
  void set_chain(option_chain c) {
    std::lock_guard<std::mutex> g{data->mx};
    data->chains[c.underlying] = std::move(c);
  }

  std::vector<std::string> open(const std::vector<risk_decision>& ds) {
    caf::scoped_actor self{sys};
    std::vector<std::string> out;
    self->request(pm, 10s, atom::open::value, ds)
        .receive([&](std::vector<std::string>& x) { out = std::move(x); },
                 [&](caf::error& e) { FAIL("open failed: " << describe(e)); });
    return out;
  }
  portfolio_snapshot mark() {
    caf::scoped_actor self{sys};
    portfolio_snapshot out;
    self->request(pm, 10s, atom::mark::value)
        .receive([&](portfolio_snapshot& x) { out = std::move(x); },
                 [&](caf::error& e) { FAIL("mark failed: " << describe(e)); });
    return out;
  }
  portfolio_snapshot get() {
    caf::scoped_actor self{sys};
    portfolio_snapshot out;
    self->request(pm, 10s, caf::get_atom::value)
        .receive([&](portfolio_snapshot& x) { out = std::move(x); },
                 [&](caf::error& e) { FAIL("get failed: " << describe(e)); });
    return out;
  }
  actor_health status() {
    caf::scoped_actor self{sys};
    actor_health h;
    self->request(pm, 5s, atom::status::value)
        .receive([&](actor_health& x) { h = std::move(x); },
                 [&](caf::error& e) { FAIL("status failed: " << describe(e)); });
    return h;
  }

  ~fixture() {
    sys.registry().erase(actors::names::fetcher);
    if (pm) caf::anon_send_exit(pm, caf::exit_reason::user_shutdown);
    if (fetcher) caf::anon_send_exit(fetcher, caf::exit_reason::user_shutdown);
  }
};

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

} // namespace

TEST_CASE_METHOD(fixture,
                 "opening buys at the ask and takes qty x 100 x ask plus fees from cash",
                 "[portfolio]") {
  start_fetcher();
  start_pm();
  CHECK(status().state == lifecycle::running);
  auto opened = open({approve(3, 1.40, 1.50)});
  REQUIRE(opened == std::vector<std::string>{contract});
  auto s = get();
  // 3 x 100 x 1.50 = 450, fees 3 x 0.65 = 1.95.
  CHECK(s.cash == Approx(100'000 - 450 - 1.95).epsilon(1e-12));
  REQUIRE(s.positions.size() == 1);
  const auto& p = s.positions[0];
  CHECK(p.symbol == contract);
  CHECK(p.quantity == 3);
  CHECK(p.avg_cost == Approx(1.50));
  CHECK(p.stop == Approx(0.75));   // 1.50 x (1 - 0.5)
  CHECK(p.target == Approx(3.00)); // 1.50 x (1 + 1.0)
  CHECK(s.fills == 1);
  // A contract already held is not bought twice; a rejected decision is ignored.
  auto again = approve(2, 1.40, 1.50);
  auto rejected = approve(2, 1.40, 1.50);
  rejected.decision = verdict::reject;
  rejected.proposal.idea.contract = "XYZ260402C00020000";
  CHECK(open({again, rejected}).empty());
  CHECK(get().fills == 1);
}

TEST_CASE_METHOD(fixture, "open respects trading.max_positions and cash", "[portfolio]") {
  settings->trading.max_positions = 1;
  start_pm();
  auto first = approve(1, 1.40, 1.50);
  auto second = approve(1, 1.40, 1.50);
  second.proposal.idea.contract = "ABC260402C00025000";
  CHECK(open({first, second}) == std::vector<std::string>{contract});
  settings->trading.max_positions = 10;
  stop_pm();
  start_pm();
  // 1,000 contracts at 1.50 would cost 150,000 with about 99,850 in cash.
  auto big = approve(1'000, 1.40, 1.50);
  big.proposal.idea.contract = "ABC260402C00030000";
  CHECK(open({big}).empty());
  CHECK(get().positions.size() == 1);
}

TEST_CASE_METHOD(
    fixture,
    "marking with a moved chain updates unrealized P&L and the delta at the new spot",
    "[portfolio]") {
  start_fetcher();
  start_pm();
  REQUIRE(open({approve(3, 1.40, 1.50)}).size() == 1);
  // The spot moves to 21.3; the contract's mid is the BSM value at 60% vol.
  const double spot = 21.3, vol = 0.6, years = 45 / 365.0;
  const double mid = bs_call(spot, strike, years, rate, vol);
  set_chain(chain_of(spot, mid - 0.05, mid + 0.05));
  auto s = mark();
  REQUIRE(s.positions.size() == 1);
  const auto& p = s.positions[0];
  CHECK(p.mark == Approx(mid).epsilon(1e-12));
  CHECK(p.unrealized == Approx(3 * 100 * (mid - 1.50)).epsilon(1e-12));
  CHECK(s.unrealized == Approx(3 * 100 * (mid - 1.50)).epsilon(1e-12));
  const double cash = 100'000 - 450 - 1.95;
  CHECK(s.cash == Approx(cash).epsilon(1e-12));
  CHECK(s.equity == Approx(cash + 300 * mid).epsilon(1e-12));
  // Position delta in shares: N(d1) at the implied 60% vol, times 300 shares.
  CHECK(p.delta ==
        Approx(300 * norm_cdf(bs_d1(spot, strike, years, rate, vol))).epsilon(1e-8));
  CHECK(s.time == to_timestamp(today) + 15h);
  CHECK(s.drawdown == 0);
  CHECK(status().state == lifecycle::running);
}

TEST_CASE_METHOD(fixture, "a mark through the stop sells at the bid", "[portfolio]") {
  start_fetcher();
  start_pm();
  REQUIRE(open({approve(3, 1.40, 1.50)}).size() == 1);
  // Mid 0.65 is below the stop 0.75: sold at the bid 0.60.
  set_chain(chain_of(17.5, 0.60, 0.70));
  auto s = mark();
  CHECK(s.positions.empty());
  CHECK(s.fills == 2);
  const double cash = 100'000 - 450 - 1.95 + 3 * 100 * 0.60 - 3 * 0.65;
  CHECK(s.cash == Approx(cash).epsilon(1e-12));
  CHECK(s.realized == Approx(3 * 100 * (0.60 - 1.50)).epsilon(1e-12));
  CHECK(s.equity == Approx(cash).epsilon(1e-12));
  // Equity fell from 100,000 (the first point of the curve: starting cash) only by the
  // round trip: the drawdown is measured from that peak.
  CHECK(s.drawdown == Approx((100'000 - cash) / 100'000).epsilon(1e-9));
}

TEST_CASE_METHOD(fixture, "the ledger survives a restart of the actor", "[portfolio]") {
  start_fetcher();
  start_pm();
  REQUIRE(open({approve(4, 1.40, 1.50)}).size() == 1);
  set_chain(chain_of(20.5, 1.70, 1.80));
  auto before = mark();
  stop_pm();
  REQUIRE(fs::exists(fs::path(settings->trading.ledger_db)));
  start_pm();
  CHECK(status().state == lifecycle::running);
  auto after = get();
  CHECK(after.cash == before.cash);
  CHECK(after.fills == before.fills);
  CHECK(after.realized == before.realized);
  REQUIRE(after.positions.size() == 1);
  CHECK(after.positions[0].symbol == contract);
  CHECK(after.positions[0].quantity == 4);
  CHECK(after.positions[0].avg_cost == before.positions[0].avg_cost);
  CHECK(after.positions[0].mark == Approx(1.75));
  CHECK(after.positions[0].stop == before.positions[0].stop);
  CHECK(after.equity == Approx(before.equity).epsilon(1e-12));
}

TEST_CASE_METHOD(
    fixture,
    "a corrupt ledger file degrades the actor but it answers and the file is untouched",
    "[portfolio]") {
  const fs::path file = fs::path(settings->trading.ledger_db);
  fs::create_directories(file.parent_path());
  const std::string garbage(8192, 'x');
  {
    std::ofstream out(file, std::ios::binary);
    out << "this is not a database " << garbage;
  }
  const auto size_before = fs::file_size(file);
  start_pm();
  auto h = status();
  CHECK(h.state == lifecycle::degraded);
  CHECK(contains(h.last_error, file.string()));
  auto s = get();
  CHECK(s.cash == 100'000);
  CHECK(s.positions.empty());
  // It still trades, in memory.
  CHECK(open({approve(1, 1.40, 1.50)}).size() == 1);
  CHECK(get().cash == Approx(100'000 - 150 - 0.65));
  CHECK(status().state == lifecycle::degraded);
  stop_pm();
  std::ifstream in(file, std::ios::binary);
  std::string content((std::istreambuf_iterator<char>(in)),
                      std::istreambuf_iterator<char>());
  CHECK(fs::file_size(file) == size_before);
  CHECK(content == "this is not a database " + garbage);
}

TEST_CASE_METHOD(
    fixture, "without a fetcher a mark returns the last marked state stale and degraded",
    "[portfolio]") {
  start_fetcher();
  start_pm();
  REQUIRE(open({approve(2, 1.40, 1.50)}).size() == 1);
  set_chain(chain_of(20.8, 1.90, 2.00));
  auto first = mark();
  REQUIRE(first.positions.size() == 1);
  stop_fetcher();
  set_chain(chain_of(25.0, 5.00, 5.10, today + 1)); // would move everything, if fetched
  auto s = mark();
  CHECK(s.time == first.time);
  REQUIRE(s.positions.size() == 1);
  CHECK(s.positions[0].mark == first.positions[0].mark);
  CHECK(s.equity == first.equity);
  auto h = status();
  CHECK(h.state == lifecycle::degraded);
  CHECK(contains(h.last_error, "fetcher"));
  // A failing chain request (unknown underlying) keeps the mark too.
  start_fetcher();
  {
    std::lock_guard<std::mutex> g{data->mx};
    data->chains.clear();
  }
  auto t = mark();
  CHECK(t.positions[0].mark == first.positions[0].mark);
  CHECK(status().state == lifecycle::degraded);
  // Data back: running again.
  set_chain(chain_of(20.8, 1.95, 2.05, today + 1));
  auto u = mark();
  CHECK(u.positions[0].mark == Approx(2.00));
  CHECK(status().state == lifecycle::running);
}

TEST_CASE_METHOD(fixture, "an expired option settles at its intrinsic value",
                 "[portfolio]") {
  start_fetcher();
  start_pm();
  REQUIRE(open({approve(2, 1.40, 1.50)}).size() == 1);
  // The day after expiry the contract is gone from the chain; the spot is 22.4:
  // intrinsic 2.40 per share, no fees at settlement.
  auto c = chain_of(22.4, 0, 0, expiry + 1);
  c.contracts.clear();
  set_chain(c);
  auto s = mark();
  CHECK(s.positions.empty());
  const double cash = 100'000 - 300 - 1.30 + 2 * 100 * 2.40;
  CHECK(s.cash == Approx(cash).epsilon(1e-12));
  CHECK(s.realized == Approx(2 * 100 * (2.40 - 1.50)).epsilon(1e-12));
}
