// Loading and validating the configuration (config/settings.hpp) from TOML.
//
// Layers, lowest to highest: the struct defaults, the TOML file, the environment
// (SMALLCAP_<SECTION>_<KEY>, e.g. SMALLCAP_SERVICE_LOG_LEVEL=debug or
// SMALLCAP_SCANNER_FILTERS_PRICE_MIN=5), then command-line overrides ("key=value" with
// the full dotted key). Every layer is validated by the same rules.
//
// Error format, one line each, all errors collected (never just the first):
//   <file>:<line>: <dotted.key>: <what is wrong and what is allowed>
//   config/bad.toml:12: trading.position_size: must be a number in (0, 1], got -0.1
//   config/bad.toml:3: scanner.filtrs: unknown key (did you mean 'filters'?)
//   config/bad.toml:7:14: syntax error: <parser message>        (TOML syntax)
//   SMALLCAP_SERVICE_LOG_LEVEL: service.log_level: must be one of ..., got 'loud'
//   --set: trading.mode: must be one of 'paper', 'live', got 'x'  (command line)
// When the value came from no line (a cross-field check against a default) the line is
// left out: "<file>: <key>: ...".
//
// Secrets: API keys live only in environment variables named by the config
// (data.sources[].api_key_env, service.api_token_env). The loader never stores, prints or
// dumps a key's value; api_key() reads it on demand. toml++ stays inside loader.cpp.
#pragma once

#include "config/settings.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sc::config {

/// Outcome of a load: the settings (defaults where the input was missing or refused),
/// every error and every warning, one line each.
struct load_result {
  settings value;
  std::vector<std::string> errors;   ///< Refusals; the service must not start if any.
  std::vector<std::string> warnings; ///< Worth telling the user, not fatal.
  bool ok() const { return errors.empty(); }
};

/// Where the upper layers come from. By default the process environment is read; tests
/// (and callers that already captured it) pass a map instead.
struct load_options {
  /// nullopt = read the process environment; otherwise exactly these variables.
  std::optional<std::map<std::string, std::string>> environment;
  /// Command-line overrides, highest precedence: {"service.log_level", "debug"}. The
  /// value is read as the key's type expects (a number, true/false, a duration, a
  /// comma-separated list for lists of strings). Reported as "--set: key: ...".
  std::vector<std::pair<std::string, std::string>> overrides;
};

/// The built-in defaults (equal to what config/default.toml contains).
settings defaults();

/// Reads and validates a TOML file. A missing or unreadable file is an error naming it.
load_result load_file(const std::string& path, const load_options& opts = {});

/// Validates TOML text; @p name stands for the file in messages.
load_result load_string(std::string_view toml, const std::string& name,
                        const load_options& opts = {});

/// Names of the known data sources: sim, yahoo, polygon, alphavantage, nasdaq, replay.
const std::vector<std::string>& known_sources();

/// True for providers that refuse requests without a key (polygon, alphavantage).
bool requires_api_key(std::string_view source_name);

/// The API key of a source, read from the environment variable named by api_key_env.
/// nullopt when no variable is configured or it is unset/empty. Never log the result.
std::optional<std::string> api_key(const source_settings& source);

/// Whether the source will run: enabled, and when it requires a key, the key is present.
bool source_usable(const source_settings& source);

/// One warning per source that is enabled and needs a key whose variable is unset (the
/// source is disabled at runtime), and one when no source is usable at all. Names the
/// variable, never a value.
std::vector<std::string> key_warnings(const settings& s);

/// Every scalar or list key the environment layer accepts, as (dotted key, variable
/// name), e.g. ("service.log_level", "SMALLCAP_SERVICE_LOG_LEVEL"). Sorted by key.
std::vector<std::pair<std::string, std::string>> environment_keys();

/// The effective settings as TOML (durations as "5min" strings). Contains variable
/// names, never key values; loading it again gives the same settings.
std::string dump(const settings& s);

} // namespace sc::config
