// The shipped files (config/default.toml, config/example-providers.toml), files under
// tests/config/data, and the `config check` command.
#include "app/cmd_config.hpp"
#include "config/loader.hpp"

#include <catch2/catch.hpp>
#include <toml++/toml.h>

#include <sstream>

using namespace sc::config;
using namespace std::chrono_literals;

namespace {

const std::string root = SC_SOURCE_DIR;

load_options no_env() {
  load_options o;
  o.environment = std::map<std::string, std::string>{};
  return o;
}

std::string all(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines)
    out += l + "\n";
  return out;
}

// Every field of the settings, written out by hand from config/settings.hpp (not from the
// loader), so a field the loader forgets is caught by the tests below.
// clang-format off
#define SC_SETTINGS_FIELDS(X) \
  X(trading.mode) \
  X(trading.starting_cash) \
  X(trading.market_cap_min) \
  X(trading.market_cap_max) \
  X(trading.position_size) \
  X(trading.max_positions) \
  X(trading.stop_loss) \
  X(trading.profit_target) \
  X(trading.contracts_per_trade_max) \
  X(trading.slippage) \
  X(trading.fee_per_contract) \
  X(trading.fee_per_share) \
  X(trading.ledger_db) \
  X(scanner.interval) \
  X(scanner.market_hours_only) \
  X(scanner.top_n) \
  X(scanner.history_days) \
  X(scanner.watchlist) \
  X(scanner.patterns) \
  X(scanner.threads) \
  X(scanner.correlation_days) \
  X(scanner.filters.price_min) \
  X(scanner.filters.price_max) \
  X(scanner.filters.avg_volume_min) \
  X(scanner.filters.dollar_volume_min) \
  X(scanner.filters.revenue_growth_min) \
  X(scanner.filters.eps_growth_min) \
  X(scanner.filters.pe_min) \
  X(scanner.filters.pe_max) \
  X(scanner.filters.negative_earnings) \
  X(scanner.filters.negative_earnings_min_growth) \
  X(scanner.filters.insider_ownership_min) \
  X(scanner.filters.insider_ownership_max) \
  X(scanner.filters.institutional_ownership_min) \
  X(scanner.filters.institutional_ownership_max) \
  X(scanner.filters.short_float_max) \
  X(scanner.filters.reject_missing_fundamentals) \
  X(scanner.filters.min_history_bars) \
  X(scanner.weights.momentum) \
  X(scanner.weights.trend) \
  X(scanner.weights.volume) \
  X(scanner.weights.volatility) \
  X(scanner.weights.fundamentals) \
  X(scanner.weights.patterns) \
  X(scanner.weights.portfolio_fit) \
  X(options.top_candidates) \
  X(options.top_contracts) \
  X(options.min_days) \
  X(options.max_days) \
  X(options.min_volume) \
  X(options.min_open_interest) \
  X(options.max_spread) \
  X(options.risk_free_rate) \
  X(options.iv_history_db) \
  X(options.target_delta) \
  X(options.delta_width) \
  X(options.iv_history_days) \
  X(options.weights.moneyness) \
  X(options.weights.time_value) \
  X(options.weights.liquidity) \
  X(options.weights.greeks) \
  X(options.weights.iv) \
  X(options.weights.expected_return) \
  X(options.weights.probability) \
  X(risk.max_position) \
  X(risk.max_sector) \
  X(risk.max_var) \
  X(risk.var_confidence) \
  X(risk.var_lookback) \
  X(risk.max_drawdown) \
  X(risk.max_delta) \
  X(risk.max_correlation) \
  X(risk.max_positions) \
  X(risk.vix_low) \
  X(risk.vix_high) \
  X(risk.vix_crisis) \
  X(data.cache.quotes) \
  X(data.cache.bars) \
  X(data.cache.fundamentals) \
  X(data.cache.chains) \
  X(data.cache.universe) \
  X(data.refresh.quotes) \
  X(data.refresh.chains) \
  X(data.refresh.universe) \
  X(data.retry.max_attempts) \
  X(data.retry.base_delay) \
  X(data.retry.max_delay) \
  X(data.retry.breaker_failures) \
  X(data.retry.breaker_cooldown) \
  X(data.sim.seed) \
  X(data.sim.universe_size) \
  X(data.sim.history_days) \
  X(data.sim.clock_speed) \
  X(data.sim.start_date) \
  X(data.sim.horizon_days) \
  X(data.sim.stock_vol) \
  X(data.sim.market_vol) \
  X(data.sim.risk_free_rate) \
  X(data.sim.skip_closed) \
  X(data.cache_db) \
  X(service.node) \
  X(service.log_level) \
  X(service.log_file) \
  X(service.bind_address) \
  X(service.http_port) \
  X(service.api_token_env) \
  X(service.max_restarts) \
  X(service.restart_window) \
  X(service.restart_backoff) \
  X(service.restart_backoff_max) \
  X(cluster.enabled) \
  X(cluster.role) \
  X(cluster.peers) \
  X(cluster.port)
// clang-format on

// clang-format off
#define SC_SOURCE_FIELDS(X) \
  X(name) \
  X(enabled) \
  X(priority) \
  X(api_key_env) \
  X(base_url) \
  X(timeout) \
  X(limits.per_second) \
  X(limits.per_minute) \
  X(limits.per_day)
// clang-format on

