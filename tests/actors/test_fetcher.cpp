// The FETCHER actor against two scripted mock SOURCE actors ("yahoo" tried first, then
// "sim"), on CAF's test coordinator: every message is delivered by sched.run() and time
// only moves with sched.advance_time(), so TTLs, retry backoffs and circuit cooldowns are
// checked at exact instants, without sleeps.
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
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

using namespace sc;
using namespace std::chrono_literals;

namespace {

// -- the mock SOURCE -------------------------------------------------------------------

/// What a mock source does and what it saw. The test edits it between sched.run() calls:
/// the test coordinator runs every actor on the test's own thread, so there is no race.
struct source_script {
  std::string name;
  /// Requests received, by kind ("bars", "quotes", ...).
  std::map<std::string, int> requests;
  /// Every request fails with this code (ec::none = answer normally) ...
  ec fail = ec::none;
  /// ... this many times (-1 = for ever), then the source answers again.
  int fail_times = -1;
  /// Bars requests are held unanswered (so the fetcher's per-source timeout fires).
  bool silent = false;

  int count(const std::string& kind) const {
    auto i = requests.find(kind);
    return i == requests.end() ? 0 : i->second;
  }
};

struct mock_source_state {
  static inline const char* name = "mock_source";
  std::shared_ptr<source_script> script;
  std::vector<caf::typed_response_promise<bar_series>> held; ///< Never delivered.
};

using mock_ptr = source_actor::stateful_pointer<mock_source_state>;

/// Counts the request; returns the scripted failure, if one is due.
caf::error scripted_failure(source_script& s, const std::string& kind) {
  ++s.requests[kind];
  if (s.fail == ec::none || s.fail_times == 0) return {};
  if (s.fail_times > 0) --s.fail_times;
  return make_error(s.fail, s.name, kind);
}

/// `n` daily bars whose closes identify the source (100 + i at yahoo, 200 + i at sim).
bar_series make_bars(const std::string& source, const std::string& symbol, int32_t n) {
  bar_series b;
  b.symbol = symbol;
  double base = source == "yahoo" ? 100 : 200;
  for (int32_t i = 0; i < n; ++i) {
    b.date.push_back(20000 + i);
    b.open.push_back(base + i);
    b.high.push_back(base + i + 1);
    b.low.push_back(base + i - 1);
    b.close.push_back(base + i);
    b.volume.push_back(1000);
  }
  b.meta.source = source;
  return b;
}

source_actor::behavior_type mock_source(mock_ptr self, std::shared_ptr<source_script> s) {
  self->state.script = std::move(s);
  return {
      [=](atom::universe) -> caf::result<std::vector<security>> {
        auto& s = *self->state.script;
        if (auto err = scripted_failure(s, "universe")) return err;
        // Every source lists ABC, plus one stock of its own.
        security x;
        x.symbol = "ABC";
        x.origin = {s.name};
        security own;
        own.symbol = s.name == "yahoo" ? "YHOO" : "SIMX";
        own.origin = {s.name};
        return std::vector<security>{x, own};
      },
      [=](atom::quote,
          const std::vector<std::string>& syms) -> caf::result<std::vector<quote>> {
        auto& s = *self->state.script;
        if (auto err = scripted_failure(s, "quotes")) return err;
        std::vector<quote> out;
        for (const auto& sym : syms) {
          quote q;
          q.symbol = sym;
          q.bid = 9.9;
          q.ask = 10.1;
          q.meta.source = s.name;
          out.push_back(q);
        }
        return out;
      },
      [=](atom::bars, const std::string& sym, int32_t n) -> caf::result<bar_series> {
        auto& s = *self->state.script;
        if (auto err = scripted_failure(s, "bars")) return err;
        if (s.silent) {
          auto rp = self->make_response_promise<bar_series>();
          self->state.held.push_back(rp);
          return rp;
        }
        return make_bars(s.name, sym, n);
      },
      [=](atom::fundament, const std::string& sym) -> caf::result<fundamentals> {
        auto& s = *self->state.script;
        if (auto err = scripted_failure(s, "fundamentals")) return err;
        fundamentals f;
        f.symbol = sym;
        f.meta.source = s.name;
        return f;
      },
      [=](atom::chain, const std::string& sym) -> caf::result<option_chain> {
        auto& s = *self->state.script;
        if (auto err = scripted_failure(s, "chain")) return err;
        option_chain c;
        c.underlying = sym;
        c.meta.source = s.name;
        return c;
      },
      [=](atom::ivhist, const std::string&) -> caf::result<std::vector<iv_point>> {
        auto& s = *self->state.script;
        if (auto err = scripted_failure(s, "ivhist")) return err;
        return std::vector<iv_point>{};
      },
      [=](atom::status) {
        return actor_health{self->state.script->name, lifecycle::running, 0, ""};
      },
      [=](atom::crash) { self->quit(); },
  };
}

// -- fixture ---------------------------------------------------------------------------

struct fixture {
  static caf::actor_system_config& init(caf::actor_system_config& c) {
    register_types(c);
    c.set("scheduler.policy", caf::atom("testing"));
    log::init_stderr(log::level::off, "test");
    return c;
  }

