#include "analytics/risk/exposure.hpp"
#include "analytics/risk/correlation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace sc::risk {

namespace {

void add(position_greeks& into, const position_greeks& g) {
  into.delta_shares += g.delta_shares;
  into.delta_dollars += g.delta_dollars;
  into.gamma += g.gamma;
  into.vega += g.vega;
  into.vega_per_point += g.vega_per_point;
  into.theta_year += g.theta_year;
  into.theta_day += g.theta_day;
  into.market_value += g.market_value;
}

} // namespace

position_greeks greeks_of(const risk_position& p) {
  position_greeks g;
  g.symbol = p.symbol;
  const double units = p.quantity * p.multiplier;
  g.delta_shares = units * p.unit_delta();
  g.delta_dollars = g.delta_shares * p.spot;
  g.market_value = units * p.price;
  if (p.kind == asset_kind::option) {
    g.gamma = units * p.gamma;
    g.vega = units * p.vega;
    g.vega_per_point = g.vega / 100;
    g.theta_year = units * p.theta;
    g.theta_day = g.theta_year / 365;
  }
  return g;
}

portfolio_greeks aggregate_greeks(const std::vector<risk_position>& positions) {
  portfolio_greeks out;
  for (const auto& p : positions) {
    auto g = greeks_of(p);
    auto& u = out.by_underlying[p.underlying_symbol()];
    u.symbol = p.underlying_symbol();
    add(u, g);
    add(out.total, g);
    out.positions.push_back(std::move(g));
  }
  return out;
}

sector_exposure sector_concentration(const std::vector<risk_position>& positions,
                                     double equity) {
  sector_exposure out;
  for (const auto& p : positions) {
    const double v = p.gross_value();
    out.value[p.sector.empty() ? "Unknown" : p.sector] += v;
    out.gross += v;
  }
  for (const auto& [s, v] : out.value) {
    out.fraction[s] = equity > 0 ? v / equity : std::numeric_limits<double>::quiet_NaN();
    if (out.gross > 0) out.herfindahl += (v / out.gross) * (v / out.gross);
  }
  return out;
}

double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  const size_t n = std::min(a.size(), b.size());
  if (n < 2) return std::numeric_limits<double>::quiet_NaN();
  const size_t oa = a.size() - n, ob = b.size() - n;
  double ma = 0, mb = 0;
  for (size_t i = 0; i < n; ++i) {
    ma += a[oa + i];
    mb += b[ob + i];
  }
  ma /= static_cast<double>(n);
  mb /= static_cast<double>(n);
  double sab = 0, saa = 0, sbb = 0;
  for (size_t i = 0; i < n; ++i) {
    const double x = a[oa + i] - ma, y = b[ob + i] - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  if (!(saa > 0 && sbb > 0)) return std::numeric_limits<double>::quiet_NaN();
  return sab / std::sqrt(saa * sbb);
}

correlation_hit max_correlation(const std::string& candidate_underlying,
                                const std::vector<double>& candidate_returns,
                                const std::vector<risk_position>& holdings,
                                const std::map<std::string, std::vector<double>>& returns,
                                int lookback) {
  correlation_hit hit;
  hit.value = std::numeric_limits<double>::quiet_NaN();
  const size_t lb = lookback > 0 ? static_cast<size_t>(lookback) : 0;
  auto tail = [lb](const std::vector<double>& v) {
    const size_t n = std::min(v.size(), lb);
    return std::vector<double>(v.end() - static_cast<std::ptrdiff_t>(n), v.end());
  };
  const auto cand = tail(candidate_returns);
  for (const auto& h : holdings) {
    const auto& u = h.underlying_symbol();
    if (u == candidate_underlying) continue;
    auto it = returns.find(u);
    if (it == returns.end()) continue;
    const double c = pearson(cand, tail(it->second));
    if (std::isnan(c)) continue;
    if (std::isnan(hit.value) || c > hit.value) {
      hit.value = c;
      hit.underlying = u;
    }
  }
  return hit;
}

Eigen::MatrixXd correlation_matrix(const std::vector<std::vector<double>>& series) {
  const auto m = static_cast<Eigen::Index>(series.size());
  if (m == 0) return {};
  size_t n = series.front().size();
  for (const auto& s : series)
    n = std::min(n, s.size());
  const double qnan = std::numeric_limits<double>::quiet_NaN();
  if (n < 2) return Eigen::MatrixXd::Constant(m, m, qnan);
  Eigen::MatrixXd x(static_cast<Eigen::Index>(n), m);
  for (Eigen::Index j = 0; j < m; ++j) {
    const auto& s = series[static_cast<size_t>(j)];
    const size_t off = s.size() - n;
    for (size_t t = 0; t < n; ++t)
      x(static_cast<Eigen::Index>(t), j) = s[off + t];
  }
  x.rowwise() -= x.colwise().mean();
  const Eigen::MatrixXd cross = x.transpose() * x;
  const Eigen::VectorXd sd = cross.diagonal().cwiseSqrt();
  Eigen::MatrixXd c(m, m);
  for (Eigen::Index i = 0; i < m; ++i)
    for (Eigen::Index j = 0; j < m; ++j)
      c(i, j) = (sd(i) > 0 && sd(j) > 0) ? cross(i, j) / (sd(i) * sd(j)) : qnan;
  for (Eigen::Index i = 0; i < m; ++i)
    if (sd(i) > 0) c(i, i) = 1;
  return c;
}

} // namespace sc::risk
