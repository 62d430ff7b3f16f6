// The project's error codes. One enum for the whole service: the category atom "smallcap"
// is too long for CAF 0.17 (10 characters), so the category is "sc".
#pragma once

#include <cstdint>
#include <string>

namespace sc {

/// Error codes carried in caf::error with category "sc" (see messages/errors_caf.hpp).
enum class ec : uint8_t {
  /// Not an error.
  none = 0,
  /// The provider refused for rate reasons; retryable after a delay.
  throttled = 1,
  /// Missing or rejected credentials; fatal for that source.
  unauthorized = 2,
  /// The symbol, contract or resource does not exist at that source.
  not_found = 3,
  /// The response or input could not be parsed as expected.
  malformed = 4,
  /// The source does not offer this kind of data.
  unsupported = 5,
  /// No answer in time; retryable.
  timeout = 6,
  /// Every source failed and no cached value exists; or a circuit is open.
  unavailable = 7,
  /// The configuration is wrong.
  invalid_config = 8,
  /// A risk or restart limit was breached.
  limit_breached = 9,
  /// A computation could not produce a number (e.g. price outside arbitrage bounds).
  no_solution = 10,
  /// A component failed in a way it cannot recover from by itself.
  internal = 11,
  /// Requested through a test hook: the actor was told to crash.
  crash_requested = 12,
};

/// The name of an error code, e.g. "throttled".
const char* to_string(ec x);

/// Whether a failure with this code is worth retrying at the same source.
constexpr bool is_retryable(ec x) {
  return x == ec::throttled || x == ec::timeout || x == ec::unavailable;
}

} // namespace sc