  /// Two sources listed sim first but with yahoo at the lower (= earlier) priority, so
  /// the order the fetcher tries them comes from the priorities, not the listing.
  static std::shared_ptr<config::settings> make_settings() {
    auto s = std::make_shared<config::settings>();
    config::source_settings sim;
    sim.name = "sim";
    sim.priority = 1;
    sim.timeout = 500ms;
    config::source_settings yahoo;
    yahoo.name = "yahoo";
    yahoo.priority = 0;
    yahoo.timeout = 500ms;
    s->data.sources = {sim, yahoo};
    s->data.cache.bars = 60s;
    s->data.retry.max_attempts = 3;
    s->data.retry.base_delay = 100ms;
    s->data.retry.max_delay = 1000ms;
    s->data.retry.breaker_failures = 5;
    s->data.retry.breaker_cooldown = 30s;
    return s;
  }

  caf::actor_system_config cfg;
  caf::actor_system sys{init(cfg)};
  caf::scoped_actor self{sys, true};
  caf::scheduler::test_coordinator& sched =
      dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler());
  std::shared_ptr<config::settings> settings = make_settings();
  std::shared_ptr<source_script> yahoo = std::make_shared<source_script>();
  std::shared_ptr<source_script> sim = std::make_shared<source_script>();
  std::vector<source_actor> mocks;
  fetcher_actor fetcher;

  fixture() {
    yahoo->name = "yahoo";
    sim->name = "sim";
  }

  /// Spawns and registers the mock sources named in `running`, then the fetcher (after
  /// the test has adjusted `settings`).
  void start(std::vector<std::string> running = {"yahoo", "sim"}) {
    for (const auto& n : running) {
      auto m = sys.spawn(mock_source, n == "yahoo" ? yahoo : sim);
      sys.registry().put(actors::source_name(n),
                         caf::actor_cast<caf::strong_actor_ptr>(m));
      mocks.push_back(m);
    }
    fetcher = actors::spawn_fetcher(sys, settings);
    sched.run();
  }

  /// Takes the reply of `rh`, or an error when none arrived (instead of blocking for
  /// ever: the test clock does not move by itself, so no request timeout would fire).
  template <class T, class Handle> caf::expected<T> take(Handle& rh) {
    if (self->mailbox().empty()) return make_error(ec::internal, std::string{"no reply"});
    caf::expected<T> out{caf::error{}};
    rh.receive([&](T& x) { out = std::move(x); },
               [&](caf::error& e) { out = std::move(e); });
    return out;
  }

