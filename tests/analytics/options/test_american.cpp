// American exercise: the Leisen-Reimer tree converges (and prices Europeans like the
// closed form); the boundary method (american_price) stays within 1e-3 of strike of a
// converged 5001-step tree over the whole domain (the measured gap is far smaller) and
// its default scheme is within 1e-6 of strike of a much finer one; Bjerksund-Stensland
// reproduces published values and meets 1e-3 of strike where its flat boundaries allow
// (measured errors elsewhere below); finite-difference Greeks agree with the closed form
// where no early exercise pays; American implied vols round-trip.
#include "analytics/options/american.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
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

TEST_CASE("The binomial tree prices European exercise like the closed form",
          "[american]") {
  for (auto type : {option_type::call, option_type::put})
    for (double k : {80.0, 100.0, 125.0}) {
      const bsm_inputs c{type, 100, k, 0.8, 0.05, 0.02, 0.3};
      // Hand-checked Black-Scholes-Merton closed form (d1, d2 written out here).
      const double s = 0.3 * std::sqrt(0.8);
      const double d1 = (std::log(100 / k) + (0.05 - 0.02) * 0.8) / s + 0.5 * s,
                   d2 = d1 - s;
      const auto cdf = [](double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); };
      const double call =
          100 * std::exp(-0.016) * cdf(d1) - k * std::exp(-0.04) * cdf(d2);
      const double want = type == option_type::call
                              ? call
                              : call - 100 * std::exp(-0.016) + k * std::exp(-0.04);
      CHECK(binomial_price(c, 2001, exercise_style::european) ==
            Approx(want).margin(2e-6 * k));
    }
}

TEST_CASE("Bjerksund-Stensland 2002 reproduces published values", "[american]") {
  // Haug, The Complete Guide to Option Pricing Formulas (2nd ed.), table 3-2: the 2002
  // two-step approximation for options on futures (b = 0), K = 100, r = 0.1, to 4
  // decimals.
  struct row {
    double t, vol, f, call, put;
  };
  const row haug[] = {
      {0.1, 0.15, 90, 0.0205, 10.0000},  {0.1, 0.15, 100, 1.8757, 1.8757},
      {0.1, 0.15, 110, 10.0000, 0.0408}, {0.1, 0.25, 90, 0.3151, 10.2280},
      {0.1, 0.25, 100, 3.1256, 3.1256},  {0.1, 0.25, 110, 10.3725, 0.4552},
      {0.1, 0.35, 90, 0.9479, 10.8663},  {0.1, 0.35, 100, 4.3746, 4.3746},
      {0.1, 0.35, 110, 11.1578, 1.2383}, {0.5, 0.15, 90, 0.8099, 10.5400},
      {0.5, 0.15, 100, 4.0628, 4.0628},  {0.5, 0.15, 110, 10.7898, 1.0689},
      {0.5, 0.25, 90, 2.7180, 12.4097},  {0.5, 0.25, 100, 6.7661, 6.7661},
      {0.5, 0.25, 110, 12.9814, 3.2932}, {0.5, 0.35, 90, 4.9665, 14.6445},
      {0.5, 0.35, 100, 9.4608, 9.4608},  {0.5, 0.35, 110, 15.5137, 5.8374}};
  for (const auto& h : haug) {
    INFO("T=" << h.t << " vol=" << h.vol << " F=" << h.f);
    // Cost of carry b = r - q = 0: dividend yield equal to the rate.
    CHECK(bjerksund_stensland_price({option_type::call, h.f, 100, h.t, 0.1, 0.1,
                                     h.vol}) == Approx(h.call).margin(0.5e-4));
    CHECK(bjerksund_stensland_price({option_type::put, h.f, 100, h.t, 0.1, 0.1, h.vol}) ==
          Approx(h.put).margin(0.5e-4));
  }
  // A documented library example of the 2002 method with b < 0: call, S = 110, K = 100,
  // T = 0.25, r = 0.08, q = 0.12, vol = 0.2 -> 10.3340.
  CHECK(bjerksund_stensland_price({option_type::call, 110, 100, 0.25, 0.08, 0.12, 0.2}) ==
        Approx(10.3340).margin(0.5e-4));
}

