// Validation of TOML text: one-line errors naming file, line, full key and what is
// allowed. Line numbers asserted here are counted by hand in the raw strings below
// (the first line of each raw string is line 1).
#include "config/loader.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace sc::config;
using namespace std::chrono_literals;

namespace {

load_result load(const std::string& text, const std::string& name = "bad.toml") {
  load_options opts;
  opts.environment = std::map<std::string, std::string>{}; // no SMALLCAP_* influence
  return load_string(text, name, opts);
}

bool has(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

std::string all(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines)
    out += l + "\n";
  return out;
}

} // namespace

TEST_CASE("an empty file gives the defaults", "[config]") {
  auto r = load("");
  REQUIRE(r.ok());
  CHECK(r.value.trading.position_size == 0.02);
  CHECK(r.value.data.sources.size() == 1);
  CHECK(r.value.data.sources[0].name == "sim");
  CHECK(r.value.source_file == "bad.toml");
}

TEST_CASE("a misspelled key, a string for a number and a negative size are each one line",
          "[config]") {
  const std::string text = R"([trading]
mode = "paper"
position_sise = 0.05
starting_cash = "lots"

position_size = -0.1
)";
  auto r = load(text);
  INFO(all(r.errors));
  CHECK(r.errors.size() == 3);
  CHECK(has(r.errors, "bad.toml:3: trading.position_sise: unknown key (did you mean "
                      "'position_size'?)"));
  CHECK(has(r.errors,
            "bad.toml:4: trading.starting_cash: must be a number > 0, got 'lots'"));
  CHECK(has(r.errors,
            "bad.toml:6: trading.position_size: must be a number in (0, 1], got -0.1"));
  // Every message is a single line.
  for (const auto& e : r.errors)
    CHECK(e.find('\n') == std::string::npos);
  // Refused values leave the defaults in place.
  CHECK(r.value.trading.position_size == 0.02);
}

TEST_CASE("unknown sections are refused with a suggestion or the known names",
          "[config]") {
  const std::string text = R"([tradng]
mode = "paper"

[scanner.filtrs]
price_min = 1

[zzz]
x = 1
)";
  auto r = load(text);
  INFO(all(r.errors));
  CHECK(r.errors.size() == 3);
  CHECK(has(r.errors, "bad.toml:1: tradng: unknown key (did you mean 'trading'?)"));
  CHECK(
      has(r.errors, "bad.toml:4: scanner.filtrs: unknown key (did you mean 'filters'?)"));
  CHECK(has(r.errors,
            "bad.toml:7: zzz: unknown key (known keys: trading, scanner, options, "
            "risk, data, service, cluster)"));
}

TEST_CASE("integer keys refuse floats; number keys accept integers", "[config]") {
  const std::string text = R"([trading]
max_positions = 10.0
contracts_per_trade_max = 2.5
position_size = 1
stop_loss = 0.25
[service]
http_port = 70000
[options]
min_volume = "10"
)";
  auto r = load(text);
  INFO(all(r.errors));
  CHECK(r.errors.size() == 4);
  CHECK(has(r.errors,
            "bad.toml:2: trading.max_positions: must be an integer in [1, 1000] "
            "(no decimal point), got 10.0 (a float)"));
  CHECK(has(r.errors,
            "bad.toml:3: trading.contracts_per_trade_max: must be an integer in "
            "[1, 10000] (no decimal point), got 2.5 (a float)"));
  CHECK(has(r.errors, "bad.toml:7: service.http_port: must be an integer in [1, 65535], "
                      "got 70000"));
  CHECK(
      has(r.errors, "bad.toml:9: options.min_volume: must be an integer >= 0, got '10'"));
  CHECK(r.value.trading.position_size == 1.0);
  CHECK(r.value.trading.stop_loss == 0.25);
}