  /// Bars of `symbol` through the fetcher, after delivering every message.
  caf::expected<bar_series> bars(const std::string& symbol, int32_t n = 5) {
    auto rh = self->request(fetcher, caf::infinite, atom::bars::value, symbol, n);
    sched.run();
    return take<bar_series>(rh);
  }

  std::vector<source_status> sources() {
    auto rh = self->request(fetcher, caf::infinite, atom::sources::value);
    sched.run();
    auto r = take<std::vector<source_status>>(rh);
    REQUIRE(r);
    return *r;
  }

  source_status source(const std::string& name) {
    for (auto& s : sources())
      if (s.name == name) return s;
    FAIL("no source " << name << " in the fetcher's report");
    return {};
  }

  /// Moves the test clock and delivers what the elapsed time triggered.
  void advance(caf::timespan d) {
    sched.advance_time(d);
    sched.run();
  }

  ~fixture() {
    sys.registry().erase(actors::source_name("yahoo"));
    sys.registry().erase(actors::source_name("sim"));
    for (auto& m : mocks)
      caf::anon_send_exit(m, caf::exit_reason::user_shutdown);
    if (fetcher) caf::anon_send_exit(fetcher, caf::exit_reason::user_shutdown);
    sched.run();
  }
};

/// The context strings of an error built as make_error(code, kind, key, detail).
std::string context_string(const caf::error& e, size_t i) {
  const auto& ctx = e.context();
  if (i >= ctx.size() || !ctx.match_element<std::string>(i)) return {};
  return ctx.get_as<std::string>(i);
}

} // namespace

// -- cache -----------------------------------------------------------------------------

TEST_CASE_METHOD(fixture,
                 "a second identical request within the TTL is served from the "
                 "cache and one after the TTL goes to the source again",
                 "[fetcher]") {
  start();
  auto first = bars("ABC");
  REQUIRE(first);
  CHECK(first->meta.source == "yahoo");
  CHECK(first->close == std::vector<double>{100, 101, 102, 103, 104});
  CHECK(yahoo->count("bars") == 1);

  advance(59s); // TTL is 60 s
  auto second = bars("ABC");
  REQUIRE(second);
  CHECK(second->close == first->close);
  CHECK(yahoo->count("bars") == 1);
  CHECK(sim->count("bars") == 0);
  CHECK(source("yahoo").cache_hits == 1);

  // Another key is not a hit.
  REQUIRE(bars("ABC", 6));
  CHECK(yahoo->count("bars") == 2);

  advance(1s); // 60 s after the first answer: expired
  auto third = bars("ABC");
  REQUIRE(third);
  CHECK_FALSE(third->meta.stale);
  CHECK(yahoo->count("bars") == 3);
}

TEST_CASE_METHOD(fixture,
                 "concurrent identical requests are coalesced into one source "
                 "request",
                 "[fetcher]") {
  start();
  auto r1 = self->request(fetcher, caf::infinite, atom::bars::value, std::string{"ABC"},
                          int32_t{5});
  auto r2 = self->request(fetcher, caf::infinite, atom::bars::value, std::string{"ABC"},
                          int32_t{5});
  auto r3 = self->request(fetcher, caf::infinite, atom::bars::value, std::string{"ABC"},
                          int32_t{5});
  auto other = self->request(fetcher, caf::infinite, atom::bars::value,
                             std::string{"XYZ"}, int32_t{5});
  sched.run();
  REQUIRE(self->mailbox().size() == 4);
  auto a = take<bar_series>(r1);
  auto b = take<bar_series>(r2);
  auto c = take<bar_series>(r3);
  auto d = take<bar_series>(other);
  REQUIRE(a);
  REQUIRE(b);
  REQUIRE(c);
  REQUIRE(d);
  CHECK(a->symbol == "ABC");
  CHECK(b->close == a->close);
  CHECK(c->close == a->close);
  CHECK(d->symbol == "XYZ");
  CHECK(yahoo->count("bars") == 2); // one for ABC, one for XYZ
  CHECK(source("yahoo").cache_hits == 0);
}

