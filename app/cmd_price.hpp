// `smallcap price`: batch pricing, implied vol and Greeks of contracts given as CSV.
#pragma once

#include <iosfwd>
#include <string>

namespace sc::app {

/// Reads CSV with the header `type,style,spot,strike,years,rate,dividend_yield,vol,price`
/// (columns in any order, names exact). type is call|put, style european|american (empty:
/// european), years the time to expiry in years, rate, dividend_yield (empty: 0) and vol
/// decimals. A row with a vol is priced; a row with an empty vol and a price gets its
/// implied vol solved, then its Greeks at that vol. Writes one JSON object per row (JSON
/// lines, in input order) when `json`, else an aligned table. A bad row produces an
/// object with an `error` field naming its line and problem, and the run goes on.
/// @param input_name the file name or "<stdin>", used in messages.
/// @returns 0 when every row succeeded, 1 when any row failed, 2 for a missing or bad
/// header.
int run_price(std::istream& in, const std::string& input_name, std::ostream& out,
              bool json);

} // namespace sc::app
