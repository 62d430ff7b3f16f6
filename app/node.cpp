#include "app/node.hpp"

#include "actors/registry.hpp"
#include "adapters/sim/market.hpp"
#include "app/log.hpp"
#include "messages/caf_errors.hpp"
#include "messages/register.hpp"

#include <caf/actor_cast.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>

#include <chrono>
#include <thread>

namespace sc::app {

system_config::system_config() {
  register_types(*this);
  // Two cores: the default (4 workers on this box) only adds context switches.
  auto workers = std::max(2u, std::thread::hardware_concurrency());
  set("scheduler.max-threads", static_cast<size_t>(workers));
}

node::node(caf::actor_system& sys, actors::settings_ptr cfg)
    : sys_(sys), cfg_(std::move(cfg)) {}

node::~node() {
  stop();
}

std::string node::start(const node_options& opts) {
  using namespace actors;
  std::vector<child_spec> children;
  auto cfg = cfg_;
  bool sim_enabled = false;
  for (auto& s : cfg->data.sources)
    if (s.enabled && s.name == "sim") sim_enabled = true;
  if (sim_enabled) {
    if (auto why = sim::market::validate(cfg->data.sim); !why.empty()) return why;
    auto t0 = std::chrono::steady_clock::now();
    auto market = std::make_shared<const sim::market>(cfg->data.sim);
    log::info("node", "sim_market_ready",
              {log::kv("symbols", static_cast<int64_t>(market->universe().size())),
               log::kv("ms", std::chrono::duration<double, std::milli>(
                                 std::chrono::steady_clock::now() - t0)
                                 .count())});
    // The simulated session starts three hours after the open, so the first cycle sees
    // a market with the day's volume and open interest built up instead of the empty
    // book of 09:30 (the sim clock maps `origin` to the first open).
    auto into_session =
        std::chrono::duration<double>(3 * 3600.0 / cfg->data.sim.clock_speed);
    auto origin = std::chrono::time_point_cast<timestamp::duration>(
        std::chrono::system_clock::now() -
        std::chrono::duration_cast<std::chrono::system_clock::duration>(into_session));
    children.push_back({"src_sim", source_name("sim"), [=](caf::actor_system& sys) {
                          return caf::actor_cast<caf::strong_actor_ptr>(
                              spawn_sim_source(sys, cfg, market, origin));
                        }});
  }
  children.push_back({"fetcher", names::fetcher, [=](caf::actor_system& sys) {
                        return caf::actor_cast<caf::strong_actor_ptr>(
                            spawn_fetcher(sys, cfg));
                      }});
  children.push_back({"portfolio", names::portfolio, [=](caf::actor_system& sys) {
                        return caf::actor_cast<caf::strong_actor_ptr>(
                            spawn_portfolio_manager(sys, cfg));
                      }});
  children.push_back({"risk", names::risk, [=](caf::actor_system& sys) {
                        return caf::actor_cast<caf::strong_actor_ptr>(
                            spawn_risk_manager(sys, cfg));
                      }});
  children.push_back({"scanner", names::scanner, [=](caf::actor_system& sys) {
                        return caf::actor_cast<caf::strong_actor_ptr>(
                            spawn_scanner(sys, cfg));
                      }});
  children.push_back({"options", names::options, [=](caf::actor_system& sys) {
                        return caf::actor_cast<caf::strong_actor_ptr>(
                            spawn_options_analyzer(sys, cfg));
                      }});
  bool periodic = opts.periodic;
  children.push_back({"pipeline", names::pipeline, [=](caf::actor_system& sys) {
                        return caf::actor_cast<caf::strong_actor_ptr>(
                            spawn_pipeline(sys, cfg, periodic));
                      }});
  sup_ = spawn_supervisor(sys_, cfg_, std::move(children));
  sys_.registry().put(names::supervisor, caf::actor_cast<caf::strong_actor_ptr>(sup_));
  // The supervisor spawns its children while it initialises; a health request is
  // answered only after that, so every child is registered when it returns.
  caf::scoped_actor self{sys_};
  std::string err;
  self->request(sup_, std::chrono::seconds{30}, atom::health::value)
      .receive([](health_report&) {},
               [&](caf::error& e) { err = "supervisor: " + sys_.render(e); });
  return err;
}

void node::stop() {
  if (!sup_) return;
  sys_.registry().erase(actors::names::supervisor);
  caf::anon_send_exit(sup_, caf::exit_reason::user_shutdown);
  sup_ = nullptr;
}

} // namespace sc::app
