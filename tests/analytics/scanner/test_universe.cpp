#include "analytics/scanner/universe.hpp"

#include <catch2/catch.hpp>

using namespace sc;

namespace {

security sec(std::string sym, std::vector<std::string> origin, double cap = 0,
             std::string name = "", std::string sector = "") {
  security s;
  s.symbol = std::move(sym);
  s.origin = std::move(origin);
  s.market_cap = cap;
  s.name = std::move(name);
  s.sector = std::move(sector);
  return s;
}

} // namespace

TEST_CASE("symbols are normalised: case, whitespace and share-class separators") {
  CHECK(scan::normalise_symbol("  abcd ") == "ABCD");
  CHECK(scan::normalise_symbol("BRK.B") == "BRK-B");
  CHECK(scan::normalise_symbol("brk/b") == "BRK-B");
  CHECK(scan::normalise_symbol("BRK-B") == "BRK-B");
  CHECK(scan::normalise_symbol("brk b") == "BRK-B");
  CHECK(scan::normalise_symbol("\t\n") == "");
}

TEST_CASE("the universe merges sources and the watchlist, one entry per symbol") {
  std::vector<std::vector<security>> lists{
      {sec("abcd", {"sim"}, 5e8, "Abcd Inc", "Technology"), sec("BRK.B", {"sim"}),
       sec("ZZZ", {"sim"}, 1e9)},
      {sec("ABCD", {"nasdaq"}, 6e8, "Other name", "Energy"),
       sec("brk-b", {"nasdaq"}, 9e11, "Berkshire B"), sec("  ", {"nasdaq"}),
       sec("QQQQ", {})},
  };
  auto u = scan::merge_universe(lists, {"zzz", "NEWW", "abcd", "brk/b"});
  REQUIRE(u.size() == 5);
  // Sorted by canonical symbol.
  CHECK(u[0].symbol == "ABCD");
  CHECK(u[1].symbol == "BRK-B");
  CHECK(u[2].symbol == "NEWW");
  CHECK(u[3].symbol == "QQQQ");
  CHECK(u[4].symbol == "ZZZ");
  // First source's fields win; origins merged in order of appearance, no repeats.
  CHECK(u[0].name == "Abcd Inc");
  CHECK(u[0].sector == "Technology");
  CHECK(u[0].market_cap == 5e8);
  CHECK(u[0].origin == std::vector<std::string>{"sim", "nasdaq", "watchlist"});
  // Later sources fill what earlier ones left empty.
  CHECK(u[1].name == "Berkshire B");
  CHECK(u[1].market_cap == 9e11);
  CHECK(u[1].origin == std::vector<std::string>{"sim", "nasdaq", "watchlist"});
  CHECK(u[2].origin == std::vector<std::string>{"watchlist"});
  CHECK(u[3].origin == std::vector<std::string>{"unknown"});
  CHECK(u[4].origin == std::vector<std::string>{"sim", "watchlist"});
}

TEST_CASE("an empty configuration gives an empty universe") {
  CHECK(scan::merge_universe({}, {}).empty());
  CHECK(scan::merge_universe({{}}, {" "}).empty());
}
