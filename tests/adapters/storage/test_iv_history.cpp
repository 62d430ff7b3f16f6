// The iv30 history store: round trip, upsert, the last-252 query, seeding, and clear
// errors for files that are not ours.

#include "adapters/storage/iv_history.hpp"

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <random>

using namespace sc;
using sc::storage::iv_history;

namespace {

/// A fresh directory per test case, removed afterwards.
struct temp_dir {
  std::filesystem::path path;
  temp_dir() {
    std::random_device rd;
    path = std::filesystem::temp_directory_path() /
           ("sc_iv_history_" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

/// Runs SQL on a file directly, independent of the store.
void raw_exec(const std::string& file, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  INFO((err ? err : ""));
  sqlite3_free(err);
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

std::string raw_scalar(const std::string& file, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(file.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK);
  std::string out;
  if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
    out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  sqlite3_close(db);
  return out;
}

} // namespace

TEST_CASE("stored values come back after reopening the file, in WAL mode") {
  temp_dir dir;
  const auto file = dir.file("sub/dir/iv.db"); // parent directories are created
  {
    auto s = iv_history::open(file);
    REQUIRE(s.ok());
    CHECK(s.value->upsert("ABCD", 20000, 0.45, "sim").empty());
    CHECK(s.value->upsert("ABCD", 20001, 0.47, "sim").empty());
    CHECK(s.value->upsert("WXYZ", 20000, 0.80, "yahoo").empty());
  }
  CHECK(raw_scalar(file, "PRAGMA journal_mode") == "wal");
  CHECK(
      raw_scalar(file, "SELECT iv30 FROM iv_history WHERE symbol='WXYZ' AND day=20000") ==
      "0.8");

  auto s = iv_history::open(file);
  REQUIRE(s.ok());
  auto pts = s.value->last("ABCD");
  REQUIRE(pts.ok());
  REQUIRE(pts.value->size() == 2);
  CHECK((*pts.value)[0].day == 20000);
  CHECK((*pts.value)[0].iv30 == 0.45);
  CHECK((*pts.value)[0].source == "sim");
  CHECK((*pts.value)[1].day == 20001);
  CHECK((*pts.value)[1].iv30 == 0.47);
  CHECK(*s.value->count("WXYZ").value == 1);
  CHECK(*s.value->count("NONE").value == 0);
  CHECK(s.value->last("NONE").value->empty());
}

TEST_CASE("upsert replaces the value of an existing day") {
  auto s = iv_history::open(":memory:");
  REQUIRE(s.ok());
  auto& db = *s.value;
  REQUIRE(db.upsert("ABCD", 20000, 0.45, "sim").empty());
  REQUIRE(db.upsert("ABCD", 20000, 0.52, "yahoo").empty());
  auto pts = *db.last("ABCD").value;
  REQUIRE(pts.size() == 1);
  CHECK(pts[0].iv30 == 0.52);
  CHECK(pts[0].source == "yahoo");
  CHECK(*db.count("ABCD").value == 1);
}

TEST_CASE("invalid values are refused with a message naming symbol and day") {
  auto s = iv_history::open(":memory:");
  REQUIRE(s.ok());
  auto err = s.value->upsert("ABCD", 20005, std::nan(""), "sim");
  CHECK_THAT(err, Catch::Contains("ABCD") && Catch::Contains("20005"));
  CHECK_FALSE(s.value->upsert("ABCD", 20005, -0.1, "sim").empty());
  CHECK_FALSE(s.value->upsert("", 20005, 0.3, "sim").empty());
  CHECK(*s.value->count("ABCD").value == 0);
}

TEST_CASE("the last-252 query returns the newest 252 trading days, oldest first") {
  auto s = iv_history::open(":memory:");
  REQUIRE(s.ok());
  auto& db = *s.value;
  // 400 trading days on weekdays only (days 0 and 1 of each 7 are the weekend).
  std::vector<std::pair<day_number, double>> hist;
  for (day_number d = 19000; hist.size() < 400; ++d)
    if (d % 7 >= 2) hist.emplace_back(d, 0.2 + 0.001 * static_cast<double>(hist.size()));
  auto n = db.seed("ABCD", hist, "sim-seed");
  REQUIRE(n.ok());
  CHECK(*n.value == 400);
  REQUIRE(db.upsert("OTHER", hist.back().first, 9.0, "sim").empty());

  auto pts = *db.last("ABCD").value;
  REQUIRE(pts.size() == 252);
  for (size_t i = 0; i < 252; ++i) {
    CHECK(pts[i].day == hist[148 + i].first);
    CHECK(pts[i].iv30 == hist[148 + i].second);
  }
  // Up to a given day: a weekend day takes the Friday before.
  const auto cut = hist[299].first;
  auto vals = *db.last_values("ABCD", 252, cut + 1).value;
  REQUIRE(vals.size() == 252);
  CHECK(vals.back() == hist[299].second);
  CHECK(vals.front() == hist[48].second);
  CHECK(db.last("ABCD", 10).value->size() == 10);
  CHECK(db.last("ABCD", 0).value->empty());
}

TEST_CASE("seeding keeps observed days and is all-or-nothing") {
  auto s = iv_history::open(":memory:");
  REQUIRE(s.ok());
  auto& db = *s.value;
  REQUIRE(db.upsert("ABCD", 20002, 0.99, "yahoo").empty());
  auto n = db.seed("ABCD", {{20001, 0.3}, {20002, 0.3}, {20003, 0.3}}, "sim-seed");
  REQUIRE(n.ok());
  CHECK(*n.value == 2);
  auto pts = *db.last("ABCD").value;
  REQUIRE(pts.size() == 3);
  CHECK(pts[1].iv30 == 0.99);
  CHECK(pts[1].source == "yahoo");
  // Seeding again inserts nothing.
  CHECK(*db.seed("ABCD", {{20001, 0.3}, {20003, 0.3}}, "sim-seed").value == 0);

  auto bad = db.seed("WXYZ", {{20001, 0.3}, {20002, -1.0}}, "sim-seed");
  CHECK_FALSE(bad.ok());
  CHECK_THAT(bad.error, Catch::Contains("WXYZ") && Catch::Contains("20002"));
  CHECK(*db.count("WXYZ").value == 0);
}

TEST_CASE("a file that is not an SQLite database gives an error naming the file") {
  temp_dir dir;
  const auto file = dir.file("garbage.db");
  {
    std::ofstream out(file, std::ios::binary);
    for (int i = 0; i < 4096; ++i)
      out.put(static_cast<char>((i * 37 + 11) & 0xff));
  }
  auto s = iv_history::open(file);
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.error, Catch::Contains(file));
  CHECK_THAT(s.error, Catch::Contains("not a database"));
}

TEST_CASE("an SQLite file with a foreign iv_history table is refused, not altered") {
  temp_dir dir;
  const auto file = dir.file("foreign.db");
  raw_exec(file, "CREATE TABLE iv_history (ticker TEXT, value REAL);"
                 "INSERT INTO iv_history VALUES ('X', 1.5);");
  auto s = iv_history::open(file);
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.error, Catch::Contains(file));
  CHECK_THAT(s.error, Catch::Contains("ticker, value"));
  CHECK(raw_scalar(file, "SELECT value FROM iv_history") == "1.5");
}

TEST_CASE("an unwritable location gives an error naming the file") {
  temp_dir dir;
  const auto blocker = dir.file("plainfile");
  std::ofstream(blocker) << "x";
  const auto file = blocker + "/iv.db"; // parent is a regular file
  auto s = iv_history::open(file);
  REQUIRE_FALSE(s.ok());
  CHECK_THAT(s.error, Catch::Contains(file));
}