TEST_CASE("The bivariate normal CDF matches direct numerical integration", "[american]") {
  // Independent reference: M(a, b, rho) = integral_{-inf}^{a} pdf(x) N((b - rho x) /
  // sqrt(1 - rho^2)) dx by composite Simpson in long double over [a - 40, a] (the pdf is
  // below 1e-300 beyond), with one Richardson step (h and h/2) to take it to O(h^6).
  const auto simpson = [](double a, double b, double rho, int n) {
    const long double s = std::sqrt(1.0L - (long double)rho * rho);
    const long double lo = a - 40.0L, h = (a - lo) / n;
    long double sum = 0;
    for (int i = 0; i <= n; ++i) {
      const long double x = lo + i * h;
      const long double f = std::exp(-0.5L * x * x) /
                            std::sqrt(2 * 3.14159265358979323846L) * 0.5L *
                            std::erfc(-(b - rho * x) / (s * std::sqrt(2.0L)));
      sum += f * (i == 0 || i == n ? 1 : (i % 2 ? 4 : 2));
    }
    return sum * h / 3;
  };
  const auto reference = [&](double a, double b, double rho) {
    return (double)((16 * simpson(a, b, rho, 40000) - simpson(a, b, rho, 20000)) / 15);
  };
  double worst = 0;
  for (double rho : {-0.9, -0.786, -0.5, 0.0, 0.3, 0.786, 0.9})
    for (double a : {-7.0, -3.0, -1.0, -0.2, 0.0, 0.5, 1.5, 4.0})
      for (double b : {-6.0, -2.5, -0.7, 0.0, 0.4, 2.0, 5.0}) {
        const double got = detail::bivariate_normal_cdf(a, b, rho),
                     want = reference(a, b, rho);
        INFO("a=" << a << " b=" << b << " rho=" << rho << " got " << got << " want "
                  << want);
        // Measured: below 1e-16 absolute for every rho; relative 5e-15 for rho = 0.786
        // and 1e-12 for rho = 0.9. For rho < 0 the error is absolute only (the two parts
        // of the formula cancel), which the pricer accounts for by its amplification
        // guard.
        CHECK(std::fabs(got - want) < 3e-16);
        if (rho > 0 && want > 1e-300) CHECK(std::fabs(got - want) <= 5e-12 * want);
        worst = std::max(worst, std::fabs(got - want));
      }
  std::printf("bivariate normal CDF vs integration: max abs error %.2e\n", worst);
}

namespace {

enum class method { bjerksund_stensland, boundary };

/// Worst |approximation - tree(5001)| / strike over random contracts (r from -0.01 to
/// 0.1, q from 0 to 0.05, calls and puts), checking that the tree has converged (5001 vs
/// 2501 steps) and that no price is below the European value.
double worst_vs_tree(std::uint64_t seed, int count, double m_lo, double m_hi,
                     double t_max, double vol_lo, double vol_hi, double tolerance,
                     method how = method::bjerksund_stensland) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  double worst = 0;
  for (int i = 0; i < count; ++i) {
    const double m = m_lo * std::pow(m_hi / m_lo, u(rng));
    const double t = 1.0 / 365 * std::pow(t_max * 365, u(rng));
    const double vol = vol_lo * std::pow(vol_hi / vol_lo, u(rng));
    const bsm_inputs c{u(rng) < 0.5 ? option_type::call : option_type::put,
                       100 * m,
                       100,
                       t,
                       -0.01 + 0.11 * u(rng),
                       0.05 * u(rng),
                       vol};
    const double approx =
        how == method::boundary ? american_price(c) : bjerksund_stensland_price(c);
    const double tree = binomial_price(c, 5001), coarse = binomial_price(c, 2501);
    const double err = std::fabs(approx - tree) / c.strike;
    worst = std::max(worst, err);
    INFO(to_string(c.type) << " S=" << c.spot << " T=" << c.years << " r=" << c.rate
                           << " q=" << c.dividend_yield << " vol=" << c.vol
                           << " approx=" << approx << " tree=" << tree);
    CHECK(std::fabs(tree - coarse) <
          1e-4 * c.strike); // the reference itself has converged
    CHECK(err <= tolerance);
    CHECK(approx >= bsm_price(c) - 1e-12); // never below the European value
  }
  return worst;
}

} // namespace

