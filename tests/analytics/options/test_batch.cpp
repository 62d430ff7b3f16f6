// The vectorised batch kernel against the scalar path (1e-12) and against the 50-digit
// reference, including awkward lengths, degenerate inputs and cancelling prices.
#include "analytics/options/batch.hpp"
#include "analytics/options/black_scholes.hpp"
#include "reference.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

using namespace sc;
using namespace sc::options;

namespace {

struct soa {
  std::vector<option_type> type;
  std::vector<double> spot, strike, years, rate, div, vol;
  std::vector<double> price, delta, gamma, vega, theta, rho;
  explicit soa(std::size_t n)
      : type(n), spot(n), strike(n), years(n), rate(n), div(n), vol(n), price(n),
        delta(n), gamma(n), vega(n), theta(n), rho(n) {}
  void run() {
    bsm_batch(
        {type.data(), spot.data(), strike.data(), years.data(), rate.data(), div.data(),
         vol.data()},
        {price.data(), delta.data(), gamma.data(), vega.data(), theta.data(), rho.data()},
        type.size());
  }
  bsm_inputs contract(std::size_t i) const {
    return {type[i], spot[i], strike[i], years[i], rate[i], div[i], vol[i]};
  }
};

soa random_soa(std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  auto log_uniform = [&](double lo, double hi) { return lo * std::pow(hi / lo, u(rng)); };
  soa a(n);
  for (std::size_t i = 0; i < n; ++i) {
    a.type[i] = u(rng) < 0.5 ? option_type::call : option_type::put;
    a.spot[i] = log_uniform(20, 200);
    a.strike[i] = a.spot[i] / log_uniform(0.2, 5);
    a.years[i] = log_uniform(1.0 / 365, 5);
    a.vol[i] = log_uniform(0.01, 3);
    a.rate[i] = -0.01 + 0.11 * u(rng);
    a.div[i] = 0.06 * u(rng);
  }
  return a;
}

/// Theta is a sum of terms of both signs: compare on the sum of their magnitudes.
double theta_scale(const bsm_inputs& c, double vega) {
  return vega * c.vol / (2 * c.years) + c.dividend_yield * c.spot +
         std::fabs(c.rate) * c.strike;
}

double rel(double got, double want, double scale) {
  if (std::fabs(scale) <= 1e-12) return 0;
  return std::fabs(got - want) / std::fabs(scale);
}

} // namespace

TEST_CASE("The batch kernel agrees with the scalar path to 1e-12 on 20,003 contracts",
          "[batch][precision]") {
  soa a = random_soa(20003, 11); // not a multiple of the vector width: exercises the tail
  a.run();
  double worst = 0;
  for (std::size_t i = 0; i < a.type.size(); ++i) {
    const greeks g = bsm_greeks(a.contract(i));
    const double e =
        std::max({rel(a.price[i], g.price, g.price), rel(a.delta[i], g.delta, g.delta),
                  rel(a.gamma[i], g.gamma, g.gamma), rel(a.vega[i], g.vega, g.vega),
                  rel(a.theta[i], g.theta, theta_scale(a.contract(i), g.vega)),
                  rel(a.rho[i], g.rho, g.rho)});
    worst = std::max(worst, e);
    INFO("contract " << i);
    CHECK(e <= 1e-12);
  }
  std::printf("batch vs scalar (width %d): max rel diff %.2e\n", bsm_batch_width(),
              worst);
}

TEST_CASE("The batch kernel matches the 50-digit reference to 1e-12",
          "[batch][precision]") {
  soa a = random_soa(1501, 12);
  a.run();
  double worst = 0;
  for (std::size_t i = 0; i < a.type.size(); ++i) {
    const auto ref =
        sc::test::reference_bsm(a.type[i] == option_type::call, a.spot[i], a.strike[i],
                                a.years[i], a.rate[i], a.div[i], a.vol[i]);
    const double e = std::max(
        {rel(a.price[i], ref.price, ref.price), rel(a.delta[i], ref.delta, ref.delta),
         rel(a.gamma[i], ref.gamma, ref.gamma), rel(a.vega[i], ref.vega, ref.vega),
         rel(a.theta[i], ref.theta, ref.theta_scale), rel(a.rho[i], ref.rho, ref.rho)});
    worst = std::max(worst, e);
    INFO("contract " << i);
    CHECK(e <= 1e-12);
  }
  std::printf("batch vs 50-digit reference: max rel err %.2e\n", worst);
}

TEST_CASE("Degenerate and cancelling contracts in a batch take the scalar path's results",
          "[batch]") {
  soa a(11);
  for (std::size_t i = 0; i < 11; ++i) {
    a.type[i] = i % 2 ? option_type::put : option_type::call;
    a.spot[i] = 100;
    a.strike[i] = 100;
    a.years[i] = 0.5;
    a.rate[i] = 0.03;
    a.div[i] = 0.01;
    a.vol[i] = 0.2;
  }
  a.years[1] = 0;    // expired: intrinsic value
  a.vol[2] = 0;      // zero vol
  a.spot[3] = -5;    // invalid: NaN
  a.strike[4] = NAN; // invalid: NaN
  a.vol[5] = 0.0005; // near the money, tiny vol: the vector difference would cancel
  a.years[5] = 1.0 / 365;
  a.strike[6] = 100.02;
  a.vol[6] = 0.001;
  a.years[6] = 1.0 / 365;
  a.run();
  for (std::size_t i = 0; i < 11; ++i) {
    const greeks g = bsm_greeks(a.contract(i));
    INFO("contract " << i);
    if (std::isnan(g.price)) {
      CHECK(std::isnan(a.price[i]));
      CHECK(std::isnan(a.delta[i]));
    } else {
      CHECK(rel(a.price[i], g.price, g.price) <= 1e-12);
      CHECK(rel(a.delta[i], g.delta, g.delta) <= 1e-12);
      CHECK(a.gamma[i] == Approx(g.gamma).epsilon(1e-12));
    }
  }
  CHECK(a.price[1] == Approx(0.0).margin(1e-300)); // ATM call at expiry
  CHECK(std::isnan(a.price[3]));
}
