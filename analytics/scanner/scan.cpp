#include "analytics/scanner/scan.hpp"

#include <algorithm>
#include <atomic>
#include <thread>

namespace sc::scan {

namespace {

using clock_type = std::chrono::steady_clock;

std::chrono::microseconds since(clock_type::time_point t0) {
  return std::chrono::duration_cast<std::chrono::microseconds>(clock_type::now() - t0);
}

/// Runs fn(i) for i in [0, n) on `threads` threads (the caller's included), handing out
/// small chunks so a few slow symbols do not leave a core idle. fn must only write to
/// slot i of its outputs, which keeps the result independent of the schedule.
template <class F> void parallel_for(size_t n, int threads, F&& fn) {
  if (threads <= 1 || n < 2) {
    for (size_t i = 0; i < n; ++i)
      fn(i);
    return;
  }
  constexpr size_t chunk = 16;
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (;;) {
      const size_t begin = next.fetch_add(chunk, std::memory_order_relaxed);
      if (begin >= n) return;
      const size_t end = std::min(n, begin + chunk);
      for (size_t i = begin; i < end; ++i)
        fn(i);
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (int t = 1; t < threads; ++t)
    pool.emplace_back(work);
  work();
  for (auto& t : pool)
    t.join();
}

std::string check_settings(const config::scanner_settings& s) {
  const auto& rule = s.filters.negative_earnings;
  if (rule != "reject" && rule != "allow" && rule != "growth")
    return "scanner.filters.negative_earnings: expected \"reject\", \"allow\" or "
           "\"growth\", "
           "got \"" +
           rule + "\"";
  if (s.top_n < 0) return "scanner.top_n: expected a number >= 0";
  return {};
}

} // namespace

scan_data
make_scan_data(const std::unordered_map<std::string, fundamentals>& fundamentals,
               const std::unordered_map<std::string, bar_series>& bars) {
  scan_data d;
  d.fundamentals_of = [&fundamentals](const std::string& s) -> const sc::fundamentals* {
    auto it = fundamentals.find(s);
    return it == fundamentals.end() ? nullptr : &it->second;
  };
  d.bars_of = [&bars](const std::string& s) -> const bar_series* {
    auto it = bars.find(s);
    return it == bars.end() ? nullptr : &it->second;
  };
  return d;
}

scan_result run_scan(const std::vector<security>& universe, const scan_data& data,
                     const config::scanner_settings& scanner,
                     const config::trading_settings& trading) {
  const auto t0 = clock_type::now();
  scan_result result;
  result.universe_size = universe.size();
  auto weights = normalise_weights(scanner.weights);
  if (!weights.ok()) {
    result.error = weights.error;
    return result;
  }
  if (auto err = check_settings(scanner); !err.empty()) {
    result.error = std::move(err);
    return result;
  }
  int threads = scanner.threads > 0
                    ? scanner.threads
                    : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(1, std::min(threads, static_cast<int>(universe.size() / 32 + 1)));
  result.timing.threads = threads;

  // -- resolve data and filter (lookups on this thread only)
  // -----------------------------
  const size_t n = universe.size();
  std::vector<const bar_series*> bars(n);
  std::vector<const fundamentals*> funds(n);
  for (size_t i = 0; i < n; ++i) {
    if (data.bars_of) bars[i] = data.bars_of(universe[i].symbol);
    if (data.fundamentals_of) funds[i] = data.fundamentals_of(universe[i].symbol);
  }
  std::vector<filter_outcome> outcomes(n);
  std::vector<liquidity> liq(n);
  parallel_for(n, threads, [&](size_t i) {
    filter_inputs in;
    in.fund = funds[i];
    if (const bar_series* b = bars[i]; b && !b->close.empty()) {
      in.price = b->close.back();
      in.bars = static_cast<int>(b->size());
      liq[i] = average_liquidity(*b, 20);
      in.avg_volume = liq[i].avg_volume;
      in.avg_dollar_volume = liq[i].avg_dollar_volume;
    }
    in.market_cap = resolve_market_cap(universe[i], funds[i], in.price);
    outcomes[i] = apply_filters(in, scanner.filters, trading, false);
  });
  std::vector<size_t> passing;
  for (size_t i = 0; i < n; ++i) {
    if (outcomes[i].passed()) {
      passing.push_back(i);
      continue;
    }
    rejection r;
    r.symbol = universe[i].symbol;
    r.reason = outcomes[i].failed.front();
    r.all = std::move(outcomes[i].failed);
    r.detail = std::move(outcomes[i].detail);
    ++result.rejected_by[to_string(r.reason)];
    for (auto reason : r.all)
      ++result.failed_by[to_string(reason)];
    result.rejections.push_back(std::move(r));
  }
  std::sort(result.rejections.begin(), result.rejections.end(),
            [](const rejection& a, const rejection& b) { return a.symbol < b.symbol; });
  result.passed = passing.size();
  result.timing.filter = since(t0);

  // -- score the survivors
  // -----------------------------------------------------------------
  const auto t1 = clock_type::now();
  std::vector<holding_returns> held;
  for (const auto& h : data.holdings) {
    holding_returns r;
    if (h.bars) r = make_holding_returns(*h.bars, scanner.correlation_days);
    r.symbol = h.symbol;
    r.sector = h.sector;
    r.value = h.value;
    held.push_back(std::move(r));
  }
  patterns::detect_params pattern_params;
  pattern_params.names = scanner.patterns;
  std::vector<candidate> scored(passing.size());
  parallel_for(passing.size(), threads, [&](size_t k) {
    const size_t i = passing[k];
    const security& s = universe[i];
    const bar_series& b = *bars[i];
    candidate& c = scored[k];
    c.symbol = s.symbol;
    c.name = s.name;
    c.sector = s.sector;
    c.origin = s.origin;
    compute_technical_inputs(b, data.index_bars, c.inputs);
    c.inputs.avg_volume20 = liq[i].avg_volume;
    c.inputs.avg_dollar_volume20 = liq[i].avg_dollar_volume;
    compute_fundamental_inputs(funds[i], c.inputs.close, c.inputs);
    c.patterns = patterns::detect_all(b, pattern_params);
    compute_pattern_inputs(c.patterns, c.inputs);
    compute_fit_inputs(b, s.sector, held, scanner.correlation_days, c.inputs);
    c.factors = score(c.inputs, weights.w);
    c.score = c.factors.composite;
  });
  result.timing.score = since(t1);

  // -- rank
  // --------------------------------------------------------------------------------
  const auto t2 = clock_type::now();
  auto better = [](const candidate& a, const candidate& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.symbol < b.symbol;
  };
  const size_t keep = std::min(scored.size(), static_cast<size_t>(scanner.top_n));
  std::partial_sort(scored.begin(), scored.begin() + keep, scored.end(), better);
  scored.resize(keep);
  for (size_t k = 0; k < keep; ++k)
    scored[k].rank = static_cast<int>(k + 1);
  result.candidates = std::move(scored);
  result.timing.rank = since(t2);
  result.timing.total = since(t0);
  return result;
}

} // namespace sc::scan