TEST_CASE("booleans, choices and tables are type checked", "[config]") {
  const std::string text = R"(scanner = 5
[service]
log_level = "verbose"
[cluster]
enabled = "yes"
role = "analytic"
)";
  auto r = load(text);
  INFO(all(r.errors));
  CHECK(r.errors.size() == 4);
  CHECK(has(r.errors, "bad.toml:1: scanner: must be a table, got 5"));
  CHECK(has(r.errors, "bad.toml:3: service.log_level: must be one of 'trace', 'debug', "
                      "'info', 'warn', 'error', 'critical', 'off', got 'verbose'"));
  CHECK(has(r.errors, "bad.toml:5: cluster.enabled: must be true or false, got 'yes'"));
  CHECK(has(r.errors,
            "bad.toml:6: cluster.role: must be one of 'all', 'data', 'analytics', "
            "'portfolio' (did you mean 'analytics'?), got 'analytic'"));
}

TEST_CASE("durations accept unit strings and integers in the key's unit", "[config]") {
  const std::string good = R"([scanner]
interval = "2min"
[service]
restart_window = 90
restart_backoff = 250
restart_backoff_max = "1h"
[data.retry]
base_delay = "1.5s"
[data.cache]
quotes = "1h30min"
)";
  auto r = load(good);
  INFO(all(r.errors));
  REQUIRE(r.ok());
  CHECK(r.value.scanner.interval == 120s);
  CHECK(r.value.service.restart_window == 90s);
  CHECK(r.value.service.restart_backoff == 250ms);
  CHECK(r.value.service.restart_backoff_max == 3'600'000ms);
  CHECK(r.value.data.retry.base_delay == 1'500ms);
  CHECK(r.value.data.cache.quotes == 5'400s);

  const std::string bad = R"([scanner]
interval = "250ms"
[data.refresh]
quotes = 0
[service]
restart_window = "5m"
restart_backoff = 1.5
[data.cache]
bars = "-1d"
)";
  auto b = load(bad);
  INFO(all(b.errors));
  CHECK(b.errors.size() == 5);
  CHECK(has(b.errors, "bad.toml:2: scanner.interval: must be a whole number of seconds, "
                      "got '250ms'"));
  const std::string allowed_s =
      "must be a duration > 0 and <= 365d ('250ms', '5s', '2min', "
      "'1h', '1d' or an integer of seconds)";
  CHECK(has(b.errors, "bad.toml:4: data.refresh.quotes: " + allowed_s + ", got 0"));
  CHECK(has(b.errors, "bad.toml:6: service.restart_window: " + allowed_s +
                          ", got '5m': 'm' is ambiguous, write 'min' or 'ms'"));
  CHECK(has(b.errors,
            "bad.toml:7: service.restart_backoff: must be a duration > 0 and <= "
            "365d ('250ms', '5s', '2min', '1h', '1d' or an integer of "
            "milliseconds), got 1.5"));
  CHECK(has(b.errors, "bad.toml:9: data.cache.bars: " + allowed_s +
                          ", got '-1d': expected a number"));
}

TEST_CASE("min <= max pairs are checked across keys", "[config]") {
  const std::string text = R"([trading]
market_cap_min = 3e9
[scanner.filters]
price_min = 50
price_max = 10
pe_max = -5
[options]
max_days = 3
[data.retry]
base_delay = "10s"
)";
  auto r = load(text);
  INFO(all(r.errors));
  CHECK(r.errors.size() == 5);
  // market_cap_max kept its default (2e9): reported where the user wrote the minimum.
  CHECK(has(r.errors,
            "bad.toml:2: trading.market_cap_min: must be <= trading.market_cap_max "
            "(2000000000), got 3000000000"));
  CHECK(has(r.errors, "bad.toml:4: scanner.filters.price_min: must be <= "
                      "scanner.filters.price_max (10), got 50"));
  CHECK(
      has(r.errors, "bad.toml:6: scanner.filters.pe_max: must be a number > 0, got -5"));
  // Only the maximum was written: reported at its line.
  CHECK(has(r.errors,
            "bad.toml:8: options.max_days: must be >= options.min_days (7), got 3"));
  CHECK(has(r.errors,
            "bad.toml:10: data.retry.base_delay: must be <= data.retry.max_delay "
            "(5s), got 10s"));
}

