#include "adapters/storage/iv_history.hpp"

#include <sqlite3.h>

#include <cmath>
#include <filesystem>
#include <system_error>

namespace sc::storage {

namespace {

struct stmt_deleter {
  void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using stmt_ptr = std::unique_ptr<sqlite3_stmt, stmt_deleter>;

struct db_deleter {
  void operator()(sqlite3* d) const noexcept { sqlite3_close_v2(d); }
};
using db_ptr = std::unique_ptr<sqlite3, db_deleter>;

constexpr const char* schema_sql = "CREATE TABLE IF NOT EXISTS iv_history ("
                                   " symbol TEXT NOT NULL,"
                                   " day INTEGER NOT NULL,"
                                   " iv30 REAL NOT NULL,"
                                   " source TEXT NOT NULL,"
                                   " PRIMARY KEY (symbol, day)) WITHOUT ROWID";

constexpr const char* upsert_sql =
    "INSERT INTO iv_history (symbol, day, iv30, source) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (symbol, day) DO UPDATE SET iv30 = excluded.iv30,"
    " source = excluded.source";

constexpr const char* seed_sql =
    "INSERT INTO iv_history (symbol, day, iv30, source) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (symbol, day) DO NOTHING";

// The newest n rows, then reversed to oldest first by the outer query.
constexpr const char* last_sql =
    "SELECT day, iv30, source FROM (SELECT day, iv30, source FROM iv_history"
    " WHERE symbol = ?1 AND day <= ?2 ORDER BY day DESC LIMIT ?3) ORDER BY day ASC";

constexpr const char* count_sql = "SELECT COUNT(*) FROM iv_history WHERE symbol = ?1";

std::string what(sqlite3* db, int rc) {
  std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return msg + " (SQLite error " + std::to_string(rc) + ")";
}

} // namespace

struct iv_history::impl {
  db_ptr db;
  stmt_ptr upsert, seed, last, count;

  int prepare(const char* sql, stmt_ptr& out) {
    sqlite3_stmt* s = nullptr;
    int rc =
        sqlite3_prepare_v3(db.get(), sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr);
    out.reset(s);
    return rc;
  }

