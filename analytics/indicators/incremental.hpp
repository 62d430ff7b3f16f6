// Technical indicators, incremental form: one object per (symbol, indicator), updated
// with one new bar at a time in O(1) time (rolling max/min, and SMA and Bollinger, whose
// window sums are rebuilt from the ring in `period` steps once every
// max(2048, 16 period) bars: amortised O(1)) and fixed
// memory (a ring buffer of `period` values where the definition needs the window), for
// the live path. Each update returns the indicator's value at that bar, NaN while it is
// not yet defined, and gives bit-identical numbers to the batch form in indicators.hpp
// (both run the same step kernels). An object built with an invalid period (< 1, or < 2
// where noted in indicators.hpp) answers NaN forever. Pure C++, no CAF.
#pragma once

#include <cstddef>
#include <vector>

namespace sc::ind {

namespace detail {
/// Sliding-window maximum (or minimum) over the last `period` values: a monotonic deque
/// in a fixed ring of `period` slots, amortised O(1) per push, no allocation after
/// construction.
class rolling_extreme {
public:
  rolling_extreme(int period, bool is_max);
  /// Pushes value number `index` (consecutive from 0) and returns the extreme of the
  /// last `period` values pushed.
  double push(long index, double value);

private:
  std::vector<long> idx_;
  std::vector<double> val_;
  int period_;
  bool is_max_;
  int head_ = 0;
  int size_ = 0;
};

/// Ring buffer of the last `period` values with the value leaving the window.
class ring {
public:
  explicit ring(int period) : buf_(period > 0 ? period : 1, 0.0), period_(period) {}
  /// Stores x; returns the value it replaces (0 while the window is filling).
  double push(double x) {
    const double old = buf_[pos_];
    buf_[pos_] = x;
    if (++pos_ == period_) pos_ = 0;
    return old;
  }
  /// The i-th value of the window, oldest first (i = 0 is the value the next push
  /// replaces).
  double at(int i) const {
    const int j = pos_ + i;
    return buf_[j >= period_ ? j - period_ : j];
  }

private:
  std::vector<double> buf_;
  int period_;
  int pos_ = 0;
};
} // namespace detail

/// Simple moving average (the mean of the last n values; first value at index n-1).
class sma_state {
public:
  explicit sma_state(int period);
  double update(double x);

private:
  detail::ring ring_;
  double hi_ = 0, lo_ = 0, n_;
  long count_ = 0;
  int period_;
};

/// Exponential moving average, k = 2/(n+1), seeded with the SMA of the first n values.
class ema_state {
public:
  explicit ema_state(int period);
  double update(double x);

private:
  double k_, one_minus_k_, n_;
  double hi_ = 0, lo_ = 0, value_ = 0;
  long count_ = 0;
  int period_;
};

/// Wilder's RSI (first value at index n).
class rsi_state {
public:
  explicit rsi_state(int period = 14);
  double update(double close);

private:
  double a_, b_, n_;
  double prev_ = 0, gain_ = 0, loss_ = 0;
  long count_ = 0;
  int period_;
};

struct macd_value {
  double macd, signal, hist;
};

/// MACD line, signal and histogram (alignment as in indicators.hpp's macd()).
class macd_state {
public:
  macd_state(int fast = 12, int slow = 26, int signal = 9);
  macd_value update(double close);

private:
  int fast_, slow_, signal_;
  double kf_, af_, ks_, as_, kg_, ag_;
  double fh_ = 0, fl_ = 0, sh_ = 0, sl_ = 0, gh_ = 0, gl_ = 0;
  double fast_v_ = 0, slow_v_ = 0, signal_v_ = 0;
  long count_ = 0;
  bool ok_;
};

struct bollinger_value {
  double upper, middle, lower;
};

/// Bollinger bands: SMA(n) +- k population standard deviations.
class bollinger_state {
public:
  explicit bollinger_state(int period = 20, double k = 2.0);
  bollinger_value update(double close);

private:
  detail::ring ring_;
  double k_, n_;
  double h1_ = 0, l1_ = 0, h2_ = 0, l2_ = 0;
  long count_ = 0;
  int period_;
};

/// Wilder's average true range (first value at index n).
class atr_state {
public:
  explicit atr_state(int period = 14);
  double update(double high, double low, double close);

private:
  double a_, b_, n_;
  double prev_close_ = 0, sum_ = 0, value_ = 0;
  long count_ = 0;
  int period_;
};

/// Wilder's ADX (first value at index 2n-1).
class adx_state {
public:
  explicit adx_state(int period = 14);
  double update(double high, double low, double close);

private:
  double n_;
  double ph_ = 0, pl_ = 0, pc_ = 0;
  double pdm_ = 0, mdm_ = 0, tr_ = 0, sum_dx_ = 0, adx_ = 0;
  long count_ = 0;
  int period_;
};

/// On-balance volume, starting at the first bar's volume.
class obv_state {
public:
  double update(double close, double volume);

private:
  double prev_close_ = 0, value_ = 0;
  bool started_ = false;
};

struct stoch_value {
  double k, d;
};

/// Slow stochastic oscillator: fast %K(k_period), slow %K = SMA(k_slow), %D =
/// SMA(d_period).
class stoch_state {
public:
  stoch_state(int k_period = 14, int k_slow = 3, int d_period = 3);
  stoch_value update(double high, double low, double close);

private:
  detail::rolling_extreme hh_, ll_;
  sma_state slow_k_, d_;
  long count_ = 0;
  int k_period_;
  bool ok_;
};

/// Volume over the average volume of the previous n bars (first value at index n).
class relative_volume_state {
public:
  explicit relative_volume_state(int period = 20);
  double update(double volume);

private:
  detail::ring ring_;
  double hi_ = 0, lo_ = 0, n_;
  long count_ = 0;
  int period_;
};

/// close / highest high of the last n bars - 1 (first value at index n-1).
class dist_from_high_state {
public:
  explicit dist_from_high_state(int period = 252);
  double update(double high, double close);

private:
  detail::rolling_extreme ext_;
  long count_ = 0;
  int period_;
};

/// close / lowest low of the last n bars - 1 (first value at index n-1).
class dist_from_low_state {
public:
  explicit dist_from_low_state(int period = 252);
  double update(double low, double close);

private:
  detail::rolling_extreme ext_;
  long count_ = 0;
  int period_;
};

/// Annualised historical volatility of log returns over n returns (first at index n).
class hist_vol_state {
public:
  explicit hist_vol_state(int period = 20);
  double update(double close);

private:
  detail::ring ring_;
  double n_;
  double prev_ = 0, h1_ = 0, l1_ = 0, h2_ = 0, l2_ = 0;
  long count_ = 0;
  int period_;
};

/// Beta of the stock's log returns against the index's over n returns (first at index n).
class beta_state {
public:
  explicit beta_state(int period = 60);
  double update(double close, double index_close);

private:
  detail::ring rx_, ry_;
  double n_;
  double px_ = 0, py_ = 0;
  double sx_[2] = {0, 0}, sy_[2] = {0, 0}, sxy_[2] = {0, 0}, syy_[2] = {0, 0};
  long count_ = 0;
  int period_;
};

} // namespace sc::ind