TEST_CASE("weights must be non-negative and not all zero", "[config]") {
  const std::string text = R"([scanner.weights]
momentum = 0
trend = 0
volume = 0
volatility = 0
fundamentals = 0
patterns = 0
portfolio_fit = 0
[options.weights]
iv = -0.1
)";
  auto r = load(text);
  INFO(all(r.errors));
  CHECK(r.errors.size() == 2);
  CHECK(has(r.errors,
            "bad.toml:1: scanner.weights: weights must not all be zero (at least "
            "one > 0)"));
  CHECK(
      has(r.errors, "bad.toml:10: options.weights.iv: must be a number >= 0, got -0.1"));
}

TEST_CASE("sources: known names, unique, at least one enabled", "[config]") {
  const std::string text = R"([[data.sources]]
name = "yahooo"
[[data.sources]]
name = "sim"
enabled = false
[[data.sources]]
name = "sim"
enabled = false
priority = -1
colour = "red"
[data.sources.limits]
per_minute = -5
)";
  auto r = load(text);
  INFO(all(r.errors));
  CHECK(r.errors.size() == 5);
  CHECK(has(r.errors,
            "bad.toml:2: data.sources[0].name: must be one of 'sim', 'yahoo', "
            "'polygon', 'alphavantage', 'nasdaq', 'replay' (did you mean 'yahoo'?), "
            "got 'yahooo'"));
  CHECK(has(r.errors, "bad.toml:7: data.sources[2].name: duplicate source 'sim' (already "
                      "data.sources[1]); names must be unique"));
  CHECK(has(r.errors,
            "bad.toml:9: data.sources[2].priority: must be an integer in [0, 1000], "
            "got -1"));
  CHECK(has(r.errors,
            "bad.toml:10: data.sources[2].colour: unknown key (known keys: name, "
            "enabled, priority, api_key_env, base_url, timeout, limits)"));
  CHECK(has(r.errors,
            "bad.toml:12: data.sources[2].limits.per_minute: must be a number >= 0, "
            "got -5"));
  // A refused name is reported once, not again as missing.
  CHECK(all(r.errors).find("is required") == std::string::npos);
}

TEST_CASE("a source without a name is refused at its block", "[config]") {
  const std::string text = R"([data]
cache_db = "x.db"
[[data.sources]]
enabled = true
)";
  auto r = load(text);
  INFO(all(r.errors));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0] == "bad.toml:3: data.sources[0].name: is required (one of the known "
                       "sources)");
}

TEST_CASE("a source list with nothing enabled is refused", "[config]") {
  const std::string text = R"(
[[data.sources]]
name = "yahoo"
enabled = false
)";
  auto r = load(text);
  INFO(all(r.errors));
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0] == "bad.toml:2: data.sources: at least one source must be enabled");
}

TEST_CASE("sources are read in full", "[config]") {
  const std::string text = R"([[data.sources]]
name = "polygon"
priority = 2
api_key_env = "POLY_KEY"
base_url = "http://127.0.0.1:9000"
timeout = "2500ms"
limits = { per_minute = 5, per_day = 1000.5 }
)";
  auto r = load(text);
  INFO(all(r.errors));
  REQUIRE(r.ok());
  REQUIRE(r.value.data.sources.size() == 1);
  const auto& s = r.value.data.sources[0];
  CHECK(s.name == "polygon");
  CHECK(s.enabled);
  CHECK(s.priority == 2);
  CHECK(s.api_key_env == "POLY_KEY");
  CHECK(s.base_url == "http://127.0.0.1:9000");
  CHECK(s.timeout == 2'500ms);
  CHECK(s.limits.per_second == 0);
  CHECK(s.limits.per_minute == 5);
  CHECK(s.limits.per_day == 1000.5);
  // POLY_KEY is not in the (empty) environment: a warning, not an error.
  CHECK(has(r.warnings,
            "data.sources[0] (polygon): environment variable POLY_KEY is not set; "
            "the source is disabled"));
}

