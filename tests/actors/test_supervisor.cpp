// The SUPERVISOR actor with tiny CONTROL children, on CAF's test coordinator: messages
// are delivered by sched.run() and time moves only with sched.advance_time(), so restart
// backoffs are checked just before and at the instant they elapse.
#include "actors/actors.hpp"
#include "actors/registry.hpp"
#include "app/log.hpp"
#include "config/settings.hpp"
#include "messages/caf_errors.hpp"
#include "messages/register.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

using namespace sc;
using sc::actors::child_spec;
using namespace std::chrono_literals;

namespace {

// -- the child -------------------------------------------------------------------------

/// Answers status; on atom::crash it exits with `reason` (an error = a crash, none = a
/// normal finish).
control_actor::behavior_type child(control_actor::pointer self, std::string name,
                                   caf::error reason) {
  return {
      [=](atom::status) {
        return actor_health{name, lifecycle::running, 0, ""};
      },
      [=](atom::crash) { self->quit(reason); },
  };
}

const caf::atom_value kid_a = caf::atom("kid_a");
const caf::atom_value kid_b = caf::atom("kid_b");

// -- fixture ---------------------------------------------------------------------------

struct fixture {
  static caf::actor_system_config& init(caf::actor_system_config& c) {
    register_types(c);
    c.set("scheduler.policy", caf::atom("testing"));
    log::init_stderr(log::level::off, "test");
    return c;
  }

  static std::shared_ptr<config::settings> make_settings() {
    auto s = std::make_shared<config::settings>();
    s->service.node = "test-node";
    s->service.max_restarts = 5;
    s->service.restart_window = 60s;
    s->service.restart_backoff = 100ms;
    s->service.restart_backoff_max = 10'000ms;
    return s;
  }

  caf::actor_system_config cfg;
  caf::actor_system sys{init(cfg)};
  caf::scoped_actor self{sys, true};
  caf::scheduler::test_coordinator& sched =
      dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler());
  std::shared_ptr<config::settings> settings = make_settings();
  /// Instances spawned per child.
  std::shared_ptr<int> spawned_a = std::make_shared<int>(0);
  std::shared_ptr<int> spawned_b = std::make_shared<int>(0);
  supervisor_actor sup;

  static child_spec spec(std::string name, caf::atom_value reg, std::shared_ptr<int> n,
                         caf::error crash_reason) {
    return child_spec{name, reg, [=](caf::actor_system& sys) {
                        ++*n;
                        return caf::actor_cast<caf::strong_actor_ptr>(
                            sys.spawn(child, name, crash_reason));
                      }};
  }

  /// Starts a supervisor of kid_a (crashes with ec::crash_requested, or exits normally
  /// when `a_crashes` is false) and kid_b.
  void start(bool a_crashes = true) {
    caf::error a_reason;
    if (a_crashes) a_reason = make_error(ec::crash_requested, std::string{"kid_a"});
    std::vector<child_spec> specs{
        spec("kid_a", kid_a, spawned_a, a_reason),
        spec("kid_b", kid_b, spawned_b, make_error(ec::crash_requested, "kid_b"))};
    sup = actors::spawn_supervisor(sys, settings, std::move(specs));
    sched.run();
  }

  control_actor registered(caf::atom_value name) {
    return actors::lookup<control_actor>(sys, name);
  }

  /// Tells the child registered under `name` to crash and delivers the consequences.
  control_actor crash(caf::atom_value name) {
    auto h = registered(name);
    REQUIRE(h);
    caf::anon_send(h, atom::crash::value);
    sched.run();
    return h;
  }

  void advance(caf::timespan d) {
    sched.advance_time(d);
    sched.run();
  }

  health_report health() {
    auto rh = self->request(sup, caf::infinite, atom::health::value);
    sched.run();
    REQUIRE_FALSE(self->mailbox().empty());
    health_report out;
    rh.receive([&](health_report& r) { out = std::move(r); },
               [&](caf::error& e) { FAIL("health failed: " << describe(e)); });
    return out;
  }

  static const actor_health& entry(const health_report& r, const std::string& name) {
    for (auto& a : r.actors)
      if (a.name == name) return a;
    FAIL("no " << name << " in the health report");
    return r.actors.front();
  }

