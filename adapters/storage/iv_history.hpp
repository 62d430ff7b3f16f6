// The daily 30-day ATM implied-vol history per symbol, in SQLite, for IV percentile and
// IV rank. Pure C++ (no CAF); blocking, so actors call it from a detached actor.
//
// Table iv_history(symbol TEXT, day INTEGER, iv30 REAL, source TEXT),
// PRIMARY KEY (symbol, day). One row per trading day: "the last 252 trading days" are
// the last 252 rows of a symbol. The database runs in WAL mode so readers never block
// the daily writer.
#pragma once

#include "messages/data.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sc::storage {

/// A value or a message that names the store and says what went wrong.
template <class T> struct store_result {
  std::optional<T> value;
  std::string error;

  bool ok() const noexcept { return value.has_value(); }
  static store_result fail(std::string msg) { return {std::nullopt, std::move(msg)}; }
};

/// One stored day.
struct iv_point {
  day_number day = 0;
  double iv30 = nan;
  std::string source; ///< Who produced it: "sim-seed", "sim", "yahoo", ...
};

/// The store. Move-only; one connection per object.
class iv_history {
public:
  /// Opens or creates the store at `path` (":memory:" for a private in-memory store),
  /// creating missing parent directories. Fails with a message naming the file when it
  /// is not an SQLite database, or holds an iv_history table of another shape.
  static store_result<iv_history> open(const std::string& path);

  iv_history(iv_history&&) noexcept;
  iv_history& operator=(iv_history&&) noexcept;
  ~iv_history();

  /// Inserts or replaces the value of (symbol, day). iv30 must be finite and positive.
  /// @returns an empty string on success, else the error.
  std::string upsert(std::string_view symbol, day_number day, double iv30,
                     std::string_view source);

  /// Seeds a symbol's history in one transaction. Days already stored keep their value
  /// (an observed value beats a seeded one), so seeding again at every start is
  /// harmless. All-or-nothing: one invalid value rejects the whole batch.
  /// @returns the number of rows inserted.
  store_result<size_t> seed(std::string_view symbol,
                            const std::vector<std::pair<day_number, double>>& days,
                            std::string_view source);

  /// The last `n` stored days of `symbol` on or before `up_to`, oldest first.
  store_result<std::vector<iv_point>> last(std::string_view symbol, int n = 252,
                                           day_number up_to = max_day) const;

  /// Just the iv30 values of last(), oldest first (what iv_percentile/iv_rank take).
  store_result<std::vector<double>> last_values(std::string_view symbol, int n = 252,
                                                day_number up_to = max_day) const;

  /// Rows stored for `symbol`.
  store_result<size_t> count(std::string_view symbol) const;

  const std::string& path() const noexcept { return path_; }

  static constexpr day_number max_day = 0x7fffffff;

private:
  struct impl;
  explicit iv_history(std::unique_ptr<impl> p, std::string path);
  std::unique_ptr<impl> impl_;
  std::string path_;
};

} // namespace sc::storage
