// The persistent ledger: round trip, refusals, rollback on a failed write, and
// consistency after SIGKILL in the middle of writing.
#include "adapters/storage/ledger_store.hpp"
#include "analytics/portfolio/trading.hpp"
#include "config/settings.hpp"

#include <sqlite3.h>

#include <catch2/catch.hpp>

#include <cmath>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <random>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

using namespace sc;
using namespace sc::portfolio;
using sc::storage::ledger_store;

namespace {

void remove_db(const std::string& p) {
  std::remove(p.c_str());
  std::remove((p + "-wal").c_str());
  std::remove((p + "-shm").c_str());
}

std::string temp_path(const char* tag) {
  std::string p =
      "/tmp/sc_ledger_" + std::string(tag) + "_" + std::to_string(::getpid()) + ".db";
  remove_db(p);
  // Removed again when the test program ends (a forked child leaves with _exit and
  // does not run this).
  static struct sweeper {
    std::vector<std::string> paths;
    ~sweeper() {
      for (const auto& q : paths)
        remove_db(q);
    }
  } sweep;
  sweep.paths.push_back(p);
  return p;
}

// Raw SQL on the file through the C API: the tests' independent view of it.
void raw(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
  INFO((err ? err : ""));
  sqlite3_free(err);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

instrument stock(std::string sym) {
  instrument i;
  i.symbol = std::move(sym);
  i.sector = "Technology";
  return i;
}

instrument put(std::string sym) {
  instrument i;
  i.symbol = std::move(sym);
  i.underlying = "UND";
  i.sector = "Health";
  i.kind = asset_kind::option;
  i.type = option_type::put;
  i.strike = 17.5;
  i.expiry = 20'500;
  i.multiplier = 100;
  return i;
}

fill mk(double q, double px, double fee, int64_t t) {
  fill f;
  f.quantity = q;
  f.price = px;
  f.fees = fee;
  f.time = timestamp{std::chrono::duration<int64_t, std::nano>{t}};
  f.reason = "entry";
  return f;
}

void require_same(const ledger& a, const ledger& b) {
  CHECK(a.cash() == b.cash());
  CHECK(a.starting_cash() == b.starting_cash());
  CHECK(a.realized() == b.realized());
  CHECK(a.fees() == b.fees());
  REQUIRE(a.positions().size() == b.positions().size());
  for (const auto& [sym, p] : a.positions()) {
    const auto* q = b.find(sym);
    REQUIRE(q != nullptr);
    CHECK(q->quantity == p.quantity);
    CHECK(q->avg_cost == p.avg_cost);
    CHECK(q->opened == p.opened);
    CHECK((q->stop == p.stop || (std::isnan(q->stop) && std::isnan(p.stop))));
    CHECK((q->target == p.target || (std::isnan(q->target) && std::isnan(p.target))));
    CHECK((q->mark == p.mark || (std::isnan(q->mark) && std::isnan(p.mark))));
    CHECK(q->mark_time == p.mark_time);
    CHECK(q->realized == p.realized);
    CHECK(q->fees == p.fees);
    CHECK(q->spec.underlying == p.spec.underlying);
    CHECK(q->spec.sector == p.spec.sector);
    CHECK(q->spec.kind == p.spec.kind);
    CHECK(q->spec.type == p.spec.type);
    CHECK(q->spec.strike == p.spec.strike);
    CHECK(q->spec.expiry == p.spec.expiry);
    CHECK(q->spec.multiplier == p.spec.multiplier);
  }
  REQUIRE(a.fills().size() == b.fills().size());
  for (size_t i = 0; i < a.fills().size(); ++i) {
    const auto& f = a.fills()[i];
    const auto& g = b.fills()[i];
    CHECK(f.id == g.id);
    CHECK(f.time == g.time);
    CHECK(f.symbol == g.symbol);
    CHECK(f.quantity == g.quantity);
    CHECK(f.price == g.price);
    CHECK(f.fees == g.fees);
    CHECK(f.reason == g.reason);
  }
  REQUIRE(a.trades().size() == b.trades().size());
  for (size_t i = 0; i < a.trades().size(); ++i) {
    CHECK(a.trades()[i].symbol == b.trades()[i].symbol);
    CHECK(a.trades()[i].realized == b.trades()[i].realized);
    CHECK(a.trades()[i].fees == b.trades()[i].fees);
    CHECK(a.trades()[i].closed == b.trades()[i].closed);
  }
  REQUIRE(a.equity_curve().size() == b.equity_curve().size());
  for (size_t i = 0; i < a.equity_curve().size(); ++i) {
    CHECK(a.equity_curve()[i].time == b.equity_curve()[i].time);
    CHECK(a.equity_curve()[i].equity == b.equity_curve()[i].equity);
  }
}

void check_invariants(const ledger& l) {
  double marks = 0;
  for (const auto& [s, p] : l.positions())
    marks += p.market_value();
  CHECK(l.equity() == Approx(l.cash() + marks));
  CHECK(l.equity() - l.starting_cash() ==
        Approx(l.realized() + l.unrealized() - l.fees()).margin(1e-6));
}

} // namespace

TEST_CASE("a ledger written, closed and reopened is identical", "[ledger_store]") {
  const auto path = temp_path("roundtrip");
  config::trading_settings tr;
  ledger_store::options opts;
  opts.starting_cash = 25'000;
  ledger book(0);
  {
    auto store = ledger_store::open(path, opts);
    REQUIRE(store);
    CHECK(store->schema_version() == 1);
    auto loaded = store->load();
    REQUIRE(loaded);
    book = loaded.value();
    CHECK(book.cash() == 25'000);
    REQUIRE(store->record_fill(book, stock("AAA"), mk(100, 20.25, 0, 1000), &tr));
    REQUIRE(store->record_fill(book, put("UND261218P00017500"), mk(3, 1.35, 1.95, 2000),
                               &tr));
    REQUIRE(store->record_fill(book, stock("AAA"), mk(-40, 21.5, 0, 3000), &tr));
    REQUIRE(store->record_fill(book, stock("BBB"), mk(10, 7, 0.5, 4000), &tr));
    REQUIRE(store->record_fill(book, stock("BBB"), mk(-10, 6, 0.5, 5000), &tr));
    // Exit levels from the settings: AAA long at 20.25 -> stop 10.125, target 40.5.
    CHECK(book.find("AAA")->stop == Approx(10.125));
    CHECK(book.find("AAA")->target == Approx(40.5));
    REQUIRE(store->save_exit_levels(book, "AAA", 19, 25));
    book.mark("AAA", 22, timestamp{std::chrono::seconds{6}});
    REQUIRE(store->save_marks(book));
    REQUIRE(store->record_equity(book, timestamp{std::chrono::seconds{7}}));
    book.mark("AAA", 22.5, timestamp{std::chrono::seconds{8}});
    REQUIRE(store->save_marks(book));
    REQUIRE(store->record_equity(book, timestamp{std::chrono::seconds{9}}));
    check_invariants(book);
  }
  auto store = ledger_store::open(path, opts);
  REQUIRE(store);
  auto again = store->load();
  REQUIRE(again);
  require_same(book, again.value());
  CHECK(again->trades().size() == 1);
  CHECK(again->find("AAA")->stop == 19);
  // The starting cash of an existing file is the stored one, not the option's.
  opts.starting_cash = 1;
  auto third = ledger_store::open(path, opts);
  REQUIRE(third);
  CHECK(third->load()->starting_cash() == 25'000);
  // The file is marked as ours.
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &st, nullptr);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  CHECK(sqlite3_column_int(st, 0) == ledger_store::application_id);
  sqlite3_finalize(st);
  sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr);
  REQUIRE(sqlite3_step(st) == SQLITE_ROW);
  CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))) == "wal");
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST_CASE("the fill journal is append-only and tampering is detected", "[ledger_store]") {
  const auto path = temp_path("tamper");
  {
    auto store = ledger_store::open(path, {});
    REQUIRE(store);
    auto book = store->load().value();
    REQUIRE(store->record_fill(book, stock("AAA"), mk(10, 10, 0, 1), nullptr));
  }
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  CHECK(sqlite3_exec(db, "UPDATE fills SET price = 1", nullptr, nullptr, nullptr) !=
        SQLITE_OK);
  CHECK(sqlite3_exec(db, "DELETE FROM fills", nullptr, nullptr, nullptr) != SQLITE_OK);
  sqlite3_close(db);
  raw(path, "UPDATE account SET cash = cash + 1000");
  auto store = ledger_store::open(path, {});
  REQUIRE(store);
  auto l = store->load();
  REQUIRE_FALSE(l);
  CHECK_THAT(l.error_message(), Catch::Contains(path));
  CHECK_THAT(l.error_message(), Catch::Contains("disagrees with the fill journal"));
  raw(path, "UPDATE account SET cash = cash - 1000; UPDATE positions SET quantity = 11");
  auto m = ledger_store::open(path, {})->load();
  REQUIRE_FALSE(m);
  CHECK_THAT(m.error_message(), Catch::Contains("position AAA stored as 11"));
}

