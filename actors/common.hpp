// Pieces every long-lived actor shares: its lifecycle for the status request, the crash
// hook, and an exception handler that turns a throw into a logged, typed exit (so the
// supervisor restarts the actor instead of the process printing and dying).
#pragma once

#include "app/log.hpp"
#include "config/settings.hpp"
#include "messages/caf_errors.hpp"
#include "messages/reports.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scheduled_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <algorithm>
#include <chrono>
#include <exception>
#include <string>

namespace sc::actors {

/// Lifecycle and last error; embed in every actor's state.
struct lifecycle_state {
  lifecycle state = lifecycle::starting;
  std::string last_error;

  actor_health health(const char* name) const {
    return actor_health{name, state, 0, last_error};
  }
  void degrade(std::string why) {
    state = lifecycle::degraded;
    last_error = std::move(why);
  }
  void recover() {
    if (state == lifecycle::degraded || state == lifecycle::starting)
      state = lifecycle::running;
  }
};

/// How long one data request to the fetcher may take before the caller gives up: the
/// fetcher may try every attempt of the slowest enabled source, with the backoff
/// between attempts, before it falls back to its cache; a shorter wait gives up on
/// answers still on their way, a longer one only hides a hung fetcher. One second on
/// top covers the hops between actors.
inline std::chrono::milliseconds fetch_timeout(const config::data_settings& d) {
  std::chrono::milliseconds slowest{0};
  for (const auto& s : d.sources)
    if (s.enabled) slowest = std::max(slowest, s.timeout);
  if (slowest.count() == 0) slowest = std::chrono::milliseconds{5'000};
  const int attempts = std::max(1, d.retry.max_attempts);
  return slowest * attempts + d.retry.max_delay * (attempts - 1) +
         std::chrono::milliseconds{1'000};
}

/// Installs a handler that logs an escaping exception and exits with ec::internal.
inline void guard_exceptions(caf::scheduled_actor* self, const char* name) {
  self->set_exception_handler([name](caf::scheduled_actor*, std::exception_ptr& ep) {
    std::string what = "unknown exception";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    log::error(name, "exception", {log::kv("what", what)});
    return make_error(ec::internal, std::string{name}, what);
  });
}

/// The crash hook's effect: log and exit with ec::crash_requested.
inline void crash_now(caf::scheduled_actor* self, const char* name) {
  log::warn(name, "crash_requested");
  self->quit(make_error(ec::crash_requested, std::string{name}));
}

} // namespace sc::actors
