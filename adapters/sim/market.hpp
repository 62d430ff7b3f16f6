// The simulated market: the embedded default data source. Pure C++, no CAF.
//
// With no network and no keys the whole service runs on this. Everything is a
// deterministic function of config::sim_settings: the same seed and settings give
// bit-identical universes, fundamentals, bars, quotes and chains whatever the order of
// calls and from whichever thread (random numbers come from streams keyed by
// (seed, instrument, purpose) or from hashes of (seed, instrument, purpose, counters)).
//
// Model in brief (details in adapters/sim/README.md):
// - Daily log returns r = a + beta*m + gamma*s_sector + e + J, with m the market factor
//   under a 2-state Markov volatility regime, s an independent factor per sector, e
//   idiosyncratic noise and J compound-Poisson jumps (taken overnight, as gaps).
// - Daily bars split r into an overnight gap and an intraday Brownian move; high and low
//   are drawn from the exact distribution of a Brownian maximum/minimum given the
//   close. Volumes are lognormal around a turnover tied to shares outstanding, with an
//   AR(1) level and spikes on large moves.
// - Intraday quotes follow a Brownian bridge from each session's open to its close on
//   a per-symbol tick grid, evaluated by random-access bisection, so any sim time can
//   be queried in any order with the same answer.
// - Options are priced as EUROPEAN with Black-Scholes-Merton (sc::options::bsm_greeks)
//   on a volatility smile (skew and curvature in normalised log-moneyness) around an
//   ATM term structure anchored on each symbol's 30-day ATM implied volatility, the
//   same series iv_history() reports. Contracts are marked exercise_style::european.
//
// Index and macro symbols: "SCX" (small-cap index = the market factor), "SVIX"
// (volatility index = 100 x market implied vol, tied to the regime), one sector ETF per
// GICS sector ("XS" + two-letter code, e.g. "XSHC"), "TNX" (10-year yield in percent).
//
// Thread safety: all const methods may be called concurrently. Per-instrument state
// past the history (future sessions) is built lazily under a per-instrument mutex.
#pragma once

#include "config/settings.hpp"
#include "messages/data.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sc::sim {

enum class instrument_kind : uint8_t {
  stock = 0,
  index = 1,            ///< SCX
  sector_etf = 2,       ///< XS..
  volatility_index = 3, ///< SVIX
  yield = 4,            ///< TNX
};

/// The model parameters of one instrument, for diagnostics and tests.
struct instrument_profile {
  std::string symbol;
  instrument_kind kind = instrument_kind::stock;
  int sector = -1;             ///< Index into sector_names(); -1 when not sector-bound.
  double beta = 0;             ///< Loading on the market factor (SCX log returns).
  double sector_loading = 0;   ///< Loading on the sector factor.
  double vol = 0;              ///< Target unconditional annualised volatility.
  double idio_vol = 0;         ///< Annualised idiosyncratic diffusion volatility.
  double jump_intensity = 0;   ///< Jumps per year.
  double jump_mean = 0;        ///< Mean log jump size.
  double jump_vol = 0;         ///< Standard deviation of the log jump size.
  double iv_level = 0;         ///< Long-run 30-day ATM implied volatility.
  double skew = 0;             ///< Smile slope per unit of normalised log-moneyness.
  double curvature = 0;        ///< Smile curvature per unit^2.
  double dividend_yield = 0;   ///< Continuous.
  double turnover = 0;         ///< Mean daily volume / shares outstanding.
  double half_spread = 0;      ///< Relative half-spread of the stock quote.
  int quote_interval = 1;      ///< Seconds between quote updates in a session.
  double option_liquidity = 1; ///< Multiplies option spreads (higher = less liquid).
};

class market {
public:
  /// Builds the universe and the common factor paths. Precondition: validate(s) is
  /// empty (throws std::invalid_argument naming the field otherwise; callers that load
  /// user input should call validate() first and report its message).
  explicit market(const config::sim_settings& s);
  ~market();
  market(const market&) = delete;
  market& operator=(const market&) = delete;

  /// Empty when the settings are usable, otherwise a message naming the bad field.
  static std::string validate(const config::sim_settings& s);

  /// The stocks (not the index symbols), in a fixed order.
  const std::vector<security>& universe() const;

  /// Fundamentals as of the last history close. Stocks only.
  std::optional<fundamentals> fundamentals_of(std::string_view symbol) const;

  /// The last `days` daily bars of the history (all of it when days <= 0 or larger),
  /// ending on the last trading day before start_date. Stocks and index symbols.
  std::optional<bar_series> bars(std::string_view symbol, int days) const;

  /// The quote at a simulated time. In a session: the tick-grid point at or before
  /// sim_time. Outside sessions: the last close. Before the first simulated session:
  /// the last history close; after the horizon: the last simulated close.
  std::optional<quote> quote_at(std::string_view symbol, timestamp sim_time) const;

  /// The option chain at a simulated time (stocks, SCX and sector ETFs), European
  /// contracts priced off the quote's mid.
  std::optional<option_chain> chain(std::string_view symbol, timestamp sim_time) const;

  /// (day, 30-day constant-maturity ATM implied vol) for the last 252 trading days of
  /// the history (fewer if the history is shorter), oldest first. Empty for unknown
  /// symbols and for SVIX and TNX.
  std::vector<std::pair<day_number, double>> iv_history(std::string_view symbol) const;

  /// The 30-day ATM implied vol the chain uses at sim_time (NaN when not applicable).
  double atm_vol_30d(std::string_view symbol, timestamp sim_time) const;

  /// "SCX", "SVIX", "TNX" and the sector ETFs.
  std::vector<std::string> index_symbols() const;

  /// Model parameters of any symbol.
  std::optional<instrument_profile> profile_of(std::string_view symbol) const;

  /// Trading days of the history, oldest first (the dates of bars()).
  const std::vector<day_number>& history_dates() const;
  /// The first simulated trading day (start_date, or the next trading day after it).
  day_number start_day() const;
  /// 09:30 New York time on start_day().
  timestamp first_open() const;
  const config::sim_settings& settings() const;

  /// The 11 GICS sector names, indexed by instrument_profile::sector.
  static const std::vector<std::string>& sector_names();
  /// The two-letter codes of the sectors (sector ETF = "XS" + code).
  static const std::vector<std::string>& sector_codes();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

/// Builds an OCC-style contract symbol: root + YYMMDD + C/P + strike x 1000 in 8 digits.
std::string occ_symbol(std::string_view root, day_number expiry, option_type type,
                       double strike);

} // namespace sc::sim
