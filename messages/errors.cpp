#include "messages/errors.hpp"

namespace sc {

const char* to_string(ec x) {
  switch (x) {
  case ec::none:
    return "none";
  case ec::throttled:
    return "throttled";
  case ec::unauthorized:
    return "unauthorized";
  case ec::not_found:
    return "not_found";
  case ec::malformed:
    return "malformed";
  case ec::unsupported:
    return "unsupported";
  case ec::timeout:
    return "timeout";
  case ec::unavailable:
    return "unavailable";
  case ec::invalid_config:
    return "invalid_config";
  case ec::limit_breached:
    return "limit_breached";
  case ec::no_solution:
    return "no_solution";
  case ec::internal:
    return "internal";
  case ec::crash_requested:
    return "crash_requested";
  }
  return "unknown";
}

} // namespace sc
