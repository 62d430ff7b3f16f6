// Technical indicators, batch form: each function takes a whole series (oldest first)
// and returns a series of the same length, NaN where the indicator is not yet defined
// (its lookback). Definitions, seeding and lookbacks follow the widely used standard
// ones; each function's comment names the definition it follows.
// The incremental forms (one new bar in O(1)) live in indicators/incremental.hpp and
// give bit-identical numbers; the universe form (all symbols at once, time-major,
// vectorised across symbols) lives in indicators/universe.hpp. Pure C++, no CAF.
//
// Common rules: an invalid period (< 1; < 2 for adx, hist_vol, beta) gives an all-NaN
// result; inputs of different lengths give an all-NaN result as long as the first input.
// NaN inputs propagate. Window sums (SMA, Bollinger, relative volume, volatility, beta)
// are compensated (error-free transformations), so they do not drift on long series;
// SMA and Bollinger also rebuild theirs from the window's own values every
// max(2048, 16 period) bars in every form, so that a series falling by many orders of
// magnitude keeps its band width accurate (see detail/kernels.hpp, restart_period).
#pragma once

#include <cstddef>
#include <vector>

namespace sc::ind {

using series = std::vector<double>;

/// Simple moving average: mean of the last `period` values; first value at index
/// period-1.
series sma(const series& x, int period);
/// Exponential moving average, k = 2/(period+1), seeded with the SMA of the first
/// `period` values (first value at index period-1), then ema = ema_prev (1-k) + k x (the
/// standard definition; the same as ema_prev + k (x - ema_prev) up to rounding).
series ema(const series& x, int period);
/// Wilder's RSI: gains/losses of close-to-close changes; the first averages are the
/// simple means of the first `period` changes (first RSI at index period), then Wilder
/// smoothing avg = (avg_prev (n-1) + x) / n. RSI = 100 - 100/(1 + avg_gain/avg_loss) (100
/// when the average loss is 0; 50 when both are 0, which the definition leaves
/// undefined).
series rsi(const series& close, int period = 14);

struct macd_result {
  series macd, signal, hist;
};
/// MACD as in the standard reference definition: both EMAs are aligned on the slow one's
/// lookback, i.e. the slow EMA is seeded with the SMA of x[0 .. slow-1] and the fast EMA
/// with the SMA of the last `fast` values of that same window, x[slow-fast .. slow-1], so
/// the MACD line (fast - slow) starts at index slow-1 (25 for 12/26/9) rather than the
/// fast EMA starting on its own at fast-1. signal = EMA(signal) of the MACD line seeded
/// with the SMA of its first `signal` values, first at index slow+signal-2 (33); hist =
/// macd - signal from that index. fast > slow are swapped.
macd_result macd(const series& close, int fast = 12, int slow = 26, int signal = 9);

struct bollinger_result {
  series upper, middle, lower;
};
/// Bollinger bands: middle = SMA(period), upper/lower = middle +- k * population standard
/// deviation (divide by n) of the same window; first value at index period-1. The middle
/// band equals sma(close, period).
bollinger_result bollinger(const series& close, int period = 20, double k = 2.0);

/// Wilder's average true range. TR(t) = max(h-l, |h-c(t-1)|, |l-c(t-1)|) from bar 1; the
/// first ATR, at index period, is the mean of TR(1..period); then Wilder smoothing.
series atr(const series& high, const series& low, const series& close, int period = 14);
/// Wilder's ADX with the standard reference seeding: +DM/-DM (the larger positive move
/// wins, ties give none) and TR from bar 1; the smoothed sums start as the plain sums
/// over bars 1..n-1 and from bar n follow S = S - S/n + x; DI = 100 DM/TR, DX = 100 |DI+
/// - DI-| / (DI+ + DI-) from bar n; the first ADX (index 2n-1) is the mean of the n DX of
/// bars n..2n-1, then ADX = (ADX_prev (n-1) + DX) / n. A bar whose DX is undefined (TR or
/// DI+ + DI- zero) contributes nothing (not counted in the sum, ADX unchanged). period
/// >= 2.
series adx(const series& high, const series& low, const series& close, int period = 14);
/// On-balance volume: starts at the first bar's volume, then adds the volume on an up
/// close, subtracts it on a down close, keeps it on an unchanged close.
series obv(const series& close, const series& volume);

struct stoch_result {
  series k, d;
};
/// Slow stochastic oscillator (Lane): fast %K = 100 (close - lowest low) / (highest high
/// - lowest low) over k_period bars (from index k_period-1; 50 when the window is flat);
/// k = slow %K = SMA(k_slow) of fast %K (from k_period+k_slow-2), d = %D = SMA(d_period)
/// of slow %K (from k_period+k_slow+d_period-3).
stoch_result stoch(const series& high, const series& low, const series& close,
                   int k_period = 14, int k_slow = 3, int d_period = 3);

// -- the same, into caller-owned outputs
// ---------------------------------------------------- Identical results; the outputs are
// resized (not reallocated when already large enough), so a caller that keeps them pays
// neither allocation nor first-touch page faults per call, which on long series costs
// more than the indicator itself.

void sma_into(const series& x, int period, series& out);
void ema_into(const series& x, int period, series& out);
void rsi_into(const series& close, int period, series& out);
void macd_into(const series& close, int fast, int slow, int signal, macd_result& out);
void bollinger_into(const series& close, int period, double k, bollinger_result& out);
void atr_into(const series& high, const series& low, const series& close, int period,
              series& out);

/// Volume over its average of the previous `period` bars (first at index period; NaN when
/// that average is 0).
series relative_volume(const series& volume, int period = 20);
/// close / max(high over the last `period` bars, this one included) - 1 (<= 0 when close
/// <= high); first at index period-1 (a full 52 weeks).
series dist_from_high(const series& high, const series& close, int period = 252);
/// close / min(low over the last `period` bars, this one included) - 1 (>= 0); first at
/// index period-1; NaN if that low is not positive.
series dist_from_low(const series& low, const series& close, int period = 252);
/// Annualised (x sqrt 252) sample standard deviation (divide by n-1) of the last `period`
/// daily log returns ln(c(t)/c(t-1)); first at index period. period >= 2.
series hist_vol(const series& close, int period = 20);
/// Beta of the stock's daily log returns against the index's over the last `period`
/// returns: cov(r_stock, r_index) / var(r_index); first at index period; NaN when the
/// index's returns have zero variance. period >= 2.
series beta(const series& close, const series& index_close, int period = 60);

} // namespace sc::ind
