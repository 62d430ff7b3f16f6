#include "adapters/storage/sqlite.hpp"

#include <sqlite3.h>

#include <cmath>
#include <limits>

namespace sc::storage {

// -- statement ------------------------------------------------------------------------

namespace {

// A failure for code `rc` with the connection's message, naming the file and `what`.
status make_failure(sqlite3* db, const std::string& path, int rc, std::string_view what) {
  std::string msg = "database '" + path + "': " + std::string(what) + ": ";
  const char* detail = db ? sqlite3_errmsg(db) : nullptr;
  msg +=
      detail && *detail && sqlite3_errcode(db) != SQLITE_OK ? detail : sqlite3_errstr(rc);
  return status::failure(rc & 0xff, std::move(msg));
}

} // namespace

statement::statement(statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), conn_(other.conn_),
      path_(std::move(other.path_)), error_(std::move(other.error_)) {}

statement& statement::operator=(statement&& other) noexcept {
  if (this != &other) {
    if (stmt_) sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    conn_ = other.conn_;
    path_ = std::move(other.path_);
    error_ = std::move(other.error_);
  }
  return *this;
}

statement::~statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

void statement::note(int rc) {
  if (rc != SQLITE_OK && error_.ok()) error_ = make_failure(conn_, path_, rc, "bind");
}

statement& statement::bind(int index, int64_t value) {
  note(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

statement& statement::bind(int index, double value) {
  if (std::isnan(value))
    note(sqlite3_bind_null(stmt_, index));
  else
    note(sqlite3_bind_double(stmt_, index, value));
  return *this;
}

statement& statement::bind(int index, std::string_view value) {
  note(sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                         SQLITE_TRANSIENT));
  return *this;
}

statement& statement::bind_null(int index) {
  note(sqlite3_bind_null(stmt_, index));
  return *this;
}

statement::step_result statement::step() {
  if (!error_.ok()) return step_result::error;
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return step_result::row;
  if (rc == SQLITE_DONE) return step_result::done;
  error_ =
      make_failure(conn_, path_, rc, std::string("step \"") + sqlite3_sql(stmt_) + "\"");
  return step_result::error;
}

status statement::run() {
  step_result r;
  while ((r = step()) == step_result::row) {
  }
  status out = r == step_result::error ? error_ : status{};
  reset();
  return out;
}

void statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  error_ = status{};
}

int statement::column_count() const {
  return sqlite3_column_count(stmt_);
}

bool statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

int64_t statement::column_int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

double statement::column_double(int column) const {
  if (is_null(column)) return std::numeric_limits<double>::quiet_NaN();
  return sqlite3_column_double(stmt_, column);
}

std::string statement::column_text(int column) const {
  auto p = sqlite3_column_text(stmt_, column);
  const int n = sqlite3_column_bytes(stmt_, column);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(n))
           : std::string();
}

// -- database -------------------------------------------------------------------------

database::database(database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

database& database::operator=(database&& other) noexcept {
  if (this != &other) {
    if (db_) sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

database::~database() {
  if (db_) sqlite3_close_v2(db_);
}

status database::failure(int rc, std::string_view what) const {
  return make_failure(db_, path_, rc, what);
}

result<database> database::open(const std::string& path, const open_options& opts) {
  database d;
  d.path_ = path;
  const auto& sync = opts.synchronous;
  if (!sync.empty() && sync != "OFF" && sync != "NORMAL" && sync != "FULL" &&
      sync != "EXTRA")
    return status::failure(SQLITE_MISUSE, "database '" + path + "': synchronous '" +
                                              sync +
                                              "' is not one of OFF, NORMAL, FULL, EXTRA");
  int flags = opts.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
  if (opts.create && !opts.read_only) flags |= SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(path.c_str(), &d.db_, flags, nullptr);
  if (rc != SQLITE_OK) return d.failure(rc, "open");
  sqlite3_extended_result_codes(d.db_, 0);
  sqlite3_busy_timeout(d.db_, opts.busy_timeout_ms);
  // Reading the schema forces SQLite to read and check the file header now.
  if (auto s = d.exec("SELECT count(*) FROM sqlite_schema"); !s) return s;
  if (opts.wal && !opts.read_only)
    if (auto s = d.exec("PRAGMA journal_mode=WAL"); !s) return s;
  if (!opts.synchronous.empty())
    if (auto s = d.exec("PRAGMA synchronous=" + opts.synchronous); !s) return s;
  if (auto s = d.exec(opts.foreign_keys ? "PRAGMA foreign_keys=ON"
                                        : "PRAGMA foreign_keys=OFF");
      !s)
    return s;
  return d;
}

status database::exec(std::string_view sql) {
  char* err = nullptr;
  const std::string text(sql);
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return {};
  std::string msg =
      "database '" + path_ + "': \"" + text + "\": " + (err ? err : sqlite3_errstr(rc));
  sqlite3_free(err);
  return status::failure(rc & 0xff, std::move(msg));
}

result<statement> database::prepare(std::string_view sql) const {
  sqlite3_stmt* s = nullptr;
  const int rc =
      sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &s, nullptr);
  if (rc != SQLITE_OK) return failure(rc, "prepare \"" + std::string(sql) + "\"");
  return statement(s, db_, path_);
}

result<int64_t> database::query_int(std::string_view sql) const {
  auto st = prepare(sql);
  if (!st) return st.error();
  auto r = st->step();
  if (r == statement::step_result::row) return st->column_int64(0);
  if (r == statement::step_result::done)
    return status::failure(SQLITE_ERROR, "database '" + path_ + "': \"" +
                                             std::string(sql) + "\" returned no row");
  return st->error();
}

int64_t database::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_);
}

int database::changes() const {
  return sqlite3_changes(db_);
}

// -- transaction ----------------------------------------------------------------------

transaction::transaction(database& db) : db_(&db) {
  begin_ = db.exec("BEGIN IMMEDIATE");
  active_ = begin_.ok();
}

transaction::~transaction() {
  rollback();
}

status transaction::commit() {
  if (!active_)
    return begin_.ok() ? status::failure(SQLITE_MISUSE, "transaction already finished")
                       : begin_;
  auto s = db_->exec("COMMIT");
  if (s) active_ = false;
  return s;
}

void transaction::rollback() {
  if (active_) {
    db_->exec("ROLLBACK");
    active_ = false;
  }
}

} // namespace sc::storage
