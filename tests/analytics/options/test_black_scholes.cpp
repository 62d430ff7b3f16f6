// European pricing and Greeks against an independent 50-digit evaluation of the textbook
// formulas, over a pseudo-random grid of the whole practical domain and its corners.
#include "analytics/options/black_scholes.hpp"
#include "analytics/options/normal.hpp"
#include "reference.hpp"

#include <catch2/catch.hpp>

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

using namespace sc;
using namespace sc::options;
using sc::test::rel_err;

namespace {

struct grid_point {
  double spot, strike, years, rate, div, vol;
};

/// spot/strike log-uniform in [0.2, 5], years log-uniform in [1/365, 5], vol log-uniform
/// in [0.01, 3], rate uniform in [-0.01, 0.1], dividend yield uniform in [0, 0.06].
std::vector<grid_point> random_grid(std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  auto log_uniform = [&](double lo, double hi) { return lo * std::pow(hi / lo, u(rng)); };
  std::vector<grid_point> out;
  for (std::size_t i = 0; i < n; ++i) {
    grid_point p;
    p.spot = log_uniform(20, 200);
    p.strike = p.spot / log_uniform(0.2, 5);
    p.years = log_uniform(1.0 / 365, 5);
    p.vol = log_uniform(0.01, 3);
    p.rate = -0.01 + 0.11 * u(rng);
    p.div = 0.06 * u(rng);
    out.push_back(p);
  }
  return out;
}

/// The corners: moneyness at the ends and next to the money, shortest and longest
/// expiry, lowest and highest vol, both rate extremes.
std::vector<grid_point> corner_grid() {
  std::vector<grid_point> out;
  for (double m : {0.2, 0.5, 0.9, 0.99, 0.999, 1.0, 1.001, 1.01, 1.1, 2.0, 5.0})
    for (double t : {1.0 / 365, 0.1, 5.0})
      for (double v : {0.01, 0.05, 0.3, 3.0})
        for (double r : {-0.01, 0.1})
          out.push_back({100.0, 100.0 / m, t, r, 0.03, v});
  return out;
}

struct max_errors {
  double price = 0, delta = 0, gamma = 0, vega = 0, theta = 0, rho = 0, vanna = 0,
         volga = 0, charm = 0;
  int compared = 0;
  void print(const char* what) const {
    std::printf(
        "%s (%d contracts): max rel err price %.2e delta %.2e gamma %.2e vega %.2e "
        "theta %.2e rho %.2e vanna %.2e volga %.2e charm %.2e\n",
        what, compared, price, delta, gamma, vega, theta, rho, vanna, volga, charm);
  }
};

/// Compares where the reference (or its scale) exceeds 1e-12 in absolute terms.
void check(const grid_point& p, option_type type, max_errors& m) {
  const double floor = 1e-12;
  bsm_inputs in{type, p.spot, p.strike, p.years, p.rate, p.div, p.vol};
  const greeks g = bsm_greeks(in);
  const auto ref = sc::test::reference_bsm(type == option_type::call, p.spot, p.strike,
                                           p.years, p.rate, p.div, p.vol);
  auto upd = [&](double& worst, double got, double want, double scale, const char* name) {
    if (std::fabs(scale) <= floor) return;
    const double e = rel_err(got, want, scale);
    if (e > worst) worst = e;
    if (!(e <= 1e-12)) {
      INFO(name << " " << to_string(type) << " S=" << p.spot << " K=" << p.strike
                << " T=" << p.years << " r=" << p.rate << " q=" << p.div
                << " vol=" << p.vol << " got " << got << " want " << want);
      CHECK(e <= 1e-12);
    }
  };
  upd(m.price, g.price, ref.price, ref.price, "price");
  upd(m.delta, g.delta, ref.delta, ref.delta, "delta");
  upd(m.gamma, g.gamma, ref.gamma, ref.gamma, "gamma");
  upd(m.vega, g.vega, ref.vega, ref.vega, "vega");
  upd(m.theta, g.theta, ref.theta, ref.theta_scale, "theta");
  upd(m.rho, g.rho, ref.rho, ref.rho, "rho");
  upd(m.vanna, g.vanna, ref.vanna, ref.vanna_scale, "vanna");
  upd(m.volga, g.volga, ref.volga, ref.volga_scale, "volga");
  upd(m.charm, g.charm, ref.charm, ref.charm_scale, "charm");
  ++m.compared;
}

} // namespace

TEST_CASE(
    "European price and Greeks match a 50-digit evaluation to 1e-12 on a random grid",
    "[black_scholes][precision]") {
  max_errors m;
  for (const auto& p : random_grid(3000, 20240601))
    for (auto type : {option_type::call, option_type::put})
      check(p, type, m);
  m.print("random grid");
}

