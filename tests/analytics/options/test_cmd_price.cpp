// The `price` command end to end over a string stream: JSON lines, the table, bad rows
// and bad headers. Expected numbers are hand-checked closed forms written out here.
#include "app/cmd_price.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::vector<boost::json::object> json_lines(const std::string& text) {
  std::vector<boost::json::object> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.push_back(boost::json::parse(line).as_object());
  return out;
}

double num(const boost::json::object& o, const char* key) {
  return o.at(key).to_number<double>();
}

double cdf(double x) {
  return 0.5 * std::erfc(-x / std::sqrt(2.0));
}

} // namespace

TEST_CASE("price --json prices, solves implied vols and reports bad rows by line",
          "[cmd_price]") {
  std::istringstream in("type,style,spot,strike,years,rate,dividend_yield,vol,price\n"
                        "call,european,100,100,1,0.05,0,0.2,\n"
                        "put,european,100,110,0.5,0.03,0.01,,12.5\n"
                        "call,european,abc,100,1,0.05,0,0.2,\n"
                        "put,american,90,100,0.5,0.05,0,0.3,\n"
                        "call,european,100,100,1,0.05,0,,150\n"
                        "swap,european,100,100,1,0.05,0,0.2,\n"
                        "call,european,100,100,1,0.05,0,,\n"
                        "call,european,100,100\n");
  std::ostringstream out;
  const int rc = sc::app::run_price(in, "<stdin>", out, true);
  CHECK(rc == 1);
  const auto rows = json_lines(out.str());
  REQUIRE(rows.size() == 8);

  // Row 1: the textbook example S=K=100, T=1, r=5%, vol 20%: 10.4506, delta 0.6368.
  const double d1 = (0.05 + 0.02) / 0.2, d2 = d1 - 0.2;
  CHECK(num(rows[0], "price") ==
        Approx(100 * cdf(d1) - 100 * std::exp(-0.05) * cdf(d2)).epsilon(1e-12));
  CHECK(num(rows[0], "price") == Approx(10.4506).margin(1e-4));
  CHECK(num(rows[0], "delta") == Approx(cdf(d1)).epsilon(1e-12));
  CHECK(num(rows[0], "vega") ==
        Approx(100 * std::exp(-0.5 * d1 * d1) / std::sqrt(2 * M_PI)).epsilon(1e-12));
  CHECK(num(rows[0], "rho") == Approx(100 * std::exp(-0.05) * cdf(d2)).epsilon(1e-12));
  CHECK(num(rows[0], "theta") < 0);
  CHECK(!rows[0].contains("iv"));

  // Row 2: the implied vol reprices the put to its input price.
  REQUIRE(rows[1].contains("iv"));
  const double iv = num(rows[1], "iv");
  const double s = iv * std::sqrt(0.5);
  const double pd1 = (std::log(100.0 / 110) + (0.03 - 0.01) * 0.5) / s + 0.5 * s,
               pd2 = pd1 - s;
  const double put =
      110 * std::exp(-0.015) * cdf(-pd2) - 100 * std::exp(-0.005) * cdf(-pd1);
  CHECK(put == Approx(12.5).epsilon(1e-12));
  CHECK(num(rows[1], "price") == Approx(12.5).epsilon(1e-12));

  CHECK(rows[2].at("error").as_string() ==
        "line 4: field 'spot': expected a positive number, got 'abc'");
  // Row 4: an American put is worth at least its exercise value.
  CHECK(num(rows[3], "price") >= 10.0);
  CHECK(num(rows[3], "delta") < -0.5);
  CHECK(std::string(rows[4].at("error").as_string().c_str())
            .find("line 6: field 'price'") == 0);
  CHECK(std::string(rows[4].at("error").as_string().c_str()).find("above_maximum") !=
        std::string::npos);
  CHECK(rows[5].at("error").as_string() ==
        "line 7: field 'type': expected call or put, got 'swap'");
  CHECK(std::string(rows[6].at("error").as_string().c_str()).find("line 8:") == 0);
  CHECK(rows[7].at("error").as_string() == "line 9: expected 9 fields, got 4");
  for (std::size_t i = 0; i < rows.size(); ++i)
    CHECK(num(rows[i], "line") == double(i + 2));
}

TEST_CASE("price prints an aligned table and returns 0 when every row succeeds",
          "[cmd_price]") {
  std::istringstream in("type,style,spot,strike,years,rate,dividend_yield,vol,price\n"
                        "call,european,100,100,1,0.05,0,0.2,\n"
                        "\n"
                        "put,american,100,100,1,0.05,0,,9.5\n");
  std::ostringstream out;
  CHECK(sc::app::run_price(in, "contracts.csv", out, false) == 0);
  const std::string text = out.str();
  CHECK(text.find(" line  type") == 0);
  CHECK(text.find("10.450584") != std::string::npos); // the textbook call price
  CHECK(text.find("american") != std::string::npos);
  CHECK(text.find('*') != std::string::npos); // the solved vol is marked
}

TEST_CASE("price refuses a missing or bad header with exit code 2", "[cmd_price]") {
  {
    std::istringstream in("");
    std::ostringstream out;
    CHECK(sc::app::run_price(in, "empty.csv", out, false) == 2);
    CHECK(out.str().find("empty.csv: line 0: missing header") == 0);
  }
  {
    std::istringstream in(
        "type,style,spot,strike,years,rate,vol,price\ncall,european,1,1,1,0,0.2,\n");
    std::ostringstream out;
    CHECK(sc::app::run_price(in, "x.csv", out, true) == 2);
    CHECK(out.str().find("missing column 'dividend_yield'") != std::string::npos);
  }
  {
    std::istringstream in(
        "type,style,spot,strike,years,rate,dividend_yield,vol,price,color\n");
    std::ostringstream out;
    CHECK(sc::app::run_price(in, "x.csv", out, false) == 2);
    CHECK(out.str().find("unknown column 'color'") != std::string::npos);
  }
}
