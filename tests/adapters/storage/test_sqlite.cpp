// The SQLite wrapper: statements, NULL/NaN, transactions, errors naming the file.
#include "adapters/storage/sqlite.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

using namespace sc::storage;

namespace {
void remove_db(const std::string& p) {
  std::remove(p.c_str());
  std::remove((p + "-wal").c_str());
  std::remove((p + "-shm").c_str());
}

std::string temp_path(const char* tag) {
  std::string p =
      "/tmp/sc_sqlite_" + std::string(tag) + "_" + std::to_string(::getpid()) + ".db";
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
} // namespace

TEST_CASE("statements bind, step and read columns; NaN is stored as NULL", "[sqlite]") {
  const auto path = temp_path("basic");
  auto db = database::open(path);
  REQUIRE(db);
  auto mode = db->prepare("PRAGMA journal_mode");
  REQUIRE(mode);
  REQUIRE(mode->step() == statement::step_result::row);
  CHECK(mode->column_text(0) == "wal");
  CHECK(db->query_int("PRAGMA foreign_keys").value() == 1);
  CHECK(db->query_int("PRAGMA synchronous").value() == 2); // FULL
  REQUIRE(db->exec("CREATE TABLE t (i INTEGER, x REAL, s TEXT)"));
  auto ins = db->prepare("INSERT INTO t VALUES (?, ?, ?)");
  REQUIRE(ins);
  REQUIRE(ins->bind(1, int64_t{1} << 40).bind(2, 2.5).bind(3, "a'b").run());
  REQUIRE(ins->bind(1, 2).bind(2, std::nan("")).bind_null(3).run());
  auto sel = db->prepare("SELECT i, x, s FROM t ORDER BY i");
  REQUIRE(sel);
  REQUIRE(sel->step() == statement::step_result::row);
  CHECK(sel->column_int64(0) == 2);
  CHECK(std::isnan(sel->column_double(1)));
  CHECK(sel->is_null(2));
  REQUIRE(sel->step() == statement::step_result::row);
  CHECK(sel->column_int64(0) == (int64_t{1} << 40));
  CHECK(sel->column_double(1) == 2.5);
  CHECK(sel->column_text(2) == "a'b");
  CHECK(sel->step() == statement::step_result::done);
}

TEST_CASE("a transaction rolls back unless committed", "[sqlite]") {
  const auto path = temp_path("tx");
  auto db = database::open(path);
  REQUIRE(db);
  REQUIRE(db->exec("CREATE TABLE t (i INTEGER)"));
  {
    transaction tx(db.value());
    REQUIRE(tx.begun());
    REQUIRE(db->exec("INSERT INTO t VALUES (1)"));
  } // no commit: rolled back
  CHECK(db->query_int("SELECT count(*) FROM t").value() == 0);
  {
    transaction tx(db.value());
    REQUIRE(db->exec("INSERT INTO t VALUES (1)"));
    REQUIRE(tx.commit());
  }
  CHECK(db->query_int("SELECT count(*) FROM t").value() == 1);
}

TEST_CASE("errors name the file and the statement", "[sqlite]") {
  const auto path = temp_path("err");
  auto db = database::open(path);
  REQUIRE(db);
  auto bad = db->prepare("SELEC nonsense");
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.error().message(), Catch::Contains(path));
  CHECK_THAT(bad.error().message(), Catch::Contains("syntax error"));
  // A text file is not a database: refused at open.
  const auto junk = temp_path("junk");
  std::ofstream(junk) << "this is not a database, just some text that is long enough "
                         "to fill a header of one hundred bytes......................";
  auto j = database::open(junk);
  REQUIRE_FALSE(j);
  CHECK_THAT(j.error().message(), Catch::Contains(junk));
  CHECK_THAT(j.error().message(), Catch::Contains("not a database"));
  open_options odd;
  odd.synchronous = "NORMAL; DROP TABLE t";
  auto o = database::open(path, odd);
  REQUIRE_FALSE(o);
  CHECK_THAT(o.error().message(),
             Catch::Contains("is not one of OFF, NORMAL, FULL, EXTRA"));
  open_options no_create;
  no_create.create = false;
  auto missing = database::open(temp_path("missing"), no_create);
  REQUIRE_FALSE(missing);
  CHECK_THAT(missing.error().message(), Catch::Contains("sc_sqlite_missing"));
}