  /// The next down message in the test's mailbox, without blocking.
  caf::optional<caf::down_msg> next_down() {
    caf::optional<caf::down_msg> out;
    self->receive([&](caf::down_msg& dm) { out = std::move(dm); },
                  caf::after(std::chrono::seconds(0)) >> [] {});
    return out;
  }

  ~fixture() {
    if (sup) caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
    sched.run();
  }
};

} // namespace

TEST_CASE_METHOD(fixture,
                 "children are spawned, registered under their names and "
                 "reported running",
                 "[supervisor]") {
  start();
  CHECK(*spawned_a == 1);
  CHECK(*spawned_b == 1);
  REQUIRE(registered(kid_a));
  REQUIRE(registered(kid_b));
  CHECK(registered(kid_a) != registered(kid_b));
  auto r = health();
  CHECK(r.node == "test-node");
  CHECK(r.healthy);
  REQUIRE(r.actors.size() == 2);
  CHECK(r.actors[0].name == "kid_a");
  CHECK(r.actors[1].name == "kid_b");
  for (auto& a : r.actors) {
    CHECK(a.state == lifecycle::running);
    CHECK(a.restarts == 0);
  }
}

TEST_CASE_METHOD(fixture,
                 "a crashed child is restarted after restart_backoff under the "
                 "same name with a new handle",
                 "[supervisor]") {
  start();
  auto old_b = registered(kid_b);
  auto old = crash(kid_a);
  CHECK_FALSE(registered(kid_a)); // unregistered while waiting
  {
    auto r = health();
    CHECK_FALSE(r.healthy);
    CHECK(entry(r, "kid_a").state == lifecycle::degraded);
    CHECK(entry(r, "kid_a").last_error.find("crash_requested") != std::string::npos);
    CHECK(entry(r, "kid_b").state == lifecycle::running);
  }
  advance(99ms);
  CHECK(*spawned_a == 1);
  CHECK_FALSE(registered(kid_a));
  advance(1ms);
  CHECK(*spawned_a == 2);
  auto now = registered(kid_a);
  REQUIRE(now);
  CHECK(now != old);
  CHECK(registered(kid_b) == old_b); // the sibling is untouched
  CHECK(*spawned_b == 1);
  auto r = health();
  CHECK(r.healthy);
  CHECK(entry(r, "kid_a").state == lifecycle::running);
  CHECK(entry(r, "kid_a").restarts == 1);
  CHECK(entry(r, "kid_b").restarts == 0);
}

TEST_CASE_METHOD(fixture, "repeated crashes back off exponentially", "[supervisor]") {
  start();
  for (auto delay : {100ms, 200ms, 400ms, 800ms}) {
    auto before = *spawned_a;
    crash(kid_a);
    advance(delay - 1ms);
    CHECK(*spawned_a == before);
    CHECK_FALSE(registered(kid_a));
    advance(1ms);
    CHECK(*spawned_a == before + 1);
    CHECK(registered(kid_a));
  }
  CHECK(entry(health(), "kid_a").restarts == 4);
}

TEST_CASE_METHOD(fixture, "the restart backoff is capped at restart_backoff_max",
                 "[supervisor]") {
  settings->service.restart_backoff_max = 300ms;
  start();
  for (auto delay : {100ms, 200ms, 300ms, 300ms}) {
    auto before = *spawned_a;
    crash(kid_a);
    advance(delay - 1ms);
    CHECK(*spawned_a == before);
    advance(1ms);
    CHECK(*spawned_a == before + 1);
  }
}

TEST_CASE_METHOD(fixture,
                 "a child that stays up for restart_window starts again from the "
                 "first backoff",
                 "[supervisor]") {
  start();
  crash(kid_a);
  advance(100ms);
  crash(kid_a);
  advance(200ms);
  REQUIRE(*spawned_a == 3);
  advance(60s); // stable for the whole window
  crash(kid_a);
  advance(99ms);
  CHECK(*spawned_a == 3);
  advance(1ms);
  CHECK(*spawned_a == 4);
}

