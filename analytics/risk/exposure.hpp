// Exposure of a set of positions: aggregated Greeks, sector concentration and the
// correlation of a candidate with the holdings. Pure C++, no CAF.
#pragma once

#include "analytics/risk/position.hpp"

#include <map>
#include <string>
#include <vector>

namespace sc::risk {

/// Greeks of one position or of a sum of positions, in position units:
/// per-unit Greek * quantity (signed, negative = short) * multiplier.
struct position_greeks {
  std::string symbol;        ///< Position symbol; "" for a portfolio total.
  double delta_shares = 0;   ///< Share-equivalents of the underlying.
  double delta_dollars = 0;  ///< delta_shares * spot.
  double gamma = 0;          ///< Change of delta_shares per 1.00 move of the spot.
  double vega = 0;           ///< Value change per 1.00 (100 points) of implied vol.
  double vega_per_point = 0; ///< Per 0.01 of implied vol: vega / 100.
  double theta_year = 0;     ///< Value change per year of calendar time.
  double theta_day = 0;      ///< theta_year / 365 (calendar day).
  double market_value = 0;   ///< quantity * multiplier * price (signed).
};

/// Greeks of one position. Stocks: delta_shares = quantity * multiplier, no other Greek.
position_greeks greeks_of(const risk_position& p);

/// Per position, per underlying and total.
struct portfolio_greeks {
  std::vector<position_greeks> positions;
  std::map<std::string, position_greeks> by_underlying;
  position_greeks total; ///< Sum over positions. delta_shares adds share-
                         ///< equivalents of different stocks: it is the figure
                         ///< the max_delta limit reads; delta_dollars is the
                         ///< comparable one.
};

portfolio_greeks aggregate_greeks(const std::vector<risk_position>& positions);

/// Exposure by sector as a fraction of equity, and how concentrated it is.
struct sector_exposure {
  std::map<std::string, double> value;    ///< Gross market value per sector, currency.
  std::map<std::string, double> fraction; ///< value / equity.
  double gross = 0;                       ///< Sum of values.
  /// Herfindahl-Hirschman index of the sector weights w_s = value_s / gross:
  /// sum w_s^2, from 1/(number of sectors) (even) to 1 (one sector). 0 when empty.
  double herfindahl = 0;
};

/// Exposure per sector uses each position's gross_value() (|qty| * multiplier * mark):
/// premium at risk for options, market value for stocks. Positions with an empty
/// sector count under "Unknown".
sector_exposure sector_concentration(const std::vector<risk_position>& positions,
                                     double equity);

/// Pearson correlation of the last min(|a|, |b|) entries of two series (aligned at their
/// ends), by the two-pass formula. NaN with fewer than 2 points or a constant series.
double pearson(const std::vector<double>& a, const std::vector<double>& b);

/// The holding most correlated with a candidate.
struct correlation_hit {
  double value = 0;       ///< Highest Pearson correlation (signed); NaN when none.
  std::string underlying; ///< The holding's underlying that gave it.
};

/// Highest correlation of the candidate's underlying returns with the returns of each
/// holding's underlying, over the last `lookback` aligned days. Holdings on the
/// candidate's own underlying are skipped (adding to a name is the position and sector
/// limits' business, not a diversification question), as are underlyings without a
/// history.
correlation_hit max_correlation(const std::string& candidate_underlying,
                                const std::vector<double>& candidate_returns,
                                const std::vector<risk_position>& holdings,
                                const std::map<std::string, std::vector<double>>& returns,
                                int lookback);

} // namespace sc::risk
