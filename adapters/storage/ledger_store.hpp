// The portfolio ledger persisted in SQLite.
//
// Durability: WAL journal with synchronous=FULL. Every fill is written in one
// transaction together with the position, account and closed-trade rows it changes,
// so a kill -9 (or a power cut) at any point leaves either the state before the fill
// or the state after it. FULL rather than NORMAL because a fill stands for money that
// moved: NORMAL in WAL mode stays consistent on power loss but may forget the last
// commits, and fills are rare enough that one fsync each costs nothing that matters.
// Foreign keys are on (fills, positions and closed trades reference instruments);
// the fill journal is append-only (triggers refuse UPDATE and DELETE).
//
// The file is marked with an application id, and a schema_version table records the
// schema; opening runs the migrations from the stored version to the current one
// (creating the schema is migration 0 -> 1). A file that is not an SQLite database,
// belongs to another application or was written by a newer version is refused with an
// error naming the file. Loading replays the fill journal and refuses a ledger whose
// stored positions or cash disagree with it.
#pragma once

#include "adapters/storage/sqlite.hpp"
#include "analytics/portfolio/ledger.hpp"

#include <string>

namespace sc::config {
struct trading_settings;
}

namespace sc::storage {

class ledger_store {
public:
  static constexpr int current_version = 1;
  /// PRAGMA application_id of ledger files ("SCLG").
  static constexpr int32_t application_id = 0x53434C47;

  struct options {
    double starting_cash = 100'000; ///< Used only when a new ledger is created.
    bool create = true;             ///< Create the file when missing.
    std::string synchronous = "FULL";
  };

  /// Opens (or creates) the ledger file at `path`.
  static portfolio::result<ledger_store> open(const std::string& path,
                                              const options& opts);

  /// Reads the stored ledger and checks it: the fill journal replayed from the starting
  /// cash must give the stored cash, realized P&L, fees and positions.
  portfolio::result<portfolio::ledger> load();

  /// Applies `f` to `book` and persists it in one transaction. With `exits`, a
  /// position that was opened or increased gets its stop and target from
  /// portfolio::exit_levels in the same transaction. When the write fails the ledger
  /// in memory is restored to its state before the fill.
  portfolio::result<portfolio::fill_effect>
  record_fill(portfolio::ledger& book, const portfolio::instrument& spec,
              portfolio::fill f, const config::trading_settings* exits = nullptr);

  /// Sets and persists a position's exit levels.
  portfolio::status save_exit_levels(portfolio::ledger& book, const std::string& symbol,
                                     double stop, double target);

  /// Persists every position's mark.
  portfolio::status save_marks(const portfolio::ledger& book);

  /// Samples the equity into the ledger's curve and persists the sample.
  portfolio::result<portfolio::equity_point> record_equity(portfolio::ledger& book,
                                                           timestamp time);

  const std::string& path() const noexcept { return db_.path(); }
  int schema_version() const noexcept { return version_; }

private:
  ledger_store() = default;
  database db_;
  int version_ = 0;
};

} // namespace sc::storage