TEST_CASE_METHOD(fixture,
                 "more than max_restarts failures within restart_window make the "
                 "supervisor exit with ec::limit_breached",
                 "[supervisor]") {
  settings->service.max_restarts = 2;
  start();
  self->monitor(sup);
  auto b = registered(kid_b);
  self->monitor(b);
  crash(kid_a);
  advance(100ms);
  crash(kid_a);
  advance(200ms);
  REQUIRE(*spawned_a == 3);
  CHECK_FALSE(next_down()); // two restarts are allowed
  crash(kid_a);             // the third failure within the window
  caf::optional<caf::down_msg> sup_down;
  caf::optional<caf::down_msg> b_down;
  for (int i = 0; i < 2; ++i) {
    auto dm = next_down();
    REQUIRE(dm);
    if (dm->source == sup.address()) sup_down = dm;
    if (dm->source == b.address()) b_down = dm;
  }
  REQUIRE(sup_down);
  CHECK(code_of(sup_down->reason) == ec::limit_breached);
  const auto& ctx = sup_down->reason.context();
  REQUIRE(ctx.match_element<std::string>(0));
  CHECK(ctx.get_as<std::string>(0) == "kid_a");
  // Giving up stops the other children too.
  REQUIRE(b_down);
  CHECK(b_down->reason == caf::exit_reason::user_shutdown);
  CHECK_FALSE(registered(kid_a));
  CHECK_FALSE(registered(kid_b));
  advance(10s);
  CHECK(*spawned_a == 3);
}

TEST_CASE_METHOD(fixture,
                 "failures further apart than restart_window do not add up to "
                 "the restart limit",
                 "[supervisor]") {
  settings->service.max_restarts = 2;
  settings->service.restart_window = 10s;
  start();
  self->monitor(sup);
  for (int i = 0; i < 5; ++i) {
    INFO("crash " << i);
    crash(kid_a);
    advance(11s);
  }
  CHECK(*spawned_a == 6);
  CHECK_FALSE(next_down());
  CHECK(entry(health(), "kid_a").restarts == 5);
}

TEST_CASE_METHOD(fixture, "a child that exits normally is not restarted",
                 "[supervisor]") {
  SECTION("on user_shutdown") {
    start();
    caf::anon_send_exit(registered(kid_a), caf::exit_reason::user_shutdown);
    sched.run();
  }
  SECTION("on a normal exit of its own") {
    start(false);
    crash(kid_a); // this kid_a quits without an error
  }
  CHECK_FALSE(registered(kid_a));
  advance(30s);
  CHECK(*spawned_a == 1);
  CHECK_FALSE(registered(kid_a));
  auto r = health();
  CHECK(entry(r, "kid_a").state == lifecycle::stopped);
  CHECK(entry(r, "kid_a").restarts == 0);
  CHECK(entry(r, "kid_b").state == lifecycle::running);
  CHECK(registered(kid_b));
}

TEST_CASE_METHOD(fixture,
                 "when the supervisor exits every child is stopped and "
                 "unregistered",
                 "[supervisor]") {
  start();
  auto a = registered(kid_a);
  auto b = registered(kid_b);
  REQUIRE(a);
  REQUIRE(b);
  self->monitor(a);
  self->monitor(b);
  self->monitor(sup);
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
  sched.run();
  int children = 0;
  bool sup_gone = false;
  while (auto dm = next_down()) {
    if (dm->source == sup.address()) {
      sup_gone = true;
    } else {
      CHECK((dm->source == a.address() || dm->source == b.address()));
      CHECK(dm->reason == caf::exit_reason::user_shutdown);
      ++children;
    }
  }
  CHECK(sup_gone);
  CHECK(children == 2);
  CHECK_FALSE(registered(kid_a));
  CHECK_FALSE(registered(kid_b));
}

TEST_CASE_METHOD(fixture,
                 "a supervisor that exits while a child waits for its restart "
                 "does not start it again",
                 "[supervisor]") {
  start();
  crash(kid_a);
  caf::anon_send_exit(sup, caf::exit_reason::user_shutdown);
  sched.run();
  advance(1s);
  CHECK(*spawned_a == 1);
  CHECK_FALSE(registered(kid_a));
  CHECK_FALSE(registered(kid_b));
}
