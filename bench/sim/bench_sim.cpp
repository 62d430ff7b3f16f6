// Generation cost of the simulated market: universe construction, full bar histories,
// quotes and option chains. Run with --benchmark_min_time=... on a quiet machine.
#include <benchmark/benchmark.h>

#include "adapters/sim/market.hpp"

#include <chrono>

namespace {

sc::config::sim_settings settings_for(int n) {
  sc::config::sim_settings s;
  s.universe_size = n;
  return s;
}

/// Building the universe, fundamentals and common factor paths.
void bm_universe(benchmark::State& st) {
  const auto s = settings_for(static_cast<int>(st.range(0)));
  for (auto _ : st) {
    sc::sim::market m(s);
    benchmark::DoNotOptimize(m.universe().data());
  }
  st.SetItemsProcessed(st.iterations() * st.range(0));
}
BENCHMARK(bm_universe)->Arg(500)->Arg(5000)->Arg(10000)->Unit(benchmark::kMillisecond);

/// Universe plus every symbol's full history (history_days = 756 bars each).
void bm_universe_and_all_bars(benchmark::State& st) {
  const auto s = settings_for(static_cast<int>(st.range(0)));
  for (auto _ : st) {
    sc::sim::market m(s);
    double sum = 0;
    for (const auto& sec : m.universe())
      sum += m.bars(sec.symbol, 0)->close.back();
    benchmark::DoNotOptimize(sum);
  }
  st.SetItemsProcessed(st.iterations() * st.range(0) * s.history_days);
  st.counters["bars"] = double(st.range(0)) * s.history_days;
}
BENCHMARK(bm_universe_and_all_bars)
    ->Arg(500)
    ->Arg(5000)
    ->Arg(10000)
    ->Unit(benchmark::kMillisecond);

/// One full bar history.
void bm_bars_one_symbol(benchmark::State& st) {
  sc::sim::market m(settings_for(50));
  const auto sym = m.universe()[7].symbol;
  for (auto _ : st)
    benchmark::DoNotOptimize(m.bars(sym, 0));
}
BENCHMARK(bm_bars_one_symbol)->Unit(benchmark::kMicrosecond);

/// A quote at a new sim time each iteration (after the symbol's anchor is built).
void bm_quote(benchmark::State& st) {
  sc::sim::market m(settings_for(50));
  const auto sym = m.universe()[7].symbol;
  auto t = m.first_open();
  (void)m.quote_at(sym, t);
  for (auto _ : st) {
    t += std::chrono::seconds{7};
    benchmark::DoNotOptimize(m.quote_at(sym, t));
  }
}
BENCHMARK(bm_quote);

/// A whole option chain (all expiries and strikes) of one stock.
void bm_chain(benchmark::State& st) {
  sc::sim::market m(settings_for(50));
  const auto sym = m.universe()[7].symbol;
  auto t = m.first_open() + std::chrono::hours{2};
  size_t n = 0;
  for (auto _ : st) {
    t += std::chrono::seconds{60};
    auto ch = m.chain(sym, t);
    n = ch->contracts.size();
    benchmark::DoNotOptimize(ch);
  }
  st.counters["contracts"] = double(n);
}
BENCHMARK(bm_chain)->Unit(benchmark::kMicrosecond);

} // namespace