TEST_CASE("European price and Greeks match a 50-digit evaluation at the domain corners",
          "[black_scholes][precision]") {
  max_errors m;
  for (const auto& p : corner_grid())
    for (auto type : {option_type::call, option_type::put})
      check(p, type, m);
  m.print("corners");
}

TEST_CASE(
    "The normalised Black function keeps full precision where the direct form cancels",
    "[black_scholes][precision]") {
  // Small s against |x|: the two terms of the direct form agree in many leading digits.
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0, 1);
  double worst = 0;
  int compared = 0;
  for (int i = 0; i < 3000; ++i) {
    const double s = 1e-4 * std::pow(1e3, u(rng));
    const double x = -s * 12 * u(rng); // h = x/s in [-12, 0]
    const double want = sc::test::reference_normalised_otm(x, s);
    if (want < 1e-290) continue;
    const double got = detail::normalised_black_otm(x, s);
    const double e = rel_err(got, want, want);
    worst = std::max(worst, e);
    ++compared;
    INFO("x=" << x << " s=" << s);
    CHECK(e <= 1e-13);
  }
  std::printf("normalised black, cancelling region (%d points): max rel err %.2e\n",
              compared, worst);
}

TEST_CASE("The small-s series is exact wherever the implied-vol steps may call it",
          "[black_scholes][precision]") {
  // The steps take the series once the target price is at most a quarter of the first
  // term, so it may be asked for somewhat beyond the cancelling region: here t/|h| up to
  // 0.3 across the backward-recurrence range h in [-38, -2], and the forward range near
  // the money.
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(0, 1);
  double worst = 0;
  int compared = 0;
  for (int i = 0; i < 4000; ++i) {
    const double a = i % 2 ? 2 + 36 * u(rng) * u(rng) : 2 * u(rng); // |h|
    const double ratio = 1e-3 * std::pow(300, u(rng));              // t / |h|
    const double t = std::max(ratio * a, 1e-6), s = 2 * t, x = -a * s;
    if (!(x < 0)) continue;
    const double want = sc::test::reference_normalised_otm(x, s);
    if (want < 1e-290) continue;
    const double got = detail::otm_series_value(x, s);
    const double e = rel_err(got, want, want);
    ++compared;
    INFO("x=" << x << " s=" << s << " h=" << -a);
    // b falls like exp(-h^2/2), so the rounding of h = x/s alone (half an ulp of h) is
    // worth h^2 eps / 2 of b: the tolerance grows with that condition number.
    const double tol = 1e-13 + 4 * a * a * DBL_EPSILON;
    worst = std::max(worst, e / tol);
    CHECK(e <= tol);
  }
  std::printf("small-s series (%d points): max rel err / tolerance %.2f\n", compared,
              worst);
}

TEST_CASE("Put-call parity holds and the normal CDF and its inverse agree in the tails",
          "[black_scholes]") {
  for (double p : {1e-300, 1e-200, 1e-100, 1e-20, 1e-8, 0.001, 0.02425, 0.1, 0.3, 0.5}) {
    const double x = inverse_norm_cdf(p);
    const auto want = sc::test::mp_cdf(sc::test::mp(x));
    CHECK(std::fabs(static_cast<double>(want) / p - 1) < 1e-14 * std::max(1.0, x * x));
  }
  CHECK(inverse_norm_cdf(0.5) == 0);
  CHECK(std::isinf(inverse_norm_cdf(0)));
  CHECK(std::isnan(inverse_norm_cdf(1.5)));
  const bsm_inputs c{option_type::call, 100, 95, 0.5, 0.03, 0.01, 0.25};
  bsm_inputs p = c;
  p.type = option_type::put;
  const double lhs = bsm_price(c) - bsm_price(p);
  const double rhs = 100 * std::exp(-0.01 * 0.5) - 95 * std::exp(-0.03 * 0.5);
  CHECK(lhs == Approx(rhs).epsilon(1e-14));
}

TEST_CASE("Degenerate and invalid European inputs give limits or NaN, never garbage",
          "[black_scholes]") {
  const greeks expired = bsm_greeks({option_type::call, 110, 100, 0.0, 0.05, 0.0, 0.2});
  CHECK(expired.price == Approx(10.0).epsilon(1e-15));
  CHECK(expired.delta == 1.0);
  CHECK(expired.gamma == 0.0);
  const greeks zero_vol = bsm_greeks({option_type::put, 90, 100, 1.0, 0.0, 0.0, 0.0});
  CHECK(zero_vol.price == Approx(10.0).epsilon(1e-14));
  CHECK(zero_vol.delta == -1.0);
  CHECK(std::isnan(bsm_greeks({option_type::call, -1, 100, 1, 0, 0, 0.2}).price));
  CHECK(std::isnan(bsm_greeks({option_type::call, 100, 100, 1, 0, 0, -0.2}).delta));
  CHECK(std::isnan(bsm_greeks({option_type::call, 100, 100, NAN, 0, 0, 0.2}).vega));
}
