// `smallcap indicators [--input FILE] [--json]`: the scanner's technical indicators over
// one series of daily bars given as CSV. Pure (no actor system): stream in, stream out.
#pragma once

#include <iosfwd>
#include <string>

namespace sc::app {

/// Reads daily bars as CSV with the header `date,open,high,low,close,volume` (date as
/// YYYY-MM-DD, strictly increasing; prices positive and finite; low <= open, close <=
/// high; volume >= 0) and prints the indicators.
///
/// With `json`, prints one JSON object whose keys are, in this order, sma_20, sma_50,
/// sma_200, ema_12, ema_20, ema_26, rsi_14, macd, macd_signal, macd_hist, bb_upper,
/// bb_middle, bb_lower, atr_14, adx_14, obv, stoch_k, stoch_d; each an array as long as
/// the input, null where the indicator is not yet defined, numbers printed with full
/// round-trip precision. Without, prints a table of the last rows.
///
/// A malformed row is refused with "<input_name>:<line>: <field>: <what was expected>" on
/// `err`, nothing on `out`, and exit code 2.
///
/// @param in          the CSV text
/// @param input_name  names the input in error messages (a file name, or "<stdin>")
/// @returns the process exit code: 0 on success, 2 on malformed input
int run_indicators(std::istream& in, const std::string& input_name, std::ostream& out,
                   std::ostream& err, bool json);

} // namespace sc::app
