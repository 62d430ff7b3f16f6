// The portfolio ledger: cash, positions, the fill journal, realized and unrealized
// P&L, marks and the equity curve. Pure C++, no CAF; persistence lives in
// adapters/storage/ledger_store.hpp.
//
// Accounting (average cost, fees kept apart from trading P&L):
//   cash       = starting cash - sum over fills of (qty * price * multiplier + fees)
//   market     = sum over positions of qty * multiplier * mark   (signed: shorts
//   negative) equity     = cash + market realized   = sum over reducing fills of
//   closed_qty * (price - avg_cost) * multiplier
//                (sign of the position applied), fees excluded
//   unrealized = sum over positions of qty * multiplier * (mark - avg_cost)
//   identity:  equity - starting cash = realized + unrealized - fees
// A position never marked is marked at its average cost (no unrealized P&L).
#pragma once

#include "analytics/risk/position.hpp"
#include "messages/data.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sc::portfolio {

using risk::asset_kind;

/// An expected failure with a message naming the input.
struct error {
  std::string message;
};

/// A value or an error: the return type of every fallible operation here.
template <class T> class result {
public:
  result(T value) : value_(std::move(value)) {}
  result(error e) : error_(std::move(e.message)) {}
  explicit operator bool() const noexcept { return value_.has_value(); }
  bool ok() const noexcept { return value_.has_value(); }
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  const std::string& error_message() const noexcept { return error_; }

private:
  std::optional<T> value_;
  std::string error_;
};

/// A result without a value.
struct done {};
using status = result<done>;

/// What is traded.
struct instrument {
  std::string symbol;     ///< Stock symbol, or OCC contract symbol for options.
  std::string underlying; ///< Stock symbol of an option ("" = symbol).
  std::string sector;
  asset_kind kind = asset_kind::stock;
  option_type type = option_type::call;
  double strike = 0;
  day_number expiry = 0; ///< Options: expires at that day's close.
  double multiplier = 1; ///< 1 for stocks, 100 for standard options.

  const std::string& underlying_symbol() const noexcept {
    return underlying.empty() ? symbol : underlying;
  }
};

/// One open position.
struct position {
  instrument spec;
  double quantity = 0; ///< Signed: shares or contracts.
  double avg_cost = 0; ///< Per unit (per share; option premium per share).
  timestamp opened{};
  double stop = nan; ///< Exit price levels per unit (NaN = none).
  double target = nan;
  double mark = nan; ///< Last mark per unit (NaN = never marked).
  timestamp mark_time{};
  double realized = 0; ///< Realized since opened (fees excluded).
  double fees = 0;     ///< Fees paid since opened.

  /// mark, or avg_cost when never marked.
  double mark_or_cost() const noexcept { return mark == mark ? mark : avg_cost; }
  double market_value() const noexcept {
    return quantity * spec.multiplier * mark_or_cost();
  }
  double unrealized() const noexcept {
    return quantity * spec.multiplier * (mark_or_cost() - avg_cost);
  }
  double cost_basis() const noexcept { return quantity * spec.multiplier * avg_cost; }
};

/// One execution. Positive quantity buys, negative sells.
struct fill {
  int64_t id = 0; ///< Assigned by the ledger: 1, 2, 3, ... in journal order.
  timestamp time{};
  std::string symbol;
  double quantity = 0;
  double price = 0;   ///< Per unit.
  double fees = 0;    ///< Currency, >= 0.
  std::string reason; ///< "entry", "stop_loss", "profit_target", "expiry", ...
};

/// A position from open to flat.
struct closed_trade {
  std::string symbol;
  timestamp opened{};
  timestamp closed{};
  double realized = 0; ///< Trading P&L, fees excluded.
  double fees = 0;
  double net() const noexcept { return realized - fees; }
};

struct equity_point {
  timestamp time{};
  double equity = 0;
  double cash = 0;
};

