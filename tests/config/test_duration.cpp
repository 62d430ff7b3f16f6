#include "config/duration.hpp"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using sc::config::format_duration;
using sc::config::parse_duration;

TEST_CASE("durations with every unit parse to milliseconds", "[config][duration]") {
  CHECK(parse_duration("250ms") == 250ms);
  CHECK(parse_duration("5s") == 5'000ms);
  CHECK(parse_duration("2min") == 120'000ms);
  CHECK(parse_duration("1h") == 3'600'000ms);
  CHECK(parse_duration("1d") == 86'400'000ms);
  CHECK(parse_duration("1.5s") == 1'500ms);
  CHECK(parse_duration("1h30min") == 5'400'000ms);
  CHECK(parse_duration("0s") == 0ms);
}

TEST_CASE("malformed durations are refused with a reason", "[config][duration]") {
  std::string why;
  CHECK_FALSE(parse_duration("5m", &why));
  CHECK(why.find("ambiguous") != std::string::npos);
  CHECK_FALSE(parse_duration("5", &why));
  CHECK(why.find("missing unit") != std::string::npos);
  CHECK_FALSE(parse_duration("5 s", &why));
  CHECK_FALSE(parse_duration("-5s", &why));
  CHECK_FALSE(parse_duration("s", &why));
  CHECK_FALSE(parse_duration("", &why));
  CHECK_FALSE(parse_duration("5sec", &why));
  CHECK_FALSE(parse_duration("1.s", &why));
  CHECK_FALSE(parse_duration("0.0001s", &why));
  CHECK(why.find("millisecond") != std::string::npos);
  CHECK_FALSE(parse_duration("99999999999999999d", &why));
}

TEST_CASE("formatted durations use the largest exact unit and read back",
          "[config][duration]") {
  CHECK(format_duration(300'000ms) == "5min");
  CHECK(format_duration(86'400'000ms) == "1d");
  CHECK(format_duration(90'000ms) == "90s");
  CHECK(format_duration(1'500ms) == "1500ms");
  CHECK(format_duration(7'200'000ms) == "2h");
  for (auto ms : {1ms, 999ms, 61'000ms, 3'600'000ms, 90'061'001ms})
    CHECK(parse_duration(format_duration(ms)) == ms);
}
