// The one place that registers every message type (and every std::vector<T> that
// travels) and our error category with CAF.
#pragma once

namespace caf {
class actor_system_config;
} // namespace caf

namespace sc {

/// Adds all message types, their vectors and the "sc" error renderer to `cfg`.
void register_types(caf::actor_system_config& cfg);

} // namespace sc