// Measured worst |BS2002 - tree(5001)| / K (1500 random contracts each, r in [-0.01,
// 0.1], q in [0, 0.05], calls and puts; the formula was checked to value its own two-step
// exercise strategy exactly, so these are the method's error, not the implementation's):
//   spot/strike 0.5-2, T <= 2 y:   vol <= 0.3: 7.0e-4;  vol 0.3-0.5: 4.1e-3;  vol
//   0.5-1: 1.7e-2 spot/strike 0.2-5, T <= 5 y:   vol <= 0.3, T <= 2: 4.3e-4;  vol <= 0.3,
//   T 2-5: 1.4e-3;
//                                  vol 0.3-0.5: 7.3e-3;  vol 0.5-1: 8.4e-2;  vol
//                                  1-3: 2.3e-1
// The error grows with vol^2 T and with moneyness deep in the money (the flat triggers
// sit far below the optimal boundary). 1e-3 of strike holds where asserted below.
TEST_CASE(
    "Bjerksund-Stensland is within 1e-3 of strike of a converged tree where the method "
    "allows",
    "[american]") {
  // Vol up to 0.3, expiry up to 2 years, spot/strike 0.2-5 (wide) and 0.5-2 (listed).
  const double wide = worst_vs_tree(2002, 60, 0.2, 5, 2, 0.01, 0.3, 1e-3);
  const double listed = worst_vs_tree(2003, 60, 0.5, 2, 2, 0.01, 0.3, 1e-3);
  // Near the money, short-dated: vol up to 0.5 for spot/strike 0.8-1.25, T <= 1 y.
  const double near = worst_vs_tree(2004, 60, 0.8, 1.25, 1, 0.1, 0.5, 1e-3);
  std::printf(
      "Bjerksund-Stensland vs 5001-step tree: max |diff| / strike %.2e %.2e %.2e\n", wide,
      listed, near);
}

TEST_CASE(
    "Bjerksund-Stensland's own error beyond that domain stays a bounded lower bound",
    "[american]") {
  // Long-dated, high-vol contracts: the method's error reaches several percent of strike;
  // it must stay finite, a lower bound of the tree (the feasible-strategy property, up to
  // the tree's own error) and at or above the European value.
  const double worst = worst_vs_tree(2005, 40, 0.2, 5, 5, 0.3, 3, 0.3);
  std::printf(
      "Bjerksund-Stensland vs tree, vol 0.3-3, T <= 5: max |diff| / strike %.2e\n",
      worst);
}

TEST_CASE("The boundary method is within 1e-3 of strike of a converged tree everywhere",
          "[american]") {
  // The whole domain of the European acceptance (spot/strike 0.2-5, T 1 day to 5 y, vol
  // 0.01-3) and the listed range (0.5-2, T <= 2 y, vol 0.05-1.5). Asserted at 2e-5 of
  // strike, fifty times inside the requirement; the measured gap (about 5e-6) is of the
  // size of the tree's own remaining error.
  const double wide = worst_vs_tree(3001, 80, 0.2, 5, 5, 0.01, 3, 2e-5, method::boundary);
  const double listed =
      worst_vs_tree(3002, 60, 0.5, 2, 2, 0.05, 1.5, 2e-5, method::boundary);
  std::printf("boundary method vs 5001-step tree: max |diff| / strike %.2e (wide) %.2e "
              "(listed)\n",
              wide, listed);
}

TEST_CASE("The boundary method's default scheme is within 1e-6 of strike of a fine one",
          "[american]") {
  // The fine scheme has 3x the nodes, 4x the points and twice the iterations; its own
  // distance to a finer one still is reported. Random contracts over spot/strike 0.2-5,
  // T 1 day-5 y, vol 0.01-3, r 0.001-0.1, q 0-0.1, calls and puts.
  const american_boundary_scheme fine{32, 48, 12, 128}, finer{48, 64, 16, 192};
  std::mt19937_64 rng(4242);
  std::uniform_real_distribution<double> u(0, 1);
  double worst = 0, worst_fine = 0;
  for (int i = 0; i < 400; ++i) {
    const bsm_inputs c{u(rng) < 0.5 ? option_type::call : option_type::put,
                       100 * 0.2 * std::pow(25.0, u(rng)),
                       100,
                       1.0 / 365 * std::pow(5 * 365.0, u(rng)),
                       0.001 + 0.099 * u(rng),
                       u(rng) < 0.3 ? 0.0 : 0.1 * u(rng),
                       0.01 * std::pow(300.0, u(rng))};
    const double a = american_price(c), b = american_boundary_price(c, fine),
                 d = american_boundary_price(c, finer);
    INFO(to_string(c.type) << " S=" << c.spot << " T=" << c.years << " r=" << c.rate
                           << " q=" << c.dividend_yield << " vol=" << c.vol
                           << " default=" << a << " fine=" << b << " finer=" << d);
    REQUIRE(std::isfinite(a));
    CHECK(std::fabs(a - b) <= 1e-6 * c.strike);
    CHECK(std::fabs(b - d) <= 1e-6 * c.strike);
    worst = std::max(worst, std::fabs(a - b) / c.strike);
    worst_fine = std::max(worst_fine, std::fabs(b - d) / c.strike);
  }
  std::printf(
      "boundary method, default vs fine scheme: max |diff| / strike %.2e; fine vs "
      "finer %.2e\n",
      worst, worst_fine);
}

