// Implied volatility: recovery of the input vol and exact round trips over large grids,
// and typed errors outside the no-arbitrage bounds.
//
// Precision criteria (double precision cannot promise more than the input carries):
//  * eps = 2^-52. The condition of the problem is kappa = eps * price / (vega * vol): the
//    relative vol change that one ulp of the input price is worth.
//  * Vol recovery: |iv - vol| / vol <= 1e-13 wherever the time value exceeds 1e-10 of
//  spot
//    and kappa <= 1e-14 (so that the input price determines the vol to better than 1e-13;
//    this holds for every out-of-the-money contract of the domain). Every other contract
//    must still satisfy |iv - vol| / vol <= 8 max(kappa, eps) (eps: one ulp of the vol).
//  * Round trip: |price(iv) - price| <= 8 (eps price + eps vega iv), i.e. the price
//    reproduced to within a few ulps of itself plus the price change of one ulp of the
//    vol.
//  * Prices below 1e-280 (near underflow) are outside these claims.
#include "analytics/options/implied_vol.hpp"

#include "reference.hpp"

#include <catch2/catch.hpp>

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <random>

using namespace sc;
using namespace sc::options;

namespace {

constexpr double eps = DBL_EPSILON;

struct stats {
  double worst_rel = 0;       // max |iv - vol| / vol where the 1e-13 criterion applies
  double worst_cond = 0;      // max |iv - vol| / vol / kappa elsewhere
  double worst_roundtrip = 0; // max |price(iv) - price| / (eps price + eps vega iv)
  long strict = 0, total = 0;
};

bsm_inputs random_contract(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  auto log_uniform = [&](double lo, double hi) { return lo * std::pow(hi / lo, u(rng)); };
  bsm_inputs c;
  c.type = u(rng) < 0.5 ? option_type::call : option_type::put;
  c.spot = log_uniform(20, 200);
  c.strike = c.spot / log_uniform(0.2, 5);
  c.years = log_uniform(1.0 / 365, 5);
  c.vol = log_uniform(0.01, 3);
  c.rate = -0.01 + 0.11 * u(rng);
  c.dividend_yield = 0.06 * u(rng);
  return c;
}

void run(const bsm_inputs& c, stats& st) {
  const greeks g = bsm_greeks(c);
  // The time value of an in-the-money option is the price of its out-of-the-money
  // counterpart (put-call parity), free of the rounding of price - intrinsic.
  bsm_inputs other = c;
  other.type = c.type == option_type::call ? option_type::put : option_type::call;
  const double forward_ratio = c.spot * std::exp(-c.dividend_yield * c.years) /
                               (c.strike * std::exp(-c.rate * c.years));
  const bool itm = c.type == option_type::call ? forward_ratio > 1 : forward_ratio < 1;
  const double time_value = itm ? bsm_price(other) : g.price;
  // Prices near the underflow threshold (below 1e-280) are outside the precision claims.
  if (!(g.price > 1e-280) || g.vega * c.vol <= 0) return;
  const iv_result res = implied_vol(c, g.price);
  // Prices whose time value vanished below the price's own rounding have no vol to find.
  if (time_value <= 8 * eps * g.price) return;
  ++st.total;
  INFO(to_string(c.type) << " S=" << c.spot << " K=" << c.strike << " T=" << c.years
                         << " r=" << c.rate << " q=" << c.dividend_yield
                         << " vol=" << c.vol << " price=" << g.price);
  REQUIRE(res.ok());
  const double rel = std::fabs(res.vol - c.vol) / c.vol;
  const double kappa = eps * g.price / (g.vega * c.vol);
  if (time_value > 1e-10 * c.spot && kappa <= 1e-14) {
    ++st.strict;
    st.worst_rel = std::max(st.worst_rel, rel);
    CHECK(rel <= 1e-13);
  } else {
    // One ulp of the vol itself is the floor of what any double result can achieve.
    const double ratio = rel / std::max(kappa, eps);
    st.worst_cond = std::max(st.worst_cond, ratio);
    CHECK(ratio <= 8);
  }
  bsm_inputs back = c;
  back.vol = res.vol;
  const double p2 = bsm_price(back);
  const double rt = std::fabs(p2 - g.price) / (eps * g.price + eps * g.vega * res.vol);
  st.worst_roundtrip = std::max(st.worst_roundtrip, rt);
  CHECK(rt <= 8);
}

} // namespace

TEST_CASE(
    "Implied vol recovers the input vol and round-trips on over 100,000 random contracts",
    "[implied_vol][precision]") {
  std::mt19937_64 rng(424242);
  stats st;
  for (int i = 0; i < 200000; ++i)
    run(random_contract(rng), st);
  std::printf(
      "implied vol (%ld contracts, %ld under the 1e-13 criterion): max rel err %.2e, "
      "max err/kappa elsewhere %.2f, max round-trip err %.2f (eps price + eps vega iv)\n",
      st.total, st.strict, st.worst_rel, st.worst_cond, st.worst_roundtrip);
  CHECK(st.total > 100000);
}

