#include "adapters/storage/ledger_store.hpp"

#include "analytics/portfolio/trading.hpp"
#include "config/settings.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sc::storage {

using portfolio::error;

namespace {

// migrations[v] takes the schema from version v to v + 1. Append, never edit.
const char* const migrations[] = {
    // 0 -> 1: the first schema.
    R"sql(
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE instruments (
  symbol     TEXT PRIMARY KEY,
  underlying TEXT NOT NULL,
  sector     TEXT NOT NULL,
  kind       INTEGER NOT NULL CHECK (kind IN (0, 1)),
  type       INTEGER NOT NULL CHECK (type IN (0, 1)),
  strike     REAL NOT NULL,
  expiry     INTEGER NOT NULL,
  multiplier REAL NOT NULL CHECK (multiplier > 0)
);
CREATE TABLE fills (
  id       INTEGER PRIMARY KEY,
  time_ns  INTEGER NOT NULL,
  symbol   TEXT NOT NULL REFERENCES instruments (symbol),
  quantity REAL NOT NULL,
  price    REAL NOT NULL,
  fees     REAL NOT NULL,
  reason   TEXT NOT NULL
);
CREATE TRIGGER fills_no_update BEFORE UPDATE ON fills
  BEGIN SELECT RAISE(ABORT, 'the fill journal is append-only'); END;
CREATE TRIGGER fills_no_delete BEFORE DELETE ON fills
  BEGIN SELECT RAISE(ABORT, 'the fill journal is append-only'); END;
CREATE TABLE positions (
  symbol    TEXT PRIMARY KEY REFERENCES instruments (symbol),
  quantity  REAL NOT NULL,
  avg_cost  REAL NOT NULL,
  opened_ns INTEGER NOT NULL,
  stop      REAL,
  target    REAL,
  mark      REAL,
  mark_ns   INTEGER NOT NULL DEFAULT 0,
  realized  REAL NOT NULL,
  fees      REAL NOT NULL,
  last_fill INTEGER NOT NULL REFERENCES fills (id)
);
CREATE TABLE account (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  starting_cash REAL NOT NULL,
  cash          REAL NOT NULL,
  realized      REAL NOT NULL,
  fees          REAL NOT NULL,
  last_fill     INTEGER NOT NULL
);
CREATE TABLE closed_trades (
  id        INTEGER PRIMARY KEY,
  symbol    TEXT NOT NULL REFERENCES instruments (symbol),
  opened_ns INTEGER NOT NULL,
  closed_ns INTEGER NOT NULL,
  realized  REAL NOT NULL,
  fees      REAL NOT NULL,
  fill_id   INTEGER NOT NULL REFERENCES fills (id)
);
CREATE TABLE equity_snapshots (
  id      INTEGER PRIMARY KEY,
  time_ns INTEGER NOT NULL,
  equity  REAL NOT NULL,
  cash    REAL NOT NULL
);
INSERT INTO schema_version (version) VALUES (0);
)sql",
};
constexpr int migration_count = sizeof(migrations) / sizeof(migrations[0]);
static_assert(migration_count == ledger_store::current_version);

error fail(const std::string& path, const std::string& what) {
  return error{"ledger file '" + path + "': " + what};
}

error fail(const std::string&, const status& s) {
  // SQLite's message already names the file ("database '...': ...").
  return error{"ledger: " + s.message()};
}

int64_t ns(timestamp t) {
  return t.time_since_epoch().count();
}
timestamp from_ns(int64_t v) {
  return timestamp{std::chrono::duration<int64_t, std::nano>{v}};
}

bool close_enough(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return std::abs(a - b) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)});
}

std::string num(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", x);
  return buf;
}

} // namespace

