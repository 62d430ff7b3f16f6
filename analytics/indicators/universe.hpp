// Technical indicators over a whole universe at once. Data are time-major (structure of
// arrays): for each bar t the values of all symbols are contiguous, so every per-bar step
// runs across symbols in SIMD lanes, and the serial recurrences of EMA/RSI/ATR cost
// nothing extra (each lane is an independent symbol). Every function gives, for each
// symbol, exactly the numbers (bit for bit) of the per-series batch function in
// indicators.hpp; the symbols share one bar calendar (a symbol without data at a bar has
// NaN there, and NaN propagates as in the per-series form). Output panels are resized
// only when their shape differs, so a caller that keeps them avoids reallocating.
// Multi-threaded: each function splits the symbols into `threads` contiguous blocks (one
// std::thread per block beyond the first, which runs on the caller; small universes stay
// on the caller alone). The numbers do not depend on the thread count. Output panels of 8
// MiB and more are written with streaming stores (they bypass the caches). Pure C++, no
// CAF.
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

/// Worker threads used by default: the two cores the service is sized for. Pass 1 for a
/// single-threaded call (e.g. from a caller that already runs one task per core).
constexpr int default_universe_threads = 2;

/// SMA(period) of every symbol (as sma()).
void universe_sma(const universe_panel& x, int period, universe_panel& out,
                  int threads = default_universe_threads);
/// EMA(period) of every symbol (as ema()).
void universe_ema(const universe_panel& x, int period, universe_panel& out,
                  int threads = default_universe_threads);
/// Wilder's RSI(period) of every symbol (as rsi()).
void universe_rsi(const universe_panel& close, int period, universe_panel& out,
                  int threads = default_universe_threads);
/// MACD line, signal and histogram of every symbol (as macd()).
void universe_macd(const universe_panel& close, int fast, int slow, int signal,
                   universe_panel& macd, universe_panel& signal_line,
                   universe_panel& hist, int threads = default_universe_threads);
/// Bollinger bands of every symbol (as bollinger()).
void universe_bollinger(const universe_panel& close, int period, double k,
                        universe_panel& upper, universe_panel& middle,
                        universe_panel& lower, int threads = default_universe_threads);
/// Wilder's ATR(period) of every symbol (as atr()). high, low and close must have the
/// same shape, otherwise `out` is all NaN.
void universe_atr(const universe_panel& high, const universe_panel& low,
                  const universe_panel& close, int period, universe_panel& out,
                  int threads = default_universe_threads);

/// Parameters of the six scanner indicators computed together by universe_latest().
struct universe_params {
  int sma = 20, ema = 20, rsi = 14;
  int macd_fast = 12, macd_slow = 26, macd_signal = 9;
  int bollinger = 20;
  double bollinger_k = 2.0;
  int atr = 14;
};

/// The six indicators' values at the last bar, one entry per symbol (NaN if undefined).
struct universe_latest_result {
  std::vector<double> sma, ema, rsi, macd, macd_signal, macd_hist, bb_upper, bb_middle,
      bb_lower, atr;
};

/// SMA, EMA, RSI, MACD, Bollinger and ATR over every bar of every symbol in one fused
/// pass, keeping only each symbol's values at the last bar (what the scanner ranks on).
/// Every point is computed exactly as by the per-panel functions (bit-identical last
/// rows), but instead of writing ten full panels (~1 GB for 5,000 x 2,520, which alone
/// takes longer than the computation on a memory-bound machine) it reads each input once.
/// high, low and close must have the same shape, otherwise every value is NaN.
void universe_latest(const universe_panel& high, const universe_panel& low,
                     const universe_panel& close, const universe_params& p,
                     universe_latest_result& out, int threads = default_universe_threads);

} // namespace sc::ind
