#include "analytics/risk/stats.hpp"

#include <cmath>
#include <limits>

namespace sc::risk {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
} // namespace

std::vector<double> simple_returns(const std::vector<double>& equity) {
  std::vector<double> out;
  if (equity.size() < 2) return out;
  out.reserve(equity.size() - 1);
  for (size_t t = 1; t < equity.size(); ++t)
    out.push_back(equity[t - 1] > 0 ? equity[t] / equity[t - 1] - 1 : nan);
  return out;
}

double sharpe_ratio(const std::vector<double>& returns, double risk_free_annual,
                    int periods_per_year) {
  const size_t n = returns.size();
  if (n < 2 || periods_per_year <= 0) return nan;
  const double rf = risk_free_annual / periods_per_year;
  double mean = 0;
  for (double r : returns)
    mean += r - rf;
  mean /= static_cast<double>(n);
  double ss = 0;
  for (double r : returns)
    ss += (r - rf - mean) * (r - rf - mean);
  const double sd = std::sqrt(ss / static_cast<double>(n - 1));
  if (!(sd > 0)) return nan;
  return mean / sd * std::sqrt(static_cast<double>(periods_per_year));
}

double sortino_ratio(const std::vector<double>& returns, double risk_free_annual,
                     int periods_per_year) {
  const size_t n = returns.size();
  if (n < 2 || periods_per_year <= 0) return nan;
  const double rf = risk_free_annual / periods_per_year;
  double mean = 0, down = 0;
  for (double r : returns) {
    const double x = r - rf;
    mean += x;
    if (x < 0) down += x * x;
  }
  mean /= static_cast<double>(n);
  const double dd = std::sqrt(down / static_cast<double>(n));
  if (!(dd > 0)) return nan;
  return mean / dd * std::sqrt(static_cast<double>(periods_per_year));
}

drawdown_info drawdowns(const std::vector<double>& equity) {
  drawdown_info out;
  if (equity.empty()) return out;
  size_t peak = 0;
  for (size_t t = 0; t < equity.size(); ++t) {
    if (equity[t] >= equity[peak]) peak = t;
    const double depth = equity[peak] > 0 ? (equity[peak] - equity[t]) / equity[peak] : 0;
    if (depth > out.max_depth) {
      out.max_depth = depth;
      out.peak = peak;
      out.trough = t;
    }
  }
  out.current_peak = peak;
  const double top = equity[peak];
  out.current_depth = top > 0 ? (top - equity.back()) / top : 0;
  const size_t last = equity.size() - 1;
  out.duration = last - out.peak;
  if (out.max_depth > 0) {
    for (size_t t = out.trough + 1; t < equity.size(); ++t)
      if (equity[t] >= equity[out.peak]) {
        out.recovered = true;
        out.recovery = t;
        out.duration = t - out.peak;
        break;
      }
  } else {
    out.duration = 0;
  }
  return out;
}

} // namespace sc::risk