portfolio::result<ledger_store> ledger_store::open(const std::string& path,
                                                   const options& opts) {
  open_options o;
  o.create = opts.create;
  o.synchronous = opts.synchronous;
  // WAL is switched on below, once the file is known to be ours: journal_mode is
  // stored in the file, and a foreign database must be left as it was.
  o.wal = false;
  o.foreign_keys = true;
  auto db = database::open(path, o);
  if (!db) return fail(path, db.error());
  ledger_store store;
  store.db_ = std::move(db.value());
  auto& d = store.db_;

  // Inspect and migrate under the write lock, so that two processes opening a new
  // file at once cannot both create the schema.
  transaction tx(d);
  if (!tx.begun()) return fail(path, tx.begun());
  auto app = d.query_int("PRAGMA application_id");
  auto tables = d.query_int("SELECT count(*) FROM sqlite_schema WHERE type = 'table'");
  if (!app) return fail(path, app.error());
  if (!tables) return fail(path, tables.error());
  const bool fresh = app.value() == 0 && tables.value() == 0;
  if (!fresh && app.value() != application_id) {
    char buf[160];
    std::snprintf(buf, sizeof buf,
                  "not a ledger file (application_id 0x%08llx, expected 0x%08x; %lld "
                  "tables)",
                  static_cast<unsigned long long>(app.value() & 0xffffffffLL),
                  static_cast<unsigned>(application_id),
                  static_cast<long long>(tables.value()));
    return fail(path, buf);
  }
  int version = 0;
  if (!fresh) {
    auto v = d.query_int("SELECT max(version) FROM schema_version");
    if (!v) return fail(path, "no readable schema_version table: " + v.error().message());
    version = static_cast<int>(v.value());
  }
  if (version > current_version)
    return fail(path, "schema version " + std::to_string(version) +
                          " is newer than this program's " +
                          std::to_string(current_version));
  for (int v = version; v < current_version; ++v) {
    if (auto s = d.exec(migrations[v]); !s)
      return fail(path, "migration " + std::to_string(v) + " -> " +
                            std::to_string(v + 1) + " failed: " + s.message());
  }
  if (version < current_version) {
    if (auto s = d.exec("UPDATE schema_version SET version = " +
                        std::to_string(current_version));
        !s)
      return fail(path, s);
  }
  if (fresh) {
    if (auto s = d.exec("PRAGMA application_id = " + std::to_string(application_id)); !s)
      return fail(path, s);
    auto ins = d.prepare("INSERT INTO account (id, starting_cash, cash, realized, fees, "
                         "last_fill) VALUES (1, ?1, ?1, 0, 0, 0)");
    if (!ins) return fail(path, ins.error());
    if (auto s = ins->bind(1, opts.starting_cash).run(); !s) return fail(path, s);
  }
  if (auto s = tx.commit(); !s) return fail(path, s);
  if (auto s = d.exec("PRAGMA journal_mode=WAL"); !s) return fail(path, s);
  store.version_ = current_version;
  return store;
}

