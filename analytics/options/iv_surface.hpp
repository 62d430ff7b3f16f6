// At-the-money implied vol per expiry and the 30-day constant-maturity ATM IV (iv30) of
// one chain. Pure C++, no CAF.
//
// Method:
// 1. Per expiry, with T = (expiry - today) / 365 (expiry at the close, as in
//    contract_analysis.hpp) and the forward F = S e^{(r-q)T}, each strike gets one IV:
//    the out-of-the-money side's (put below F, call at or above F), or the other side's
//    when the OTM one is missing. The ATM IV is linear in strike between the two strikes
//    that bracket F; F outside the quoted strikes takes the nearest strike's IV
//    (flagged).
// 2. Total variance w(T) = sigma_atm^2 T is linear in T between the two expiries that
//    bracket the target (30/365); iv30 = sqrt(w / T_target). Outside the quoted
//    expiries the vol is held flat (the nearest expiry's ATM IV, not its variance).
//    Expiries with T <= 0 (expiring today) are ignored.
#pragma once

#include "messages/data.hpp"

#include <string>
#include <vector>

namespace sc::options {

/// ATM IV of one expiry.
struct expiry_atm {
  day_number expiry = 0;
  double years = nan;
  double forward = nan;
  double atm_iv = nan;
  bool extrapolated = false; ///< F was outside the strikes with an IV.
};

/// The constant-maturity value and how it was obtained.
struct iv30_result {
  double iv30 = nan;
  std::vector<expiry_atm> expiries; ///< Per expiry with an ATM IV, nearest first.
  std::string error; ///< Non-empty (and iv30 NaN) when none could be computed.

  bool ok() const noexcept { return error.empty(); }
};

/// ATM IV per expiry. `iv` is parallel to chain.contracts (NaN or <= 0 = no IV).
std::vector<expiry_atm> atm_iv_by_expiry(const option_chain& chain,
                                         const std::vector<double>& iv, day_number today);

/// Interpolates the ATM term structure in total variance at `target_years`
/// (see the file comment). NaN when `atm` has no usable expiry.
double constant_maturity_iv(const std::vector<expiry_atm>& atm, double target_years);

/// Both steps with a 30-calendar-day target.
iv30_result iv30(const option_chain& chain, const std::vector<double>& iv,
                 day_number today, int target_days = 30);

} // namespace sc::options
