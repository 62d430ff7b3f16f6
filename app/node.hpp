// Brings up one node: the actor system with every message type registered and the
// supervisor with the children its role needs.
#pragma once

#include "actors/actors.hpp"
#include "config/settings.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <memory>
#include <string>

namespace sc::app {

/// An actor-system configuration with our types and a scheduler sized for the machine.
struct system_config : caf::actor_system_config {
  system_config();
};

/// What runs in this process.
struct node_options {
  bool periodic = false; ///< Run pipeline cycles on the schedule (service mode).
};

/// The running node. Destroy it (or call stop()) before the actor system goes.
class node {
public:
  node(caf::actor_system& sys, actors::settings_ptr cfg);
  ~node();

  /// Spawns the supervisor and waits until every child is registered. Returns an
  /// error message, empty on success.
  std::string start(const node_options& opts);

  /// Stops the supervisor and with it every child.
  void stop();

  supervisor_actor supervisor() const { return sup_; }
  caf::actor_system& system() { return sys_; }
  const config::settings& settings() const { return *cfg_; }

private:
  caf::actor_system& sys_;
  actors::settings_ptr cfg_;
  supervisor_actor sup_;
};

} // namespace sc::app
