// Incremental indicator states. Each update performs exactly the operations the batch
// form performs for that bar (see detail/kernels.hpp), so both forms agree bit for bit.
#include "analytics/indicators/incremental.hpp"

#include "analytics/indicators/detail/kernels.hpp"

#include <algorithm>
#include <cmath>

namespace sc::ind {

using detail::nan;

namespace detail {

rolling_extreme::rolling_extreme(int period, bool is_max)
    : idx_(std::max(period, 1)), val_(std::max(period, 1)), period_(std::max(period, 1)),
      is_max_(is_max) {}

double rolling_extreme::push(long index, double value) {
  while (size_ > 0 && idx_[head_] <= index - period_) {
    if (++head_ == period_) head_ = 0;
    --size_;
  }
  while (size_ > 0) {
    int back = head_ + size_ - 1;
    if (back >= period_) back -= period_;
    const bool dominated = is_max_ ? val_[back] <= value : val_[back] >= value;
    if (!dominated) break;
    --size_;
  }
  int pos = head_ + size_;
  if (pos >= period_) pos -= period_;
  idx_[pos] = index;
  val_[pos] = value;
  ++size_;
  return val_[head_];
}

} // namespace detail

namespace {

/// One bar of a compensated window sum of non-negative data: x enters, old leaves (full
/// TwoSum steps while the window is filling).
void window_sum_step(double& hi, double& lo, double x, double old, bool filling) {
  double d, e;
  detail::two_sum(x, -old, d, e);
  if (filling)
    detail::window_step_any(hi, lo, d, e);
  else
    detail::window_step_pos(hi, lo, d, e);
}

} // namespace

// -- moving averages
// ----------------------------------------------------------------------

sma_state::sma_state(int period) : ring_(period), n_(period), period_(period) {}

double sma_state::update(double x) {
  if (period_ < 1) return nan;
  const double old = ring_.push(x);
  const std::size_t t = static_cast<std::size_t>(count_);
  if (detail::restarts_at(t, detail::restart_period(period_))) {
    detail::rebuild_sum(
        period_, [this](std::size_t i) { return ring_.at(static_cast<int>(i)); }, hi_,
        lo_);
  } else {
    window_sum_step(hi_, lo_, x, old, count_ < period_);
  }
  ++count_;
  return count_ >= period_ ? (hi_ + lo_) * (1.0 / n_) : nan;
}

ema_state::ema_state(int period)
    : k_(2.0 / (period + 1.0)), one_minus_k_(1.0 - 2.0 / (period + 1.0)), n_(period),
      period_(period) {}

double ema_state::update(double x) {
  if (period_ < 1) return nan;
  if (count_ < period_) {
    double s, e;
    detail::two_sum(hi_, x, s, e);
    hi_ = s;
    lo_ = lo_ + e;
    if (++count_ < period_) return nan;
    value_ = (hi_ + lo_) / n_;
    return value_;
  }
  value_ = detail::smooth(value_, one_minus_k_, k_, x);
  return value_;
}

// -- RSI
// ------------------------------------------------------------------------------------

rsi_state::rsi_state(int period)
    : a_((period - 1.0) / period), b_(1.0 / period), n_(period), period_(period) {}

double rsi_state::update(double close) {
  if (period_ < 1) return nan;
  const long t = count_++;
  if (t == 0) {
    prev_ = close;
    return nan;
  }
  const double ch = close - prev_;
  prev_ = close;
  const double g = ch > 0.0 ? ch : 0.0;
  const double l = ch < 0.0 ? -ch : 0.0;
  if (t <= period_) {
    gain_ = gain_ + g;
    loss_ = loss_ + l;
    if (t < period_) return nan;
    gain_ = gain_ / n_;
    loss_ = loss_ / n_;
    return detail::rsi_from(gain_, loss_);
  }
  gain_ = detail::smooth(gain_, a_, b_, g);
  loss_ = detail::smooth(loss_, a_, b_, l);
  return detail::rsi_from(gain_, loss_);
}

// -- MACD
// -----------------------------------------------------------------------------------

macd_state::macd_state(int fast, int slow, int signal)
    : fast_(std::min(fast, slow)), slow_(std::max(fast, slow)), signal_(signal) {
  ok_ = fast_ >= 1 && signal_ >= 1;
  kf_ = 2.0 / (fast_ + 1.0);
  af_ = 1.0 - kf_;
  ks_ = 2.0 / (slow_ + 1.0);
  as_ = 1.0 - ks_;
  kg_ = 2.0 / (signal_ + 1.0);
  ag_ = 1.0 - kg_;
}

macd_value macd_state::update(double x) {
  macd_value out{nan, nan, nan};
  if (!ok_) return out;
  const long t = count_++;
  double m;
  if (t < slow_) {
    double s, e;
    detail::two_sum(sh_, x, s, e);
    sh_ = s;
    sl_ = sl_ + e;
    if (t >= slow_ - fast_) {
      detail::two_sum(fh_, x, s, e);
      fh_ = s;
      fl_ = fl_ + e;
    }
    if (t < slow_ - 1) return out;
    fast_v_ = (fh_ + fl_) / fast_;
    slow_v_ = (sh_ + sl_) / slow_;
  } else {
    fast_v_ = detail::smooth(fast_v_, af_, kf_, x);
    slow_v_ = detail::smooth(slow_v_, as_, ks_, x);
  }
  m = fast_v_ - slow_v_;
  out.macd = m;
  const long j = t - (slow_ - 1); // index within the MACD line
  if (j < signal_) {
    double s, e;
    detail::two_sum(gh_, m, s, e);
    gh_ = s;
    gl_ = gl_ + e;
    if (j < signal_ - 1) return out;
    signal_v_ = (gh_ + gl_) / signal_;
  } else {
    signal_v_ = detail::smooth(signal_v_, ag_, kg_, m);
  }
  out.signal = signal_v_;
  out.hist = m - signal_v_;
  return out;
}

// -- Bollinger
// ------------------------------------------------------------------------------

bollinger_state::bollinger_state(int period, double k)
    : ring_(period), k_(k), n_(period), period_(period) {}

bollinger_value bollinger_state::update(double x) {
  bollinger_value out{nan, nan, nan};
  if (period_ < 1) return out;
  const double old = ring_.push(x);
  const std::size_t t = static_cast<std::size_t>(count_);
  if (detail::restarts_at(t, detail::restart_period(period_))) {
    detail::rebuild_square_sums(
        period_, [this](std::size_t i) { return ring_.at(static_cast<int>(i)); }, h1_,
        l1_, h2_, l2_);
  } else {
    double d1, e1, d2, e2;
    detail::square_window_splits(x, old, d1, e1, d2, e2);
    if (count_ < period_) { // the window is filling
      detail::window_step_any(h1_, l1_, d1, e1);
      detail::window_step_any(h2_, l2_, d2, e2);
    } else {
      detail::window_step_pos(h1_, l1_, d1, e1);
      detail::window_step_pos(h2_, l2_, d2, e2);
    }
  }
  if (++count_ < period_) return out;
  detail::bollinger_from(n_, 1.0 / n_, k_ * (1.0 / n_), h1_, l1_, h2_, l2_, out.upper,
                         out.middle, out.lower);
  return out;
}

// -- ATR / ADX
// ------------------------------------------------------------------------------

atr_state::atr_state(int period)
    : a_((period - 1.0) / period), b_(1.0 / period), n_(period), period_(period) {}

double atr_state::update(double high, double low, double close) {
  if (period_ < 1) return nan;
  const long t = count_++;
  if (t == 0) {
    prev_close_ = close;
    return nan;
  }
  const double tr = detail::true_range(high, low, prev_close_);
  prev_close_ = close;
  if (t <= period_) {
    sum_ = sum_ + tr;
    if (t < period_) return nan;
    value_ = sum_ / n_;
    return value_;
  }
  value_ = detail::smooth(value_, a_, b_, tr);
  return value_;
}

adx_state::adx_state(int period) : n_(period), period_(period) {}

double adx_state::update(double high, double low, double close) {
  if (period_ < 2) return nan;
  const long t = count_++;
  if (t == 0) {
    ph_ = high;
    pl_ = low;
    pc_ = close;
    return nan;
  }
  const double diff_p = high - ph_;
  const double diff_m = pl_ - low;
  ph_ = high;
  pl_ = low;
  double pdm1 = 0.0, mdm1 = 0.0;
  if (diff_m > 0.0 && diff_p < diff_m)
    mdm1 = diff_m;
  else if (diff_p > 0.0 && diff_p > diff_m)
    pdm1 = diff_p;
  const double tr1 = detail::true_range(high, low, pc_);
  pc_ = close;
  if (t < period_) { // bars 1 .. n-1: plain sums seed the smoothed sums
    pdm_ = pdm_ + pdm1;
    mdm_ = mdm_ + mdm1;
    tr_ = tr_ + tr1;
    return nan;
  }
  pdm_ = (pdm_ - pdm_ / n_) + pdm1;
  mdm_ = (mdm_ - mdm_ / n_) + mdm1;
  tr_ = (tr_ - tr_ / n_) + tr1;
  bool valid = false;
  double dx = 0.0;
  if (tr_ != 0.0) {
    const double pdi = 100.0 * (pdm_ / tr_);
    const double mdi = 100.0 * (mdm_ / tr_);
    const double s = pdi + mdi;
    if (s != 0.0) {
      dx = 100.0 * (std::fabs(mdi - pdi) / s);
      valid = true;
    }
  }
  if (t < 2L * period_) { // bars n .. 2n-1: the first ADX is the mean of n DX values
    if (valid) sum_dx_ = sum_dx_ + dx;
    if (t < 2L * period_ - 1) return nan;
    adx_ = sum_dx_ / n_;
    return adx_;
  }
  if (valid) adx_ = (adx_ * (n_ - 1.0) + dx) / n_;
  return adx_;
}

// -- volume, range and volatility
// -----------------------------------------------------------

double obv_state::update(double close, double volume) {
  if (!started_) {
    started_ = true;
    prev_close_ = close;
    value_ = volume;
    return value_;
  }
  if (close > prev_close_)
    value_ = value_ + volume;
  else if (close < prev_close_)
    value_ = value_ - volume;
  prev_close_ = close;
  return value_;
}

stoch_state::stoch_state(int k_period, int k_slow, int d_period)
    : hh_(k_period, true), ll_(k_period, false), slow_k_(k_slow), d_(d_period),
      k_period_(k_period) {
  ok_ = k_period >= 1 && k_slow >= 1 && d_period >= 1;
}

stoch_value stoch_state::update(double high, double low, double close) {
  stoch_value out{nan, nan};
  if (!ok_) return out;
  const long t = count_++;
  const double hh = hh_.push(t, high);
  const double ll = ll_.push(t, low);
  if (t < k_period_ - 1) return out;
  // A flat window (highest high == lowest low) is undefined in the definition; we answer
  // the neutral 50 rather than a value that would read as overbought or oversold.
  const double fast_k = hh == ll ? 50.0 : 100.0 * (close - ll) / (hh - ll);
  out.k = slow_k_.update(fast_k);
  if (!std::isnan(out.k)) out.d = d_.update(out.k);
  return out;
}

relative_volume_state::relative_volume_state(int period)
    : ring_(period), n_(period), period_(period) {}

double relative_volume_state::update(double volume) {
  if (period_ < 1) return nan;
  double out = nan;
  if (count_ >= period_) {
    const double mean = (hi_ + lo_) / n_;
    if (mean > 0.0) out = volume / mean;
  }
  window_sum_step(hi_, lo_, volume, ring_.push(volume), count_ < period_);
  ++count_;
  return out;
}

dist_from_high_state::dist_from_high_state(int period)
    : ext_(period, true), period_(period) {}

double dist_from_high_state::update(double high, double close) {
  if (period_ < 1) return nan;
  const long t = count_++;
  const double hh = ext_.push(t, high);
  if (t < period_ - 1 || !(hh > 0.0)) return nan;
  return close / hh - 1.0;
}

dist_from_low_state::dist_from_low_state(int period)
    : ext_(period, false), period_(period) {}

double dist_from_low_state::update(double low, double close) {
  if (period_ < 1) return nan;
  const long t = count_++;
  const double ll = ext_.push(t, low);
  if (t < period_ - 1 || !(ll > 0.0)) return nan;
  return close / ll - 1.0;
}

hist_vol_state::hist_vol_state(int period) : ring_(period), n_(period), period_(period) {}

double hist_vol_state::update(double close) {
  if (period_ < 2) return nan;
  const long t = count_++;
  if (t == 0) {
    prev_ = close;
    return nan;
  }
  const double r = std::log(close / prev_);
  prev_ = close;
  const double old = ring_.push(r);
  double d1, e1, d2, e2;
  detail::square_window_splits(r, old, d1, e1, d2, e2);
  detail::window_step_any(h1_, l1_, d1, e1);
  detail::window_step_any(h2_, l2_, d2, e2);
  if (t < period_) return nan;
  const double dm = detail::dd_moment(n_, h2_, l2_, h1_, l1_, h1_, l1_);
  const double var = (dm > 0.0 ? dm : 0.0) / (n_ * (n_ - 1.0));
  return std::sqrt(var) * std::sqrt(252.0);
}

beta_state::beta_state(int period)
    : rx_(period), ry_(period), n_(period), period_(period) {}

double beta_state::update(double close, double index_close) {
  if (period_ < 2) return nan;
  const long t = count_++;
  if (t == 0) {
    px_ = close;
    py_ = index_close;
    return nan;
  }
  const double x = std::log(close / px_);
  const double y = std::log(index_close / py_);
  px_ = close;
  py_ = index_close;
  const double xo = rx_.push(x);
  const double yo = ry_.push(y);
  // Slides one compensated window sum by (new product) - (old product), both exact.
  auto slide = [](double* s, double a, double b, double ao, double bo) {
    double p, q, po, qo, d, e;
    detail::two_prod(a, b, p, q);
    detail::two_prod(ao, bo, po, qo);
    detail::two_sum(p, -po, d, e);
    detail::window_step_any(s[0], s[1], d, e + (q - qo));
  };
  slide(sx_, x, 1.0, xo, 1.0);
  slide(sy_, y, 1.0, yo, 1.0);
  slide(sxy_, x, y, xo, yo);
  slide(syy_, y, y, yo, yo);
  if (t < period_) return nan;
  const double cov =
      detail::dd_moment(n_, sxy_[0], sxy_[1], sx_[0], sx_[1], sy_[0], sy_[1]);
  const double var =
      detail::dd_moment(n_, syy_[0], syy_[1], sy_[0], sy_[1], sy_[0], sy_[1]);
  return var > 0.0 ? cov / var : nan;
}

} // namespace sc::ind