TEST_CASE("a failed write leaves the ledger in memory and on disk unchanged",
          "[ledger_store]") {
  const auto path = temp_path("failwrite");
  auto store = ledger_store::open(path, {});
  REQUIRE(store);
  auto book = store->load().value();
  REQUIRE(store->record_fill(book, stock("AAA"), mk(10, 10, 1, 1), nullptr));
  const double cash = book.cash();
  // Another writer makes every further closed trade insert fail, so the closing fill's
  // transaction fails after the fill, position and account rows were written.
  raw(path, "CREATE TRIGGER refuse BEFORE INSERT ON closed_trades "
            "BEGIN SELECT RAISE(ABORT, 'refused by test'); END;");
  auto r = store->record_fill(book, stock("AAA"), mk(-10, 12, 1, 2), nullptr);
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error_message(), Catch::Contains("refused by test"));
  CHECK(book.cash() == cash);
  CHECK(book.fills().size() == 1);
  REQUIRE(book.find("AAA") != nullptr);
  CHECK(book.find("AAA")->quantity == 10);
  auto reread = ledger_store::open(path, {})->load();
  REQUIRE(reread);
  require_same(book, reread.value());
}

TEST_CASE("a corrupt or foreign file is refused with its name", "[ledger_store]") {
  const auto junk = temp_path("junk");
  {
    std::ofstream out(junk, std::ios::binary);
    std::mt19937 rng(1);
    for (int i = 0; i < 8192; ++i)
      out.put(static_cast<char>(rng() & 0xff));
  }
  auto a = ledger_store::open(junk, {});
  REQUIRE_FALSE(a);
  CHECK_THAT(a.error_message(), Catch::Contains(junk));
  CHECK_THAT(a.error_message(), Catch::Contains("not a database"));

  const auto foreign = temp_path("foreign");
  raw(foreign, "CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup')");
  auto b = ledger_store::open(foreign, {});
  REQUIRE_FALSE(b);
  CHECK_THAT(b.error_message(), Catch::Contains(foreign));
  CHECK_THAT(b.error_message(), Catch::Contains("not a ledger file"));
  {
    // Left as it was: still in its rollback-journal mode, its data intact.
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(foreign.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, nullptr);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 0))) ==
          "delete");
    sqlite3_finalize(st);
    sqlite3_prepare_v2(db, "SELECT count(*) FROM recipes", -1, &st, nullptr);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK(sqlite3_column_int(st, 0) == 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
  }

  // A ledger whose header survived but whose pages were overwritten.
  const auto damaged = temp_path("damaged");
  {
    auto s = ledger_store::open(damaged, {});
    REQUIRE(s);
    auto book = s->load().value();
    for (int i = 0; i < 200; ++i)
      REQUIRE(s->record_fill(book, stock("S" + std::to_string(i % 5)),
                             mk(i % 2 ? -1 : 1, 10, 0, i), nullptr));
  }
  raw(damaged, "PRAGMA wal_checkpoint(TRUNCATE)");
  {
    std::fstream f(damaged, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(4096); // page 2 onwards: the schema and tables
    for (int i = 0; i < 4096 * 3; ++i)
      f.put(static_cast<char>(0xA5));
  }
  auto c = ledger_store::open(damaged, {});
  std::string msg;
  if (c) {
    auto l = c->load();
    REQUIRE_FALSE(l);
    msg = l.error_message();
  } else {
    msg = c.error_message();
  }
  CHECK_THAT(msg, Catch::Contains(damaged));

  ledger_store::options no_create;
  no_create.create = false;
  auto d = ledger_store::open(temp_path("absent"), no_create);
  REQUIRE_FALSE(d);
  CHECK_THAT(d.error_message(), Catch::Contains("sc_ledger_absent"));
}