// -- routing ---------------------------------------------------------------------------

TEST_CASE_METHOD(fixture, "a failing higher-priority source falls back to the next one",
                 "[fetcher]") {
  start();
  SECTION("with a fatal error") {
    yahoo->fail = ec::unauthorized;
    auto r = bars("ABC");
    REQUIRE(r);
    CHECK(r->meta.source == "sim");
    CHECK(r->close.front() == 200);
    CHECK(yahoo->count("bars") == 1);
    CHECK(sim->count("bars") == 1);
    auto y = source("yahoo");
    CHECK(y.failures == 1);
    CHECK(y.last_error.find("unauthorized") != std::string::npos);
    CHECK(source("sim").failures == 0);
  }
  SECTION("with not found (the next source may know the symbol)") {
    yahoo->fail = ec::not_found;
    auto r = bars("ABC");
    REQUIRE(r);
    CHECK(r->meta.source == "sim");
    CHECK(source("yahoo").failures == 0); // an answer, not a failure
  }
  SECTION("with a retryable error, in the same round") {
    yahoo->fail = ec::throttled;
    auto r = bars("ABC");
    REQUIRE(r);
    CHECK(r->meta.source == "sim");
    CHECK(yahoo->count("bars") == 1);
  }
}

TEST_CASE_METHOD(fixture, "a source that is not running is skipped", "[fetcher]") {
  SECTION("the next source answers") {
    start({"sim"});
    auto r = bars("ABC");
    REQUIRE(r);
    CHECK(r->meta.source == "sim");
    auto y = source("yahoo");
    CHECK(y.requests == 0);
    CHECK(y.circuit == "closed");
  }
  SECTION("no source running gives ec::unavailable at once, without retries") {
    start({});
    auto r = bars("ABC");
    REQUIRE_FALSE(r);
    CHECK(code_of(r.error()) == ec::unavailable);
    CHECK(context_string(r.error(), 2).find("not running") != std::string::npos);
    // Nothing to wait for: no retry is scheduled for a source that is not there.
    CHECK(sched.advance_time(10s) == 0);
  }
}

// -- retries ---------------------------------------------------------------------------

TEST_CASE_METHOD(fixture,
                 "a retryable error is retried after a backoff and gives up with "
                 "ec::unavailable naming the key after max_attempts rounds",
                 "[fetcher]") {
  start();
  yahoo->fail = ec::throttled;
  sim->fail = ec::timeout;
  auto rh = self->request(fetcher, caf::infinite, atom::bars::value, std::string{"ABC"},
                          int32_t{5});
  sched.run();
  CHECK(yahoo->count("bars") == 1);
  CHECK(sim->count("bars") == 1);
  CHECK(self->mailbox().empty()); // waiting for the retry

  // Round 2 after base_delay (100 ms) with jitter in [50, 100] ms.
  advance(49ms);
  CHECK(yahoo->count("bars") == 1);
  advance(51ms);
  CHECK(yahoo->count("bars") == 2);
  CHECK(sim->count("bars") == 2);
  CHECK(self->mailbox().empty());

  // Round 3 after 200 ms with jitter in [100, 200] ms.
  advance(99ms);
  CHECK(yahoo->count("bars") == 2);
  advance(101ms);
  CHECK(yahoo->count("bars") == 3);
  CHECK(sim->count("bars") == 3);

  // max_attempts = 3: no fourth round; the answer is an error naming kind and key.
  auto r = take<bar_series>(rh);
  REQUIRE_FALSE(r);
  CHECK(code_of(r.error()) == ec::unavailable);
  CHECK(context_string(r.error(), 0) == "bars");
  CHECK(context_string(r.error(), 1) == "ABC/5");
  advance(10s);
  CHECK(yahoo->count("bars") == 3);
}

