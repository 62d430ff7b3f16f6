// American exercise: the Leisen-Reimer tree converges (and prices Europeans like the
// closed form), Bjerksund-Stensland stays within 1e-3 of strike of a 5001-step tree,
// finite-difference Greeks agree with the closed form where no early exercise pays,
// and American implied vols round-trip.
#include "analytics/options/american.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <random>

using namespace sc;
using namespace sc::options;

TEST_CASE("The binomial tree converges as the step count doubles", "[american]") {
  const bsm_inputs cases[] = {{option_type::put, 100, 110, 1.0, 0.06, 0.01, 0.3},
                              {option_type::call, 42, 40, 0.75, 0.04, 0.08, 0.35},
                              {option_type::put, 100, 80, 0.25, 0.03, 0.0, 0.5}};
  for (const auto& c : cases) {
    double prev_diff = 1e9, prev = binomial_price(c, 251);
    for (int n : {501, 1001, 2001, 4001}) {
      const double p = binomial_price(c, n);
      const double diff = std::fabs(p - prev);
      INFO(to_string(c.type) << " K=" << c.strike << " steps " << n << " diff " << diff);
      CHECK(diff < prev_diff * 0.9); // successive changes shrink
      prev_diff = diff;
      prev = p;
    }
    CHECK(prev_diff < 1e-4 * c.strike);
  }
}

TEST_CASE("The binomial tree prices European exercise like the closed form", "[american]") {
  for (auto type : {option_type::call, option_type::put})
    for (double k : {80.0, 100.0, 125.0}) {
      const bsm_inputs c{type, 100, k, 0.8, 0.05, 0.02, 0.3};
      // Hand-checked Black-Scholes-Merton closed form (d1, d2 written out here).
      const double s = 0.3 * std::sqrt(0.8);
      const double d1 = (std::log(100 / k) + (0.05 - 0.02) * 0.8) / s + 0.5 * s, d2 = d1 - s;
      const auto cdf = [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); };
      const double call = 100 * std::exp(-0.016) * cdf(d1) - k * std::exp(-0.04) * cdf(d2);
      const double want = type == option_type::call ? call : call - 100 * std::exp(-0.016) + k * std::exp(-0.04);
      CHECK(binomial_price(c, 2001, exercise_style::european) == Approx(want).margin(2e-6 * k));
    }
}

TEST_CASE("Bjerksund-Stensland is within 1e-3 of strike of a 5001-step tree", "[american]") {
  // Domain: spot/strike 0.8-1.25, expiry up to one year, vol 0.1-0.5, rate 0-10%,
  // dividend yield 0-6%, calls and puts.
  std::mt19937_64 rng(2002);
  std::uniform_real_distribution<double> u(0, 1);
  double worst = 0;
  for (int i = 0; i < 80; ++i) {
    const bsm_inputs c{u(rng) < 0.5 ? option_type::call : option_type::put, 100,
                       100 / (0.8 + 0.45 * u(rng)), 1.0 / 365 + u(rng), 0.1 * u(rng),
                       0.06 * u(rng), 0.1 + 0.4 * u(rng)};
    const double approx = bjerksund_stensland_price(c);
    const double tree = binomial_price(c, 5001);
    const double err = std::fabs(approx - tree) / c.strike;
    worst = std::max(worst, err);
    INFO(to_string(c.type) << " K=" << c.strike << " T=" << c.years << " r=" << c.rate
                           << " q=" << c.dividend_yield << " vol=" << c.vol << " bs2002=" << approx
                           << " tree=" << tree);
    CHECK(err <= 1e-3);
    CHECK(approx >= bsm_price(c) - 1e-12); // never below the European value
  }
  std::printf("Bjerksund-Stensland vs 5001-step tree: max |diff| / strike %.2e\n", worst);
}

TEST_CASE("A call without dividends is priced and hedged like a European one", "[american]") {
  const bsm_inputs c{option_type::call, 100, 105, 0.5, 0.04, 0.0, 0.25};
  const greeks e = bsm_greeks(c), a = american_greeks(c);
  CHECK(a.price == Approx(e.price).epsilon(1e-14));
  CHECK(a.delta == Approx(e.delta).epsilon(1e-6));
  CHECK(a.gamma == Approx(e.gamma).epsilon(1e-4));
  CHECK(a.vega == Approx(e.vega).epsilon(1e-6));
  CHECK(a.theta == Approx(e.theta).epsilon(1e-5));
  CHECK(a.rho == Approx(e.rho).epsilon(1e-6));
  CHECK(a.vanna == Approx(e.vanna).epsilon(1e-4));
}

TEST_CASE("American Greeks behave: deep in-the-money puts are exercised", "[american]") {
  const bsm_inputs deep{option_type::put, 50, 100, 1.0, 0.05, 0.0, 0.2};
  const greeks g = american_greeks(deep);
  CHECK(g.price == Approx(50.0).margin(1e-12)); // exercise value
  CHECK(g.delta == Approx(-1.0).margin(1e-9));
  const greeks atm = american_greeks({option_type::put, 100, 100, 1.0, 0.05, 0.0, 0.2});
  CHECK(atm.delta < 0);
  CHECK(atm.gamma > 0);
  CHECK(atm.vega > 0);
  CHECK(atm.theta < 0);
  CHECK(atm.rho < 0);
}

TEST_CASE("American implied vol round-trips and refuses impossible prices", "[american]") {
  for (auto type : {option_type::call, option_type::put})
    for (double k : {85.0, 100.0, 115.0})
      for (double v : {0.1, 0.3, 0.8}) {
        const bsm_inputs c{type, 100, k, 0.6, 0.05, 0.03, v};
        const double p = bjerksund_stensland_price(c);
        const iv_result r = american_implied_vol(c, p);
        INFO(to_string(type) << " K=" << k << " vol=" << v);
        REQUIRE(r.ok());
        bsm_inputs back = c;
        back.vol = r.vol;
        CHECK(bjerksund_stensland_price(back) == Approx(p).margin(1e-10 * k));
        // Where the price is the exercise value for a range of vols (deep in the money,
        // low vol) the vol is not determined; elsewhere it must come back.
        if (american_greeks(c).vega > 1e-3) CHECK(r.vol == Approx(v).epsilon(1e-9));
      }
  const bsm_inputs put{option_type::put, 80, 100, 0.5, 0.05, 0.0, 0.0};
  CHECK(american_implied_vol(put, 19.0).error == iv_error::below_intrinsic);
  CHECK(american_implied_vol(put, 100.0).error == iv_error::above_maximum);
  CHECK(american_implied_vol(put, -1.0).error == iv_error::invalid_input);
}
