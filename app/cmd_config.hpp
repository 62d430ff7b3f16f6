// `smallcap config check FILE`: validate a configuration file and say what is wrong.
#pragma once

#include <iosfwd>
#include <string>

namespace sc::app {

/// Loads @p file with the environment layer applied (as `smallcap run` would) and
/// validates it. On success prints "FILE: ok" and each warning ("FILE: warning: ...") to
/// @p out and returns 0; otherwise prints every error, one per line, to @p err (followed
/// by the warnings) and returns 2. Never prints an API key.
int run_config_check(const std::string& file, std::ostream& out, std::ostream& err);

} // namespace sc::app
