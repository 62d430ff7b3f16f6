// Speed of the options core against a plain textbook implementation (std::erf-based
// normal CDF, direct formulas, Newton implied vol from a fixed start), side by side.
// Counters: ns_per_option / ns_per_call are per contract on one thread.
#include "analytics/options/american.hpp"
#include "analytics/options/batch.hpp"
#include "analytics/options/black_scholes.hpp"
#include "analytics/options/implied_vol.hpp"

#include <benchmark/benchmark.h>

#include <cmath>
#include <random>
#include <vector>

using namespace sc;
using namespace sc::options;

namespace {

/// A realistic chain mix: spot/strike 0.7-1.3, 1 week to 2 years, vol 10%-80%.
struct book {
  std::vector<option_type> type;
  std::vector<double> spot, strike, years, rate, div, vol, price;
  explicit book(std::size_t n) {
    std::mt19937_64 rng(1);
    std::uniform_real_distribution<double> u(0, 1);
    for (std::size_t i = 0; i < n; ++i) {
      type.push_back(u(rng) < 0.5 ? option_type::call : option_type::put);
      spot.push_back(100);
      strike.push_back(100 / (0.7 + 0.6 * u(rng)));
      years.push_back(7.0 / 365 + 2 * u(rng));
      rate.push_back(0.05 * u(rng));
      div.push_back(0.03 * u(rng));
      vol.push_back(0.1 + 0.7 * u(rng));
      price.push_back(bsm_price(contract(i)));
    }
  }
  bsm_inputs contract(std::size_t i) const {
    return {type[i], spot[i], strike[i], years[i], rate[i], div[i], vol[i]};
  }
};

const book& the_book() {
  static const book b(4096);
  return b;
}

// -- textbook baseline
// -------------------------------------------------------------------

double tb_cdf(double x) {
  return 0.5 * (1 + std::erf(x / std::sqrt(2.0)));
}
double tb_pdf(double x) {
  return std::exp(-0.5 * x * x) / std::sqrt(2 * M_PI);
}

struct tb_out {
  double price, delta, gamma, vega, theta, rho;
};

tb_out textbook_greeks(const bsm_inputs& c) {
  const double sq = std::sqrt(c.years);
  const double d1 = (std::log(c.spot / c.strike) +
                     (c.rate - c.dividend_yield + 0.5 * c.vol * c.vol) * c.years) /
                    (c.vol * sq);
  const double d2 = d1 - c.vol * sq;
  const double dq = std::exp(-c.dividend_yield * c.years),
               dr = std::exp(-c.rate * c.years);
  tb_out o;
  if (c.type == option_type::call) {
    o.price = c.spot * dq * tb_cdf(d1) - c.strike * dr * tb_cdf(d2);
    o.delta = dq * tb_cdf(d1);
    o.theta = -c.spot * dq * tb_pdf(d1) * c.vol / (2 * sq) -
              c.rate * c.strike * dr * tb_cdf(d2) +
              c.dividend_yield * c.spot * dq * tb_cdf(d1);
    o.rho = c.strike * c.years * dr * tb_cdf(d2);
  } else {
    o.price = c.strike * dr * tb_cdf(-d2) - c.spot * dq * tb_cdf(-d1);
    o.delta = -dq * tb_cdf(-d1);
    o.theta = -c.spot * dq * tb_pdf(d1) * c.vol / (2 * sq) +
              c.rate * c.strike * dr * tb_cdf(-d2) -
              c.dividend_yield * c.spot * dq * tb_cdf(-d1);
    o.rho = -c.strike * c.years * dr * tb_cdf(-d2);
  }
  o.gamma = dq * tb_pdf(d1) / (c.spot * c.vol * sq);
  o.vega = c.spot * dq * tb_pdf(d1) * sq;
  return o;
}

/// Newton on the textbook price from vol = 0.3, to |step| < 1e-12 or 100 iterations.
double textbook_iv(bsm_inputs c, double price) {
  double v = 0.3;
  for (int i = 0; i < 100; ++i) {
    c.vol = v;
    const tb_out o = textbook_greeks(c);
    if (!(o.vega > 1e-300)) break;
    const double step = (o.price - price) / o.vega;
    v -= step;
    if (!(v > 0)) v = 1e-3;
    if (std::fabs(step) < 1e-12) break;
  }
  return v;
}

void per_option(benchmark::State& state, std::size_t n, const char* name) {
  state.counters[name] = benchmark::Counter(
      static_cast<double>(n),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
}

// -- price and five Greeks -----------------------------------------------------------

void bm_batch_price_greeks(benchmark::State& state) {
  const book& b = the_book();
  const std::size_t n = b.type.size();
  std::vector<double> p(n), d(n), g(n), v(n), t(n), r(n);
  for (auto _ : state) {
    bsm_batch({b.type.data(), b.spot.data(), b.strike.data(), b.years.data(),
               b.rate.data(), b.div.data(), b.vol.data()},
              {p.data(), d.data(), g.data(), v.data(), t.data(), r.data()}, n);
    benchmark::DoNotOptimize(p.data());
    benchmark::ClobberMemory();
  }
  per_option(state, n, "ns_per_option");
  state.SetLabel("ours: SoA kernel, width " + std::to_string(bsm_batch_width()));
}
BENCHMARK(bm_batch_price_greeks)->Unit(benchmark::kMicrosecond);

void bm_scalar_price_greeks(benchmark::State& state) {
  const book& b = the_book();
  const std::size_t n = b.type.size();
  double sink = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i)
      sink += bsm_greeks(b.contract(i)).theta;
    benchmark::DoNotOptimize(sink);
  }
  per_option(state, n, "ns_per_option");
  state.SetLabel("ours: scalar bsm_greeks (9 outputs)");
}
BENCHMARK(bm_scalar_price_greeks)->Unit(benchmark::kMicrosecond);

