#include "analytics/options/iv_surface.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace sc::options {

namespace {

bool usable(double v) {
  return std::isfinite(v) && v > 0;
}

/// Call and put IV of one strike.
struct strike_ivs {
  double call = nan;
  double put = nan;
};

} // namespace

std::vector<expiry_atm> atm_iv_by_expiry(const option_chain& chain,
                                         const std::vector<double>& iv,
                                         day_number today) {
  std::vector<expiry_atm> out;
  if (!(chain.spot > 0) || !std::isfinite(chain.spot)) return out;
  const double r = std::isfinite(chain.rate) ? chain.rate : 0.0;
  const double q = std::isfinite(chain.dividend_yield) ? chain.dividend_yield : 0.0;

  // expiry -> strike -> (call, put) IV; ordered maps give nearest expiry and strike
  // first.
  std::map<day_number, std::map<double, strike_ivs>> grid;
  for (size_t i = 0; i < chain.contracts.size() && i < iv.size(); ++i) {
    const auto& c = chain.contracts[i];
    if (c.expiry <= today || !usable(iv[i]) || !usable(c.strike)) continue;
    auto& s = grid[c.expiry][c.strike];
    (c.type == option_type::call ? s.call : s.put) = iv[i];
  }

  for (const auto& [expiry, strikes] : grid) {
    expiry_atm e;
    e.expiry = expiry;
    e.years = (expiry - today) / 365.0;
    e.forward = chain.spot * std::exp((r - q) * e.years);
    // One IV per strike: OTM side first, the other side as a fallback.
    std::vector<std::pair<double, double>> smile;
    for (const auto& [k, s] : strikes) {
      const bool call_otm = k >= e.forward;
      double v = call_otm ? s.call : s.put;
      if (!usable(v)) v = call_otm ? s.put : s.call;
      if (usable(v)) smile.emplace_back(k, v);
    }
    if (smile.empty()) continue;
    const double f = e.forward;
    auto hi = std::lower_bound(smile.begin(), smile.end(), f,
                               [](const auto& p, double x) { return p.first < x; });
    if (hi == smile.end()) {
      e.atm_iv = smile.back().second;
      e.extrapolated = true;
    } else if (hi->first == f) {
      e.atm_iv = hi->second;
    } else if (hi == smile.begin()) {
      e.atm_iv = smile.front().second;
      e.extrapolated = true;
    } else {
      auto lo = std::prev(hi);
      const double t = (f - lo->first) / (hi->first - lo->first);
      e.atm_iv = lo->second + t * (hi->second - lo->second);
    }
    out.push_back(e);
  }
  return out;
}

double constant_maturity_iv(const std::vector<expiry_atm>& atm, double target_years) {
  std::vector<const expiry_atm*> pts;
  for (const auto& e : atm)
    if (e.years > 0 && usable(e.atm_iv)) pts.push_back(&e);
  if (pts.empty() || !(target_years > 0)) return nan;
  std::sort(pts.begin(), pts.end(),
            [](const expiry_atm* a, const expiry_atm* b) { return a->years < b->years; });
  if (target_years <= pts.front()->years) return pts.front()->atm_iv;
  if (target_years >= pts.back()->years) return pts.back()->atm_iv;
  for (size_t i = 1; i < pts.size(); ++i) {
    const expiry_atm& a = *pts[i - 1];
    const expiry_atm& b = *pts[i];
    if (target_years <= b.years) {
      const double wa = a.atm_iv * a.atm_iv * a.years;
      const double wb = b.atm_iv * b.atm_iv * b.years;
      const double t = (target_years - a.years) / (b.years - a.years);
      const double w = wa + t * (wb - wa);
      return std::sqrt(std::max(w, 0.0) / target_years);
    }
  }
  return pts.back()->atm_iv; // unreachable: the target is inside the range
}

iv30_result iv30(const option_chain& chain, const std::vector<double>& iv,
                 day_number today, int target_days) {
  iv30_result out;
  if (!(chain.spot > 0) || !std::isfinite(chain.spot)) {
    out.error = "chain of " + chain.underlying + " has no valid spot price";
    return out;
  }
  if (iv.size() != chain.contracts.size()) {
    out.error = "chain of " + chain.underlying + ": " + std::to_string(iv.size()) +
                " IVs given for " + std::to_string(chain.contracts.size()) + " contracts";
    return out;
  }
  out.expiries = atm_iv_by_expiry(chain, iv, today);
  if (out.expiries.empty()) {
    out.error =
        "chain of " + chain.underlying + " has no unexpired contract with a positive IV";
    return out;
  }
  out.iv30 = constant_maturity_iv(out.expiries, target_days / 365.0);
  if (!std::isfinite(out.iv30))
    out.error = "chain of " + chain.underlying + ": no ATM IV could be interpolated";
  return out;
}

} // namespace sc::options