  int exec(const char* sql) {
    return sqlite3_exec(db.get(), sql, nullptr, nullptr, nullptr);
  }
};

namespace {

std::string prefix(const std::string& path) {
  return "iv history store '" + path + "': ";
}

/// Runs one statement that may return rows, collecting column 1 (table_info: name).
int column_names(sqlite3* db, std::vector<std::string>& out) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, "PRAGMA table_info(iv_history)", -1, &raw, nullptr);
  stmt_ptr s{raw};
  if (rc != SQLITE_OK) return rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    auto txt = sqlite3_column_text(s.get(), 1);
    out.emplace_back(txt ? reinterpret_cast<const char*>(txt) : "");
  }
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

void bind_text(sqlite3_stmt* s, int i, std::string_view v) {
  sqlite3_bind_text(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
}

std::string check_value(std::string_view symbol, day_number day, double iv30) {
  if (symbol.empty()) return "empty symbol";
  if (!std::isfinite(iv30) || !(iv30 > 0))
    return "iv30 of " + std::string(symbol) + " on day " + std::to_string(day) + " is " +
           std::to_string(iv30) + ", expected a finite positive decimal";
  return {};
}

} // namespace

store_result<iv_history> iv_history::open(const std::string& path) {
  using result = store_result<iv_history>;
  if (path.empty()) return result::fail("iv history store: empty file name");
  if (path != ":memory:") {
    auto parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    if (ec)
      return result::fail(prefix(path) + "cannot create directory '" + parent.string() +
                          "': " + ec.message());
  }
  auto p = std::make_unique<impl>();
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &raw,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  p->db.reset(raw);
  if (rc != SQLITE_OK)
    return result::fail(prefix(path) + "cannot open: " + what(raw, rc));
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_busy_timeout(raw, 5000);
  // The first statement that reads the file is where a corrupt or non-SQLite file shows.
  if ((rc = p->exec("PRAGMA journal_mode=WAL")) != SQLITE_OK)
    return result::fail(prefix(path) + "not a usable SQLite database: " + what(raw, rc));
  if ((rc = p->exec("PRAGMA synchronous=NORMAL")) != SQLITE_OK)
    return result::fail(prefix(path) + what(raw, rc));
  std::vector<std::string> cols;
  if ((rc = column_names(raw, cols)) != SQLITE_OK)
    return result::fail(prefix(path) + "cannot read its schema: " + what(raw, rc));
  const std::vector<std::string> expected{"symbol", "day", "iv30", "source"};
  if (cols.empty()) {
    if ((rc = p->exec(schema_sql)) != SQLITE_OK)
      return result::fail(prefix(path) +
                          "cannot create table iv_history: " + what(raw, rc));
  } else if (cols != expected) {
    std::string got;
    for (auto& c : cols)
      got += (got.empty() ? "" : ", ") + c;
    return result::fail(prefix(path) + "holds a table iv_history with columns (" + got +
                        ") but this store expects (symbol, day, iv30, source);"
                        " the file belongs to something else");
  }
  if ((rc = p->prepare(upsert_sql, p->upsert)) != SQLITE_OK ||
      (rc = p->prepare(seed_sql, p->seed)) != SQLITE_OK ||
      (rc = p->prepare(last_sql, p->last)) != SQLITE_OK ||
      (rc = p->prepare(count_sql, p->count)) != SQLITE_OK)
    return result::fail(prefix(path) + "cannot prepare statements: " + what(raw, rc));
  return {iv_history{std::move(p), path}, {}};
}

iv_history::iv_history(std::unique_ptr<impl> p, std::string path)
    : impl_(std::move(p)), path_(std::move(path)) {}
iv_history::iv_history(iv_history&&) noexcept = default;
iv_history& iv_history::operator=(iv_history&&) noexcept = default;
iv_history::~iv_history() = default; // statements are finalized before the connection

std::string iv_history::upsert(std::string_view symbol, day_number day, double iv30,
                               std::string_view source) {
  if (auto bad = check_value(symbol, day, iv30); !bad.empty()) return prefix(path_) + bad;
  sqlite3_stmt* s = impl_->upsert.get();
  sqlite3_reset(s);
  bind_text(s, 1, symbol);
  sqlite3_bind_int64(s, 2, day);
  sqlite3_bind_double(s, 3, iv30);
  bind_text(s, 4, source);
  int rc = sqlite3_step(s);
  sqlite3_reset(s);
  if (rc != SQLITE_DONE)
    return prefix(path_) + "cannot store iv30 of " + std::string(symbol) + " on day " +
           std::to_string(day) + ": " + what(impl_->db.get(), rc);
  return {};
}

store_result<size_t>
iv_history::seed(std::string_view symbol,
                 const std::vector<std::pair<day_number, double>>& days,
                 std::string_view source) {
  using result = store_result<size_t>;
  for (auto& [d, v] : days)
    if (auto bad = check_value(symbol, d, v); !bad.empty())
      return result::fail(prefix(path_) + "seed rejected: " + bad);
  sqlite3* db = impl_->db.get();
  int rc = impl_->exec("BEGIN IMMEDIATE");
  if (rc != SQLITE_OK)
    return result::fail(prefix(path_) + "cannot begin seeding " + std::string(symbol) +
                        ": " + what(db, rc));
  size_t inserted = 0;
  sqlite3_stmt* s = impl_->seed.get();
  for (auto& [d, v] : days) {
    sqlite3_reset(s);
    bind_text(s, 1, symbol);
    sqlite3_bind_int64(s, 2, d);
    sqlite3_bind_double(s, 3, v);
    bind_text(s, 4, source);
    rc = sqlite3_step(s);
    if (rc != SQLITE_DONE) {
      std::string msg = what(db, rc);
      sqlite3_reset(s);
      impl_->exec("ROLLBACK");
      return result::fail(prefix(path_) + "cannot seed " + std::string(symbol) + " day " +
                          std::to_string(d) + ": " + msg);
    }
    inserted += static_cast<size_t>(sqlite3_changes(db));
  }
  sqlite3_reset(s);
  if ((rc = impl_->exec("COMMIT")) != SQLITE_OK) {
    std::string msg = what(db, rc);
    impl_->exec("ROLLBACK");
    return result::fail(prefix(path_) + "cannot commit seed of " + std::string(symbol) +
                        ": " + msg);
  }
  return {inserted, {}};
}

store_result<std::vector<iv_point>> iv_history::last(std::string_view symbol, int n,
                                                     day_number up_to) const {
  using result = store_result<std::vector<iv_point>>;
  std::vector<iv_point> out;
  if (n <= 0) return {out, {}};
  sqlite3_stmt* s = impl_->last.get();
  sqlite3_reset(s);
  bind_text(s, 1, symbol);
  sqlite3_bind_int64(s, 2, up_to);
  sqlite3_bind_int64(s, 3, n);
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    iv_point p;
    p.day = static_cast<day_number>(sqlite3_column_int64(s, 0));
    p.iv30 = sqlite3_column_double(s, 1);
    auto txt = sqlite3_column_text(s, 2);
    p.source = txt ? reinterpret_cast<const char*>(txt) : "";
    out.push_back(std::move(p));
  }
  sqlite3_reset(s);
  if (rc != SQLITE_DONE)
    return result::fail(prefix(path_) + "cannot read history of " + std::string(symbol) +
                        ": " + what(impl_->db.get(), rc));
  return {std::move(out), {}};
}

store_result<std::vector<double>> iv_history::last_values(std::string_view symbol, int n,
                                                          day_number up_to) const {
  auto pts = last(symbol, n, up_to);
  if (!pts.ok()) return store_result<std::vector<double>>::fail(std::move(pts.error));
  std::vector<double> v;
  v.reserve(pts.value->size());
  for (auto& p : *pts.value)
    v.push_back(p.iv30);
  return {std::move(v), {}};
}

store_result<size_t> iv_history::count(std::string_view symbol) const {
  sqlite3_stmt* s = impl_->count.get();
  sqlite3_reset(s);
  bind_text(s, 1, symbol);
  int rc = sqlite3_step(s);
  if (rc != SQLITE_ROW) {
    std::string msg = what(impl_->db.get(), rc);
    sqlite3_reset(s);
    return store_result<size_t>::fail(prefix(path_) + "cannot count rows of " +
                                      std::string(symbol) + ": " + msg);
  }
  auto n = static_cast<size_t>(sqlite3_column_int64(s, 0));
  sqlite3_reset(s);
  return {n, {}};
}

} // namespace sc::storage
