// A small RAII layer over the SQLite C API: a connection, prepared statements with
// bind/step/column, a transaction guard, and the pragmas every store here wants
// (WAL journal, a synchronous level, foreign keys, a busy timeout). No exceptions:
// every fallible call returns a status or a result naming the file and SQLite's
// message. Pure C++, no CAF.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

struct sqlite3;
struct sqlite3_stmt;

namespace sc::storage {

/// Success, or SQLite's result code with a message that names the database file.
class status {
public:
  status() = default;
  static status failure(int code, std::string message) {
    status s;
    s.code_ = code;
    s.message_ = std::move(message);
    return s;
  }
  explicit operator bool() const noexcept { return code_ == 0; }
  bool ok() const noexcept { return code_ == 0; }
  int code() const noexcept { return code_; } ///< 0, or an SQLITE_* primary code.
  const std::string& message() const noexcept { return message_; }

private:
  int code_ = 0;
  std::string message_;
};

/// A value or a failure status.
template <class T> class result {
public:
  result(T value) : value_(std::move(value)) {}
  result(status failure) : status_(std::move(failure)) {}
  explicit operator bool() const noexcept { return value_.has_value(); }
  T& value() { return *value_; }
  T* operator->() { return &*value_; }
  const status& error() const noexcept { return status_; }

private:
  std::optional<T> value_;
  status status_;
};

class database;

/// A prepared statement. Binds are 1-based, columns 0-based (SQLite's convention).
/// A bind error is kept and reported by the next step()/run(). A statement must be
/// destroyed before its database is closed; moving the database object is fine.
class statement {
public:
  enum class step_result { row, done, error };

  statement() = default;
  statement(statement&& other) noexcept;
  statement& operator=(statement&& other) noexcept;
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  ~statement();

  statement& bind(int index, int64_t value);
  statement& bind(int index, int value) { return bind(index, int64_t{value}); }
  statement& bind(int index, double value); ///< NaN is stored as NULL.
  statement& bind(int index, std::string_view value);
  statement& bind(int index, const char* value) {
    return bind(index, std::string_view{value});
  }
  statement& bind_null(int index);

  /// One step. On error, error() says why.
  step_result step();
  /// Steps to the end (INSERT/UPDATE/DELETE), then resets for reuse.
  status run();
  /// Resets for another execution and clears the bindings.
  void reset();

  int column_count() const;
  bool is_null(int column) const;
  int64_t column_int64(int column) const;
  double column_double(int column) const; ///< NULL reads as NaN.
  std::string column_text(int column) const;

  const status& error() const noexcept { return error_; }
  sqlite3_stmt* handle() const noexcept { return stmt_; }

private:
  friend class database;
  statement(sqlite3_stmt* s, sqlite3* conn, std::string path)
      : stmt_(s), conn_(conn), path_(std::move(path)) {}
  void note(int rc);

  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* conn_ = nullptr; // for error messages; the statement must not outlive it
  std::string path_;
  status error_;
};

/// Connection settings.
struct open_options {
  bool create = true; ///< Create the file when missing.
  bool read_only = false;
  bool wal = true; ///< journal_mode=WAL (not possible read-only on a new file).
  /// "OFF", "NORMAL", "FULL" or "EXTRA" (anything else is refused by open()). In WAL
  /// mode NORMAL never corrupts the database but may lose the last commits on power
  /// loss; FULL syncs every commit.
  std::string synchronous = "FULL";
  bool foreign_keys = true;
  int busy_timeout_ms = 5'000;
};

/// One connection. Opening reads the file header at once, so that a file that is not
/// an SQLite database fails in open() with a message naming it, not later.
class database {
public:
  database() = default;
  database(database&& other) noexcept;
  database& operator=(database&& other) noexcept;
  database(const database&) = delete;
  database& operator=(const database&) = delete;
  ~database();

  static result<database> open(const std::string& path, const open_options& opts = {});

  /// Runs one or more statements without results.
  status exec(std::string_view sql);
  result<statement> prepare(std::string_view sql) const;

  /// A single integer from a query such as "PRAGMA user_version".
  result<int64_t> query_int(std::string_view sql) const;

  int64_t last_insert_rowid() const;
  int changes() const;
  const std::string& path() const noexcept { return path_; }
  sqlite3* handle() const noexcept { return db_; }
  bool is_open() const noexcept { return db_ != nullptr; }

  /// A failure status for code `rc` with the connection's current message,
  /// prefixed with the file name and `what`.
  status failure(int rc, std::string_view what) const;

private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

/// BEGIN IMMEDIATE on construction (takes the write lock up front so that a
/// transaction never fails half-way on a lock upgrade), ROLLBACK on destruction
/// unless commit() succeeded.
class transaction {
public:
  explicit transaction(database& db);
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;
  ~transaction();

  /// Whether BEGIN succeeded.
  const status& begun() const noexcept { return begin_; }
  status commit();
  void rollback();

private:
  database* db_;
  status begin_;
  bool active_ = false;
};

} // namespace sc::storage
