#include "app/cmd_price.hpp"

#include "analytics/options/american.hpp"
#include "analytics/options/black_scholes.hpp"
#include "analytics/options/implied_vol.hpp"

#include <boost/json.hpp>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <istream>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace sc::app {

namespace {

using options::bsm_inputs;
using options::greeks;

constexpr std::array<const char*, 9> columns = {
    "type", "style", "spot", "strike", "years", "rate", "dividend_yield", "vol", "price"};
enum col { c_type, c_style, c_spot, c_strike, c_years, c_rate, c_div, c_vol, c_price };

std::string trim(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '\r'))
    ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r'))
    --e;
  std::string r = s.substr(b, e - b);
  if (r.size() >= 2 && r.front() == '"' && r.back() == '"') r = r.substr(1, r.size() - 2);
  return r;
}

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = line.find(',', start);
    out.push_back(trim(line.substr(start, comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

std::string lower(std::string s) {
  for (auto& ch : s)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

/// A row's outcome: the numbers, or the message naming line and problem.
struct row_result {
  long line = 0;
  bsm_inputs contract;
  exercise_style style = exercise_style::european;
  greeks g;
  std::optional<double> iv;
  std::string error;
};

/// Parses a finite number; nullopt when the text is not one in full.
std::optional<double> parse_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string field_error(long line, const char* field, const char* expected,
                        const std::string& got) {
  return "line " + std::to_string(line) + ": field '" + field + "': expected " +
         expected + ", got '" + got + "'";
}

row_result evaluate(long line, const std::vector<std::string>& f) {
  row_result r;
  r.line = line;
  auto fail = [&](std::string msg) {
    r.error = std::move(msg);
    return r;
  };
  const std::string type = lower(f[c_type]);
  if (type == "call")
    r.contract.type = option_type::call;
  else if (type == "put")
    r.contract.type = option_type::put;
  else
    return fail(field_error(line, "type", "call or put", f[c_type]));
  const std::string style = lower(f[c_style]);
  if (style.empty() || style == "european")
    r.style = exercise_style::european;
  else if (style == "american")
    r.style = exercise_style::american;
  else
    return fail(field_error(line, "style", "european or american", f[c_style]));

  struct spec {
    col c;
    const char* name;
    double* dst;
    bool positive, non_negative, optional_zero;
  };
  const spec specs[] = {
      {c_spot, "spot", &r.contract.spot, true, false, false},
      {c_strike, "strike", &r.contract.strike, true, false, false},
      {c_years, "years", &r.contract.years, true, false, false},
      {c_rate, "rate", &r.contract.rate, false, false, false},
      {c_div, "dividend_yield", &r.contract.dividend_yield, false, false, true}};
  for (const auto& s : specs) {
    const std::string& text = f[s.c];
    if (text.empty() && s.optional_zero) {
      *s.dst = 0;
      continue;
    }
    const auto v = parse_number(text);
    if (!v || (s.positive && !(*v > 0)))
      return fail(
          field_error(line, s.name, s.positive ? "a positive number" : "a number", text));
    *s.dst = *v;
  }
  const bool has_vol = !f[c_vol].empty(), has_price = !f[c_price].empty();
  if (has_vol) {
    const auto v = parse_number(f[c_vol]);
    if (!v || *v < 0)
      return fail(field_error(line, "vol", "a non-negative number", f[c_vol]));
    r.contract.vol = *v;
  } else if (has_price) {
    const auto p = parse_number(f[c_price]);
    if (!p || *p < 0)
      return fail(field_error(line, "price", "a non-negative number", f[c_price]));
    const options::iv_result iv = r.style == exercise_style::american
                                      ? options::american_implied_vol(r.contract, *p)
                                      : options::implied_vol(r.contract, *p);
    if (!iv.ok()) {
      std::string why;
      switch (iv.error) {
      case options::iv_error::below_intrinsic:
        why = "is below the option's intrinsic value";
        break;
      case options::iv_error::above_maximum:
        why = r.contract.type == option_type::call
                  ? "is at or above the spot bound of a call"
                  : "is at or above the strike bound of a put";
        break;
      case options::iv_error::no_convergence:
        why = "admits no implied vol (solver found no root)";
        break;
      default:
        why = "cannot be inverted with these inputs";
        break;
      }
      return fail("line " + std::to_string(line) + ": field 'price': " + f[c_price] +
                  " " + why + " (" + options::to_string(iv.error) + ")");
    }
    r.iv = iv.vol;
    r.contract.vol = iv.vol;
  } else {
    return fail(
        "line " + std::to_string(line) +
        ": fields 'vol' and 'price' are both empty: give a vol to price the contract or "
        "a price to solve its implied vol");
  }
  r.g = r.style == exercise_style::american ? options::american_greeks(r.contract)
                                            : options::bsm_greeks(r.contract);
  return r;
}

boost::json::value number_or_null(double v) {
  if (std::isfinite(v)) return v;
  return nullptr;
}

void write_json(const row_result& r, std::ostream& out) {
  boost::json::object o;
  o["line"] = r.line;
  if (!r.error.empty()) {
    o["error"] = r.error;
  } else {
    o["type"] = to_string(r.contract.type);
    o["style"] = to_string(r.style);
    o["price"] = number_or_null(r.g.price);
    o["delta"] = number_or_null(r.g.delta);
    o["gamma"] = number_or_null(r.g.gamma);
    o["vega"] = number_or_null(r.g.vega);
    o["theta"] = number_or_null(r.g.theta);
    o["rho"] = number_or_null(r.g.rho);
    if (r.iv) o["iv"] = number_or_null(*r.iv);
  }
  out << boost::json::serialize(o) << '\n';
}

void write_table_header(std::ostream& out) {
  char buf[256];
  std::snprintf(
      buf, sizeof buf,
      "%5s  %-4s  %-8s  %10s  %10s  %8s  %9s  %12s  %9s  %10s  %10s  %11s  %10s\n",
      "line", "type", "style", "spot", "strike", "years", "vol", "price", "delta",
      "gamma", "vega", "theta", "rho");
  out << buf;
}

void write_table_row(const row_result& r, const std::string& input_name,
                     std::ostream& out) {
  if (!r.error.empty()) {
    out << input_name << ": " << r.error << '\n';
    return;
  }
  char buf[320];
  std::snprintf(buf, sizeof buf,
                "%5ld  %-4s  %-8s  %10.4f  %10.4f  %8.5f  %8.5f%s  %12.6f  %9.6f  %10.6f "
                " %10.6f  %11.6f  %10.6f\n",
                r.line, to_string(r.contract.type), to_string(r.style), r.contract.spot,
                r.contract.strike, r.contract.years, r.contract.vol, r.iv ? "*" : " ",
                r.g.price, r.g.delta, r.g.gamma, r.g.vega, r.g.theta, r.g.rho);
  out << buf;
}

} // namespace

int run_price(std::istream& in, const std::string& input_name, std::ostream& out,
              bool json) {
  std::string line;
  long line_no = 0;
  // The header: the first non-blank line.
  std::vector<std::string> header;
  while (std::getline(in, line)) {
    ++line_no;
    if (!trim(line).empty()) {
      header = split(line);
      break;
    }
  }
  std::array<int, columns.size()> index;
  index.fill(-1);
  auto header_error = [&](const std::string& msg) {
    const std::string text =
        input_name + ": line " + std::to_string(line_no) + ": " + msg;
    if (json) {
      boost::json::object o;
      o["line"] = line_no;
      o["error"] = text;
      out << boost::json::serialize(o) << '\n';
    } else {
      out << text << '\n';
    }
    return 2;
  };
  if (header.empty())
    return header_error("missing header: expected "
                        "'type,style,spot,strike,years,rate,dividend_yield,vol,price'");
  for (std::size_t i = 0; i < header.size(); ++i) {
    const std::string name = lower(header[i]);
    bool known = false;
    for (std::size_t c = 0; c < columns.size(); ++c) {
      if (name == columns[c]) {
        if (index[c] >= 0) return header_error("column '" + name + "' appears twice");
        index[c] = static_cast<int>(i);
        known = true;
      }
    }
    if (!known) return header_error("unknown column '" + header[i] + "'");
  }
  for (std::size_t c = 0; c < columns.size(); ++c)
    if (index[c] < 0)
      return header_error(std::string("missing column '") + columns[c] +
                          "' (header must name "
                          "type,style,spot,strike,years,rate,dividend_yield,vol,price)");

  if (!json) write_table_header(out);
  bool any_failed = false;
  while (std::getline(in, line)) {
    ++line_no;
    if (trim(line).empty()) continue;
    const std::vector<std::string> raw = split(line);
    row_result r;
    if (raw.size() != header.size()) {
      r.line = line_no;
      r.error = "line " + std::to_string(line_no) + ": expected " +
                std::to_string(header.size()) + " fields, got " +
                std::to_string(raw.size());
    } else {
      std::vector<std::string> fields(columns.size());
      for (std::size_t c = 0; c < columns.size(); ++c)
        fields[c] = raw[index[c]];
      r = evaluate(line_no, fields);
    }
    if (!r.error.empty()) any_failed = true;
    if (json)
      write_json(r, out);
    else
      write_table_row(r, input_name, out);
  }
  if (!json) out << "(* = implied vol solved from the price)\n";
  return any_failed ? 1 : 0;
}

} // namespace sc::app
