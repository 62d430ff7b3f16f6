// Private helpers of the scanner and options-analyzer actors (not part of the protocol).
#pragma once

#include "config/settings.hpp"
#include "messages/caf_errors.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

namespace sc::actors::detail {

/// describe(err), except that CAF's request timeout reads "timeout: no reply within N ms"
/// (describe() renders it as a bare system error code).
inline std::string describe_failure(const caf::error& err,
                                    std::chrono::milliseconds waited) {
  if (err.category() != error_category && code_of(err) == ec::timeout)
    return "timeout: no reply within " + std::to_string(waited.count()) + " ms";
  return describe(err);
}

/// Milliseconds between two steady-clock points, as a double.
template <class TimePoint> double elapsed_ms(TimePoint t0, TimePoint t1) {
  return std::chrono::duration<double, std::milli>(t1 - t0).count();
}

/// "name(0.72)": a label with a value in two decimals.
inline std::string label_with_value(const std::string& name, double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "(%.2f)", x);
  return name + buf;
}

} // namespace sc::actors::detail
