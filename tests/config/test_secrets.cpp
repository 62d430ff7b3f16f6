// API keys come from the environment and never appear in errors, warnings or dumps.
#include "config/loader.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

using namespace sc::config;

namespace {

const std::string secret = "pk_live_9f8e7d6c5b4a39281706";

void require_absent(const load_result& r, const std::string& what) {
  for (const auto& e : r.errors)
    CHECK(e.find(what) == std::string::npos);
  for (const auto& w : r.warnings)
    CHECK(w.find(what) == std::string::npos);
  CHECK(dump(r.value).find(what) == std::string::npos);
}

} // namespace

TEST_CASE("api_key reads the named variable and nothing prints it", "[config][secrets]") {
  const std::string text = R"([[data.sources]]
name = "polygon"
api_key_env = "SC_TEST_POLYGON_KEY"
[[data.sources]]
name = "yahoo"
timeout = "fast"
[trading]
position_size = 7
)";
  ::setenv("SC_TEST_POLYGON_KEY", secret.c_str(), 1);
  load_options opts; // the process environment, which holds the key
  auto r = load_string(text, "k.toml", opts);
  CHECK(r.errors.size() == 2); // errors elsewhere still do not drag the key in
  require_absent(r, secret);
  REQUIRE(r.value.data.sources.size() == 2);
  const auto& polygon = r.value.data.sources[0];
  CHECK(api_key(polygon) == secret);
  CHECK(source_usable(polygon));
  CHECK(key_warnings(r.value).empty());
  for (const auto& w : key_warnings(r.value))
    CHECK(w.find(secret) == std::string::npos);
  CHECK(dump(r.value).find("SC_TEST_POLYGON_KEY") != std::string::npos);

  ::unsetenv("SC_TEST_POLYGON_KEY");
  CHECK_FALSE(api_key(polygon).has_value());
  CHECK_FALSE(source_usable(polygon));
  auto w = key_warnings(r.value);
  REQUIRE(w.size() == 1);
  CHECK(w[0] ==
        "data.sources[0] (polygon): environment variable SC_TEST_POLYGON_KEY is not "
        "set; the source is disabled");
  // yahoo needs no key, so the configuration still has a usable source.
  CHECK(source_usable(r.value.data.sources[1]));
}

TEST_CASE("a key pasted in place of a variable name is refused without echoing it",
          "[config][secrets]") {
  const std::string text = "[[data.sources]]\nname = \"alphavantage\"\napi_key_env = \"" +
                           secret + "-x\"\n[service]\napi_token_env = \"tok en " +
                           secret + "\"\n";
  load_options opts;
  opts.environment = std::map<std::string, std::string>{};
  auto r = load_string(text, "k.toml", opts);
  REQUIRE(r.errors.size() == 2);
  CHECK(r.errors[0].rfind("k.toml:3: data.sources[0].api_key_env: must be the NAME of an "
                          "environment variable",
                          0) == 0);
  CHECK(r.errors[1].rfind("k.toml:5: service.api_token_env: must be the NAME", 0) == 0);
  require_absent(r, secret);
}

TEST_CASE("a source that needs a key but names none is a warning", "[config][secrets]") {
  load_options opts;
  opts.environment = std::map<std::string, std::string>{};
  auto r = load_string("[[data.sources]]\nname = \"alphavantage\"\n", "k.toml", opts);
  REQUIRE(r.ok());
  REQUIRE(r.warnings.size() == 2);
  CHECK(r.warnings[0] ==
        "data.sources[0] (alphavantage): needs an API key but api_key_env is "
        "empty; the source is disabled");
  CHECK(r.warnings[1] ==
        "data.sources: no enabled source is usable; nothing will be fetched");
  CHECK_FALSE(source_usable(r.value.data.sources[0]));
}

TEST_CASE("known sources and which need keys", "[config][secrets]") {
  CHECK(known_sources() == std::vector<std::string>{"sim", "yahoo", "polygon",
                                                    "alphavantage", "nasdaq", "replay"});
  CHECK(requires_api_key("polygon"));
  CHECK(requires_api_key("alphavantage"));
  CHECK_FALSE(requires_api_key("yahoo"));
  CHECK_FALSE(requires_api_key("sim"));
}