portfolio::result<portfolio::ledger> ledger_store::load() {
  const auto& path = db_.path();
  using sr = statement::step_result;
  portfolio::account acct;
  int64_t last_fill = 0;
  {
    auto st = db_.prepare("SELECT starting_cash, cash, realized, fees, last_fill FROM "
                          "account WHERE id = 1");
    if (!st) return fail(path, st.error());
    if (st->step() != sr::row) return fail(path, "the account row is missing");
    acct.starting_cash = st->column_double(0);
    acct.cash = st->column_double(1);
    acct.realized = st->column_double(2);
    acct.fees = st->column_double(3);
    last_fill = st->column_int64(4);
  }
  std::map<std::string, portfolio::instrument> specs;
  {
    auto st =
        db_.prepare("SELECT symbol, underlying, sector, kind, type, strike, expiry, "
                    "multiplier FROM instruments");
    if (!st) return fail(path, st.error());
    sr r;
    while ((r = st->step()) == sr::row) {
      portfolio::instrument i;
      i.symbol = st->column_text(0);
      i.underlying = st->column_text(1);
      i.sector = st->column_text(2);
      i.kind = static_cast<portfolio::asset_kind>(st->column_int64(3));
      i.type = static_cast<option_type>(st->column_int64(4));
      i.strike = st->column_double(5);
      i.expiry = static_cast<day_number>(st->column_int64(6));
      i.multiplier = st->column_double(7);
      specs.emplace(i.symbol, std::move(i));
    }
    if (r == sr::error) return fail(path, st->error());
  }
  std::vector<portfolio::fill> fills;
  {
    auto st = db_.prepare("SELECT id, time_ns, symbol, quantity, price, fees, reason "
                          "FROM fills ORDER BY id");
    if (!st) return fail(path, st.error());
    sr r;
    while ((r = st->step()) == sr::row) {
      portfolio::fill f;
      f.id = st->column_int64(0);
      f.time = from_ns(st->column_int64(1));
      f.symbol = st->column_text(2);
      f.quantity = st->column_double(3);
      f.price = st->column_double(4);
      f.fees = st->column_double(5);
      f.reason = st->column_text(6);
      if (f.id != static_cast<int64_t>(fills.size()) + 1)
        return fail(path, "fill journal has a gap before fill " + std::to_string(f.id));
      fills.push_back(std::move(f));
    }
    if (r == sr::error) return fail(path, st->error());
  }
  const int64_t journal_end = fills.empty() ? 0 : fills.back().id;
  if (journal_end != last_fill)
    return fail(path, "account says the last fill is " + std::to_string(last_fill) +
                          " but the journal ends at " + std::to_string(journal_end));
  std::map<std::string, portfolio::position> positions;
  {
    auto st = db_.prepare("SELECT symbol, quantity, avg_cost, opened_ns, stop, target, "
                          "mark, mark_ns, realized, fees FROM positions");
    if (!st) return fail(path, st.error());
    sr r;
    while ((r = st->step()) == sr::row) {
      portfolio::position p;
      const auto sym = st->column_text(0);
      auto it = specs.find(sym);
      if (it == specs.end())
        return fail(path, "position " + sym + " has no instrument row");
      p.spec = it->second;
      p.quantity = st->column_double(1);
      p.avg_cost = st->column_double(2);
      p.opened = from_ns(st->column_int64(3));
      p.stop = st->column_double(4);
      p.target = st->column_double(5);
      p.mark = st->column_double(6);
      p.mark_time = from_ns(st->column_int64(7));
      p.realized = st->column_double(8);
      p.fees = st->column_double(9);
      positions.emplace(sym, std::move(p));
    }
    if (r == sr::error) return fail(path, st->error());
  }
  std::vector<portfolio::closed_trade> trades;
  {
    auto st = db_.prepare("SELECT symbol, opened_ns, closed_ns, realized, fees "
                          "FROM closed_trades ORDER BY id");
    if (!st) return fail(path, st.error());
    sr r;
    while ((r = st->step()) == sr::row)
      trades.push_back({st->column_text(0), from_ns(st->column_int64(1)),
                        from_ns(st->column_int64(2)), st->column_double(3),
                        st->column_double(4)});
    if (r == sr::error) return fail(path, st->error());
  }
  std::vector<portfolio::equity_point> curve;
  {
    auto st =
        db_.prepare("SELECT time_ns, equity, cash FROM equity_snapshots ORDER BY id");
    if (!st) return fail(path, st.error());
    sr r;
    while ((r = st->step()) == sr::row)
      curve.push_back(
          {from_ns(st->column_int64(0)), st->column_double(1), st->column_double(2)});
    if (r == sr::error) return fail(path, st->error());
  }

  // The journal is the truth: the stored state must be what it replays to.
  auto replayed = portfolio::replay(acct.starting_cash, fills, specs);
  if (!replayed)
    return fail(path, "fill journal does not replay: " + replayed.error_message());
  const auto& ref = replayed.value();
  if (!close_enough(ref.cash(), acct.cash) ||
      !close_enough(ref.realized(), acct.realized) ||
      !close_enough(ref.fees(), acct.fees))
    return fail(path, "account (cash " + num(acct.cash) + ", realized " +
                          num(acct.realized) + ", fees " + num(acct.fees) +
                          ") disagrees with the fill journal (cash " + num(ref.cash()) +
                          ", realized " + num(ref.realized()) + ", fees " +
                          num(ref.fees()) + ")");
  if (ref.positions().size() != positions.size())
    return fail(path, std::to_string(positions.size()) +
                          " stored positions but the journal gives " +
                          std::to_string(ref.positions().size()));
  for (const auto& [sym, p] : ref.positions()) {
    auto it = positions.find(sym);
    if (it == positions.end())
      return fail(path, "position " + sym + " is missing (the journal holds " +
                            num(p.quantity) + ")");
    if (!close_enough(it->second.quantity, p.quantity) ||
        !close_enough(it->second.avg_cost, p.avg_cost))
      return fail(path, "position " + sym + " stored as " + num(it->second.quantity) +
                            " @ " + num(it->second.avg_cost) + " but the journal gives " +
                            num(p.quantity) + " @ " + num(p.avg_cost));
  }
  if (ref.trades().size() != trades.size())
    return fail(path, std::to_string(trades.size()) +
                          " closed trades stored but the journal gives " +
                          std::to_string(ref.trades().size()));
  return portfolio::ledger::restore(acct, std::move(positions), std::move(fills),
                                    std::move(trades), std::move(curve));
}