void bm_textbook_price_greeks(benchmark::State& state) {
  const book& b = the_book();
  const std::size_t n = b.type.size();
  double sink = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i)
      sink += textbook_greeks(b.contract(i)).theta;
    benchmark::DoNotOptimize(sink);
  }
  per_option(state, n, "ns_per_option");
  state.SetLabel("baseline: textbook scalar, std::erf");
}
BENCHMARK(bm_textbook_price_greeks)->Unit(benchmark::kMicrosecond);

// -- implied vol -----------------------------------------------------------------------

void bm_iv_scalar(benchmark::State& state) {
  const book& b = the_book();
  const std::size_t n = b.type.size();
  double sink = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i)
      sink += implied_vol(b.contract(i), b.price[i]).vol;
    benchmark::DoNotOptimize(sink);
  }
  per_option(state, n, "ns_per_call");
  state.SetLabel("ours: Let's Be Rational, at most 2 steps");
}
BENCHMARK(bm_iv_scalar)->Unit(benchmark::kMicrosecond);

void bm_iv_batch(benchmark::State& state) {
  const book& b = the_book();
  const std::size_t n = b.type.size();
  std::vector<double> vol(n);
  std::vector<iv_error> err(n);
  for (auto _ : state) {
    implied_vol_batch({b.type.data(), b.price.data(), b.spot.data(), b.strike.data(),
                       b.years.data(), b.rate.data(), b.div.data()},
                      vol.data(), err.data(), n);
    benchmark::DoNotOptimize(vol.data());
    benchmark::ClobberMemory();
  }
  per_option(state, n, "ns_per_option");
  state.SetLabel("ours: batch entry point");
}
BENCHMARK(bm_iv_batch)->Unit(benchmark::kMicrosecond);

void bm_iv_textbook_newton(benchmark::State& state) {
  const book& b = the_book();
  const std::size_t n = b.type.size();
  double sink = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i)
      sink += textbook_iv(b.contract(i), b.price[i]);
    benchmark::DoNotOptimize(sink);
  }
  per_option(state, n, "ns_per_call");
  state.SetLabel("baseline: Newton from 0.3 on the textbook price");
}
BENCHMARK(bm_iv_textbook_newton)->Unit(benchmark::kMicrosecond);

// -- American --------------------------------------------------------------------------

void bm_american_bs2002(benchmark::State& state) {
  const book& b = the_book();
  const std::size_t n = 512;
  double sink = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i)
      sink += bjerksund_stensland_price(b.contract(i));
    benchmark::DoNotOptimize(sink);
  }
  per_option(state, n, "ns_per_call");
  state.SetLabel("ours: Bjerksund-Stensland 2002");
}
BENCHMARK(bm_american_bs2002)->Unit(benchmark::kMicrosecond);

void bm_american_boundary(benchmark::State& state) {
  const book& b = the_book();
  const std::size_t n = 512;
  double sink = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i)
      sink += american_price(b.contract(i));
    benchmark::DoNotOptimize(sink);
  }
  per_option(state, n, "ns_per_call");
  state.SetLabel("ours: boundary integral equation, default scheme");
}
BENCHMARK(bm_american_boundary)->Unit(benchmark::kMicrosecond);

void bm_american_greeks(benchmark::State& state) {
  const book& b = the_book();
  const std::size_t n = 64;
  double sink = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i)
      sink += american_greeks(b.contract(i)).delta;
    benchmark::DoNotOptimize(sink);
  }
  per_option(state, n, "ns_per_call");
  state.SetLabel("ours: price + 8 Greeks by finite differences (7 boundaries)");
}
BENCHMARK(bm_american_greeks)->Unit(benchmark::kMicrosecond);

void bm_american_tree_1001(benchmark::State& state) {
  const book& b = the_book();
  const std::size_t n = 8;
  double sink = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i)
      sink += binomial_price(b.contract(i), 1001);
    benchmark::DoNotOptimize(sink);
  }
  per_option(state, n, "ns_per_call");
  state.SetLabel("reference: Leisen-Reimer tree, 1001 steps");
}
BENCHMARK(bm_american_tree_1001)->Unit(benchmark::kMillisecond);

} // namespace
