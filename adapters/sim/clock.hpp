// Maps real time to simulated market time, faster than real time if asked.
//
// Simulated time starts at 09:30 New York time on the first simulated trading day
// (start_date, or the next trading day after it) when the real clock reads
// `real_start`, and advances clock_speed simulated seconds per real second.
// With skip_closed (the default) only session time is simulated: when a session's
// 6.5 hours are used up the clock continues at the next trading day's 09:30, so the
// market trades continuously in real time. Otherwise it runs through nights and
// weekends like a calendar clock. New York time follows the US DST rule (see
// calendar.hpp).
#pragma once

#include "config/settings.hpp"
#include "messages/data.hpp"

#include <vector>

namespace sc::sim {

class sim_clock {
public:
  /// Precondition: settings valid (market::validate).
  sim_clock(const config::sim_settings& s, timestamp real_start);

  /// Simulated time at a real instant (real instants before real_start map to the
  /// first open).
  timestamp now(timestamp real_now) const;
  /// Simulated time after `sim_seconds` of simulated elapsed time.
  timestamp after(double sim_seconds) const;
  timestamp first_open() const noexcept { return first_open_; }
  double speed() const noexcept { return speed_; }

private:
  timestamp real_start_;
  timestamp first_open_;
  day_number first_day_;
  double speed_;
  bool skip_closed_;
  /// Trading days from the first day on, extended as far as the horizon asks for.
  std::vector<day_number> days_;
};

} // namespace sc::sim
