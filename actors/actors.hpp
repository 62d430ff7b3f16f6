// Spawners of every actor of the service. Each actor lives in its own .cpp with its
// state struct and behavior; this header exposes only how to start one, so callers
// (the supervisor, tests, the command line) do not compile actor internals.
//
// Actors find each other by name in the actor registry (actors/registry.hpp): the
// supervisor re-registers a child under the same name when it restarts it, so a
// handle looked up per request always reaches the live instance.
#pragma once

#include "messages/actors.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/fwd.hpp>

namespace sc::config {
struct settings;
} // namespace sc::config

namespace sc::sim {
class market;
} // namespace sc::sim

namespace sc::actors {

/// The configuration every actor reads; shared, immutable.
using settings_ptr = std::shared_ptr<const config::settings>;

/// The SIM SOURCE: serves the simulated market. `sim_origin` is the real time that maps
/// to the market's first open (the sim clock runs clock_speed times faster from there).
source_actor spawn_sim_source(caf::actor_system& sys, settings_ptr cfg,
                              std::shared_ptr<const sim::market> market,
                              timestamp sim_origin);

/// The FETCHER: routes each data request to the sources in priority order (looked up in
/// the registry under their source names), with caching, coalescing, retries, circuit
/// breakers and stale fallback.
fetcher_actor spawn_fetcher(caf::actor_system& sys, settings_ptr cfg);

/// The SCANNER: asks the fetcher for the universe, fundamentals and bars, runs the scan.
scanner_actor spawn_scanner(caf::actor_system& sys, settings_ptr cfg);

/// The OPTIONS ANALYZER: chains of the top candidates, IV, Greeks, scores. Detached:
/// it keeps the IV history in SQLite.
options_actor spawn_options_analyzer(caf::actor_system& sys, settings_ptr cfg);

/// The RISK MANAGER: pre-trade checks and the risk picture.
risk_actor spawn_risk_manager(caf::actor_system& sys, settings_ptr cfg);

/// The PORTFOLIO MANAGER: the persistent ledger, paper fills, marks, exits. Detached:
/// it writes the ledger to SQLite.
portfolio_actor spawn_portfolio_manager(caf::actor_system& sys, settings_ptr cfg);

/// The PIPELINE: runs a cycle scanner -> options -> risk -> portfolio on demand and,
/// when `periodic` is set, every scanner.interval (within market hours when
/// scanner.market_hours_only, plus a daily rescan after the close).
pipeline_actor spawn_pipeline(caf::actor_system& sys, settings_ptr cfg, bool periodic);

/// How the supervisor starts one child.
struct child_spec {
  /// Name in logs and health reports ("scanner").
  std::string name;
  /// Name in the actor registry, updated on every (re)start.
  caf::atom_value registry_name;
  /// Spawns a fresh instance.
  std::function<caf::strong_actor_ptr(caf::actor_system&)> spawn;
};

/// The SUPERVISOR: spawns `children` in order, registers and monitors them, restarts a
/// failed one after an exponential backoff (service.restart_backoff doubling up to
/// restart_backoff_max) and gives up -- exiting with ec::limit_breached, which stops the
/// node -- when one child failed more than service.max_restarts times within
/// service.restart_window. On exit it stops every child and clears their registrations.
supervisor_actor spawn_supervisor(caf::actor_system& sys, settings_ptr cfg,
                                  std::vector<child_spec> children);

} // namespace sc::actors
