#include "adapters/sim/clock.hpp"

#include "adapters/sim/calendar.hpp"

#include <algorithm>
#include <cmath>

namespace sc::sim {

sim_clock::sim_clock(const config::sim_settings& s, timestamp real_start)
    : real_start_(real_start), speed_(s.clock_speed), skip_closed_(s.skip_closed) {
  const day_number start = parse_date(s.start_date).value_or(0);
  first_day_ = is_trading_day(start) ? start : next_trading_day(start);
  first_open_ = session_open(first_day_);
  // Precomputing the session days keeps now() O(1) and free of shared mutable state.
  const int n = std::max(1, s.horizon_days);
  days_.reserve(static_cast<size_t>(n));
  day_number d = first_day_;
  for (int i = 0; i < n; ++i) {
    days_.push_back(d);
    d = next_trading_day(d);
  }
}

timestamp sim_clock::now(timestamp real_now) const {
  const double real_s = std::chrono::duration<double>(real_now - real_start_).count();
  return after(real_s > 0 ? real_s * speed_ : 0.0);
}

timestamp sim_clock::after(double sim_seconds) const {
  using ns = std::chrono::duration<int64_t, std::nano>;
  if (!(sim_seconds > 0)) return first_open_;
  if (!skip_closed_)
    return first_open_ + ns{static_cast<int64_t>(std::llround(sim_seconds * 1e9))};
  const double sessions = sim_seconds / double(session_seconds);
  auto k = static_cast<int64_t>(std::floor(sessions));
  if (k >= static_cast<int64_t>(days_.size())) // past the horizon: stay at the last close
    return session_close(days_.back());
  const double into = sim_seconds - double(k) * double(session_seconds);
  return session_open(days_[static_cast<size_t>(k)]) +
         ns{static_cast<int64_t>(std::llround(into * 1e9))};
}

} // namespace sc::sim
