// The upper layers: SMALLCAP_<SECTION>_<KEY> variables and command-line overrides.
#include "config/loader.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <set>

using namespace sc::config;
using namespace std::chrono_literals;

namespace {

using env_t = std::map<std::string, std::string>;

load_result load_env(const std::string& text, env_t env,
                     std::vector<std::pair<std::string, std::string>> overrides = {}) {
  load_options opts;
  opts.environment = std::move(env);
  opts.overrides = std::move(overrides);
  return load_string(text, "f.toml", opts);
}

bool has(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

} // namespace

TEST_CASE("environment variables override the file", "[config][env]") {
  const std::string text = R"([service]
log_level = "warn"
[trading]
position_size = 0.05
)";
  auto r = load_env(text, {{"SMALLCAP_SERVICE_LOG_LEVEL", "debug"},
                           {"SMALLCAP_TRADING_MAX_POSITIONS", "7"},
                           {"SMALLCAP_SCANNER_FILTERS_PRICE_MIN", "5"},
                           {"SMALLCAP_SCANNER_INTERVAL", "2min"},
                           {"SMALLCAP_DATA_RETRY_BASE_DELAY", "150"},
                           {"SMALLCAP_SCANNER_MARKET_HOURS_ONLY", "true"},
                           {"SMALLCAP_SCANNER_WATCHLIST", "ABCD, EFGH"},
                           {"SMALLCAP_DATA_SIM_SEED", "7"},
                           {"PATH", "/usr/bin"}});
  INFO((r.errors.empty() ? std::string() : r.errors.front()));
  REQUIRE(r.ok());
  CHECK(r.value.service.log_level == "debug");
  CHECK(r.value.trading.position_size == 0.05); // file value, not overridden
  CHECK(r.value.trading.max_positions == 7);
  CHECK(r.value.scanner.filters.price_min == 5.0);
  CHECK(r.value.scanner.interval == 120s);
  CHECK(r.value.data.retry.base_delay == 150ms);
  CHECK(r.value.scanner.market_hours_only);
  CHECK(r.value.scanner.watchlist == std::vector<std::string>{"ABCD", "EFGH"});
  CHECK(r.value.data.sim.seed == 7u);
}

TEST_CASE("environment values are validated with the variable as the location",
          "[config][env]") {
  auto r = load_env("", {{"SMALLCAP_SERVICE_LOG_LEVEL", "loud"},
                         {"SMALLCAP_TRADING_POSITION_SIZE", "-0.1"},
                         {"SMALLCAP_TRADING_MAX_POSITIONS", "2.5"},
                         {"SMALLCAP_SCANNER_MARKET_HOURS_ONLY", "yes"},
                         {"SMALLCAP_SCANNER_INTERVAL", "soon"}});
  CHECK(r.errors.size() == 5);
  CHECK(has(r.errors,
            "SMALLCAP_SERVICE_LOG_LEVEL: service.log_level: must be one of 'trace', "
            "'debug', 'info', 'warn', 'error', 'critical', 'off', got 'loud'"));
  CHECK(has(r.errors, "SMALLCAP_TRADING_POSITION_SIZE: trading.position_size: must be a "
                      "number in (0, 1], got -0.1"));
  CHECK(has(r.errors, "SMALLCAP_TRADING_MAX_POSITIONS: trading.max_positions: must be an "
                      "integer in [1, 1000] (no decimal point), got 2.5 (a float)"));
  CHECK(has(r.errors,
            "SMALLCAP_SCANNER_MARKET_HOURS_ONLY: scanner.market_hours_only: must be "
            "true or false, got 'yes'"));
  CHECK(has(r.errors,
            "SMALLCAP_SCANNER_INTERVAL: scanner.interval: must be a duration > 0 "
            "and <= 365d ('250ms', '5s', '2min', '1h', '1d' or an integer of "
            "seconds), got 'soon': expected a number"));
}

TEST_CASE("an environment value replaces a wrong file value entirely", "[config][env]") {
  // The file's bad value is never looked at when the environment overrides it.
  auto r = load_env("[trading]\nposition_size = \"x\"\n",
                    {{"SMALLCAP_TRADING_POSITION_SIZE", "0.01"}});
  REQUIRE(r.ok());
  CHECK(r.value.trading.position_size == 0.01);
}

TEST_CASE("unknown SMALLCAP variables are warnings with a suggestion", "[config][env]") {
  const std::string text = R"([[data.sources]]
name = "polygon"
api_key_env = "SMALLCAP_POLYGON_KEY"
)";
  auto r = load_env(
      text, {{"SMALLCAP_SERVICE_LOGLEVEL", "debug"}, {"SMALLCAP_POLYGON_KEY", "k-123"}});
  REQUIRE(r.ok());
  CHECK(has(r.warnings, "SMALLCAP_SERVICE_LOGLEVEL: not a setting, ignored (did you mean "
                        "'SMALLCAP_SERVICE_LOG_LEVEL'?)"));
  // A variable the config names as a key holder is expected, not stray.
  for (const auto& w : r.warnings)
    CHECK(w.find("SMALLCAP_POLYGON_KEY") == std::string::npos);
}

TEST_CASE("command-line overrides win over the environment", "[config][env]") {
  auto r = load_env("[service]\nlog_level = \"warn\"\n",
                    {{"SMALLCAP_SERVICE_LOG_LEVEL", "debug"}},
                    {{"service.log_level", "error"}, {"data.cache.quotes", "30s"}});
  REQUIRE(r.ok());
  CHECK(r.value.service.log_level == "error");
  CHECK(r.value.data.cache.quotes == 30s);

  auto bad = load_env("", {}, {{"service.log_lvl", "x"}, {"trading.mode", "real"}});
  CHECK(bad.errors.size() == 2);
  CHECK(has(bad.errors, "--set: service.log_lvl: unknown key (did you mean "
                        "'service.log_level'?)"));
  CHECK(
      has(bad.errors, "--set: trading.mode: must be one of 'paper', 'live', got 'real'"));
}

TEST_CASE("every scalar key has one distinct variable name", "[config][env]") {
  auto keys = environment_keys();
  std::set<std::string> vars;
  for (const auto& [key, var] : keys) {
    std::string expect = "SMALLCAP_";
    for (char c : key)
      expect +=
          c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(var == expect);
    vars.insert(var);
  }
  CHECK(vars.size() == keys.size());
  CHECK(std::count(vars.begin(), vars.end(), "SMALLCAP_SERVICE_LOG_LEVEL") == 1);
  CHECK(std::count(vars.begin(), vars.end(), "SMALLCAP_SCANNER_FILTERS_PRICE_MIN") == 1);
  CHECK(std::count(vars.begin(), vars.end(), "SMALLCAP_DATA_SIM_START_DATE") == 1);
  // Sources are a list of tables: edited in the file only.
  for (const auto& kv : keys)
    CHECK(kv.first.find("sources") == std::string::npos);
}

TEST_CASE("the process environment is read when no map is given", "[config][env]") {
  ::setenv("SMALLCAP_RISK_MAX_VAR", "0.03", 1);
  auto r = load_string("", "f.toml");
  ::unsetenv("SMALLCAP_RISK_MAX_VAR");
  REQUIRE(r.ok());
  CHECK(r.value.risk.max_var == 0.03);
}