/// What one fill did.
struct fill_effect {
  fill applied;                       ///< With its id.
  double realized = 0;                ///< Realized by this fill.
  std::optional<closed_trade> closed; ///< When the position went flat (or flipped).
  bool opened = false;                ///< A new position (or the flipped remainder).
};

/// The account totals, kept apart so that a failed write can restore them.
struct account {
  double starting_cash = 0;
  double cash = 0;
  double realized = 0;
  double fees = 0;
};

class ledger {
public:
  explicit ledger(double starting_cash = 0);

  // -- state ---------------------------------------------------------------------------
  const account& totals() const noexcept { return account_; }
  double cash() const noexcept { return account_.cash; }
  double starting_cash() const noexcept { return account_.starting_cash; }
  double realized() const noexcept { return account_.realized; }
  double fees() const noexcept { return account_.fees; }
  const std::map<std::string, position>& positions() const noexcept { return positions_; }
  const position* find(const std::string& symbol) const;
  const std::vector<fill>& fills() const noexcept { return fills_; }
  const std::vector<closed_trade>& trades() const noexcept { return trades_; }
  const std::vector<equity_point>& equity_curve() const noexcept { return curve_; }

  double market_value() const;
  double unrealized() const;
  double equity() const { return account_.cash + market_value(); }

  // -- changes -------------------------------------------------------------------------
  /// Applies one fill of `spec`: checks it (finite non-zero quantity, finite price
  /// >= 0, fees >= 0, symbol equal to spec.symbol, multiplier > 0, and for an existing
  /// position the same kind and multiplier), then updates cash, the position (average
  /// cost on increase, realized P&L on decrease, a flip closes and reopens at the fill
  /// price), the journal and the closed trades.
  result<fill_effect> apply(const instrument& spec, fill f);

  /// Sets a position's exit levels (NaN clears one).
  status set_exit_levels(const std::string& symbol, double stop, double target);

  /// Marks one position at `price` (ignored when not finite or <= 0 for a stock).
  bool mark(const std::string& symbol, double price, timestamp time);
  /// Marks stocks from quotes: mid when both sides are positive, else last.
  size_t mark(const std::vector<quote>& quotes);
  /// Marks option positions from contract quotes (matched on the contract symbol).
  size_t mark(const std::vector<option_quote>& quotes);

  /// Appends the current equity to the curve and returns it.
  equity_point sample_equity(timestamp time);

  // -- rollback and reload (used by the persistent store) ------------------------------
  /// What one fill can change, captured before it.
  struct checkpoint {
    std::string symbol;
    std::optional<position> before;
    account totals;
    size_t fills = 0;
    size_t trades = 0;
  };
  checkpoint capture(const std::string& symbol) const;
  void rollback(const checkpoint& c);

  /// Rebuilds a ledger from stored parts without replaying (the store checks the
  /// journal separately with replay()).
  static ledger restore(account totals, std::map<std::string, position> positions,
                        std::vector<fill> fills, std::vector<closed_trade> trades,
                        std::vector<equity_point> curve);

private:
  account account_;
  std::map<std::string, position> positions_;
  std::vector<fill> fills_;
  std::vector<closed_trade> trades_;
  std::vector<equity_point> curve_;
};

/// Mark price of a quote: mid when bid and ask are positive, else last (NaN if none).
double mark_price(double bid, double ask, double last);

/// Replays a fill journal from a starting cash: the ledger those fills produce.
/// `specs` gives each traded symbol's instrument. Used to check a stored ledger.
result<ledger> replay(double starting_cash, const std::vector<fill>& fills,
                      const std::map<std::string, instrument>& specs);

/// The risk view of a position for the risk functions. `spot` is the underlying's
/// price, `iv` the implied volatility, `today` the valuation day. Time to expiry is
/// (expiry - today) / 365 years, floored at 0 (on the expiry day the option is valued
/// at intrinsic). Greeks and price come from BSM (risk::fill_model_greeks); the price
/// is then replaced by the position's mark when it has one.
risk::risk_position to_risk(const position& p, double spot, double iv, day_number today,
                            double rate = 0);

} // namespace sc::portfolio
