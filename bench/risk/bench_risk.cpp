// Cost of the risk computations the risk manager runs on every price move and every
// proposal: historical VaR of a sample, full revaluation of a book of options over a
// year of scenarios, the correlation matrix of a universe slice, a pre-trade check.
#include "analytics/risk/correlation.hpp"
#include "analytics/risk/pre_trade.hpp"
#include "analytics/risk/var.hpp"
#include "config/settings.hpp"

#include <benchmark/benchmark.h>

#include <random>

using namespace sc;
using namespace sc::risk;

namespace {

std::vector<double> returns(unsigned seed, size_t n) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> d(0, 0.025);
  std::vector<double> r(n);
  for (auto& x : r)
    x = d(rng);
  return r;
}

// `n` option positions on `n` underlyings, with a year of returns each.
struct book {
  std::vector<risk_position> positions;
  return_history history;
};

book make_book(int n) {
  book b;
  for (int i = 0; i < n; ++i) {
    risk_position p;
    p.symbol = "O" + std::to_string(i);
    p.underlying = "U" + std::to_string(i);
    p.sector = "S" + std::to_string(i % 4);
    p.kind = asset_kind::option;
    p.type = i % 2 ? option_type::put : option_type::call;
    p.spot = 20 + i;
    p.strike = p.spot * (i % 2 ? 0.95 : 1.05);
    p.years = 45.0 / 365;
    p.iv = 0.5;
    p.rate = 0.045;
    p.quantity = 2;
    p.multiplier = 100;
    fill_model_greeks(p);
    b.positions.push_back(p);
    b.history[p.underlying] = returns(static_cast<unsigned>(i), 252);
  }
  return b;
}

void bm_historical_tail(benchmark::State& state) {
  const auto pnl = returns(1, static_cast<size_t>(state.range(0)));
  for (auto _ : state)
    benchmark::DoNotOptimize(historical_tail(pnl, 0.95));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(bm_historical_tail)->Arg(252)->Arg(10'000);

void bm_portfolio_var(benchmark::State& state) {
  const auto b = make_book(static_cast<int>(state.range(0)));
  for (auto _ : state)
    benchmark::DoNotOptimize(portfolio_historical_var(b.positions, b.history, 252));
  state.SetItemsProcessed(state.iterations() * state.range(0) * 252); // revaluations
}
BENCHMARK(bm_portfolio_var)->Arg(10)->Arg(50);

void bm_parametric_var(benchmark::State& state) {
  const auto b = make_book(static_cast<int>(state.range(0)));
  for (auto _ : state)
    benchmark::DoNotOptimize(parametric_var(b.positions, b.history, 252));
}
BENCHMARK(bm_parametric_var)->Arg(10)->Arg(50);

void bm_correlation_matrix(benchmark::State& state) {
  std::vector<std::vector<double>> s;
  for (int i = 0; i < state.range(0); ++i)
    s.push_back(returns(static_cast<unsigned>(i), 252));
  for (auto _ : state)
    benchmark::DoNotOptimize(correlation_matrix(s));
}
BENCHMARK(bm_correlation_matrix)->Arg(10)->Arg(100);

void bm_pre_trade(benchmark::State& state) {
  auto b = make_book(10);
  portfolio_state ps;
  ps.equity = 1'000'000;
  ps.positions = b.positions;
  ps.returns = b.history;
  trade_proposal t;
  t.position = b.positions[0];
  t.position.symbol = "NEW";
  t.position.underlying = "UNEW";
  t.position.quantity = static_cast<double>(state.range(0)); // big enough to resize
  t.underlying_returns = returns(99, 252);
  config::risk_settings lim;
  lim.max_delta = 1e9;
  for (auto _ : state)
    benchmark::DoNotOptimize(pre_trade_check(t, ps, lim));
}
BENCHMARK(bm_pre_trade)->Arg(5)->Arg(200);

} // namespace