TEST_CASE("a newer schema is refused and migrations record the version",
          "[ledger_store]") {
  const auto path = temp_path("version");
  REQUIRE(ledger_store::open(path, {}));
  raw(path, "UPDATE schema_version SET version = 99");
  auto s = ledger_store::open(path, {});
  REQUIRE_FALSE(s);
  CHECK_THAT(s.error_message(), Catch::Contains("schema version 99 is newer"));
}

TEST_CASE("after SIGKILL in the middle of writing the ledger is consistent",
          "[ledger_store]") {
  const auto path = temp_path("crash");
  // Fill n: symbol S(n % 3), alternately buying and selling 10 per symbol, prices
  // cycling, fees 0.65. Each child continues from what the previous one left.
  auto fill_n = [](int64_t n) {
    return mk(((n / 3) % 2 == 0) ? 10 : -10, 20 + static_cast<double>(n % 11) * 0.25,
              0.65, n);
  };
  size_t previous = 0;
  std::mt19937 rng(42);
  for (int round = 0; round < 4; ++round) {
    int pipe_fd[2];
    REQUIRE(::pipe(pipe_fd) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(pipe_fd[0]);
      auto store = ledger_store::open(path, {});
      if (!store) ::_exit(2);
      auto book = store->load();
      if (!book) ::_exit(3);
      for (int64_t written = 0;; ++written) {
        const int64_t n = static_cast<int64_t>(book->fills().size());
        if (!store->record_fill(book.value(), stock("S" + std::to_string(n % 3)),
                                fill_n(n)))
          ::_exit(4);
        if (written == 25) {
          const char c = 'x';
          if (::write(pipe_fd[1], &c, 1) != 1) ::_exit(5);
        }
      }
    }
    ::close(pipe_fd[1]);
    char c = 0;
    REQUIRE(::read(pipe_fd[0], &c, 1) == 1); // 25 fills are committed
    ::close(pipe_fd[0]);
    ::usleep(std::uniform_int_distribution<unsigned>(0, 20'000)(rng));
    REQUIRE(::kill(pid, SIGKILL) == 0);
    int st = 0;
    REQUIRE(::waitpid(pid, &st, 0) == pid);
    REQUIRE(WIFSIGNALED(st)); // killed, not exited with an error

    auto store = ledger_store::open(path, {});
    REQUIRE(store);
    auto l = store->load(); // load() replays the journal against the stored state
    INFO(l.error_message());
    REQUIRE(l);
    const auto& book = l.value();
    CHECK(book.fills().size() >= previous + 25);
    previous = book.fills().size();
    check_invariants(book);
    // The state is exactly what the journal prefix gives, written out independently:
    // per symbol the net quantity is 10 when it had an odd number of fills.
    std::map<std::string, int> count;
    for (const auto& f : book.fills())
      ++count[f.symbol];
    for (const auto& [sym, n] : count) {
      const auto* p = book.find(sym);
      if (n % 2)
        CHECK((p && p->quantity == 10));
      else
        CHECK(p == nullptr);
    }
    double cash = 100'000;
    for (const auto& f : book.fills())
      cash -= f.quantity * f.price + f.fees;
    CHECK(book.cash() == Approx(cash));
  }
}
