// Names under which actors are registered, and a typed lookup.
#pragma once

#include <caf/actor_cast.hpp>
#include <caf/actor_registry.hpp>
#include <caf/actor_system.hpp>
#include <caf/atom.hpp>

namespace sc::actors {

namespace names {
constexpr caf::atom_value fetcher = caf::atom("fetcher");
constexpr caf::atom_value scanner = caf::atom("scanner");
constexpr caf::atom_value options = caf::atom("options");
constexpr caf::atom_value risk = caf::atom("risk");
constexpr caf::atom_value portfolio = caf::atom("portfolio");
constexpr caf::atom_value pipeline = caf::atom("pipeline");
constexpr caf::atom_value supervisor = caf::atom("supervisor");
} // namespace names

/// The registry name of a data source ("sim", "yahoo", ...): "src_" + name, truncated to
/// the 10 characters an atom allows.
caf::atom_value source_name(const std::string& source);

/// The live actor registered under `name`, or an invalid handle.
template <class Handle> Handle lookup(caf::actor_system& sys, caf::atom_value name) {
  return caf::actor_cast<Handle>(sys.registry().get(name));
}

} // namespace sc::actors