void check_equal(const settings& a, const settings& b) {
#define SC_EQ(f) CHECK(a.f == b.f);
  SC_SETTINGS_FIELDS(SC_EQ)
  REQUIRE(a.data.sources.size() == b.data.sources.size());
  for (size_t i = 0; i < a.data.sources.size(); ++i) {
    const auto& x = a.data.sources[i];
    const auto& y = b.data.sources[i];
#define SC_SRC_EQ(f) CHECK(x.f == y.f);
    SC_SOURCE_FIELDS(SC_SRC_EQ)
  }
}

} // namespace

TEST_CASE("default.toml loads cleanly and equals the built-in defaults",
          "[config][files]") {
  auto r = load_file(root + "/config/default.toml", no_env());
  INFO(all(r.errors) + all(r.warnings));
  REQUIRE(r.ok());
  CHECK(r.warnings.empty());
  CHECK(r.value.source_file == root + "/config/default.toml");
  check_equal(r.value, defaults());
}

TEST_CASE("default.toml spells out every key the environment layer knows",
          "[config][files]") {
  auto doc = toml::parse_file(root + "/config/default.toml");
  for (const auto& [key, var] : environment_keys()) {
    INFO(key);
    CHECK(doc.at_path(key).node() != nullptr);
  }
  // And each source key is shown in the sim block.
  const auto* sim = doc.at_path("data.sources[0]").as_table();
  REQUIRE(sim);
  for (const char* k :
       {"name", "enabled", "priority", "api_key_env", "base_url", "timeout", "limits"})
    CHECK(sim->contains(k));
}

TEST_CASE("every field can be set from a file", "[config][files]") {
  auto r = load_file(root + "/tests/config/data/all_changed.toml", no_env());
  INFO(all(r.errors));
  REQUIRE(r.ok());
  const settings d = defaults();
  const settings& a = r.value;
#define SC_NE(f) CHECK_FALSE(a.f == d.f);
  SC_SETTINGS_FIELDS(SC_NE)
  REQUIRE(a.data.sources.size() == 2);
  CHECK(a.data.sources[1].name == "sim");
  const auto& x = a.data.sources[0];
  const auto& y = d.data.sources[0];
#define SC_SRC_NE(f) CHECK_FALSE(x.f == y.f);
  SC_SOURCE_FIELDS(SC_SRC_NE)
  // A few exact values, to see units applied.
  CHECK(a.data.sources[0].timeout == 1'500ms);
  CHECK(a.data.cache.universe == 7 * 86'400s);
  CHECK(a.data.sim.start_date == "2025-06-02");
  // And the dump of it reads back equal.
  auto again = load_string(dump(a), "dump.toml", no_env());
  INFO(all(again.errors));
  REQUIRE(again.ok());
  again.value.source_file = a.source_file;
  check_equal(again.value, a);
}

TEST_CASE("example-providers.toml loads; missing keys are warnings", "[config][files]") {
  auto r = load_file(root + "/config/example-providers.toml", no_env());
  INFO(all(r.errors));
  REQUIRE(r.ok());
  const auto& src = r.value.data.sources;
  REQUIRE(src.size() == 5);
  CHECK(src[0].name == "yahoo");
  CHECK(src[1].limits.per_minute == 5);
  CHECK(src[2].name == "alphavantage");
  CHECK(src[2].limits.per_day == 25);
  CHECK(src[3].name == "nasdaq");
  CHECK_FALSE(src[4].enabled);
  CHECK(r.warnings ==
        std::vector<std::string>{
            "data.sources[1] (polygon): environment variable POLYGON_API_KEY is "
            "not set; the source is disabled",
            "data.sources[2] (alphavantage): environment variable "
            "ALPHAVANTAGE_API_KEY is not set; the source is disabled"});
  auto with_keys = no_env();
  with_keys.environment = std::map<std::string, std::string>{
      {"POLYGON_API_KEY", "a"}, {"ALPHAVANTAGE_API_KEY", "b"}};
  CHECK(load_file(root + "/config/example-providers.toml", with_keys).warnings.empty());
}

TEST_CASE("config check prints ok or each error line", "[config][files]") {
  std::ostringstream out, err;
  const std::string good = root + "/config/default.toml";
  CHECK(sc::app::run_config_check(good, out, err) == 0);
  CHECK(out.str().rfind(good + ": ok\n", 0) == 0);
  CHECK(err.str().empty());

  std::ostringstream out2, err2;
  const std::string bad = root + "/tests/config/data/bad.toml";
  CHECK(sc::app::run_config_check(bad, out2, err2) == 2);
  CHECK(out2.str().empty());
  const std::string e = err2.str();
  CHECK(
      e.find(bad + ":3: trading.position_size: must be a number in (0, 1], got -0.1\n") !=
      std::string::npos);
  CHECK(e.find(bad + ":6: scanner.filtrs: unknown key (did you mean 'filters'?)\n") !=
        std::string::npos);
  CHECK(e.find(bad +
               ":7: scanner.top_n: must be an integer in [1, 10000], got 'twenty'\n") !=
        std::string::npos);
  CHECK(e.find(bad + ": 3 errors\n") != std::string::npos);
}

TEST_CASE("a missing file is an error naming it", "[config][files]") {
  auto r = load_file(root + "/tests/config/data/no-such-file.toml");
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0] ==
        root + "/tests/config/data/no-such-file.toml: cannot open the file");
  std::ostringstream out, err;
  CHECK(sc::app::run_config_check(root + "/nope.toml", out, err) == 2);
}
