#include "analytics/risk/var.hpp"

#include <Eigen/Core>
#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace sc::risk {

size_t tail_count(size_t n, double confidence) {
  if (n == 0) return 0;
  const double raw = std::ceil(static_cast<double>(n) * (1.0 - confidence) - 1e-9);
  if (!(raw >= 1)) return 1;
  return std::min(n, static_cast<size_t>(raw));
}

tail_risk historical_tail(const std::vector<double>& pnl, double confidence) {
  tail_risk out;
  out.sample_size = pnl.size();
  if (!(confidence > 0 && confidence < 1)) {
    out.error = "confidence " + std::to_string(confidence) + " is not in (0, 1)";
    return out;
  }
  if (pnl.empty()) {
    out.error = "empty P&L sample";
    return out;
  }
  for (size_t i = 0; i < pnl.size(); ++i)
    if (!std::isfinite(pnl[i])) {
      out.error = "P&L sample value " + std::to_string(i) + " is not finite";
      return out;
    }
  const size_t k = tail_count(pnl.size(), confidence);
  std::vector<double> v = pnl;
  // Only the k smallest are needed, in any order, plus the k-th itself.
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k - 1), v.end());
  const double kth = v[k - 1];
  const double sum =
      std::accumulate(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), 0.0);
  out.tail_count = k;
  out.var = -kth;
  out.cvar = -sum / static_cast<double>(k);
  return out;
}

namespace {

// The aligned scenario window: L and the series of each position's underlying.
struct window {
  size_t length = 0;
  std::vector<const std::vector<double>*> series; // per position
  std::string error;
};

window align(const std::vector<risk_position>& positions, const return_history& returns,
             int lookback) {
  window w;
  if (lookback <= 0) {
    w.error = "lookback " + std::to_string(lookback) + " must be positive";
    return w;
  }
  size_t len = static_cast<size_t>(lookback);
  for (const auto& p : positions) {
    auto it = returns.find(p.underlying_symbol());
    if (it == returns.end()) {
      w.error = "no return history for underlying " + p.underlying_symbol() +
                " (position " + p.symbol + ")";
      return w;
    }
    len = std::min(len, it->second.size());
    w.series.push_back(&it->second);
  }
  if (!positions.empty() && len == 0) {
    w.error = "empty return history";
    return w;
  }
  w.length = positions.empty() ? 0 : len;
  return w;
}

} // namespace

scenario_set portfolio_scenarios(const std::vector<risk_position>& positions,
                                 const return_history& returns, int lookback,
                                 const revaluation_options& opts) {
  scenario_set out;
  auto w = align(positions, returns, lookback);
  if (!w.error.empty()) {
    out.error = w.error;
    return out;
  }
  const size_t len = w.length;
  out.pnl.assign(len, 0.0);
  const double h = opts.roll_time ? opts.horizon_years : 0.0;
  for (size_t i = 0; i < positions.size(); ++i) {
    const auto& p = positions[i];
    const auto& r = *w.series[i];
    const size_t off = r.size() - len;
    const double units = p.quantity * p.multiplier;
    if (p.kind == asset_kind::stock) {
      for (size_t t = 0; t < len; ++t)
        out.pnl[t] += units * p.spot * r[off + t];
    } else {
      const double base = option_value(p, p.spot, p.years);
      const double later = std::max(p.years - h, 0.0);
      for (size_t t = 0; t < len; ++t)
        out.pnl[t] += units * (option_value(p, p.spot * (1 + r[off + t]), later) - base);
    }
  }
  return out;
}

tail_risk portfolio_historical_var(const std::vector<risk_position>& positions,
                                   const return_history& returns, int lookback,
                                   double confidence, const revaluation_options& opts) {
  auto s = portfolio_scenarios(positions, returns, lookback, opts);
  if (!s.ok()) {
    tail_risk out;
    out.error = s.error;
    return out;
  }
  return historical_tail(s.pnl, confidence);
}

parametric_risk parametric_var(const std::vector<risk_position>& positions,
                               const return_history& returns, int lookback,
                               double confidence) {
  parametric_risk out;
  if (!(confidence > 0 && confidence < 1)) {
    out.error = "confidence " + std::to_string(confidence) + " is not in (0, 1)";
    return out;
  }
  auto w = align(positions, returns, lookback);
  if (!w.error.empty()) {
    out.error = w.error;
    return out;
  }
  if (positions.empty()) return out;
  if (w.length < 2) {
    out.error = "need at least 2 aligned returns for a covariance, have " +
                std::to_string(w.length);
    return out;
  }
  // One column per distinct underlying, dollar delta summed over its positions.
  std::vector<const std::vector<double>*> cols;
  std::map<const std::vector<double>*, Eigen::Index> index;
  std::vector<double> dollar_delta;
  for (size_t i = 0; i < positions.size(); ++i) {
    const auto& p = positions[i];
    auto [it, fresh] = index.emplace(w.series[i], static_cast<Eigen::Index>(cols.size()));
    if (fresh) {
      cols.push_back(w.series[i]);
      dollar_delta.push_back(0);
    }
    dollar_delta[static_cast<size_t>(it->second)] +=
        p.quantity * p.multiplier * p.unit_delta() * p.spot;
  }
  const auto len = static_cast<Eigen::Index>(w.length);
  const auto m = static_cast<Eigen::Index>(cols.size());
  Eigen::MatrixXd x(len, m);
  for (Eigen::Index j = 0; j < m; ++j) {
    const auto& r = *cols[static_cast<size_t>(j)];
    const size_t off = r.size() - w.length;
    for (Eigen::Index t = 0; t < len; ++t)
      x(t, j) = r[off + static_cast<size_t>(t)];
  }
  x.rowwise() -= x.colwise().mean();
  const Eigen::MatrixXd cov = (x.transpose() * x) / static_cast<double>(len - 1);
  const Eigen::Map<const Eigen::VectorXd> d(dollar_delta.data(), m);
  const double variance = d.dot(cov * d);
  out.sigma = std::sqrt(std::max(variance, 0.0));
  const boost::math::normal_distribution<double> n01;
  const double z = boost::math::quantile(n01, confidence);
  out.var = z * out.sigma;
  out.cvar = out.sigma * boost::math::pdf(n01, z) / (1 - confidence);
  return out;
}

} // namespace sc::risk
