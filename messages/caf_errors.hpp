// Glue between sc::ec and caf::error: make_error overloads found by ADL, and a reader
// that recovers the code from a caf::error of our category.
#pragma once

#include "messages/errors.hpp"

#include <caf/error.hpp>
#include <caf/make_message.hpp>
#include <caf/sec.hpp>

#include <string>
#include <utility>

namespace sc {

/// The error category atom of every sc::ec.
constexpr caf::atom_value error_category = caf::atom("sc");

inline caf::error make_error(ec x) {
  return {static_cast<uint8_t>(x), error_category};
}

/// Builds an error with context, e.g. make_error(ec::not_found, "sim", "ABCD").
template <class T, class... Ts> caf::error make_error(ec x, T&& y, Ts&&... xs) {
  return {static_cast<uint8_t>(x), error_category,
          caf::make_message(std::forward<T>(y), std::forward<Ts>(xs)...)};
}

/// The sc::ec of an error of our category; ec::internal for any other failure and
/// ec::none for success.
inline ec code_of(const caf::error& e) {
  if (!e) return ec::none;
  if (e.category() == error_category) return static_cast<ec>(e.code());
  if (e == caf::sec::request_timeout) return ec::timeout;
  return ec::internal;
}

/// Renders any error as "code: context" without needing an actor system.
std::string describe(const caf::error& e);

} // namespace sc
