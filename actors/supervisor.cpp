// The SUPERVISOR actor.
//
// Per child:
//
//   running --down (error)--> waiting --backoff elapsed--> running
//      |                         |
//      |                         `--too many failures in the window--> given up
//      `--down (normal / user_shutdown)--> stopped
//
// Giving up escalates: the supervisor exits with ec::limit_breached, which the node's
// main loop turns into a failed exit. A child that stays up for restart_window has its
// backoff reset (the "stable" tick, carrying a generation so stale ticks are ignored).

#include "actors/actors.hpp"
#include "actors/common.hpp"
#include "actors/registry.hpp"

#include "config/settings.hpp"

#include <caf/actor_clock.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include <chrono>
#include <deque>

namespace sc::actors {

namespace {

/// The restart window is measured on the actor system's clock, the one that also runs
/// the restart and stable timers (steady_clock in production, the simulated clock under
/// the test coordinator), so failures and timers share one time base.
using clock_type = caf::actor_clock::clock_type;

struct child_entry {
  child_spec spec;
  caf::strong_actor_ptr handle; ///< Null while waiting for a restart.
  lifecycle state = lifecycle::starting;
  int64_t restarts = 0;
  int consecutive = 0;                         ///< Failures since the last stable period.
  std::deque<clock_type::time_point> failures; ///< Within the restart window.
  uint64_t gen = 0; ///< Invalidates stale restart/stable ticks.
  std::string last_error;
};

/// Shared with the exit hook, which runs when the state may already be gone.
using child_table = std::vector<child_entry>;

struct supervisor_state {
  static inline const char* name = "supervisor";
  settings_ptr cfg;
  std::shared_ptr<child_table> children;
  bool stopping = false;

