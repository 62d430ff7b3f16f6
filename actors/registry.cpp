#include "actors/registry.hpp"

#include <algorithm>
#include <string>

namespace sc::actors {

caf::atom_value source_name(const std::string& source) {
  std::string name = "src_" + source;
  name.resize(std::min<size_t>(name.size(), 10));
  return caf::atom_from_string(name);
}

} // namespace sc::actors
