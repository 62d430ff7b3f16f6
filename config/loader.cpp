// The loader: one schema, written once as bind_*() functions, run in three modes:
//   read     TOML table -> settings, validating every value and refusing unknown keys;
//   collect  lists every scalar key (for the environment and command-line layers);
//   write    settings -> TOML table (the dump).
// Keeping the three in one place means a key cannot be loadable but not dumpable, or
// dumpable but not overridable.
#include "config/loader.hpp"

#include "config/duration.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <limits>
#include <set>
#include <sstream>

#include <unistd.h> // environ

namespace sc::config {

namespace {

// -- small helpers --------------------------------------------------------------------

/// Shortest text that reads back as the same double ("-0.1", "3e+09").
std::string fmt_num(double v) {
  // Whole numbers as written in a config ("3000000000", not "3e+09").
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15)
    return std::to_string(static_cast<int64_t>(v));
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string quote(std::string_view s) {
  constexpr size_t max_shown = 60;
  std::string out = "'";
  for (char c : s.substr(0, max_shown)) {
    if (c == '\n')
      out += "\\n";
    else if (static_cast<unsigned char>(c) < 0x20)
      out += '?';
    else
      out += c;
  }
  if (s.size() > max_shown) out += "...";
  return out + "'";
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/// Optimal-string-alignment distance: Levenshtein plus adjacent transpositions, so
/// "filtrs" -> "filters" is 1 and "tarding" -> "trading" is 1.
size_t edit_distance(std::string_view a, std::string_view b) {
  const size_t n = a.size(), m = b.size();
  std::vector<std::vector<size_t>> d(n + 1, std::vector<size_t>(m + 1));
  for (size_t i = 0; i <= n; ++i)
    d[i][0] = i;
  for (size_t j = 0; j <= m; ++j)
    d[0][j] = j;
  for (size_t i = 1; i <= n; ++i)
    for (size_t j = 1; j <= m; ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[n][m];
}

/// The closest candidate when it is close enough to be a plausible typo.
std::optional<std::string> suggest(std::string_view word,
                                   const std::vector<std::string>& candidates) {
  const std::string w = lower(word);
  const size_t limit = w.size() <= 4 ? 1 : w.size() <= 8 ? 2 : 3;
  std::optional<std::string> best;
  size_t best_d = limit + 1;
  for (const auto& c : candidates) {
    size_t d = edit_distance(w, lower(c));
    if (d < best_d && d < std::max(w.size(), c.size())) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

std::string did_you_mean(std::string_view word,
                         const std::vector<std::string>& candidates) {
  if (auto s = suggest(word, candidates)) return " (did you mean '" + *s + "'?)";
  return {};
}

/// How a wrong value is shown back to the user.
std::string describe(const toml::node& n) {
  if (auto v = n.as_integer()) return std::to_string(v->get());
  if (auto v = n.as_floating_point()) {
    std::string s = fmt_num(v->get());
    if (s.find_first_of(".eE") == std::string::npos && std::isfinite(v->get())) s += ".0";
    return s;
  }
  if (auto v = n.as_string()) return quote(v->get());
  if (auto v = n.as_boolean()) return v->get() ? "true" : "false";
  if (n.is_table()) return "a table";
  if (n.is_array()) return "an array";
  if (n.is_date()) return "a date";
  if (n.is_time()) return "a time";
  if (n.is_date_time()) return "a date-time";
  return "a value of another type";
}

bool valid_env_name(std::string_view s) {
  if (s.empty() || s.size() > 128 || std::isdigit(static_cast<unsigned char>(s[0])))
    return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

bool valid_date(int y, int m, int d) {
  if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1) return false;
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

/// "YYYY-MM-DD" and a real calendar day.
bool valid_date_text(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  auto num = [&](size_t at, size_t len) {
    int v = 0;
    std::from_chars(s.data() + at, s.data() + at + len, v);
    return v;
  };
  return valid_date(num(0, 4), num(5, 2), num(8, 2));
}

bool is_loopback(std::string_view host) {
  return host == "localhost" || host == "::1" || host == "[::1]" ||
         host.substr(0, 4) == "127.";
}

/// Host names, IPv4 and IPv6 literals: no blanks, no scheme, no path.
bool plausible_host(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
           c == ':' || c == '[' || c == ']' || c == '_';
  });
}

using env_map = std::map<std::string, std::string>;

env_map process_environment() {
  env_map out;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    auto eq = kv.find('=');
    if (eq != std::string_view::npos)
      out.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return out;
}

// -- constraints ----------------------------------------------------------------------

/// An interval of allowed numbers, with its own wording for messages.
struct range {
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool lo_open = false;
  bool hi_open = false;

  bool contains(double v) const {
    return (lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi);
  }
  std::string text() const {
    bool has_lo = std::isfinite(lo), has_hi = std::isfinite(hi);
    if (has_lo && has_hi)
      return std::string(" in ") + (lo_open ? "(" : "[") + fmt_num(lo) + ", " +
             fmt_num(hi) + (hi_open ? ")" : "]");
    if (has_lo) return std::string(lo_open ? " > " : " >= ") + fmt_num(lo);
    if (has_hi) return std::string(hi_open ? " < " : " <= ") + fmt_num(hi);
    return "";
  }
};

range any() {
  return {};
}
range closed(double lo, double hi) {
  return {lo, hi, false, false};
}
range open_closed(double lo, double hi) {
  return {lo, hi, true, false};
}
range open(double lo, double hi) {
  return {lo, hi, true, true};
}
range at_least(double lo) {
  return {lo, std::numeric_limits<double>::infinity(), false, false};
}
range above(double lo) {
  return {lo, std::numeric_limits<double>::infinity(), true, false};
}

/// Checks a string; returns "" when fine, else the "must ..." text.
using string_check = std::function<std::string(const std::string&)>;

string_check non_empty() {
  return
      [](const std::string& s) { return s.empty() ? "must be a non-empty string" : ""; };
}
string_check anything() {
  return [](const std::string&) { return std::string(); };
}

// -- the binder -----------------------------------------------------------------------

enum class mode { read, collect, write };

/// The kinds of scalar key the upper layers can set, and how their text is read.
enum class kind { boolean, integer, number, string, duration, string_list, date };

struct schema_key {
  std::string path;
  kind k;
};

/// State shared by every binder of one load.
struct context {
  std::string file; ///< Name used in messages.
  std::vector<std::string> errors;
  std::map<std::string, std::string> origin; ///< Key -> layer label for upper layers.
  std::map<std::string, std::string> where;  ///< Key -> message prefix of its value.
  std::vector<schema_key> schema;            ///< Filled in collect mode.

  /// "file:12: " or "SMALLCAP_X: " or "file: ".
  std::string prefix(const std::string& path, const toml::node* n) const {
    if (auto o = origin.find(path); o != origin.end()) return o->second + ": ";
    if (n && n->source().begin.line > 0)
      return file + ":" + std::to_string(n->source().begin.line) + ": ";
    return file + ": ";
  }
  void error(const std::string& path, const toml::node* n, const std::string& what) {
    errors.push_back(prefix(path, n) + path + ": " + what);
  }
  /// For cross-field checks: the location recorded when @p path was read.
  /// Falls back to the enclosing table's location when the key itself was not written.
  void error_at(const std::string& path, const std::string& what) {
    std::string at = path;
    for (;;) {
      if (auto w = where.find(at); w != where.end()) {
        errors.push_back(w->second + path + ": " + what);
        return;
      }
      auto cut = at.find_last_of(".[");
      if (cut == std::string::npos) break;
      at.erase(cut);
    }
    errors.push_back(file + ": " + path + ": " + what);
  }
  bool given(const std::string& path) const { return where.count(path) > 0; }
};

class binder {
public:
  binder(context& ctx, mode m, toml::table* tbl, std::string prefix)
      : ctx_(ctx), mode_(m), tbl_(tbl), prefix_(std::move(prefix)) {}

  void boolean(std::string_view key, bool& v) {
    const toml::node* n = begin(key, kind::boolean);
    if (mode_ == mode::write) tbl_->insert_or_assign(key, v);
    if (!n) return;
    if (auto b = n->as_boolean())
      v = b->get();
    else
      fail(key, n, "must be true or false, got " + describe(*n));
  }

  template <class Int>
  void integer(std::string_view key, Int& v, int64_t lo, int64_t hi) {
    const toml::node* n = begin(key, kind::integer);
    if (mode_ == mode::write) tbl_->insert_or_assign(key, static_cast<int64_t>(v));
    if (!n) return;
    constexpr int64_t i64_max = std::numeric_limits<int64_t>::max();
    constexpr int64_t type_max =
        static_cast<uint64_t>(std::numeric_limits<Int>::max()) >
                static_cast<uint64_t>(i64_max)
            ? i64_max
            : static_cast<int64_t>(std::numeric_limits<Int>::max());
    hi = std::min(hi, type_max);
    lo = std::max<int64_t>(lo, static_cast<int64_t>(std::numeric_limits<Int>::min()));
    std::string allowed = "must be an integer";
    if (hi == type_max && type_max > 65535)
      allowed += " >= " + std::to_string(lo);
    else
      allowed += " in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]";
    if (auto i = n->as_integer()) {
      if (i->get() < lo || i->get() > hi)
        fail(key, n, allowed + ", got " + std::to_string(i->get()));
      else
        v = static_cast<Int>(i->get());
    } else if (n->is_floating_point()) {
      fail(key, n, allowed + " (no decimal point), got " + describe(*n) + " (a float)");
    } else {
      fail(key, n, allowed + ", got " + describe(*n));
    }
  }

  void number(std::string_view key, double& v, range r) {
    const toml::node* n = begin(key, kind::number);
    if (mode_ == mode::write) tbl_->insert_or_assign(key, v);
    if (!n) return;
    std::optional<double> x;
    if (auto i = n->as_integer())
      x = static_cast<double>(i->get());
    else if (auto f = n->as_floating_point())
      x = f->get();
    if (!x || !std::isfinite(*x) || !r.contains(*x))
      fail(key, n, "must be a number" + r.text() + ", got " + describe(*n));
    else
      v = *x;
  }

  /// A string with a check; @p secret_like keeps the value out of messages.
  void string(std::string_view key, std::string& v, const string_check& check,
              bool secret_like = false) {
    const toml::node* n = begin(key, kind::string);
    if (mode_ == mode::write) tbl_->insert_or_assign(key, v);
    if (!n) return;
    auto s = n->as_string();
    if (!s) {
      fail(key, n,
           "must be a string, got " + (secret_like ? "another type" : describe(*n)));
      return;
    }
    std::string why = check(s->get());
    if (!why.empty())
      fail(key, n, why + (secret_like ? "" : ", got " + quote(s->get())));
    else
      v = s->get();
  }

  void choice(std::string_view key, std::string& v,
              const std::vector<std::string>& allowed) {
    string(key, v, [&allowed](const std::string& s) -> std::string {
      if (std::find(allowed.begin(), allowed.end(), s) != allowed.end()) return {};
      std::string list;
      for (const auto& a : allowed)
        list += (list.empty() ? "'" : ", '") + a + "'";
      std::string hint = suggest(s, allowed) ? did_you_mean(s, allowed) : "";
      return "must be one of " + list + hint;
    });
  }

  /// The name of an environment variable. The value is never echoed: a user who pasted
  /// the key itself here must not find it in a log.
  void env_name(std::string_view key, std::string& v) {
    string(
        key, v,
        [](const std::string& s) -> std::string {
          if (s.empty() || valid_env_name(s)) return {};
          return "must be the NAME of an environment variable (letters, digits, '_'; not "
                 "starting with a digit), or empty; the value is not shown in case it is "
                 "a "
                 "key";
        },
        true);
  }

  /// A calendar date, as a TOML date (2026-01-02) or a string ("2026-01-02").
  void date(std::string_view key, std::string& v) {
    const toml::node* n = begin(key, kind::date);
    if (mode_ == mode::write) tbl_->insert_or_assign(key, v);
    if (!n) return;
    if (auto d = n->as_date()) {
      const toml::date& x = d->get();
      char buf[16];
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", int(x.year), int(x.month),
                    int(x.day));
      if (valid_date(x.year, x.month, x.day))
        v = buf;
      else
        fail(key, n,
             "must be a date from 1900-01-01 to 9999-12-31, got " + std::string(buf));
    } else if (auto s = n->as_string(); s && valid_date_text(s->get())) {
      v = s->get();
    } else {
      fail(key, n, "must be a valid date YYYY-MM-DD, got " + describe(*n));
    }
  }

  /// A positive duration: a string with units ("250ms", "5s", "2min", "1h", "1d") or an
  /// integer in the unit of the field (seconds for std::chrono::seconds fields).
  template <class Rep, class Period>
  void duration(std::string_view key, std::chrono::duration<Rep, Period>& v) {
    using dur = std::chrono::duration<Rep, Period>;
    const bool in_seconds = std::is_same<Period, std::ratio<1>>::value;
    const char* unit = in_seconds ? "seconds" : "milliseconds";
    const toml::node* n = begin(key, kind::duration);
    if (mode_ == mode::write)
      tbl_->insert_or_assign(
          key, format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(v)));
    if (!n) return;
    const std::string allowed =
        std::string("must be a duration > 0 and <= 365d ('250ms', "
                    "'5s', '2min', '1h', '1d' or an integer of ") +
        unit + ")";
    constexpr int64_t max_ms = 365LL * 86'400'000;
    if (auto i = n->as_integer()) {
      int64_t ms = i->get();
      bool ok = ms > 0 && ms <= (in_seconds ? max_ms / 1000 : max_ms);
      if (ok)
        v = dur{static_cast<Rep>(ms)};
      else
        fail(key, n, allowed + ", got " + std::to_string(i->get()));
      return;
    }
    auto s = n->as_string();
    if (!s) {
      fail(key, n, allowed + ", got " + describe(*n));
      return;
    }
    std::string why;
    auto ms = parse_duration(s->get(), &why);
    if (!ms) {
      fail(key, n, allowed + ", got " + quote(s->get()) + ": " + why);
      return;
    }
    if (ms->count() <= 0 || ms->count() > max_ms) {
      fail(key, n, allowed + ", got " + quote(s->get()));
      return;
    }
    auto converted = std::chrono::duration_cast<dur>(*ms);
    if (std::chrono::duration_cast<std::chrono::milliseconds>(converted) != *ms) {
      fail(key, n,
           std::string("must be a whole number of ") + unit + ", got " + quote(s->get()));
      return;
    }
    v = converted;
  }

  /// An array of strings, each checked.
  void string_list(std::string_view key, std::vector<std::string>& v,
                   const string_check& check) {
    const toml::node* n = begin(key, kind::string_list);
    if (mode_ == mode::write) {
      toml::array a;
      for (const auto& s : v)
        a.push_back(s);
      tbl_->insert_or_assign(key, std::move(a));
    }
    if (!n) return;
    auto arr = n->as_array();
    if (!arr) {
      fail(key, n, "must be an array of strings, got " + describe(*n));
      return;
    }
    std::vector<std::string> out;
    bool good = true;
    for (size_t i = 0; i < arr->size(); ++i) {
      const toml::node& item = *arr->get(i);
      std::string path = full(key) + "[" + std::to_string(i) + "]";
      auto s = item.as_string();
      std::string why = s ? check(s->get()) : "must be a string";
      if (!why.empty()) {
        ctx_.error(path, item.source().begin.line > 0 ? &item : n,
                   why + ", got " + describe(item));
        good = false;
      } else {
        out.push_back(s->get());
      }
    }
    if (good) v = std::move(out);
  }

  /// A nested table [prefix.key], bound by @p f.
  template <class F> void table(std::string_view key, F&& f) {
    known_.emplace_back(key);
    const std::string path = full(key);
    if (mode_ == mode::collect) {
      binder sub(ctx_, mode_, nullptr, path);
      f(sub);
      return;
    }
    if (mode_ == mode::write) {
      toml::table t;
      binder sub(ctx_, mode_, &t, path);
      f(sub);
      tbl_->insert_or_assign(key, std::move(t));
      return;
    }
    toml::node* n = tbl_ ? tbl_->get(key) : nullptr;
    if (!n) return;
    if (!n->is_table()) {
      ctx_.error(path, n, "must be a table, got " + describe(*n));
      return;
    }
    ctx_.where[path] = ctx_.prefix(path, n);
    binder sub(ctx_, mode_, n->as_table(), path);
    f(sub);
    sub.finish();
  }

  /// An array of tables [[prefix.key]]: each element bound by @p f into a T.
  template <class T, class F>
  void table_array(std::string_view key, std::vector<T>& v, F&& f) {
    known_.emplace_back(key);
    const std::string path = full(key);
    if (mode_ == mode::collect) return; // not settable from the environment
    if (mode_ == mode::write) {
      toml::array a;
      for (auto& item : v) {
        toml::table t;
        binder sub(ctx_, mode_, &t, path);
        f(sub, item);
        a.push_back(std::move(t));
      }
      tbl_->insert_or_assign(key, std::move(a));
      return;
    }
    toml::node* n = tbl_ ? tbl_->get(key) : nullptr;
    if (!n) return;
    ctx_.where[path] = ctx_.prefix(path, n);
    auto arr = n->as_array();
    if (!arr || !std::all_of(arr->begin(), arr->end(),
                             [](const toml::node& e) { return e.is_table(); })) {
      ctx_.error(path, n, "must be an array of tables ([[" + path + "]] sections)");
      return;
    }
    std::vector<T> out;
    for (size_t i = 0; i < arr->size(); ++i) {
      T item{};
      std::string item_path = path + "[" + std::to_string(i) + "]";
      toml::table* t = arr->get(i)->as_table();
      ctx_.where[item_path] = ctx_.prefix(item_path, t);
      binder sub(ctx_, mode_, t, item_path);
      f(sub, item);
      sub.finish();
      out.push_back(std::move(item));
    }
    v = std::move(out);
  }

  /// Read mode: refuses every key that no bind call asked for.
  void finish() {
    if (mode_ != mode::read || !tbl_) return;
    for (auto&& [k, node] : *tbl_) {
      std::string name(k.str());
      if (std::find(known_.begin(), known_.end(), name) != known_.end()) continue;
      std::string path = full(name);
      std::string hint = did_you_mean(name, known_);
      if (hint.empty() && known_.size() <= 8) {
        std::string list;
        for (const auto& c : known_)
          list += (list.empty() ? "" : ", ") + c;
        hint = " (known keys: " + list + ")";
      }
      const int line = k.source().begin.line > 0 ? int(k.source().begin.line)
                                                 : int(node.source().begin.line);
      std::string where = ctx_.origin.count(path) ? ctx_.origin.at(path) + ": "
                          : line > 0 ? ctx_.file + ":" + std::to_string(line) + ": "
                                     : ctx_.file + ": ";
      ctx_.errors.push_back(where + path + ": unknown key" + hint);
    }
  }

  const std::string& prefix() const { return prefix_; }

private:
  std::string full(std::string_view key) const {
    return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
  }

  /// Registers the key; in read mode returns its node when present.
  const toml::node* begin(std::string_view key, kind k) {
    known_.emplace_back(key);
    if (mode_ == mode::collect) {
      ctx_.schema.push_back({full(key), k});
      return nullptr;
    }
    if (mode_ != mode::read || !tbl_) return nullptr;
    const toml::node* n = tbl_->get(key);
    if (n) ctx_.where[full(key)] = ctx_.prefix(full(key), n);
    return n;
  }

  void fail(std::string_view key, const toml::node* n, const std::string& what) {
    ctx_.error(full(key), n, what);
  }

  context& ctx_;
  mode mode_;
  toml::table* tbl_;
  std::string prefix_;
  std::vector<std::string> known_;
};

// -- the schema -----------------------------------------------------------------------

const std::vector<std::string> log_levels = {"trace", "debug",    "info", "warn",
                                             "error", "critical", "off"};

string_check symbol_check() {
  return [](const std::string& s) -> std::string {
    bool ok = !s.empty() && s.size() <= 12 && std::all_of(s.begin(), s.end(), [](char c) {
      return std::isupper(static_cast<unsigned char>(c)) ||
             std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-';
    });
    return ok ? "" : "must be a ticker symbol (1-12 of A-Z, 0-9, '.', '-')";
  };
}

string_check identifier_check() {
  return [](const std::string& s) -> std::string {
    bool ok = !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
      return std::islower(static_cast<unsigned char>(c)) ||
             std::isdigit(static_cast<unsigned char>(c)) || c == '_';
    });
    return ok ? "" : "must be a lower-case name (a-z, 0-9, '_')";
  };
}

void bind_weights(binder& b, double& w, std::string_view key) {
  b.number(key, w, at_least(0));
}

void bind_trading(binder& b, trading_settings& t) {
  b.choice("mode", t.mode, {"paper", "live"});
  b.number("starting_cash", t.starting_cash, above(0));
  b.number("market_cap_min", t.market_cap_min, at_least(0));
  b.number("market_cap_max", t.market_cap_max, above(0));
  b.number("position_size", t.position_size, open_closed(0, 1));
  b.integer("max_positions", t.max_positions, 1, 1000);
  b.number("stop_loss", t.stop_loss, open_closed(0, 1));
  b.number("profit_target", t.profit_target, above(0));
  b.integer("contracts_per_trade_max", t.contracts_per_trade_max, 1, 10'000);
  b.number("slippage", t.slippage, closed(0, 10));
  b.number("fee_per_contract", t.fee_per_contract, closed(0, 100));
  b.number("fee_per_share", t.fee_per_share, closed(0, 1));
  b.string("ledger_db", t.ledger_db, non_empty());
}

void bind_filters(binder& b, filter_settings& f) {
  b.number("price_min", f.price_min, at_least(0));
  b.number("price_max", f.price_max, above(0));
  b.number("avg_volume_min", f.avg_volume_min, at_least(0));
  b.number("dollar_volume_min", f.dollar_volume_min, at_least(0));
  b.number("revenue_growth_min", f.revenue_growth_min, at_least(-1));
  b.number("eps_growth_min", f.eps_growth_min, any());
  b.number("pe_min", f.pe_min, any());
  b.number("pe_max", f.pe_max, above(0));
  b.choice("negative_earnings", f.negative_earnings, {"reject", "allow", "growth"});
  b.number("negative_earnings_min_growth", f.negative_earnings_min_growth, at_least(-1));
  b.number("insider_ownership_min", f.insider_ownership_min, closed(0, 1));
  b.number("insider_ownership_max", f.insider_ownership_max, closed(0, 1));
  b.number("institutional_ownership_min", f.institutional_ownership_min, closed(0, 1));
  b.number("institutional_ownership_max", f.institutional_ownership_max, closed(0, 1));
  b.number("short_float_max", f.short_float_max, at_least(0));
  b.boolean("reject_missing_fundamentals", f.reject_missing_fundamentals);
  b.integer("min_history_bars", f.min_history_bars, 2, 20'000);
}

void bind_scanner_weights(binder& b, scanner_weights& w) {
  bind_weights(b, w.momentum, "momentum");
  bind_weights(b, w.trend, "trend");
  bind_weights(b, w.volume, "volume");
  bind_weights(b, w.volatility, "volatility");
  bind_weights(b, w.fundamentals, "fundamentals");
  bind_weights(b, w.patterns, "patterns");
  bind_weights(b, w.portfolio_fit, "portfolio_fit");
}

void bind_scanner(binder& b, scanner_settings& s) {
  b.duration("interval", s.interval);
  b.boolean("market_hours_only", s.market_hours_only);
  b.integer("top_n", s.top_n, 1, 10'000);
  b.integer("history_days", s.history_days, 20, 20'000);
  b.string_list("watchlist", s.watchlist, symbol_check());
  b.string_list("patterns", s.patterns, identifier_check());
  b.integer("threads", s.threads, 0, 256);
  b.integer("correlation_days", s.correlation_days, 5, 20'000);
  b.table("filters", [&](binder& sub) { bind_filters(sub, s.filters); });
  b.table("weights", [&](binder& sub) { bind_scanner_weights(sub, s.weights); });
}

void bind_option_weights(binder& b, option_weights& w) {
  bind_weights(b, w.moneyness, "moneyness");
  bind_weights(b, w.time_value, "time_value");
  bind_weights(b, w.liquidity, "liquidity");
  bind_weights(b, w.greeks, "greeks");
  bind_weights(b, w.iv, "iv");
  bind_weights(b, w.expected_return, "expected_return");
  bind_weights(b, w.probability, "probability");
}

void bind_options(binder& b, option_settings& o) {
  b.integer("top_candidates", o.top_candidates, 1, 1'000);
  b.integer("top_contracts", o.top_contracts, 1, 10'000);
  b.integer("min_days", o.min_days, 0, 3'650);
  b.integer("max_days", o.max_days, 0, 3'650);
  b.integer("min_volume", o.min_volume, 0, std::numeric_limits<int64_t>::max());
  b.integer("min_open_interest", o.min_open_interest, 0,
            std::numeric_limits<int64_t>::max());
  b.number("max_spread", o.max_spread, open_closed(0, 2));
  b.number("risk_free_rate", o.risk_free_rate, closed(-0.1, 0.5));
  b.string("iv_history_db", o.iv_history_db, non_empty());
  b.number("target_delta", o.target_delta, open(0, 1));
  b.number("delta_width", o.delta_width, open_closed(0, 1));
  b.integer("iv_history_days", o.iv_history_days, 20, 5'000);
  b.table("weights", [&](binder& sub) { bind_option_weights(sub, o.weights); });
}

void bind_risk(binder& b, risk_settings& r) {
  b.number("max_position", r.max_position, open_closed(0, 1));
  b.number("max_sector", r.max_sector, open_closed(0, 1));
  b.number("max_var", r.max_var, open_closed(0, 1));
  b.number("var_confidence", r.var_confidence, open(0, 1));
  b.integer("var_lookback", r.var_lookback, 20, 20'000);
  b.number("max_drawdown", r.max_drawdown, open_closed(0, 1));
  b.number("max_delta", r.max_delta, above(0));
  b.number("max_correlation", r.max_correlation, open_closed(0, 1));
  b.integer("max_positions", r.max_positions, 1, 1000);
  b.number("vix_low", r.vix_low, above(0));
  b.number("vix_high", r.vix_high, above(0));
  b.number("vix_crisis", r.vix_crisis, above(0));
}

void bind_source(binder& b, source_settings& s) {
  b.choice("name", s.name, known_sources());
  b.boolean("enabled", s.enabled);
  b.integer("priority", s.priority, 0, 1000);
  b.env_name("api_key_env", s.api_key_env);
  b.string("base_url", s.base_url, [](const std::string& u) -> std::string {
    if (u.empty() || u.rfind("http://", 0) == 0 || u.rfind("https://", 0) == 0) return {};
    return "must be empty or start with http:// or https://";
  });
  b.duration("timeout", s.timeout);
  b.table("limits", [&](binder& sub) {
    sub.number("per_second", s.limits.per_second, at_least(0));
    sub.number("per_minute", s.limits.per_minute, at_least(0));
    sub.number("per_day", s.limits.per_day, at_least(0));
  });
}

void bind_data(binder& b, data_settings& d) {
  b.table_array("sources", d.sources,
                [](binder& sub, source_settings& s) { bind_source(sub, s); });
  b.table("cache", [&](binder& sub) {
    sub.duration("quotes", d.cache.quotes);
    sub.duration("bars", d.cache.bars);
    sub.duration("fundamentals", d.cache.fundamentals);
    sub.duration("chains", d.cache.chains);
    sub.duration("universe", d.cache.universe);
  });
  b.table("refresh", [&](binder& sub) {
    sub.duration("quotes", d.refresh.quotes);
    sub.duration("chains", d.refresh.chains);
    sub.duration("universe", d.refresh.universe);
  });
  b.table("retry", [&](binder& sub) {
    sub.integer("max_attempts", d.retry.max_attempts, 1, 100);
    sub.duration("base_delay", d.retry.base_delay);
    sub.duration("max_delay", d.retry.max_delay);
    sub.integer("breaker_failures", d.retry.breaker_failures, 1, 1000);
    sub.duration("breaker_cooldown", d.retry.breaker_cooldown);
  });
  b.table("sim", [&](binder& sub) {
    sub.integer("seed", d.sim.seed, 0, std::numeric_limits<int64_t>::max());
    sub.integer("universe_size", d.sim.universe_size, 1, 100'000);
    sub.integer("history_days", d.sim.history_days, 20, 20'000);
    sub.number("clock_speed", d.sim.clock_speed, open_closed(0, 1e6));
    sub.date("start_date", d.sim.start_date);
    sub.integer("horizon_days", d.sim.horizon_days, 1, 100'000);
    sub.number("stock_vol", d.sim.stock_vol, open_closed(0, 5));
    sub.number("market_vol", d.sim.market_vol, open_closed(0, 5));
    sub.number("risk_free_rate", d.sim.risk_free_rate, closed(-0.1, 0.5));
    sub.boolean("skip_closed", d.sim.skip_closed);
  });
  b.string("cache_db", d.cache_db, non_empty());
}

void bind_service(binder& b, service_settings& s) {
  b.string("node", s.node, [](const std::string& v) -> std::string {
    bool ok = !v.empty() && v.size() <= 64 && std::all_of(v.begin(), v.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
    });
    return ok ? "" : "must be a node name (1-64 of letters, digits, '-', '_')";
  });
  b.choice("log_level", s.log_level, log_levels);
  b.string("log_file", s.log_file, anything());
  b.string("bind_address", s.bind_address, [](const std::string& v) -> std::string {
    return plausible_host(v) ? ""
                             : "must be a host name or IP address (no scheme, no port)";
  });
  b.integer("http_port", s.http_port, 1, 65535);
  b.env_name("api_token_env", s.api_token_env);
  b.integer("max_restarts", s.max_restarts, 0, 1000);
  b.duration("restart_window", s.restart_window);
  b.duration("restart_backoff", s.restart_backoff);
  b.duration("restart_backoff_max", s.restart_backoff_max);
}

void bind_cluster(binder& b, cluster_settings& c) {
  b.boolean("enabled", c.enabled);
  b.choice("role", c.role, {"all", "data", "analytics", "portfolio"});
  b.string_list("peers", c.peers, [](const std::string& p) -> std::string {
    auto colon = p.rfind(':');
    if (colon == std::string::npos || colon == 0 || !plausible_host(p.substr(0, colon)))
      return "must be 'host:port'";
    int port = 0;
    auto r = std::from_chars(p.data() + colon + 1, p.data() + p.size(), port);
    if (r.ec != std::errc() || r.ptr != p.data() + p.size() || port < 1 || port > 65535)
      return "must be 'host:port' with a port in [1, 65535]";
    return {};
  });
  b.integer("port", c.port, 0, 65535);
}

void bind_all(binder& b, settings& s) {
  b.table("trading", [&](binder& sub) { bind_trading(sub, s.trading); });
  b.table("scanner", [&](binder& sub) { bind_scanner(sub, s.scanner); });
  b.table("options", [&](binder& sub) { bind_options(sub, s.options); });
  b.table("risk", [&](binder& sub) { bind_risk(sub, s.risk); });
  b.table("data", [&](binder& sub) { bind_data(sub, s.data); });
  b.table("service", [&](binder& sub) { bind_service(sub, s.service); });
  b.table("cluster", [&](binder& sub) { bind_cluster(sub, s.cluster); });
}

// -- cross-field checks ---------------------------------------------------------------

/// Reports a min > max pair at the key the user actually wrote (max if only it was).
void check_pair(context& ctx, const std::string& lo_key, double lo,
                const std::string& hi_key, double hi) {
  if (lo <= hi) return;
  if (ctx.given(lo_key) || !ctx.given(hi_key))
    ctx.error_at(lo_key,
                 "must be <= " + hi_key + " (" + fmt_num(hi) + "), got " + fmt_num(lo));
  else
    ctx.error_at(hi_key,
                 "must be >= " + lo_key + " (" + fmt_num(lo) + "), got " + fmt_num(hi));
}

template <class D>
void check_duration_pair(context& ctx, const std::string& lo_key, D lo,
                         const std::string& hi_key, D hi) {
  using std::chrono::duration_cast;
  using std::chrono::milliseconds;
  if (lo <= hi) return;
  auto l = format_duration(duration_cast<milliseconds>(lo));
  auto h = format_duration(duration_cast<milliseconds>(hi));
  if (ctx.given(lo_key) || !ctx.given(hi_key))
    ctx.error_at(lo_key, "must be <= " + hi_key + " (" + h + "), got " + l);
  else
    ctx.error_at(hi_key, "must be >= " + lo_key + " (" + l + "), got " + h);
}

void check_weights(context& ctx, const std::string& table,
                   std::initializer_list<double> ws) {
  double sum = 0;
  for (double w : ws)
    sum += w;
  if (sum <= 0) ctx.error_at(table, "weights must not all be zero (at least one > 0)");
}

void cross_checks(context& ctx, const settings& s) {
  const auto& t = s.trading;
  check_pair(ctx, "trading.market_cap_min", t.market_cap_min, "trading.market_cap_max",
             t.market_cap_max);
  const auto& f = s.scanner.filters;
  const std::string fp = "scanner.filters.";
  check_pair(ctx, fp + "price_min", f.price_min, fp + "price_max", f.price_max);
  check_pair(ctx, fp + "pe_min", f.pe_min, fp + "pe_max", f.pe_max);
  check_pair(ctx, fp + "insider_ownership_min", f.insider_ownership_min,
             fp + "insider_ownership_max", f.insider_ownership_max);
  check_pair(ctx, fp + "institutional_ownership_min", f.institutional_ownership_min,
             fp + "institutional_ownership_max", f.institutional_ownership_max);
  const auto& sw = s.scanner.weights;
  check_weights(ctx, "scanner.weights",
                {sw.momentum, sw.trend, sw.volume, sw.volatility, sw.fundamentals,
                 sw.patterns, sw.portfolio_fit});
  const auto& ow = s.options.weights;
  check_weights(ctx, "options.weights",
                {ow.moneyness, ow.time_value, ow.liquidity, ow.greeks, ow.iv,
                 ow.expected_return, ow.probability});
  check_pair(ctx, "risk.vix_low", s.risk.vix_low, "risk.vix_high", s.risk.vix_high);
  check_pair(ctx, "risk.vix_high", s.risk.vix_high, "risk.vix_crisis", s.risk.vix_crisis);
  // The scanner cannot need more bars than it fetches.
  check_pair(ctx, "scanner.filters.min_history_bars", s.scanner.filters.min_history_bars,
             "scanner.history_days", s.scanner.history_days);
  check_pair(ctx, "scanner.correlation_days", s.scanner.correlation_days,
             "scanner.history_days", s.scanner.history_days);
  check_pair(ctx, "options.min_days", s.options.min_days, "options.max_days",
             s.options.max_days);
  check_duration_pair(ctx, "data.retry.base_delay", s.data.retry.base_delay,
                      "data.retry.max_delay", s.data.retry.max_delay);
  check_duration_pair(ctx, "service.restart_backoff", s.service.restart_backoff,
                      "service.restart_backoff_max", s.service.restart_backoff_max);

  // Sources: known names (checked per item), unique, at least one enabled.
  const auto& src = s.data.sources;
  std::map<std::string, size_t> first_seen;
  bool any_enabled = false;
  for (size_t i = 0; i < src.size(); ++i) {
    const std::string item = "data.sources[" + std::to_string(i) + "]";
    any_enabled = any_enabled || src[i].enabled;
    if (src[i].name.empty()) {
      if (!ctx.given(item + ".name")) // a refused name was reported already
        ctx.error_at(item + ".name", "is required (one of the known sources)");
      continue;
    }
    auto [it, fresh] = first_seen.emplace(src[i].name, i);
    if (!fresh)
      ctx.error_at(item + ".name",
                   "duplicate source '" + src[i].name + "' (already data.sources[" +
                       std::to_string(it->second) + "]); names must be unique");
  }
  if (!any_enabled) ctx.error_at("data.sources", "at least one source must be enabled");

  // The HTTP API must not be open to the network without a token.
  if (!is_loopback(s.service.bind_address) && s.service.api_token_env.empty())
    ctx.error_at(ctx.given("service.bind_address") ? "service.bind_address"
                                                   : "service.api_token_env",
                 "binding to a non-loopback address requires service.api_token_env "
                 "(the variable holding the API bearer token)");

  if (s.cluster.enabled && s.cluster.port == 0)
    ctx.error_at(ctx.given("cluster.port") ? "cluster.port" : "cluster.enabled",
                 "true requires cluster.port in [1, 65535], got port 0");
}

// -- upper layers ---------------------------------------------------------------------

const std::vector<schema_key>& schema() {
  static const std::vector<schema_key> keys = [] {
    context ctx;
    settings s;
    binder b(ctx, mode::collect, nullptr, "");
    bind_all(b, s);
    return ctx.schema;
  }();
  return keys;
}

std::string env_var_for(const std::string& path) {
  std::string out = "SMALLCAP_";
  for (char c : path)
    out +=
        c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

/// The text of an environment or command-line value as a TOML node of the key's kind.
/// Text that does not read as the expected kind is kept as a string, so the binder
/// refuses it with its usual message ("must be an integer ..., got 'abc'").
std::unique_ptr<toml::node> to_node(kind k, const std::string& text) {
  auto as_string = [&] { return std::make_unique<toml::value<std::string>>(text); };
  auto trimmed = text;
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back())))
    trimmed.pop_back();
  while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.front())))
    trimmed.erase(trimmed.begin());
  const char* b = trimmed.data();
  const char* e = b + trimmed.size();
  switch (k) {
  case kind::string:
  case kind::date:
    return as_string();
  case kind::boolean:
    if (trimmed == "true" || trimmed == "false")
      return std::make_unique<toml::value<bool>>(trimmed == "true");
    return as_string();
  case kind::integer:
  case kind::duration:
  case kind::number: {
    int64_t i = 0;
    if (!trimmed.empty()) {
      const char* start = *b == '+' ? b + 1 : b;
      auto r = std::from_chars(start, e, i);
      if (r.ec == std::errc() && r.ptr == e)
        return std::make_unique<toml::value<int64_t>>(i);
    }
    if (k != kind::duration && !trimmed.empty()) {
      double d = 0;
      auto r = std::from_chars(b, e, d);
      if (r.ec == std::errc() && r.ptr == e)
        return std::make_unique<toml::value<double>>(d);
    }
    return as_string();
  }
  case kind::string_list: {
    auto arr = std::make_unique<toml::array>();
    size_t start = 0;
    while (!trimmed.empty() && start <= trimmed.size()) {
      size_t comma = trimmed.find(',', start);
      std::string item = trimmed.substr(
          start, comma == std::string::npos ? std::string::npos : comma - start);
      while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back())))
        item.pop_back();
      while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front())))
        item.erase(item.begin());
      arr->push_back(item);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return arr;
  }
  }
  return as_string();
}

/// Puts @p value at the dotted @p path, creating tables on the way. Returns false when
/// the file has a non-table where a table belongs (the binder reports that itself).
bool place(toml::table& root, const std::string& path,
           std::unique_ptr<toml::node> value) {
  toml::table* t = &root;
  size_t start = 0;
  for (;;) {
    size_t dot = path.find('.', start);
    std::string part =
        path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (dot == std::string::npos) {
      value->visit([&](auto&& v) { t->insert_or_assign(part, std::move(v)); });
      return true;
    }
    toml::node* n = t->get(part);
    if (!n) {
      t->insert_or_assign(part, toml::table{});
      n = t->get(part);
    }
    if (!n->is_table()) return false;
    t = n->as_table();
    start = dot + 1;
  }
}

struct pending_warning {
  std::string var;
  std::string text;
};

/// Applies SMALLCAP_* variables and command-line overrides to the parsed document.
void apply_upper_layers(toml::table& doc, context& ctx, const env_map& env,
                        const load_options& opts, std::vector<pending_warning>& unknown) {
  std::map<std::string, const schema_key*> by_var;
  std::map<std::string, const schema_key*> by_path;
  std::vector<std::string> vars, paths;
  for (const auto& k : schema()) {
    by_var[env_var_for(k.path)] = &k;
    by_path[k.path] = &k;
    vars.push_back(env_var_for(k.path));
    paths.push_back(k.path);
  }
  const std::string prefix = "SMALLCAP_";
  for (const auto& [name, value] : env) {
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    auto it = by_var.find(name);
    if (it == by_var.end()) {
      // A warning, not an error: the name may be a key variable the config refers to.
      unknown.push_back(
          {name, name + ": not a setting, ignored" + did_you_mean(name, vars)});
      continue;
    }
    if (place(doc, it->second->path, to_node(it->second->k, value)))
      ctx.origin[it->second->path] = name;
  }
  for (const auto& [path, value] : opts.overrides) {
    auto it = by_path.find(path);
    if (it == by_path.end()) {
      ctx.errors.push_back("--set: " + path + ": unknown key" +
                           did_you_mean(path, paths));
      continue;
    }
    if (place(doc, path, to_node(it->second->k, value))) ctx.origin[path] = "--set";
  }
}

std::vector<std::string>
key_warnings_with(const settings& s, const std::function<const char*(const char*)>& get) {
  std::vector<std::string> out;
  bool any_usable = false;
  for (size_t i = 0; i < s.data.sources.size(); ++i) {
    const auto& src = s.data.sources[i];
    const std::string item = "data.sources[" + std::to_string(i) + "] (" + src.name + ")";
    if (!src.enabled) continue;
    const char* v = src.api_key_env.empty() ? nullptr : get(src.api_key_env.c_str());
    const bool have = v && *v;
    if (requires_api_key(src.name) && src.api_key_env.empty()) {
      out.push_back(item + ": needs an API key but api_key_env is empty; the source is "
                           "disabled");
      continue;
    }
    if (!src.api_key_env.empty() && !have) {
      if (requires_api_key(src.name)) {
        out.push_back(item + ": environment variable " + src.api_key_env +
                      " is not set; the source is disabled");
        continue;
      }
      out.push_back(item + ": environment variable " + src.api_key_env +
                    " is not set; continuing without a key");
    }
    any_usable = true;
  }
  if (!any_usable)
    out.push_back("data.sources: no enabled source is usable; nothing will be fetched");
  if (!s.service.api_token_env.empty()) {
    const char* v = get(s.service.api_token_env.c_str());
    if (!v || !*v)
      out.push_back("service.api_token_env: environment variable " +
                    s.service.api_token_env +
                    " is not set; the HTTP API cannot check tokens");
  }
  return out;
}

} // namespace

// -- public API -----------------------------------------------------------------------

settings defaults() {
  return settings{};
}

const std::vector<std::string>& known_sources() {
  static const std::vector<std::string> names = {"sim",          "yahoo",  "polygon",
                                                 "alphavantage", "nasdaq", "replay"};
  return names;
}

bool requires_api_key(std::string_view name) {
  return name == "polygon" || name == "alphavantage";
}

std::optional<std::string> api_key(const source_settings& source) {
  if (source.api_key_env.empty()) return std::nullopt;
  const char* v = std::getenv(source.api_key_env.c_str());
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}

bool source_usable(const source_settings& source) {
  if (!source.enabled) return false;
  return !requires_api_key(source.name) || api_key(source).has_value();
}

std::vector<std::string> key_warnings(const settings& s) {
  return key_warnings_with(s, [](const char* n) { return std::getenv(n); });
}

std::vector<std::pair<std::string, std::string>> environment_keys() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& k : schema())
    out.emplace_back(k.path, env_var_for(k.path));
  std::sort(out.begin(), out.end());
  return out;
}

load_result load_string(std::string_view text, const std::string& name,
                        const load_options& opts) {
  load_result result;
  result.value.source_file = name;
  toml::table doc;
  try {
    doc = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    const auto& at = e.source().begin;
    std::string desc(e.description());
    std::replace(desc.begin(), desc.end(), '\n', ' ');
    result.errors.push_back(name + ":" + std::to_string(at.line) + ":" +
                            std::to_string(at.column) + ": syntax error: " + desc);
    return result;
  }

  context ctx;
  ctx.file = name;
  const env_map env = opts.environment ? *opts.environment : process_environment();
  std::vector<pending_warning> unknown_vars;
  apply_upper_layers(doc, ctx, env, opts, unknown_vars);

  settings s;
  s.source_file = name;
  binder b(ctx, mode::read, &doc, "");
  bind_all(b, s);
  b.finish();
  cross_checks(ctx, s);

  result.errors = std::move(ctx.errors);
  // File order reads best: errors with a line of this file first, by line, then the
  // rest (environment, --set, cross-field checks without a line) in check order.
  auto line_of = [&name](const std::string& e) -> long {
    if (e.compare(0, name.size() + 1, name + ":") != 0)
      return std::numeric_limits<long>::max();
    const char* b = e.data() + name.size() + 1;
    long line = 0;
    auto r = std::from_chars(b, e.data() + e.size(), line);
    return r.ec == std::errc() && r.ptr != b ? line : std::numeric_limits<long>::max();
  };
  std::stable_sort(result.errors.begin(), result.errors.end(),
                   [&](const std::string& a, const std::string& b) {
                     return line_of(a) < line_of(b);
                   });
  // Variables the config names for keys are expected in the environment: not stray.
  std::set<std::string> referenced;
  for (const auto& src : s.data.sources)
    referenced.insert(src.api_key_env);
  referenced.insert(s.service.api_token_env);
  for (const auto& w : unknown_vars)
    if (!referenced.count(w.var)) result.warnings.push_back(w.text);
  auto keys = key_warnings_with(s, [&env](const char* n) -> const char* {
    auto it = env.find(n);
    return it == env.end() ? nullptr : it->second.c_str();
  });
  result.warnings.insert(result.warnings.end(), keys.begin(), keys.end());
  if (s.data.sim.history_days < s.scanner.history_days)
    for (const auto& src : s.data.sources)
      if (src.name == "sim" && src.enabled)
        result.warnings.push_back(
            "data.sim.history_days (" + std::to_string(s.data.sim.history_days) +
            ") < scanner.history_days (" + std::to_string(s.scanner.history_days) +
            "): the simulated market cannot fill the scanner's window");
  result.value = std::move(s);
  return result;
}

load_result load_file(const std::string& path, const load_options& opts) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    load_result r;
    r.errors.push_back(path + ": cannot open the file");
    return r;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) {
    load_result r;
    r.errors.push_back(path + ": cannot read the file");
    return r;
  }
  return load_string(buf.str(), path, opts);
}

std::string dump(const settings& s) {
  context ctx;
  toml::table doc;
  settings copy = s;
  binder b(ctx, mode::write, &doc, "");
  bind_all(b, copy);
  std::ostringstream out;
  out << "# Effective settings";
  if (!s.source_file.empty()) out << " (from " << s.source_file << ")";
  out << ". API keys are read from the variables named by api_key_env, never shown.\n";
  out << toml::toml_formatter{doc} << "\n";
  return out.str();
}

} // namespace sc::config
