// Technical indicators, batch form: each function takes a whole series (oldest first)
// and returns a series of the same length, NaN where the indicator is not yet defined
// (its lookback). Definitions, seeding and lookbacks follow the standard ones that
// TA-Lib uses; each function's comment names the definition it follows.
// The incremental forms (one new bar in O(1)) live in indicators/incremental.hpp and
// give the same numbers. Pure C++, no CAF.
#pragma once

#include <cstddef>
#include <vector>

namespace sc::ind {

using series = std::vector<double>;

series sma(const series& x, int period);
series ema(const series& x, int period);
series rsi(const series& close, int period = 14);

struct macd_result {
  series macd, signal, hist;
};
macd_result macd(const series& close, int fast = 12, int slow = 26, int signal = 9);

struct bollinger_result {
  series upper, middle, lower;
};
bollinger_result bollinger(const series& close, int period = 20, double k = 2.0);

series atr(const series& high, const series& low, const series& close, int period = 14);
series adx(const series& high, const series& low, const series& close, int period = 14);
series obv(const series& close, const series& volume);

struct stoch_result {
  series k, d;
};
stoch_result stoch(const series& high, const series& low, const series& close,
                   int k_period = 14, int k_slow = 3, int d_period = 3);

/// Volume over its average of the previous `period` bars.
series relative_volume(const series& volume, int period = 20);
/// close / max(high over 252 bars) - 1 (<= 0).
series dist_from_high(const series& high, const series& close, int period = 252);
/// close / min(low over 252 bars) - 1 (>= 0).
series dist_from_low(const series& low, const series& close, int period = 252);
/// Annualised (sqrt 252) sample standard deviation of log returns over `period`.
series hist_vol(const series& close, int period = 20);
/// Beta of the stock's daily log returns against the index's over `period`.
series beta(const series& close, const series& index_close, int period = 60);

} // namespace sc::ind
