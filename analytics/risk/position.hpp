// The risk view of one position: what the risk functions need to know about a holding
// or a candidate, independent of how the ledger stores it. Pure C++, no CAF.
#pragma once

#include "messages/data.hpp"

#include <cstdint>
#include <string>

namespace sc::risk {

enum class asset_kind : uint8_t { stock = 0, option = 1 };

inline const char* to_string(asset_kind k) {
  return k == asset_kind::stock ? "stock" : "option";
}

/// One position (or proposed position) as the risk functions see it.
///
/// Per-unit Greeks are per share of the underlying for one unit of `price` (the
/// BSM Greeks of black_scholes.hpp: vega per 1.00 of vol, theta per year); the
/// aggregation multiplies by quantity and multiplier. A stock has delta 1 and no
/// other Greeks; its per-unit fields are ignored.
struct risk_position {
  std::string symbol;     ///< Stock symbol or option contract symbol.
  std::string underlying; ///< The stock whose returns drive it ("" = symbol).
  std::string sector;
  asset_kind kind = asset_kind::stock;
  option_type type = option_type::call;
  double strike = 0;
  double years = 0; ///< Time to expiry, ACT/365.
  double iv = 0;    ///< Implied volatility, decimal.
  double rate = 0;  ///< Continuously compounded.
  double dividend_yield = 0;
  double quantity = 0;   ///< Signed: shares or contracts, negative = short.
  double multiplier = 1; ///< 1 for stocks, 100 for standard US options.
  double spot = 0;       ///< Price of the underlying.
  double price = 0;      ///< Mark per unit (per share; option premium per share).
  double delta = 0;      ///< Per-unit Greeks (options only).
  double gamma = 0;
  double vega = 0;
  double theta = 0;

  const std::string& underlying_symbol() const noexcept {
    return underlying.empty() ? symbol : underlying;
  }
  /// |quantity| * multiplier * price: the gross market value, the exposure that the
  /// position and sector limits measure.
  double gross_value() const noexcept;
  /// Per-unit delta: 1 for a stock.
  double unit_delta() const noexcept { return kind == asset_kind::stock ? 1.0 : delta; }
};

/// Fills the per-unit Greeks and price of an option position from BSM with its
/// spot, strike, years, iv, rate and yield (stocks: price = spot). Used by callers
/// that hold only the contract terms.
void fill_model_greeks(risk_position& p);

/// Model value per unit of an option at a given spot and remaining time; intrinsic
/// value when no time or no volatility is left.
double option_value(const risk_position& p, double spot, double years);

} // namespace sc::risk
