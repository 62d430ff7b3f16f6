// Technical indicators over a whole universe at once. Data are time-major (structure of
// arrays): for each bar t the values of all symbols are contiguous, so every per-bar step
// runs across symbols in SIMD lanes, and the serial recurrences of EMA/RSI/ATR cost
// nothing extra (each lane is an independent symbol). Every function gives, for each
// symbol, exactly the numbers (bit for bit) of the per-series batch function in
// indicators.hpp; the symbols share one bar calendar (a symbol without data at a bar has
// NaN there, and NaN propagates as in the per-series form). Output panels are resized only
// when their shape differs, so a caller that keeps them avoids reallocating.
// Single-threaded; pure C++, no CAF.
#pragma once

#include <cstddef>
#include <vector>

namespace sc::ind {

/// n_symbols x n_bars values, time-major: at(s, t) = data[t * n_symbols + s].
struct universe_panel {
  std::size_t n_symbols = 0;
  std::size_t n_bars = 0;
  std::vector<double> data;

  universe_panel() = default;
  /// A panel filled with `fill` (NaN by default).
  universe_panel(std::size_t symbols, std::size_t bars);
  universe_panel(std::size_t symbols, std::size_t bars, double fill);

  double& at(std::size_t s, std::size_t t) { return data[t * n_symbols + s]; }
  double at(std::size_t s, std::size_t t) const { return data[t * n_symbols + s]; }
  double* row(std::size_t t) { return data.data() + t * n_symbols; }
  const double* row(std::size_t t) const { return data.data() + t * n_symbols; }
  /// Copies one symbol's series (oldest first, length n_bars) in or out.
  void set_series(std::size_t s, const std::vector<double>& x);
  std::vector<double> series_of(std::size_t s) const;
  /// Makes the panel symbols x bars (contents unspecified if the shape changed).
  void reshape(std::size_t symbols, std::size_t bars);
};

/// SMA(period) of every symbol (as sma()).
void universe_sma(const universe_panel& x, int period, universe_panel& out);
/// EMA(period) of every symbol (as ema()).
void universe_ema(const universe_panel& x, int period, universe_panel& out);
/// Wilder's RSI(period) of every symbol (as rsi()).
void universe_rsi(const universe_panel& close, int period, universe_panel& out);
/// MACD line, signal and histogram of every symbol (as macd()).
void universe_macd(const universe_panel& close, int fast, int slow, int signal,
                   universe_panel& macd, universe_panel& signal_line, universe_panel& hist);
/// Bollinger bands of every symbol (as bollinger()).
void universe_bollinger(const universe_panel& close, int period, double k,
                        universe_panel& upper, universe_panel& middle, universe_panel& lower);
/// Wilder's ATR(period) of every symbol (as atr()). high, low and close must have the same
/// shape, otherwise `out` is all NaN.
void universe_atr(const universe_panel& high, const universe_panel& low,
                  const universe_panel& close, int period, universe_panel& out);

} // namespace sc::ind
