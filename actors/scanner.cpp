// The SCANNER actor: gathers the data of one scan from the fetcher (and the holdings from
// the portfolio manager, when there is one), runs sc::scan::run_scan and answers with a
// scan_report.
//
// Message flow of [scan, cycle]:
//
//   requester --scan--> scanner --universe--> fetcher
//                          |<---------------- securities (merged with the watchlist)
//                          |--fundament/bars (every symbol), bars SCX--> fetcher
//                          |--get--> portfolio (if registered) --> bars of holdings
//                          |   ... counts replies; a failure becomes "SYMBOL: error" ...
//                          |   all replies in (each request has a timeout)
//                          |--run_scan (pure, multi-threaded)
//   requester <--scan_report
//
// The actor is detached: run_scan is a CPU-bound call of up to a second or more on a
// large universe and starts its own worker threads; on a scheduler thread it would
// stall every other actor sharing that thread (the fetcher's replies included).
// Scans requested while one is running proceed independently (each has its own job).
#include "actors/actors.hpp"
#include "actors/common.hpp"
#include "actors/detail_scanner.hpp"
#include "actors/registry.hpp"

#include "analytics/scanner/scan.hpp"
#include "analytics/scanner/universe.hpp"
#include "app/log.hpp"
#include "config/settings.hpp"
#include "messages/caf_errors.hpp"

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace sc::actors {

namespace {

using steady = std::chrono::steady_clock;

/// The symbol whose bars give beta (the simulated and the configured small-cap index).
constexpr const char* index_symbol = "SCX";

struct scanner_state {
  static inline const char* name = "scanner";
  /// The configuration (shared, immutable).
  settings_ptr cfg;
  /// Running while scans succeed; degraded after a scan that could not run (no
  /// fetcher, universe request failed), with the reason in last_error.
  lifecycle_state life;
  /// Timeout of each data request, from the data sources' timeouts and retries.
  std::chrono::milliseconds request_timeout{30'000};
  /// Scans answered so far (diagnostics).
  uint64_t scans = 0;
};

using scanner_pointer = scanner_actor::stateful_pointer<scanner_state>;

/// Everything one scan collects while its requests are in flight. Owned by the
/// callbacks of those requests (shared_ptr), so concurrent scans do not interfere.
struct scan_job {
  uint64_t cycle = 0;
  timestamp started{};
  steady::time_point t0{};
  caf::typed_response_promise<scan_report> rp;
  std::vector<security> universe;
  std::unordered_map<std::string, sc::fundamentals> fund;
  std::unordered_map<std::string, bar_series> bars;
  /// Symbols whose bars were requested (universe, then holdings not in it).
  std::unordered_set<std::string> bars_requested;
  bar_series index;
  bool have_index = false;
  std::vector<position_view> positions;
  std::vector<std::string> errors;
  /// Replies still outstanding; the scan runs when it reaches zero.
  size_t pending = 0;
};

using job_ptr = std::shared_ptr<scan_job>;

/// The first configuration problem that would make every scan fail, or "".
std::string check_config(const config::settings& s) {
  auto w = scan::normalise_weights(s.scanner.weights);
  if (!w.ok()) return "scanner.weights: " + w.error;
  const auto& rule = s.scanner.filters.negative_earnings;
  if (rule != "reject" && rule != "allow" && rule != "growth")
    return "scanner.filters.negative_earnings: expected reject, allow or growth, got \"" +
           rule + "\"";
  if (s.scanner.top_n < 0) return "scanner.top_n: expected >= 0";
  if (s.scanner.history_days < s.scanner.filters.min_history_bars)
    return "scanner.history_days (" + std::to_string(s.scanner.history_days) +
           ") is below scanner.filters.min_history_bars (" +
           std::to_string(s.scanner.filters.min_history_bars) +
           "): every symbol would fail insufficient_history";
  return {};
}

/// The main raw input shown beside each factor's score (see scoring.hpp for the
/// formulas): momentum = 20-day return, trend = close / SMA50 - 1, volume = mean
/// relative volume of the last 5 bars, volatility = 20-day historical vol, fundamentals
/// = revenue growth, patterns = net pattern confidence (bullish - bearish),
/// portfolio_fit = the highest return correlation with a holding (NaN without one).
double raw_of(scan::factor f, const scan::raw_inputs& in) {
  switch (f) {
  case scan::factor::momentum:
    return in.ret20;
  case scan::factor::trend:
    return (in.sma50 > 0) ? in.close / in.sma50 - 1 : nan;
  case scan::factor::volume:
    return in.rel_volume5;
  case scan::factor::volatility:
    return in.hist_vol20;
  case scan::factor::fundamentals:
    return in.revenue_growth;
  case scan::factor::patterns:
    return in.pattern_bullish - in.pattern_bearish;
  case scan::factor::portfolio_fit:
    return in.max_correlation;
  }
  return nan;
}

/// Converts run_scan's result (composite in [0,100]) to the protocol's scan_report
/// (composite in [0,1]).
scan_report to_report(const scan_job& job, const scan::scan_result& res,
                      const config::settings& cfg) {
  scan_report rep;
  rep.cycle = job.cycle;
  rep.time = job.started;
  rep.universe_size = static_cast<int64_t>(res.universe_size);
  rep.passed = static_cast<int64_t>(res.passed);
  for (const auto& [reason, n] : res.rejected_by)
    rep.rejections.push_back(reason_count{reason, n});
  const auto weights = scan::normalise_weights(cfg.scanner.weights).w;
  std::unordered_map<std::string, const security*> by_symbol;
  for (const auto& s : job.universe)
    by_symbol.emplace(s.symbol, &s);
  for (const auto& c : res.candidates) {
    candidate out;
    out.symbol = c.symbol;
    out.name = c.name;
    out.sector = c.sector;
    out.price = c.inputs.close;
    auto f = job.fund.find(c.symbol);
    const fundamentals* fund = f == job.fund.end() ? nullptr : &f->second;
    if (auto s = by_symbol.find(c.symbol); s != by_symbol.end())
      out.market_cap = scan::resolve_market_cap(*s->second, fund, out.price);
    out.score = c.score / 100.0;
    for (size_t i = 0; i < scan::factor_count; ++i) {
      auto fi = static_cast<scan::factor>(i);
      out.factors.push_back(factor_score{scan::to_string(fi), raw_of(fi, c.inputs),
                                         c.factors.score[i], weights[i]});
    }
    for (const auto& p : c.patterns)
      out.patterns.push_back(detail::label_with_value(p.name, p.confidence));
    rep.candidates.push_back(std::move(out));
  }
  rep.errors = job.errors;
  std::sort(rep.errors.begin(), rep.errors.end());
  return rep;
}

/// Runs the scan on what was collected and answers.
void finish(scanner_pointer self, const job_ptr& job) {
  const auto& cfg = *self->state.cfg;
  auto data = scan::make_scan_data(job->fund, job->bars);
  data.index_bars = job->have_index ? &job->index : nullptr;
  // Holdings per underlying: summed market value, the position's sector (else the
  // universe's), and the underlying's bars when they arrived.
  std::map<std::string, scan::holding> held;
  std::unordered_map<std::string, std::string> sector_of;
  for (const auto& s : job->universe)
    sector_of.emplace(s.symbol, s.sector);
  for (const auto& p : job->positions) {
    auto sym = scan::normalise_symbol(p.underlying.empty() ? p.symbol : p.underlying);
    if (sym.empty()) continue;
    auto& h = held[sym];
    h.symbol = sym;
    if (h.sector.empty()) h.sector = p.sector;
    if (h.sector.empty())
      if (auto i = sector_of.find(sym); i != sector_of.end()) h.sector = i->second;
    if (std::isfinite(p.market_value)) h.value += p.market_value;
  }
  for (auto& [sym, h] : held) {
    auto b = job->bars.find(sym);
    h.bars = b == job->bars.end() ? nullptr : &b->second;
    data.holdings.push_back(h);
  }
  auto res = scan::run_scan(job->universe, data, cfg.scanner, cfg.trading);
  if (!res.error.empty()) {
    self->state.life.degrade(res.error);
    log::error(scanner_state::name, "scan_failed",
               {log::kv("cycle", job->cycle), log::kv("error", res.error)});
    job->rp.deliver(make_error(ec::invalid_config, std::string{"scanner"}, res.error));
    return;
  }
  auto rep = to_report(*job, res, cfg);
  rep.duration_ms = detail::elapsed_ms(job->t0, steady::now());
  self->state.life.recover();
  ++self->state.scans;
  log::info(scanner_state::name, "scan_completed",
            {log::kv("cycle", job->cycle), log::kv("universe", rep.universe_size),
             log::kv("passed", rep.passed),
             log::kv("candidates", static_cast<int64_t>(rep.candidates.size())),
             log::kv("errors", static_cast<int64_t>(rep.errors.size())),
             log::kv("holdings", static_cast<int64_t>(held.size())),
             log::kv("duration_ms", rep.duration_ms),
             log::kv("compute_ms", res.timing.total.count() / 1000.0)});
  job->rp.deliver(std::move(rep));
}

/// A failed request as text for scan_report.errors.
std::string failure(scanner_pointer self, const caf::error& err) {
  return detail::describe_failure(err, self->state.request_timeout);
}

/// One reply is in; runs the scan after the last one.
void reply_arrived(scanner_pointer self, const job_ptr& job) {
  if (--job->pending == 0) finish(self, job);
}

void request_bars(scanner_pointer self, const job_ptr& job, const fetcher_actor& fetcher,
                  const std::string& sym) {
  if (!job->bars_requested.insert(sym).second) return;
  ++job->pending;
  self->request(fetcher, self->state.request_timeout, atom::bars::value, sym,
                int32_t{self->state.cfg->scanner.history_days})
      .then(
          [=](bar_series& b) {
            job->bars[sym] = std::move(b);
            reply_arrived(self, job);
          },
          [=](caf::error& err) {
            job->errors.push_back(sym + ": bars: " + failure(self, err));
            reply_arrived(self, job);
          });
}

/// Fans out every data request of the scan.
void fetch_all(scanner_pointer self, const job_ptr& job, const fetcher_actor& fetcher) {
  const auto timeout = self->state.request_timeout;
  // Counts one extra "reply" for the fan-out itself, so no reply can finish the scan
  // before every request is out.
  job->pending = 1;
  for (const auto& s : job->universe) {
    const auto sym = s.symbol;
    ++job->pending;
    self->request(fetcher, timeout, atom::fundament::value, sym)
        .then(
            [=](fundamentals& f) {
              job->fund[sym] = std::move(f);
              reply_arrived(self, job);
            },
            [=](caf::error& err) {
              job->errors.push_back(sym + ": fundamentals: " + failure(self, err));
              reply_arrived(self, job);
            });
    request_bars(self, job, fetcher, sym);
  }
  ++job->pending;
  self->request(fetcher, timeout, atom::bars::value, std::string{index_symbol},
                int32_t{self->state.cfg->scanner.history_days})
      .then(
          [=](bar_series& b) {
            job->index = std::move(b);
            job->have_index = true;
            reply_arrived(self, job);
          },
          [=](caf::error& err) {
            job->errors.push_back(std::string{index_symbol} +
                                  ": bars: " + failure(self, err));
            reply_arrived(self, job);
          });
  if (auto pm = lookup<portfolio_actor>(self->system(), names::portfolio)) {
    ++job->pending;
    self->request(pm, timeout, caf::get_atom::value)
        .then(
            [=](portfolio_snapshot& snap) {
              job->positions = std::move(snap.positions);
              for (const auto& p : job->positions) {
                auto sym = scan::normalise_symbol(p.underlying.empty() ? p.symbol
                                                                       : p.underlying);
                if (!sym.empty()) request_bars(self, job, fetcher, sym);
              }
              reply_arrived(self, job);
            },
            [=](caf::error& err) {
              job->errors.push_back("portfolio: " + failure(self, err));
              reply_arrived(self, job);
            });
  }
  reply_arrived(self, job);
}

/// Answers the scan with an error and marks the actor degraded.
void fail(scanner_pointer self, const job_ptr& job, caf::error err) {
  auto why = describe(err);
  self->state.life.degrade(why);
  log::error(scanner_state::name, "scan_failed",
             {log::kv("cycle", job->cycle), log::kv("error", why)});
  job->rp.deliver(std::move(err));
}

scanner_actor::behavior_type scanner(scanner_pointer self, settings_ptr cfg) {
  guard_exceptions(self, scanner_state::name);
  self->state.cfg = cfg;
  if (auto err = check_config(*cfg); !err.empty()) {
    log::error(scanner_state::name, "invalid_config", {log::kv("error", err)});
    self->state.life.degrade(err);
    self->quit(make_error(ec::invalid_config, std::string{"scanner"}, err));
  } else {
    self->state.request_timeout = fetch_timeout(cfg->data);
    self->state.life.state = lifecycle::running;
  }
  return {
      [=](atom::scan, uint64_t cycle) {
        auto job = std::make_shared<scan_job>();
        job->cycle = cycle;
        job->started = std::chrono::time_point_cast<timestamp::duration>(
            std::chrono::system_clock::now());
        job->t0 = steady::now();
        job->rp = self->make_response_promise<scan_report>();
        auto fetcher = lookup<fetcher_actor>(self->system(), names::fetcher);
        if (!fetcher) {
          fail(self, job,
               make_error(ec::unavailable, std::string{"scanner"},
                          std::string{"no fetcher registered"}));
          return job->rp;
        }
        log::info(scanner_state::name, "scan_started", {log::kv("cycle", cycle)});
        self->request(fetcher, self->state.request_timeout, atom::universe::value)
            .then(
                [=](std::vector<security>& u) {
                  std::vector<std::vector<security>> lists;
                  lists.push_back(std::move(u));
                  job->universe =
                      scan::merge_universe(lists, self->state.cfg->scanner.watchlist);
                  fetch_all(self, job, fetcher);
                },
                [=](caf::error& err) {
                  fail(self, job,
                       make_error(ec::unavailable, std::string{"scanner"},
                                  "universe: " + failure(self, err)));
                });
        return job->rp;
      },
      [=](atom::status) { return self->state.life.health(scanner_state::name); },
      [=](atom::crash) { crash_now(self, scanner_state::name); },
  };
}

} // namespace

scanner_actor spawn_scanner(caf::actor_system& sys, settings_ptr cfg) {
  return sys.spawn<caf::detached>(scanner, std::move(cfg));
}

} // namespace sc::actors