TEST_CASE("The boundary method exercises below the boundary and is European where "
          "exercise never pays",
          "[american]") {
  // Deep in the money with r > 0: exercise now, value K - S exactly.
  const bsm_inputs deep{option_type::put, 40, 100, 1.0, 0.05, 0.0, 0.2};
  CHECK(american_price(deep) == 60.0);
  // Call, q > 0 deep in the money: exercise (put-space strike is the spot).
  const bsm_inputs call{option_type::call, 300, 100, 0.5, 0.02, 0.08, 0.2};
  CHECK(american_price(call) == 200.0);
  // A put with r <= 0 <= q, a call with q <= 0 <= r: never exercised early.
  for (const bsm_inputs& c :
       {bsm_inputs{option_type::put, 90, 100, 1.0, -0.005, 0.01, 0.3},
        bsm_inputs{option_type::call, 110, 100, 1.0, 0.03, -0.01, 0.3}})
    CHECK(american_price(c) == bsm_price(c));
  // The double-boundary case (q < r <= 0) goes to the tree.
  const bsm_inputs twin{option_type::put, 95, 100, 1.0, -0.005, -0.02, 0.2};
  CHECK(american_price(twin) == std::max(binomial_price(twin, 1001), bsm_price(twin)));
  CHECK(std::isnan(american_price({option_type::put, -1, 100, 1, 0.05, 0, 0.2})));
  CHECK(std::isnan(american_boundary_price({option_type::put, 90, 100, 1, 0.05, 0, 0.2},
                                           american_boundary_scheme{1, 12, 6, 24})));
}

TEST_CASE("Small vol, far from the money and negative rates stay finite and sensible",
          "[american]") {
  // Cases that produced NaN (reflection factors overflowing, the tree's 0/0 far from the
  // money), a price below zero (trigger rule with h > 0), or a call below intrinsic (r <
  // 0).
  const bsm_inputs cases[] = {
      {option_type::call, 31.0, 100, 0.081, 0.0286, 0.0456, 0.0113},
      {option_type::put, 246.8, 100, 0.021, 0.075, 0.0237, 0.0223},
      {option_type::put, 99.98, 100, 0.098, 0.088, 0.0392, 0.0137},
      {option_type::put, 303, 100, 3.92, 0.0965, 0.0035, 0.0103},
      {option_type::put, 100, 100, 1.0, 0.05, 0.0, 0.02},
      {option_type::call, 150, 100, 2.0, -0.01, 0.0, 0.05}};
  for (const auto& c : cases) {
    const double approx = bjerksund_stensland_price(c), tree = binomial_price(c, 5001);
    INFO(to_string(c.type) << " S=" << c.spot << " T=" << c.years << " vol=" << c.vol
                           << " approx=" << approx << " tree=" << tree);
    REQUIRE(std::isfinite(approx));
    REQUIRE(std::isfinite(tree));
    const double exercise =
        c.type == option_type::call ? c.spot - c.strike : c.strike - c.spot;
    CHECK(approx >= std::max(exercise, 0.0) - 1e-12);
    CHECK(std::fabs(approx - tree) < 1e-3 * c.strike);
  }
  // Zero vol: the best exercise date on the forward path. Call, r > q: exercising at
  // t* = ln(rK / (qS)) / (r - q) beats both now and expiry.
  const bsm_inputs det{option_type::call, 110, 100, 10, 0.06, 0.05, 0.0};
  const double t_star = std::log(0.06 * 100 / (0.05 * 110)) / 0.01;
  const auto pay = [](double t) {
    return 110 * std::exp(-0.05 * t) - 100 * std::exp(-0.06 * t);
  };
  double best = std::max(pay(0), pay(10));
  if (t_star > 0 && t_star < 10) best = std::max(best, pay(t_star));
  CHECK(bjerksund_stensland_price(det) == Approx(best).epsilon(1e-14));
  CHECK(binomial_price(det, 101) == Approx(best).epsilon(1e-14));
}