TEST_CASE_METHOD(fixture,
                 "a source that does not answer within its timeout fails "
                 "retryably and the next source answers",
                 "[fetcher]") {
  settings->data.retry.max_attempts = 2;
  start();
  yahoo->silent = true;
  sim->fail = ec::unauthorized;
  auto rh = self->request(fetcher, caf::infinite, atom::bars::value, std::string{"ABC"},
                          int32_t{5});
  sched.run();
  CHECK(yahoo->count("bars") == 1);
  CHECK(sim->count("bars") == 0); // still waiting for yahoo
  advance(499ms);                 // yahoo's timeout is 500 ms
  CHECK(sim->count("bars") == 0);
  advance(1ms);
  CHECK(sim->count("bars") == 1);
  auto y = source("yahoo");
  CHECK(y.failures == 1);
  CHECK(y.last_error.find("timeout") != std::string::npos);
  // The timeout made the round retryable: round 2 after the backoff, where yahoo is
  // back and answers.
  CHECK(self->mailbox().empty());
  yahoo->silent = false;
  advance(100ms);
  auto r = take<bar_series>(rh);
  REQUIRE(r);
  CHECK(r->meta.source == "yahoo");
  CHECK(yahoo->count("bars") == 2);
}

TEST_CASE_METHOD(fixture, "a retry succeeds when the source recovers", "[fetcher]") {
  start({"yahoo"});
  yahoo->fail = ec::throttled;
  yahoo->fail_times = 1;
  auto rh = self->request(fetcher, caf::infinite, atom::bars::value, std::string{"ABC"},
                          int32_t{5});
  sched.run();
  CHECK(self->mailbox().empty());
  advance(100ms);
  auto r = take<bar_series>(rh);
  REQUIRE(r);
  CHECK(r->meta.source == "yahoo");
  CHECK_FALSE(r->meta.stale);
  CHECK(yahoo->count("bars") == 2);
}

TEST_CASE_METHOD(fixture, "a fatal error is not retried", "[fetcher]") {
  start();
  yahoo->fail = ec::unauthorized;
  sim->fail = ec::malformed;
  auto r = bars("ABC");
  REQUIRE_FALSE(r);
  CHECK(code_of(r.error()) == ec::unavailable);
  advance(10s);
  CHECK(yahoo->count("bars") == 1);
  CHECK(sim->count("bars") == 1);
}

// -- not found -------------------------------------------------------------------------

TEST_CASE_METHOD(fixture,
                 "not_found from every source gives ec::not_found and does not "
                 "open a circuit",
                 "[fetcher]") {
  settings->data.retry.breaker_failures = 2;
  start();
  yahoo->fail = ec::not_found;
  sim->fail = ec::not_found;
  for (int i = 1; i <= 4; ++i) {
    auto r = bars("NOPE");
    REQUIRE_FALSE(r);
    CHECK(code_of(r.error()) == ec::not_found);
    CHECK(context_string(r.error(), 1) == "NOPE/5");
    // Every request reached both sources: no circuit opened, no retry round.
    CHECK(yahoo->count("bars") == i);
    CHECK(sim->count("bars") == i);
  }
  advance(10s);
  CHECK(yahoo->count("bars") == 4);
  for (auto& s : sources()) {
    CHECK(s.circuit == "closed");
    CHECK(s.failures == 0);
  }
}

// -- circuit breaker -------------------------------------------------------------------

