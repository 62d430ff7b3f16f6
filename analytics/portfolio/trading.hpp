// Position sizing, paper execution and exits (stops, targets, expiry). Pure C++.
#pragma once

#include "analytics/portfolio/ledger.hpp"

#include <string>
#include <vector>

namespace sc::config {
struct trading_settings;
struct risk_settings;
} // namespace sc::config

namespace sc::portfolio {

// -- sizing ---------------------------------------------------------------------------

struct sizing_request {
  asset_kind kind = asset_kind::option;
  double price = 0;      ///< Entry price per unit (share price, or premium per share).
  double multiplier = 1; ///< 100 for standard options.
  /// Stocks: the protective stop per share; NaN = price * (1 - stop_loss).
  double stop_price = nan;
};

struct sizing_result {
  int quantity = 0;         ///< Whole shares or contracts, >= 0.
  double risk_per_unit = 0; ///< Currency at risk per share or contract.
  double risk_budget = 0;   ///< position_size * equity.
  std::string binding;      ///< "risk", "max_position", "contracts_per_trade_max".
  std::string reason;
};

/// Size of a new long position:
///   risk per unit = premium * multiplier for a long option (all of it can be lost),
///                   (price - stop) * multiplier for a stock;
///   q_risk = floor(position_size * equity / risk per unit);
///   q_cost = floor(max_position * equity / (price * multiplier)) (the risk limit);
///   options also q <= contracts_per_trade_max;
///   quantity = min of those (0 when even one unit does not fit).
/// Fees are not part of the risk budget.
sizing_result size_position(double equity, const sizing_request& req,
                            const config::trading_settings& trading,
                            const config::risk_settings& risk);

// -- paper execution ------------------------------------------------------------------

struct order {
  instrument spec;
  double quantity = 0; ///< Signed: positive buys.
  timestamp time{};
  std::string reason = "entry";
};

/// Fills an order against a two-sided quote:
///   price = mid + side * slippage * (ask - bid) / 2, side +1 buy, -1 sell;
///   slippage 1 buys at the ask and sells at the bid (trading_settings::slippage);
///   fees = |qty| * fee_per_contract (options) or fee_per_share (stocks).
/// Refused (error naming the symbol and numbers) when the quote is not two-sided,
/// when a buy costs more than `cash` (price * qty * multiplier + fees), or when a sell
/// would open or enlarge a short position (short selling is not simulated).
/// `held` is the current signed quantity of the symbol.
result<fill> paper_fill(const order& o, double bid, double ask, double cash, double held,
                        const config::trading_settings& trading);

// -- exits ----------------------------------------------------------------------------

/// Exit levels per unit for a position with average cost `avg_cost`:
/// long: stop = avg * (1 - stop_loss), target = avg * (1 + profit_target);
/// short: stop = avg * (1 + stop_loss), target = avg * (1 - profit_target).
std::pair<double, double> exit_levels(double avg_cost, double quantity,
                                      const config::trading_settings& trading);

enum class exit_reason : uint8_t { stop_loss = 0, profit_target = 1, expiry = 2 };

const char* to_string(exit_reason r);

struct exit_signal {
  std::string symbol;
  exit_reason reason = exit_reason::stop_loss;
  double quantity = 0; ///< The closing quantity (opposite sign of the position).
  double price = 0;    ///< Mark that triggered it (expiry: settlement price).
  std::string message;
};

/// Positions whose mark crossed a level: a long at or below its stop or at or above
/// its target; a short at or above its stop or at or below its target. Positions
/// never marked, or without levels, do not trigger.
std::vector<exit_signal> check_exits(const ledger& l);

/// Options expired as of `today`: expiry < today, or expiry == today when
/// `after_close`. Each settles at intrinsic value per share from the underlying's
/// closing price (cash settlement; assignment into shares is not modelled): calls
/// max(S - K, 0), puts max(K - S, 0). Options whose underlying price is missing are
/// reported in `errors` and left open.
struct expiry_result {
  std::vector<exit_signal> settlements;
  std::vector<std::string> errors;
};
expiry_result expired_options(const ledger& l, day_number today, bool after_close,
                              const std::map<std::string, double>& underlying_close);

/// The fill that carries out an exit: the signal's quantity at its price, with fees
/// (none at expiry settlement).
fill exit_fill(const exit_signal& s, timestamp time, double fees = 0);

} // namespace sc::portfolio
