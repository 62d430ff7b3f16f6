#include "analytics/scanner/universe.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <unordered_map>

namespace sc::scan {

std::string normalise_symbol(std::string_view symbol) {
  auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!symbol.empty() && is_space(symbol.front()))
    symbol.remove_prefix(1);
  while (!symbol.empty() && is_space(symbol.back()))
    symbol.remove_suffix(1);
  std::string out;
  out.reserve(symbol.size());
  for (char c : symbol) {
    if (c == '.' || c == '/' || c == '_' || is_space(c))
      out.push_back('-');
    else
      out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

namespace {

void add_origin(std::vector<std::string>& origins, const std::string& o) {
  if (std::find(origins.begin(), origins.end(), o) == origins.end()) origins.push_back(o);
}

bool has_cap(double x) {
  return std::isfinite(x) && x > 0;
}

} // namespace

std::vector<security> merge_universe(const std::vector<std::vector<security>>& lists,
                                     const std::vector<std::string>& watchlist) {
  std::vector<security> out;
  std::unordered_map<std::string, size_t> index;
  auto entry = [&](const std::string& sym) -> security& {
    auto [it, inserted] = index.emplace(sym, out.size());
    if (inserted) {
      out.emplace_back();
      out.back().symbol = sym;
    }
    return out[it->second];
  };
  for (const auto& list : lists) {
    for (const auto& s : list) {
      auto sym = normalise_symbol(s.symbol);
      if (sym.empty()) continue;
      auto& e = entry(sym);
      if (e.name.empty()) e.name = s.name;
      if (e.sector.empty()) e.sector = s.sector;
      if (e.exchange.empty()) e.exchange = s.exchange;
      if (!has_cap(e.market_cap) && has_cap(s.market_cap)) e.market_cap = s.market_cap;
      if (s.origin.empty()) add_origin(e.origin, "unknown");
      for (const auto& o : s.origin)
        add_origin(e.origin, o);
    }
  }
  for (const auto& w : watchlist) {
    auto sym = normalise_symbol(w);
    if (sym.empty()) continue;
    add_origin(entry(sym).origin, "watchlist");
  }
  std::sort(out.begin(), out.end(),
            [](const security& a, const security& b) { return a.symbol < b.symbol; });
  return out;
}

} // namespace sc::scan
