// One node on a small simulated market: a full cycle gives consistent outputs, and the
// node survives the crash of any pipeline actor.

#include "actors/registry.hpp"
#include "adapters/sim/market.hpp"
#include "app/log.hpp"
#include "app/node.hpp"
#include "messages/caf_errors.hpp"

#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <random>

using namespace sc;
using namespace std::chrono_literals;

namespace {

struct temp_dir {
  std::filesystem::path path;
  temp_dir() {
    std::random_device rd;
    path = std::filesystem::temp_directory_path() /
           ("sc-int-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

std::shared_ptr<config::settings> small_market(const temp_dir& dir) {
  auto s = std::make_shared<config::settings>();
  s->data.sim.universe_size = 150;
  s->trading.ledger_db = ":memory:";
  s->options.iv_history_db = (dir.path / "iv.db").string();
  s->service.restart_backoff = 20ms;
  s->service.log_level = "warn";
  return s;
}

struct node_fixture {
  temp_dir dir;
  std::shared_ptr<config::settings> cfg = small_market(dir);
  app::system_config acfg;
  caf::actor_system sys{acfg};
  std::unique_ptr<app::node> n;

  node_fixture() {
    log::init_stderr(log::level::error);
    n = std::make_unique<app::node>(sys, cfg);
    REQUIRE(n->start({false}).empty());
  }
  ~node_fixture() { n->stop(); }

  caf::expected<cycle_report> cycle() {
    caf::scoped_actor self{sys};
    auto p = actors::lookup<pipeline_actor>(sys, actors::names::pipeline);
    caf::expected<cycle_report> out{caf::error{}};
    if (!p) return make_error(ec::unavailable, "pipeline");
    self->request(p, 60s, atom::cycle::value)
        .receive([&](cycle_report& r) { out = std::move(r); },
                 [&](caf::error& e) { out = std::move(e); });
    return out;
  }

  health_report health() {
    caf::scoped_actor self{sys};
    health_report out;
    self->request(n->supervisor(), 10s, atom::health::value)
        .receive([&](health_report& h) { out = std::move(h); },
                 [&](caf::error& e) { FAIL("health: " << sys.render(e)); });
    return out;
  }

  const actor_health& child(const health_report& h, const std::string& name) {
    for (auto& a : h.actors)
      if (a.name == name) return a;
    FAIL("no child " << name);
    throw std::logic_error("unreachable");
  }

  /// Asks the supervisor until `name` has been restarted `restarts` times and runs
  /// again (each round waits up to 50 ms for nothing, so no busy loop and no sleep).
  bool wait_restarted(const std::string& name, int64_t restarts) {
    caf::scoped_actor self{sys};
    for (int i = 0; i < 200; ++i) {
      auto h = health();
      auto& c = child(h, name);
      if (c.restarts >= restarts && c.state == lifecycle::running &&
          actors::lookup<caf::actor>(sys, caf::atom_from_string(name)))
        return true;
      self->receive(caf::after(50ms) >> [] {});
    }
    return false;
  }
};

} // namespace

TEST_CASE_METHOD(node_fixture,
                 "one cycle produces consistent candidates, ideas and positions") {
  auto r = cycle();
  REQUIRE(r);
  auto& scan = r->scan;
  REQUIRE(scan.universe_size == 150);
  REQUIRE(!scan.candidates.empty());

  // Every candidate passes the filters, checked against the market's own data.
  sim::market market{cfg->data.sim};
  auto& f = cfg->scanner.filters;
  for (auto& c : scan.candidates) {
    auto bars = market.bars(c.symbol, 30);
    REQUIRE(bars);
    double last = bars->close.back();
    CHECK(last >= f.price_min);
    CHECK(last <= f.price_max);
    CHECK(c.market_cap >= cfg->trading.market_cap_min);
    CHECK(c.market_cap <= cfg->trading.market_cap_max);
    double vol = 0;
    for (size_t i = bars->size() - 20; i < bars->size(); ++i)
      vol += bars->volume[i];
    CHECK(vol / 20 >= f.avg_volume_min);
    CHECK(c.score >= 0);
    CHECK(c.score <= 1);
    double weights = 0, sum = 0;
    for (auto& fs : c.factors) {
      weights += fs.weight;
      sum += fs.weight * fs.score;
    }
    CHECK(weights == Approx(1.0).epsilon(1e-12));
    CHECK(sum == Approx(c.score).epsilon(1e-9));
  }
  for (size_t i = 1; i < scan.candidates.size(); ++i)
    CHECK(scan.candidates[i - 1].score >= scan.candidates[i].score);
  int64_t rejected = 0;
  for (auto& rc : scan.rejections)
    rejected += rc.count;
  CHECK(rejected == scan.universe_size - scan.passed);

  // Option ideas: Greeks within their bounds, ranked, inside the configured bands.
  REQUIRE(!r->options.empty());
  size_t ideas = 0;
  for (auto& rep : r->options) {
    for (size_t i = 0; i < rep.ideas.size(); ++i) {
      auto& o = rep.ideas[i];
      ++ideas;
      CHECK(std::fabs(o.delta) <= 1.0);
      CHECK((o.type == option_type::call ? o.delta >= 0 : o.delta <= 0));
      CHECK(o.gamma >= 0);
      CHECK(o.vega >= 0);
      CHECK(o.iv > 0);
      CHECK(o.days >= cfg->options.min_days);
      CHECK(o.days <= cfg->options.max_days);
      CHECK(o.bid <= o.ask);
      CHECK(o.pop >= 0);
      CHECK(o.pop <= 1);
      if (i > 0) CHECK(rep.ideas[i - 1].score >= o.score);
    }
  }
  CHECK(ideas > 0);

  // Positions respect the limits and the books balance.
  auto& pf = r->portfolio;
  CHECK(static_cast<int>(pf.positions.size()) <= cfg->risk.max_positions);
  double marked = 0;
  for (auto& p : pf.positions) {
    CHECK(p.quantity > 0);
    CHECK(p.avg_cost * 100 * static_cast<double>(p.quantity) <=
          cfg->risk.max_position * cfg->trading.starting_cash + 1e-6);
    marked += p.market_value;
  }
  CHECK(pf.equity == Approx(pf.cash + marked).epsilon(1e-12));
  for (auto& d : r->decisions) {
    CHECK(d.quantity <= d.proposal.quantity);
    if (d.decision == verdict::reject) CHECK(d.quantity == 0);
    CHECK(!d.reason.empty());
  }
  CHECK(r->opened.size() <= r->decisions.size());
  CHECK(r->risk.var >= 0);
  CHECK(r->risk.cvar >= r->risk.var);
}

TEST_CASE_METHOD(node_fixture,
                 "a crashed pipeline actor is restarted and the next cycle completes") {
  REQUIRE(cycle());
  for (auto name :
       {"scanner", "options", "risk", "portfolio", "fetcher", "src_sim", "pipeline"}) {
    INFO("crashing " << name);
    auto before = child(health(), name).restarts;
    auto victim = actors::lookup<control_actor>(sys, caf::atom_from_string(name));
    REQUIRE(victim);
    caf::anon_send(victim, atom::crash::value);
    REQUIRE(wait_restarted(name, before + 1));
    auto r = cycle();
    REQUIRE(r);
    CHECK(!r->scan.candidates.empty());
  }
  auto h = health();
  CHECK(h.healthy);
}