TEST_CASE_METHOD(fixture,
                 "breaker_failures consecutive failures open a source's circuit "
                 "and after the cooldown one successful probe closes it",
                 "[fetcher]") {
  settings->data.retry.breaker_failures = 2;
  start();
  yahoo->fail = ec::unauthorized;

  REQUIRE(bars("A"));
  CHECK(source("yahoo").circuit == "closed"); // one failure
  REQUIRE(bars("B"));
  CHECK(yahoo->count("bars") == 2);
  CHECK(source("yahoo").circuit == "open");

  // Open: later requests go straight to sim.
  auto c = bars("C");
  REQUIRE(c);
  CHECK(c->meta.source == "sim");
  CHECK(yahoo->count("bars") == 2);
  {
    auto rh = self->request(fetcher, caf::infinite, atom::status::value);
    sched.run();
    auto h = take<actor_health>(rh);
    REQUIRE(h);
    CHECK(h->state == lifecycle::degraded);
  }

  advance(29s); // cooldown is 30 s from the second failure
  REQUIRE(bars("D"));
  CHECK(yahoo->count("bars") == 2);
  CHECK(source("yahoo").circuit == "open");

  advance(1s);
  CHECK(source("yahoo").circuit == "half-open");
  yahoo->fail = ec::none;
  // Two requests at once: only the first probes yahoo, the second goes to sim.
  auto e = self->request(fetcher, caf::infinite, atom::bars::value, std::string{"E"},
                         int32_t{5});
  auto f = self->request(fetcher, caf::infinite, atom::bars::value, std::string{"F"},
                         int32_t{5});
  sched.run();
  REQUIRE(self->mailbox().size() == 2);
  auto re = take<bar_series>(e);
  auto rf = take<bar_series>(f);
  REQUIRE(re);
  REQUIRE(rf);
  CHECK(re->meta.source == "yahoo");
  CHECK(rf->meta.source == "sim");
  CHECK(yahoo->count("bars") == 3);
  CHECK(source("yahoo").circuit == "closed");

  // Closed again: the next request goes to yahoo first.
  auto g = bars("G");
  REQUIRE(g);
  CHECK(g->meta.source == "yahoo");
}

TEST_CASE_METHOD(fixture, "a failed probe opens the circuit for another cooldown",
                 "[fetcher]") {
  settings->data.retry.breaker_failures = 1;
  start();
  yahoo->fail = ec::unauthorized;
  REQUIRE(bars("A"));
  CHECK(source("yahoo").circuit == "open");
  advance(30s);
  CHECK(source("yahoo").circuit == "half-open");
  auto b = bars("B"); // the probe fails, sim answers
  REQUIRE(b);
  CHECK(b->meta.source == "sim");
  CHECK(yahoo->count("bars") == 2);
  CHECK(source("yahoo").circuit == "open");
  advance(29s);
  REQUIRE(bars("C"));
  CHECK(yahoo->count("bars") == 2);
  advance(1s);
  CHECK(source("yahoo").circuit == "half-open");
}

TEST_CASE_METHOD(fixture,
                 "a probe answered with not_found closes the circuit (the "
                 "source is answering)",
                 "[fetcher]") {
  settings->data.retry.breaker_failures = 1;
  start();
  yahoo->fail = ec::unauthorized;
  REQUIRE(bars("A"));
  CHECK(source("yahoo").circuit == "open");
  advance(30s);
  yahoo->fail = ec::not_found;
  auto b = bars("B");
  REQUIRE(b);
  CHECK(b->meta.source == "sim");
  CHECK(yahoo->count("bars") == 2);
  CHECK(source("yahoo").circuit == "closed");
  // Closed: concurrent requests all go to yahoo again, not one probe at a time.
  yahoo->fail = ec::none;
  auto c = self->request(fetcher, caf::infinite, atom::bars::value, std::string{"C"},
                         int32_t{5});
  auto d = self->request(fetcher, caf::infinite, atom::bars::value, std::string{"D"},
                         int32_t{5});
  sched.run();
  REQUIRE(self->mailbox().size() == 2);
  auto rc = take<bar_series>(c);
  auto rd = take<bar_series>(d);
  REQUIRE(rc);
  REQUIRE(rd);
  CHECK(rc->meta.source == "yahoo");
  CHECK(rd->meta.source == "yahoo");
}

// -- stale fallback --------------------------------------------------------------------