TEST_CASE("TOML syntax errors report file, line and column", "[config]") {
  const std::string text = R"([trading]
mode = "paper"
position_size = = 0.1
)";
  auto r = load(text, "config/broken.toml");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].rfind("config/broken.toml:3:17: syntax error: ", 0) == 0);
  CHECK(r.errors[0].find('\n') == std::string::npos);
}

TEST_CASE("other cross-field rules", "[config]") {
  const std::string text = R"([service]
bind_address = "0.0.0.0"
[cluster]
enabled = true
peers = ["node2:7000", "node3", "node4:99999"]
[risk]
var_confidence = 1
vix_low = 30
[data.sim]
start_date = "2026-02-30"
[scanner.filters]
min_history_bars = 600
[scanner]
watchlist = ["ABCD", "abc"]
)";
  auto r = load(text);
  INFO(all(r.errors));
  CHECK(r.errors.size() == 9);
  CHECK(has(r.errors,
            "bad.toml:2: service.bind_address: binding to a non-loopback address "
            "requires service.api_token_env (the variable holding the API bearer "
            "token)"));
  CHECK(has(r.errors, "bad.toml:4: cluster.enabled: true requires cluster.port in "
                      "[1, 65535], got port 0"));
  // Reported in file order.
  CHECK(std::is_sorted(r.errors.begin(), r.errors.end(),
                       [](const std::string& a, const std::string& b) {
                         return std::stoi(a.substr(9)) < std::stoi(b.substr(9));
                       }));
  CHECK(has(r.errors, "bad.toml:5: cluster.peers[1]: must be 'host:port', got 'node3'"));
  CHECK(has(r.errors, "bad.toml:5: cluster.peers[2]: must be 'host:port' with a port in "
                      "[1, 65535], got 'node4:99999'"));
  CHECK(has(r.errors,
            "bad.toml:7: risk.var_confidence: must be a number in (0, 1), got 1"));
  CHECK(has(r.errors, "bad.toml:8: risk.vix_low: must be <= risk.vix_high (25), got 30"));
  CHECK(has(r.errors,
            "bad.toml:10: data.sim.start_date: must be a valid date YYYY-MM-DD, got "
            "'2026-02-30'"));
  CHECK(has(r.errors, "bad.toml:12: scanner.filters.min_history_bars: must be <= "
                      "scanner.history_days (504), got 600"));
  CHECK(has(r.errors,
            "bad.toml:14: scanner.watchlist[1]: must be a ticker symbol (1-12 of "
            "A-Z, 0-9, '.', '-'), got 'abc'"));
}

TEST_CASE("all errors are collected, in order of the checks", "[config]") {
  std::string text = "[trading]\n";
  for (int i = 0; i < 20; ++i)
    text += "bogus_" + std::to_string(i) + " = 1\n";
  auto r = load(text);
  CHECK(r.errors.size() == 20);
}

TEST_CASE("the dump reads back to the same settings", "[config]") {
  const std::string text = R"([trading]
position_size = 0.035
[scanner]
interval = "90s"
watchlist = ["ABCD", "BRK.B"]
[[data.sources]]
name = "yahoo"
priority = 1
[[data.sources]]
name = "sim"
enabled = false
timeout = 750
[service]
restart_backoff = "1500ms"
)";
  auto r = load(text);
  REQUIRE(r.ok());
  auto text2 = dump(r.value);
  auto again = load(text2, "dump.toml");
  INFO(text2);
  REQUIRE(again.ok());
  CHECK(again.value.trading.position_size == 0.035);
  CHECK(again.value.scanner.interval == 90s);
  CHECK(again.value.scanner.watchlist == std::vector<std::string>{"ABCD", "BRK.B"});
  REQUIRE(again.value.data.sources.size() == 2);
  CHECK(again.value.data.sources[1].timeout == 750ms);
  CHECK_FALSE(again.value.data.sources[1].enabled);
  CHECK(again.value.service.restart_backoff == 1'500ms);
  // Same text again: nothing lost or reformatted on the second pass but the file name.
  again.value.source_file = r.value.source_file;
  CHECK(dump(again.value) == text2);
}
