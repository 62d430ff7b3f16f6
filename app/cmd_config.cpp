#include "app/cmd_config.hpp"

#include "config/loader.hpp"

#include <ostream>

namespace sc::app {

int run_config_check(const std::string& file, std::ostream& out, std::ostream& err) {
  const auto result = config::load_file(file);
  if (!result.ok()) {
    for (const auto& e : result.errors)
      err << e << '\n';
    for (const auto& w : result.warnings)
      err << file << ": warning: " << w << '\n';
    err << file << ": " << result.errors.size()
        << (result.errors.size() == 1 ? " error" : " errors") << '\n';
    return 2;
  }
  out << file << ": ok\n";
  for (const auto& w : result.warnings)
    out << file << ": warning: " << w << '\n';
  return 0;
}

} // namespace sc::app