portfolio::result<portfolio::fill_effect>
ledger_store::record_fill(portfolio::ledger& book, const portfolio::instrument& spec,
                          portfolio::fill f, const config::trading_settings* exits) {
  const auto cp = book.capture(spec.symbol);
  auto eff = book.apply(spec, std::move(f));
  if (!eff) return eff;
  const portfolio::position* after = book.find(spec.symbol);
  if (exits && after) {
    const double before = cp.before ? cp.before->quantity : 0.0;
    const bool grew = std::abs(after->quantity) > std::abs(before) || eff->opened;
    if (grew) {
      const auto [stop, target] =
          portfolio::exit_levels(after->avg_cost, after->quantity, *exits);
      book.set_exit_levels(spec.symbol, stop, target);
      after = book.find(spec.symbol);
    }
  }
  auto undo = [&](const std::string& why) -> portfolio::result<portfolio::fill_effect> {
    book.rollback(cp);
    return error{why};
  };
  transaction tx(db_);
  if (!tx.begun()) return undo("ledger: " + tx.begun().message());
  const auto& fl = eff->applied;
  {
    auto st =
        db_.prepare("INSERT OR IGNORE INTO instruments (symbol, underlying, sector, "
                    "kind, type, strike, expiry, multiplier) VALUES (?,?,?,?,?,?,?,?)");
    if (!st) return undo("ledger: " + st.error().message());
    st->bind(1, spec.symbol)
        .bind(2, spec.underlying)
        .bind(3, spec.sector)
        .bind(4, static_cast<int>(spec.kind))
        .bind(5, static_cast<int>(spec.type))
        .bind(6, spec.strike)
        .bind(7, static_cast<int64_t>(spec.expiry))
        .bind(8, spec.multiplier);
    if (auto s = st->run(); !s) return undo("ledger: " + s.message());
  }
  {
    auto st =
        db_.prepare("INSERT INTO fills (id, time_ns, symbol, quantity, price, fees, "
                    "reason) VALUES (?,?,?,?,?,?,?)");
    if (!st) return undo("ledger: " + st.error().message());
    st->bind(1, fl.id)
        .bind(2, ns(fl.time))
        .bind(3, fl.symbol)
        .bind(4, fl.quantity)
        .bind(5, fl.price)
        .bind(6, fl.fees)
        .bind(7, fl.reason);
    if (auto s = st->run(); !s) return undo("ledger: " + s.message());
  }
  if (after) {
    auto st =
        db_.prepare("INSERT OR REPLACE INTO positions (symbol, quantity, avg_cost, "
                    "opened_ns, stop, target, mark, mark_ns, realized, fees, last_fill) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    if (!st) return undo("ledger: " + st.error().message());
    st->bind(1, spec.symbol)
        .bind(2, after->quantity)
        .bind(3, after->avg_cost)
        .bind(4, ns(after->opened))
        .bind(5, after->stop)
        .bind(6, after->target)
        .bind(7, after->mark)
        .bind(8, ns(after->mark_time))
        .bind(9, after->realized)
        .bind(10, after->fees)
        .bind(11, fl.id);
    if (auto s = st->run(); !s) return undo("ledger: " + s.message());
  } else {
    auto st = db_.prepare("DELETE FROM positions WHERE symbol = ?");
    if (!st) return undo("ledger: " + st.error().message());
    if (auto s = st->bind(1, spec.symbol).run(); !s)
      return undo("ledger: " + s.message());
  }
  {
    auto st =
        db_.prepare("UPDATE account SET cash = ?, realized = ?, fees = ?, last_fill = ? "
                    "WHERE id = 1");
    if (!st) return undo("ledger: " + st.error().message());
    st->bind(1, book.cash()).bind(2, book.realized()).bind(3, book.fees()).bind(4, fl.id);
    if (auto s = st->run(); !s) return undo("ledger: " + s.message());
  }
  if (eff->closed) {
    auto st = db_.prepare("INSERT INTO closed_trades (symbol, opened_ns, closed_ns, "
                          "realized, fees, fill_id) VALUES (?,?,?,?,?,?)");
    if (!st) return undo("ledger: " + st.error().message());
    const auto& t = *eff->closed;
    st->bind(1, t.symbol)
        .bind(2, ns(t.opened))
        .bind(3, ns(t.closed))
        .bind(4, t.realized)
        .bind(5, t.fees)
        .bind(6, fl.id);
    if (auto s = st->run(); !s) return undo("ledger: " + s.message());
  }
  if (auto s = tx.commit(); !s) return undo("ledger: " + s.message());
  return eff;
}

portfolio::status ledger_store::save_exit_levels(portfolio::ledger& book,
                                                 const std::string& symbol, double stop,
                                                 double target) {
  const auto* p = book.find(symbol);
  if (!p) return error{"ledger: no open position in " + symbol};
  auto st = db_.prepare("UPDATE positions SET stop = ?, target = ? WHERE symbol = ?");
  if (!st) return error{"ledger: " + st.error().message()};
  if (auto s = st->bind(1, stop).bind(2, target).bind(3, symbol).run(); !s)
    return error{"ledger: " + s.message()};
  book.set_exit_levels(symbol, stop, target);
  return portfolio::done{};
}

portfolio::status ledger_store::save_marks(const portfolio::ledger& book) {
  transaction tx(db_);
  if (!tx.begun()) return error{"ledger: " + tx.begun().message()};
  auto st = db_.prepare("UPDATE positions SET mark = ?, mark_ns = ? WHERE symbol = ?");
  if (!st) return error{"ledger: " + st.error().message()};
  for (const auto& [sym, p] : book.positions()) {
    st->bind(1, p.mark).bind(2, ns(p.mark_time)).bind(3, sym);
    if (auto s = st->run(); !s) return error{"ledger: " + s.message()};
  }
  if (auto s = tx.commit(); !s) return error{"ledger: " + s.message()};
  return portfolio::done{};
}

portfolio::result<portfolio::equity_point>
ledger_store::record_equity(portfolio::ledger& book, timestamp time) {
  portfolio::equity_point e{time, book.equity(), book.cash()};
  auto st =
      db_.prepare("INSERT INTO equity_snapshots (time_ns, equity, cash) VALUES (?,?,?)");
  if (!st) return error{"ledger: " + st.error().message()};
  if (auto s = st->bind(1, ns(e.time)).bind(2, e.equity).bind(3, e.cash).run(); !s)
    return error{"ledger: " + s.message()};
  return book.sample_equity(time);
}

} // namespace sc::storage
