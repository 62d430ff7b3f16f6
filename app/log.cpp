#include "app/log.hpp"

#include "config/settings.hpp"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <mutex>

namespace sc::log {

namespace {

std::mutex mtx;
std::shared_ptr<spdlog::logger> logger;
std::string node_json = "\"local\"";

spdlog::level::level_enum to_spd(level l) {
  return static_cast<spdlog::level::level_enum>(static_cast<int>(l));
}

level parse_level(const std::string& s) {
  if (s == "trace") return level::trace;
  if (s == "debug") return level::debug;
  if (s == "warn") return level::warn;
  if (s == "error") return level::error;
  if (s == "critical") return level::critical;
  if (s == "off") return level::off;
  return level::info;
}

void install(std::shared_ptr<spdlog::logger> l, level lvl, std::string_view node) {
  // The JSON object is opened by the pattern; event() writes the rest of it.
  l->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l",%v)",
                 spdlog::pattern_time_type::utc);
  l->set_level(to_spd(lvl));
  l->flush_on(spdlog::level::warn);
  std::lock_guard<std::mutex> guard{mtx};
  logger = std::move(l);
  node_json = "\"" + json_escape(node) + "\"";
}

std::shared_ptr<spdlog::logger> current() {
  std::lock_guard<std::mutex> guard{mtx};
  if (!logger) {
    logger = spdlog::stderr_logger_mt("smallcap-default");
    logger->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l",%v)",
                        spdlog::pattern_time_type::utc);
    logger->set_level(spdlog::level::info);
  }
  return logger;
}

} // namespace

std::string json_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  for (unsigned char c : s) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\r':
      out += "\\r";
      break;
    case '\t':
      out += "\\t";
      break;
    default:
      if (c < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
      } else {
        out += static_cast<char>(c);
      }
    }
  }
  return out;
}

field kv(std::string_view key, std::string_view value) {
  return {std::string{key}, "\"" + json_escape(value) + "\""};
}
field kv(std::string_view key, const char* value) {
  return kv(key, std::string_view{value});
}
field kv(std::string_view key, const std::string& value) {
  return kv(key, std::string_view{value});
}
field kv(std::string_view key, double value) {
  if (!std::isfinite(value)) return {std::string{key}, "null"};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  return {std::string{key}, buf};
}
field kv(std::string_view key, int64_t value) {
  return {std::string{key}, std::to_string(value)};
}
field kv(std::string_view key, int value) {
  return {std::string{key}, std::to_string(value)};
}
field kv(std::string_view key, uint64_t value) {
  return {std::string{key}, std::to_string(value)};
}
field kv(std::string_view key, bool value) {
  return {std::string{key}, value ? "true" : "false"};
}

std::string init(const config::service_settings& cfg) {
  auto lvl = parse_level(cfg.log_level);
  std::shared_ptr<spdlog::logger> l;
  try {
    spdlog::drop("smallcap");
    if (cfg.log_file.empty()) {
      l = spdlog::stderr_logger_mt("smallcap");
    } else {
      std::filesystem::path p{cfg.log_file};
      if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path());
      l = spdlog::rotating_logger_mt("smallcap", cfg.log_file, 64 * 1024 * 1024, 5);
    }
  } catch (const std::exception& e) {
    return "log file '" + cfg.log_file + "': " + e.what();
  }
  install(std::move(l), lvl, cfg.node);
  return {};
}

void init_stderr(level lvl, std::string_view node) {
  spdlog::drop("smallcap");
  install(spdlog::stderr_logger_mt("smallcap"), lvl, node);
}

bool enabled(level lvl) {
  return current()->should_log(to_spd(lvl));
}

void event(level lvl, std::string_view actor, std::string_view name,
           std::initializer_list<field> fields) {
  auto l = current();
  if (!l->should_log(to_spd(lvl))) return;
  std::string line;
  line.reserve(96);
  {
    std::lock_guard<std::mutex> guard{mtx};
    line += "\"node\":";
    line += node_json;
  }
  line += ",\"actor\":\"";
  line += json_escape(actor);
  line += "\",\"event\":\"";
  line += json_escape(name);
  line += '"';
  for (auto& f : fields) {
    line += ",\"";
    line += json_escape(f.key);
    line += "\":";
    line += f.json;
  }
  line += '}';
  l->log(to_spd(lvl), line);
}

void flush() {
  current()->flush();
}

} // namespace sc::log
