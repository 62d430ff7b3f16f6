// Structured logging: one JSON object per line with time (UTC), level, node, actor,
// event and the event's fields. spdlog does the I/O (stderr or a rotating file); the
// level comes from service.log_level.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace sc::config {
struct service_settings;
} // namespace sc::config

namespace sc::log {

enum class level : uint8_t { trace, debug, info, warn, error, critical, off };

/// One key and its value already rendered as JSON.
struct field {
  std::string key;
  std::string json;
};

field kv(std::string_view key, std::string_view value);
field kv(std::string_view key, const char* value);
field kv(std::string_view key, const std::string& value);
field kv(std::string_view key, double value);
field kv(std::string_view key, int64_t value);
field kv(std::string_view key, int value);
field kv(std::string_view key, uint64_t value);
field kv(std::string_view key, bool value);

/// Configures the process-wide logger (idempotent; the last call wins). Returns an
/// error message, empty on success (e.g. an unwritable log file).
std::string init(const config::service_settings& cfg);

/// Sets only the level and node, logging to stderr (tests, one-shot commands).
void init_stderr(level lvl, std::string_view node = "local");

/// Whether an event at `lvl` would be written.
bool enabled(level lvl);

/// Writes one event line.
void event(level lvl, std::string_view actor, std::string_view name,
           std::initializer_list<field> fields = {});

inline void info(std::string_view actor, std::string_view name,
                 std::initializer_list<field> fields = {}) {
  event(level::info, actor, name, fields);
}
inline void warn(std::string_view actor, std::string_view name,
                 std::initializer_list<field> fields = {}) {
  event(level::warn, actor, name, fields);
}
inline void error(std::string_view actor, std::string_view name,
                  std::initializer_list<field> fields = {}) {
  event(level::error, actor, name, fields);
}
inline void debug(std::string_view actor, std::string_view name,
                  std::initializer_list<field> fields = {}) {
  event(level::debug, actor, name, fields);
}

/// Flushes buffered lines (before exit).
void flush();

/// JSON string escaping (RFC 8259), exposed for reuse and tests.
std::string json_escape(std::string_view s);

} // namespace sc::log