TEST_CASE("A call without dividends is priced and hedged like a European one",
          "[american]") {
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

TEST_CASE("American Greeks agree with finite differences of a converged tree",
          "[american]") {
  // Puts and dividend-paying calls where early exercise matters. The tree's differences
  // use wider steps (0.5% of spot, 0.01 of vol, 0.01 y) than ours, so that its own
  // discretisation noise (about 1e-5 of strike) stays small against them.
  const bsm_inputs cases[] = {{option_type::put, 100, 100, 1.0, 0.05, 0.0, 0.25},
                              {option_type::put, 85, 100, 0.5, 0.04, 0.01, 0.6},
                              {option_type::call, 110, 100, 2.0, 0.02, 0.06, 0.35},
                              {option_type::put, 120, 100, 0.25, 0.08, 0.0, 1.2}};
  for (const auto& c : cases) {
    const greeks g = american_greeks(c);
    const auto tree = [&](double ds, double dv, double dt) {
      bsm_inputs x = c;
      x.spot += ds;
      x.vol += dv;
      x.years += dt;
      return binomial_price(x, 4001);
    };
    const double hs = 0.005 * c.spot, hv = 0.01, ht = 0.01;
    const double p0 = tree(0, 0, 0), up = tree(hs, 0, 0), dn = tree(-hs, 0, 0);
    const double delta = (up - dn) / (2 * hs), gamma = (up - 2 * p0 + dn) / (hs * hs);
    const double vega = (tree(0, hv, 0) - tree(0, -hv, 0)) / (2 * hv);
    const double theta = -(tree(0, 0, ht) - tree(0, 0, -ht)) / (2 * ht);
    INFO(to_string(c.type) << " S=" << c.spot << " T=" << c.years << " vol=" << c.vol
                           << " delta " << g.delta << " vs " << delta << ", gamma "
                           << g.gamma << " vs " << gamma << ", vega " << g.vega << " vs "
                           << vega << ", theta " << g.theta << " vs " << theta);
    CHECK(g.price == Approx(p0).margin(2e-5 * c.strike));
    CHECK(g.delta == Approx(delta).margin(1e-3));
    CHECK(g.gamma == Approx(gamma).epsilon(0.01).margin(1e-5));
    CHECK(g.vega == Approx(vega).epsilon(2e-3));
    CHECK(g.theta == Approx(theta).epsilon(5e-3));
  }
}

TEST_CASE("American implied vol round-trips and refuses impossible prices",
          "[american]") {
  for (auto type : {option_type::call, option_type::put})
    for (double k : {85.0, 100.0, 115.0})
      for (double v : {0.1, 0.3, 0.8}) {
        const bsm_inputs c{type, 100, k, 0.6, 0.05, 0.03, v};
        const double p = american_price(c);
        const iv_result r = american_implied_vol(c, p);
        INFO(to_string(type) << " K=" << k << " vol=" << v);
        REQUIRE(r.ok());
        bsm_inputs back = c;
        back.vol = r.vol;
        CHECK(american_price(back) == Approx(p).margin(1e-10 * k));
        // Where the price is the exercise value for a range of vols (deep in the money,
        // low vol) the vol is not determined; elsewhere it must come back.
        if (american_greeks(c).vega > 1e-3) CHECK(r.vol == Approx(v).epsilon(1e-9));
      }
  const bsm_inputs put{option_type::put, 80, 100, 0.5, 0.05, 0.0, 0.0};
  CHECK(american_implied_vol(put, 19.0).error == iv_error::below_intrinsic);
  CHECK(american_implied_vol(put, 100.0).error == iv_error::above_maximum);
  CHECK(american_implied_vol(put, -1.0).error == iv_error::invalid_input);
}
