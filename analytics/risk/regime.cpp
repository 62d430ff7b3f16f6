#include "analytics/risk/regime.hpp"

#include "config/settings.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sc::risk {

const char* to_string(vol_regime r) {
  switch (r) {
  case vol_regime::low:
    return "low";
  case vol_regime::normal:
    return "normal";
  case vol_regime::high:
    return "high";
  case vol_regime::crisis:
    return "crisis";
  }
  return "unknown";
}

regime_report classify_regime(double index_level,
                              const std::vector<double>& index_returns,
                              const config::risk_settings& limits,
                              const regime_options& opts) {
  regime_report out;
  char buf[256];
  std::string why_level, why_realised;
  if (std::isfinite(index_level)) {
    out.has_index_level = true;
    out.index_level = index_level;
    if (index_level < limits.vix_low)
      out.by_index_level = vol_regime::low;
    else if (index_level < limits.vix_high)
      out.by_index_level = vol_regime::normal;
    else if (index_level < limits.vix_crisis)
      out.by_index_level = vol_regime::high;
    else
      out.by_index_level = vol_regime::crisis;
    std::snprintf(buf, sizeof buf,
                  "volatility index %.2f (low < %.2f, high >= %.2f, crisis >= %.2f)",
                  index_level, limits.vix_low, limits.vix_high, limits.vix_crisis);
    why_level = buf;
  }
  const size_t w = opts.window > 1 ? static_cast<size_t>(opts.window) : 0;
  if (w > 0 && index_returns.size() >= 2 * w) {
    std::vector<double> vols;
    vols.reserve(index_returns.size() - w + 1);
    for (size_t end = w; end <= index_returns.size(); ++end) {
      double m = 0;
      for (size_t i = end - w; i < end; ++i)
        m += index_returns[i];
      m /= static_cast<double>(w);
      double ss = 0;
      for (size_t i = end - w; i < end; ++i)
        ss += (index_returns[i] - m) * (index_returns[i] - m);
      vols.push_back(std::sqrt(ss / static_cast<double>(w - 1) * 252.0));
    }
    const double cur = vols.back();
    const auto below =
        std::count_if(vols.begin(), vols.end(), [cur](double v) { return v <= cur; });
    out.has_realised = true;
    out.realised_vol = cur;
    out.realised_rank = static_cast<double>(below) / static_cast<double>(vols.size());
    if (out.realised_rank >= opts.crisis_from)
      out.by_realised = vol_regime::crisis;
    else if (out.realised_rank >= opts.high_from)
      out.by_realised = vol_regime::high;
    else if (out.realised_rank < opts.low_below)
      out.by_realised = vol_regime::low;
    else
      out.by_realised = vol_regime::normal;
    std::snprintf(buf, sizeof buf,
                  "index realised vol %.1f%% at rank %.0f%% of %zu windows", cur * 100,
                  out.realised_rank * 100, vols.size());
    why_realised = buf;
  }
  if (out.has_index_level && out.has_realised) {
    const bool level_wins = out.by_index_level >= out.by_realised;
    out.regime = level_wins ? out.by_index_level : out.by_realised;
    out.reason = (level_wins ? why_level : why_realised) + " (the more severe input)";
  } else if (out.has_index_level) {
    out.regime = out.by_index_level;
    out.reason = why_level;
  } else if (out.has_realised) {
    out.regime = out.by_realised;
    out.reason = why_realised;
  } else {
    out.reason = "no volatility index level and too short an index history";
  }
  return out;
}

} // namespace sc::risk