TEST_CASE_METHOD(fixture,
                 "when every source fails an expired cache entry is served "
                 "marked stale",
                 "[fetcher]") {
  settings->data.retry.max_attempts = 1;
  start();
  auto fresh = bars("ABC");
  REQUIRE(fresh);
  CHECK_FALSE(fresh->meta.stale);

  advance(61s); // past the 60 s TTL
  yahoo->fail = ec::unauthorized;
  sim->fail = ec::throttled;
  auto old = bars("ABC");
  REQUIRE(old);
  CHECK(old->meta.stale);
  CHECK(old->meta.source == "yahoo");
  CHECK(old->close == fresh->close);
  CHECK(yahoo->count("bars") == 2); // the sources were asked first
  CHECK(sim->count("bars") == 1);

  SECTION("a key never fetched still fails") {
    auto r = bars("XYZ");
    REQUIRE_FALSE(r);
    CHECK(code_of(r.error()) == ec::unavailable);
  }
  SECTION("not found from every source is not hidden by the stale entry") {
    yahoo->fail = ec::not_found;
    sim->fail = ec::not_found;
    auto r = bars("ABC");
    REQUIRE_FALSE(r);
    CHECK(code_of(r.error()) == ec::not_found);
  }
  SECTION("once a source answers again the value is fresh") {
    sim->fail = ec::none;
    auto r = bars("ABC");
    REQUIRE(r);
    CHECK_FALSE(r->meta.stale);
    CHECK(r->meta.source == "sim");
  }
}

TEST_CASE_METHOD(fixture, "a stale list of quotes has every quote marked stale",
                 "[fetcher]") {
  settings->data.retry.max_attempts = 1;
  settings->data.cache.quotes = 10s;
  start({"yahoo"});
  std::vector<std::string> syms{"ABC", "XYZ"};
  auto ask = [&] {
    auto rh = self->request(fetcher, caf::infinite, atom::quote::value, syms);
    sched.run();
    return take<std::vector<quote>>(rh);
  };
  auto fresh = ask();
  REQUIRE(fresh);
  REQUIRE(fresh->size() == 2);
  advance(10s);
  yahoo->fail = ec::timeout;
  auto old = ask();
  REQUIRE(old);
  REQUIRE(old->size() == 2);
  CHECK((*old)[0].meta.stale);
  CHECK((*old)[1].meta.stale);
  CHECK((*old)[1].symbol == "XYZ");
  CHECK(yahoo->count("quotes") == 2);
}

TEST_CASE_METHOD(fixture,
                 "the universe is the union of every source's list with each origin kept",
                 "[fetcher]") {
  start();
  auto rh = self->request(fetcher, caf::infinite, atom::universe::value);
  sched.run();
  auto u = take<std::vector<security>>(rh);
  REQUIRE(u);
  REQUIRE(u->size() == 3);
  CHECK((*u)[0].symbol == "ABC");
  CHECK((*u)[0].origin == std::vector<std::string>{"yahoo", "sim"});
  CHECK((*u)[1].symbol == "SIMX");
  CHECK((*u)[2].symbol == "YHOO");
  CHECK(yahoo->count("universe") == 1);
  CHECK(sim->count("universe") == 1);

  // One source failing leaves the other's list; the union is cached as one value.
  advance(std::chrono::hours{25});
  yahoo->fail = ec::unauthorized;
  auto rh2 = self->request(fetcher, caf::infinite, atom::universe::value);
  sched.run();
  auto u2 = take<std::vector<security>>(rh2);
  REQUIRE(u2);
  REQUIRE(u2->size() == 2);
  CHECK((*u2)[0].origin == std::vector<std::string>{"sim"});
  CHECK((*u2)[1].symbol == "SIMX");

  // Every source failing: the last union is served from the expired cache entry (a
  // list of stocks carries no staleness flag).
  advance(std::chrono::hours{25});
  sim->fail = ec::unavailable;
  auto rh3 = self->request(fetcher, caf::infinite, atom::universe::value);
  sched.run();
  auto u3 = take<std::vector<security>>(rh3);
  REQUIRE(u3);
  CHECK(u3->size() == 2);
}