  child_entry* find(const std::string& n) {
    for (auto& c : *children)
      if (c.spec.name == n) return &c;
    return nullptr;
  }
};

using self_ptr = supervisor_actor::stateful_pointer<supervisor_state>;

void start_child(self_ptr self, child_entry& c) {
  auto& sys = self->system();
  c.handle = c.spec.spawn(sys);
  if (!c.handle) {
    c.state = lifecycle::stopped;
    c.last_error = "spawn failed";
    log::error(supervisor_state::name, "spawn_failed", {log::kv("child", c.spec.name)});
    return;
  }
  sys.registry().put(c.spec.registry_name, c.handle);
  self->monitor(c.handle);
  c.state = lifecycle::running;
  ++c.gen;
  self->delayed_send(self, self->state.cfg->service.restart_window, atom::stable::value,
                     c.spec.name, c.gen);
  log::info(supervisor_state::name, "child_started",
            {log::kv("child", c.spec.name), log::kv("restarts", c.restarts)});
}

supervisor_actor::behavior_type supervisor(self_ptr self, settings_ptr cfg,
                                           std::vector<child_spec> specs) {
  guard_exceptions(self, supervisor_state::name);
  auto& st = self->state;
  st.cfg = cfg;
  st.children = std::make_shared<child_table>();
  for (auto& s : specs) {
    child_entry c;
    c.spec = std::move(s);
    st.children->push_back(std::move(c));
  }
  // Children are monitored, not linked: stop them explicitly when we go.
  auto table = st.children;
  auto* sys = &self->system();
  self->attach_functor([table, sys](const caf::error&) {
    for (auto i = table->rbegin(); i != table->rend(); ++i) {
      sys->registry().erase(i->spec.registry_name);
      if (i->handle) caf::anon_send_exit(i->handle, caf::exit_reason::user_shutdown);
    }
  });
  self->set_down_handler([=](caf::down_msg& dm) {
    auto& s = self->state;
    child_entry* c = nullptr;
    for (auto& e : *s.children)
      if (e.handle && e.handle->address() == dm.source) c = &e;
    if (c == nullptr) return;
    c->handle = nullptr;
    self->system().registry().erase(c->spec.registry_name);
    if (!dm.reason || dm.reason == caf::exit_reason::user_shutdown || s.stopping) {
      c->state = lifecycle::stopped;
      log::info(supervisor_state::name, "child_stopped",
                {log::kv("child", c->spec.name)});
      return;
    }
    auto now = self->clock().now();
    c->last_error = self->system().render(dm.reason);
    c->failures.push_back(now);
    while (!c->failures.empty() &&
           now - c->failures.front() > s.cfg->service.restart_window)
      c->failures.pop_front();
    ++c->gen;
    if (static_cast<int>(c->failures.size()) > s.cfg->service.max_restarts) {
      c->state = lifecycle::stopped;
      log::error(supervisor_state::name, "restart_limit",
                 {log::kv("child", c->spec.name), log::kv("error", c->last_error),
                  log::kv("failures", static_cast<int64_t>(c->failures.size())),
                  log::kv("window_s",
                          static_cast<int64_t>(s.cfg->service.restart_window.count()))});
      self->quit(make_error(ec::limit_breached, c->spec.name, c->last_error));
      return;
    }
    auto& svc = s.cfg->service;
    auto delay = svc.restart_backoff * (int64_t{1} << std::min(c->consecutive, 20));
    if (delay > svc.restart_backoff_max) delay = svc.restart_backoff_max;
    ++c->consecutive;
    c->state = lifecycle::degraded;
    log::warn(supervisor_state::name, "child_failed",
              {log::kv("child", c->spec.name), log::kv("error", c->last_error),
               log::kv("restart_in_ms", static_cast<int64_t>(delay.count()))});
    self->delayed_send(self, delay, atom::restart::value, c->spec.name, c->gen);
  });
  for (auto& c : *st.children)
    start_child(self, c);
  return {
      [=](atom::health) -> caf::result<health_report> {
        auto& s = self->state;
        health_report r;
        r.node = s.cfg->service.node;
        r.healthy = true;
        auto pending = std::make_shared<size_t>(0);
        for (auto& c : *s.children) {
          r.actors.push_back(
              actor_health{c.spec.name, c.state, c.restarts, c.last_error});
          if (c.state != lifecycle::running) r.healthy = false;
          if (c.handle) ++*pending;
        }
        if (*pending == 0) return r;
        // Ask each live child for its own view (degraded data sources and the like).
        auto rp = self->make_response_promise<health_report>();
        auto report = std::make_shared<health_report>(std::move(r));
        size_t i = 0;
        for (auto& c : *s.children) {
          auto idx = i++;
          if (!c.handle) continue;
          auto h = caf::actor_cast<control_actor>(c.handle);
          auto done = [=]() mutable {
            if (--*pending == 0) rp.deliver(*report);
          };
          self->request(h, std::chrono::seconds{2}, atom::status::value)
              .then(
                  [=](actor_health& ah) mutable {
                    auto& mine = report->actors[idx];
                    if (ah.state == lifecycle::degraded) {
                      mine.state = lifecycle::degraded;
                      mine.last_error = ah.last_error;
                      report->healthy = false;
                    }
                    done();
                  },
                  [=](caf::error& err) mutable {
                    auto& mine = report->actors[idx];
                    mine.state = lifecycle::degraded;
                    mine.last_error = "status: " + describe(err);
                    report->healthy = false;
                    done();
                  });
        }
        return rp;
      },
      [=](atom::restart, const std::string& name, uint64_t gen) {
        auto* c = self->state.find(name);
        if (c == nullptr || c->gen != gen || c->handle) return;
        ++c->restarts;
        start_child(self, *c);
      },
      [=](atom::stable, const std::string& name, uint64_t gen) {
        auto* c = self->state.find(name);
        if (c != nullptr && c->gen == gen && c->handle) c->consecutive = 0;
      },
  };
}

} // namespace

supervisor_actor spawn_supervisor(caf::actor_system& sys, settings_ptr cfg,
                                  std::vector<child_spec> children) {
  return sys.spawn(supervisor, std::move(cfg), std::move(children));
}

} // namespace sc::actors
