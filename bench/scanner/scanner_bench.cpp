// A full scan of a 5,000-stock simulated universe with 504 daily bars each (goal: under
// 250 ms on a 2-core machine). The market, its bars and fundamentals are generated once,
// outside the timed region. Variants:
//   threads:1  the plain baseline, every symbol on the caller's thread
//   threads:2  symbols split over two threads
// on two filter settings:
//   Default    the configured filters (only survivors are scored)
//   AllPass    filters opened wide so every symbol is scored (the worst case)
#include "adapters/sim/market.hpp"
#include "analytics/indicators/indicators.hpp"
#include "analytics/scanner/scan.hpp"
#include "analytics/scanner/universe.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace {

struct dataset {
  std::vector<sc::security> universe;
  std::unordered_map<std::string, sc::fundamentals> funds;
  std::unordered_map<std::string, sc::bar_series> bars;
  sc::bar_series index;
  size_t total_bars = 0;
};

const dataset& data() {
  static const dataset d = [] {
    sc::config::sim_settings s;
    s.universe_size = 5000;
    s.history_days = 504;
    sc::sim::market m{s};
    dataset out;
    out.universe = sc::scan::merge_universe({m.universe()}, {});
    for (const auto& sec : out.universe) {
      if (auto b = m.bars(sec.symbol, 504)) {
        out.total_bars += b->size();
        out.bars.emplace(sec.symbol, std::move(*b));
      }
      if (auto f = m.fundamentals_of(sec.symbol))
        out.funds.emplace(sec.symbol, std::move(*f));
    }
    if (auto b = m.bars("SCX", 504)) out.index = std::move(*b);
    return out;
  }();
  return d;
}

void open_filters(sc::config::scanner_settings& scanner,
                  sc::config::trading_settings& trading) {
  {
    constexpr double inf = std::numeric_limits<double>::infinity();
    auto& f = scanner.filters;
    trading.market_cap_min = 0;
    trading.market_cap_max = inf;
    f.price_min = 0;
    f.price_max = inf;
    f.avg_volume_min = 0;
    f.dollar_volume_min = 0;
    f.revenue_growth_min = -inf;
    f.eps_growth_min = -inf;
    f.pe_min = -inf;
    f.pe_max = inf;
    f.negative_earnings = "allow";
    f.insider_ownership_min = f.institutional_ownership_min = -inf;
    f.insider_ownership_max = f.institutional_ownership_max = inf;
    f.short_float_max = inf;
    f.reject_missing_fundamentals = false;
  }
}

void run(benchmark::State& state, bool all_pass) {
  const auto& d = data();
  sc::config::scanner_settings scanner;
  sc::config::trading_settings trading;
  scanner.threads = static_cast<int>(state.range(0));
  if (all_pass) open_filters(scanner, trading);
  auto in = sc::scan::make_scan_data(d.funds, d.bars);
  in.index_bars = d.index.size() ? &d.index : nullptr;
  size_t passed = 0;
  double filter_ms = 0, score_ms = 0;
  for (auto _ : state) {
    auto r = sc::scan::run_scan(d.universe, in, scanner, trading);
    passed = r.passed;
    filter_ms += r.timing.filter.count() / 1000.0;
    score_ms += r.timing.score.count() / 1000.0;
    benchmark::DoNotOptimize(r.candidates.data());
  }
  const double n = static_cast<double>(state.iterations());
  state.counters["symbols"] = static_cast<double>(d.universe.size());
  state.counters["scored"] = static_cast<double>(passed);
  state.counters["filter_ms"] = filter_ms / n;
  state.counters["score_ms"] = score_ms / n;
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(d.universe.size()));
}

void BM_scan_default(benchmark::State& state) {
  run(state, false);
}
void BM_scan_all_pass(benchmark::State& state) {
  run(state, true);
}

/// The straightforward scan: per symbol, filters, then every indicator over the full
/// history, patterns, scores; then a full sort.
size_t baseline_scan(const dataset& d, const sc::config::scanner_settings& scanner,
                     const sc::config::trading_settings& trading,
                     std::vector<std::pair<double, std::string>>& ranked) {
  using namespace sc;
  const auto w = scan::normalise_weights(scanner.weights).w;
  patterns::detect_params pp;
  pp.names = scanner.patterns;
  ranked.clear();
  for (const auto& s : d.universe) {
    auto b = d.bars.find(s.symbol);
    auto f = d.funds.find(s.symbol);
    const bar_series* bs = b == d.bars.end() ? nullptr : &b->second;
    const fundamentals* fd = f == d.funds.end() ? nullptr : &f->second;
    scan::filter_inputs fi;
    fi.fund = fd;
    if (bs && bs->size() > 0) {
      fi.price = bs->close.back();
      fi.bars = static_cast<int>(bs->size());
      auto l = scan::average_liquidity(*bs, 20);
      fi.avg_volume = l.avg_volume;
      fi.avg_dollar_volume = l.avg_dollar_volume;
    }
    fi.market_cap = scan::resolve_market_cap(s, fd, fi.price);
    if (!scan::apply_filters(fi, scanner.filters, trading, true).passed()) continue;
    const auto& c = bs->close;
    const size_t n = c.size();
    scan::raw_inputs in;
    in.close = c.back();
    in.ret20 = c[n - 1] / c[n - 21] - 1;
    in.ret60 = c[n - 1] / c[n - 61] - 1;
    in.rsi14 = ind::rsi(c, 14).back();
    in.sma50 = ind::sma(c, 50).back();
    in.sma200 = ind::sma(c, 200).back();
    in.adx14 = ind::adx(bs->high, bs->low, c, 14).back();
    const auto rv = ind::relative_volume(bs->volume, 20);
    in.rel_volume5 = (rv[n - 1] + rv[n - 2] + rv[n - 3] + rv[n - 4] + rv[n - 5]) / 5;
    const auto obv = ind::obv(c, bs->volume);
    in.obv_slope20 = (obv[n - 1] - obv[n - 21]) / (20 * fi.avg_volume);
    in.hist_vol20 = ind::hist_vol(c, 20).back();
    if (d.index.size() == n) in.beta60 = ind::beta(c, d.index.close, 60).back();
    scan::compute_fundamental_inputs(fd, in.close, in);
    scan::compute_pattern_inputs(patterns::detect_all(*bs, pp), in);
    ranked.emplace_back(scan::score(in, w).composite, s.symbol);
  }
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  return ranked.size();
}

void run_baseline(benchmark::State& state, bool all_pass) {
  const auto& d = data();
  sc::config::scanner_settings scanner;
  sc::config::trading_settings trading;
  if (all_pass) open_filters(scanner, trading);
  std::vector<std::pair<double, std::string>> ranked;
  size_t passed = 0;
  for (auto _ : state) {
    passed = baseline_scan(d, scanner, trading, ranked);
    benchmark::DoNotOptimize(ranked.data());
  }
  state.counters["symbols"] = static_cast<double>(d.universe.size());
  state.counters["scored"] = static_cast<double>(passed);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(d.universe.size()));
}

void BM_baseline_default(benchmark::State& state) {
  run_baseline(state, false);
}
void BM_baseline_all_pass(benchmark::State& state) {
  run_baseline(state, true);
}

} // namespace

BENCHMARK(BM_baseline_default)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_baseline_all_pass)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_scan_default)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_scan_all_pass)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