TEST_CASE("Implied vol is exact in the extreme wings and at the money",
          "[implied_vol][precision]") {
  stats st;
  for (double m : {0.2, 0.5, 0.8, 0.95, 0.999, 0.99999999, 1.0, 1.00000001, 1.001, 1.05,
                   1.25, 2.0, 5.0})
    for (double t : {1.0 / 365, 7.0 / 365, 0.25, 1.0, 5.0})
      for (double v : {0.01, 0.03, 0.1, 0.4, 1.0, 3.0})
        for (auto type : {option_type::call, option_type::put})
          run({type, 100, 100 / m, t, 0.02, 0.01, v}, st);
  std::printf("implied vol corners (%ld): max rel err %.2e, max err/kappa %.2f, round "
              "trip %.2f\n",
              st.total, st.worst_rel, st.worst_cond, st.worst_roundtrip);
}

TEST_CASE("Normalised implied vol covers many orders of magnitude of price",
          "[implied_vol][precision]") {
  // Down to prices of 1e-250 in the lower wing and up to one ulp below the maximum.
  std::mt19937_64 rng(99);
  std::uniform_real_distribution<double> u(0, 1);
  double worst = 0, worst_vs_input = 0;
  for (int i = 0; i < 20000; ++i) {
    const double x = -std::pow(10, -6 + 7 * u(rng));
    const double s = std::pow(10, -2.5 + 3.5 * u(rng));
    const double b = normalised_black(x, s, option_type::call);
    if (!(b > 1e-250) || b >= std::exp(0.5 * x)) continue;
    const iv_result r = implied_normalised_vol(b, x, option_type::call);
    REQUIRE(r.ok());
    // Measured against the exact root for the double b (the solver's own error), and
    // against the input s, which differs from that root by the rounding of b's own
    // evaluation (up to a few kappa where its two terms cancel); both within 8 kappa.
    const double root = sc::test::reference_normalised_root(x, s, b);
    const double h = x / s;
    const double vega = 0.3989422804014327 * std::exp(-0.5 * h * h - 0.125 * s * s);
    const double kappa = eps * b / (vega * s);
    const double e = std::fabs(r.vol - root) / root / std::max(kappa, eps);
    const double e_input = std::fabs(r.vol - s) / s / std::max(kappa, eps);
    worst = std::max(worst, e);
    worst_vs_input = std::max(worst_vs_input, e_input);
    INFO("x=" << x << " s=" << s << " b=" << b);
    CHECK(e <= 8);
    CHECK(e_input <= 8);
  }
  std::printf("normalised implied vol: max err / max(kappa, eps) %.2f against the exact "
              "root, %.2f against the input vol\n",
              worst, worst_vs_input);
}

TEST_CASE("Prices outside the no-arbitrage bounds give typed errors", "[implied_vol]") {
  const bsm_inputs call{option_type::call, 100, 90, 0.5, 0.02, 0.0, 0.0};
  const double intrinsic = 100 - 90 * std::exp(-0.01);
  CHECK(implied_vol(call, intrinsic - 0.01).error == iv_error::below_intrinsic);
  CHECK(implied_vol(call, 100.0).error == iv_error::above_maximum);
  CHECK(implied_vol(call, 150.0).error == iv_error::above_maximum);
  CHECK(implied_vol(call, -1.0).error == iv_error::invalid_input);
  CHECK(implied_vol(call, NAN).error == iv_error::invalid_input);
  CHECK(std::isnan(implied_vol(call, -1.0).vol));
  bsm_inputs bad = call;
  bad.years = 0;
  CHECK(implied_vol(bad, 12.0).error == iv_error::invalid_input);
  const bsm_inputs put{option_type::put, 100, 90, 0.5, 0.02, 0.0, 0.0};
  CHECK(implied_vol(put, 90 * std::exp(-0.01)).error == iv_error::above_maximum);
  CHECK(implied_vol(put, 0.0).vol == 0.0);
  CHECK(std::string(to_string(iv_error::below_intrinsic)) == "below_intrinsic");
}

TEST_CASE("The batch implied vol matches the scalar entry point", "[implied_vol]") {
  std::mt19937_64 rng(5);
  const int n = 1000;
  std::vector<option_type> type(n);
  std::vector<double> price(n), spot(n), strike(n), years(n), rate(n), div(n), vol(n);
  std::vector<iv_error> err(n);
  std::vector<bsm_inputs> cs;
  for (int i = 0; i < n; ++i) {
    bsm_inputs c = random_contract(rng);
    cs.push_back(c);
    type[i] = c.type;
    price[i] = i % 97 == 0 ? -1.0 : bsm_price(c);
    spot[i] = c.spot;
    strike[i] = c.strike;
    years[i] = c.years;
    rate[i] = c.rate;
    div[i] = c.dividend_yield;
  }
  implied_vol_batch({type.data(), price.data(), spot.data(), strike.data(), years.data(),
                     rate.data(), div.data()},
                    vol.data(), err.data(), n);
  for (int i = 0; i < n; ++i) {
    const iv_result r = implied_vol(cs[i], price[i]);
    CHECK(err[i] == r.error);
    if (r.ok()) CHECK(vol[i] == r.vol);
  }
  CHECK(err[0] == iv_error::invalid_input);
}
