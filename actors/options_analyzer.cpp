// The OPTIONS ANALYZER actor: per underlying, fetches the option chain, the iv30 history
// and daily bars, solves every contract's implied vol from its mid, computes Greeks,
// keeps the iv30 history in SQLite and ranks the contracts with
// sc::options::analyse_chain / rank.
//
// Message flow of [analyse, symbol] (and of [analyse, candidates] for the first
// options.top_candidates candidates, all underlyings in parallel, replies in order):
//
//   requester --analyse--> options --chain, ivhist, bars(260)--> fetcher
//                             |<--- three replies (each with a timeout) ---
//                             |  IV + Greeks per contract, iv30, drift/vol
//                             |  IV store: seed once per symbol, upsert today's iv30,
//                             |            read the last iv_history_days before today
//                             |  analyse_chain + rank -> option_report
//   requester <--option_report(s)
//
// Detached: the IV store is blocking SQLite I/O. A missing or unusable store degrades the
// actor (status says why, naming the file); the analysis then uses the fetcher's history.
#include "actors/actors.hpp"
#include "actors/common.hpp"
#include "actors/detail_scanner.hpp"
#include "actors/registry.hpp"

#include "adapters/storage/iv_history.hpp"
#include "analytics/options/american.hpp"
#include "analytics/options/black_scholes.hpp"
#include "analytics/options/contract_analysis.hpp"
#include "analytics/options/implied_vol.hpp"
#include "analytics/options/iv_surface.hpp"
#include "app/log.hpp"
#include "config/settings.hpp"
#include "messages/caf_errors.hpp"

#include <caf/actor_system.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace sc::actors {

namespace {

/// Daily bars requested per underlying: a year of returns (252) for the historical drift
/// and vol, plus a few days of slack for holidays in the source's calendar.
constexpr int32_t bars_wanted = 260;
constexpr int drift_lookback = 252;

struct options_state {
  static inline const char* name = "options";
  /// The configuration (shared, immutable).
  settings_ptr cfg;
  /// Running, or degraded while the IV store is unusable (last_error names the file).
  lifecycle_state life;
  /// Timeout of each data request, from the data sources' timeouts and retries.
  std::chrono::milliseconds request_timeout{30'000};
  /// The iv30 history store; null when it could not be opened.
  std::unique_ptr<storage::iv_history> store;
  /// Symbols whose history was seeded from the fetcher during this actor's life
  /// (seeding again is harmless, but one transaction per request is not free).
  std::unordered_set<std::string> seeded;
};

using options_pointer = options_actor::stateful_pointer<options_state>;

/// What one underlying's three requests brought back.
struct underlying_job {
  std::string symbol;
  option_chain chain;
  std::string chain_error; ///< Non-empty when the chain request failed.
  std::vector<iv_point> ivhist;
  bool have_ivhist = false;
  bar_series bars;
  bool have_bars = false;
  int pending = 3;
  std::function<void(option_report)> done;
};

// -- pure helpers ----------------------------------------------------------------------

/// A stable label for an exclusion reason of analyse_contract (whose reasons are
/// sentences with the offending values); counts per label go into option_report.
std::string exclusion_label(const std::string& reason) {
  static const std::array<std::pair<const char*, const char*>, 10> prefixes{{
      {"underlying spot", "invalid_spot"},
      {"strike", "invalid_strike"},
      {"no two-sided quote", "no_two_sided_quote"},
      {"days to expiry", "days_out_of_range"},
      {"volume", "volume_below_min"},
      {"open interest", "open_interest_below_min"},
      {"relative spread", "spread_above_max"},
      {"no implied volatility", "no_implied_vol"},
      {"missing Greeks", "missing_greeks"},
      {"no IV/Greeks input", "no_implied_vol"},
  }};
  for (const auto& [prefix, label] : prefixes)
    if (reason.rfind(prefix, 0) == 0) return label;
  return "other";
}

/// The option weights normalised as options::combine does: negative or non-finite
/// weights count as 0, all zero means equal weights.
std::array<double, 7> normalised_weights(const config::option_weights& w) {
  std::array<double, 7> x{w.moneyness, w.time_value,      w.liquidity,  w.greeks,
                          w.iv,        w.expected_return, w.probability};
  double sum = 0;
  for (auto& v : x) {
    if (!std::isfinite(v) || v < 0) v = 0;
    sum += v;
  }
  for (auto& v : x)
    v = sum > 0 ? v / sum : 1.0 / 7;
  return x;
}

/// Implied vol and Greeks of every contract from its mid, by exercise style. Contracts
/// without a two-sided quote or already expired get NaNs (analyse_chain excludes them).
struct solved_chain {
  std::vector<options::contract_inputs> inputs;
  std::vector<double> iv;  ///< Parallel to the contracts (NaN = none), for iv30.
  std::vector<double> rho; ///< Parallel to the contracts.
  int64_t iv_failures = 0; ///< Quoted, in-life contracts whose IV could not be solved.
};

solved_chain solve_chain(const option_chain& chain, double rate, double dividend_yield,
                         day_number today) {
  solved_chain out;
  const size_t n = chain.contracts.size();
  out.inputs.resize(n);
  out.iv.assign(n, nan);
  out.rho.assign(n, nan);
  for (size_t i = 0; i < n; ++i) {
    const auto& q = chain.contracts[i];
    const int days = static_cast<int>(q.expiry) - static_cast<int>(today);
    const bool two_sided = std::isfinite(q.bid) && std::isfinite(q.ask) && q.bid >= 0 &&
                           q.ask > 0 && q.ask >= q.bid;
    if (days <= 0 || !two_sided) continue;
    options::bsm_inputs in;
    in.type = q.type;
    in.spot = chain.spot;
    in.strike = q.strike;
    in.years = days / 365.0;
    in.rate = rate;
    in.dividend_yield = dividend_yield;
    const double mid = 0.5 * (q.bid + q.ask);
    const bool european = q.style == exercise_style::european;
    auto iv =
        european ? options::implied_vol(in, mid) : options::american_implied_vol(in, mid);
    if (!iv.ok() || !(iv.vol > 0)) {
      ++out.iv_failures;
      continue;
    }
    in.vol = iv.vol;
    const auto g = european ? options::bsm_greeks(in) : options::american_greeks(in);
    out.inputs[i] = options::contract_inputs{iv.vol, g.delta, g.gamma, g.vega, g.theta};
    out.iv[i] = iv.vol;
    out.rho[i] = g.rho;
  }
  return out;
}

/// The raw input shown beside each option factor: moneyness = |delta|, time_value =
/// share of time value lost per day, liquidity = relative spread, greeks = elasticity,
/// iv = IV percentile, expected_return and probability = the view the score used
/// (real world when the underlying's statistics are known, else risk neutral).
std::array<double, 7> option_raws(const options::contract_analysis& a) {
  const auto& view =
      std::isfinite(a.real_world.expected_return) ? a.real_world : a.risk_neutral;
  return {std::fabs(a.delta), a.decay_rate,         a.rel_spread, a.elasticity,
          a.iv_percentile,    view.expected_return, view.pop};
}

option_idea to_idea(const options::contract_analysis& a, const option_quote& q,
                    double rho, const std::array<double, 7>& weights) {
  option_idea x;
  x.contract = a.contract;
  x.underlying = q.underlying;
  x.type = a.type;
  x.style = q.style;
  x.strike = a.strike;
  x.expiry = a.expiry;
  x.days = a.days;
  x.spot = a.spot;
  x.bid = a.bid;
  x.ask = a.ask;
  x.mid = a.mid;
  x.iv = a.iv;
  x.delta = a.delta;
  x.gamma = a.gamma;
  x.vega = a.vega;
  x.theta = a.theta;
  x.rho = rho;
  x.iv_percentile = a.iv_percentile;
  x.iv_rank = a.iv_rank;
  x.pop = a.real_world.pop;
  x.pop_risk_neutral = a.risk_neutral.pop;
  x.expected_return = a.real_world.expected_return;
  x.breakeven = a.real_world.breakeven;
  x.liquidity = a.liquidity;
  x.score = a.score;
  static const std::array<const char*, 7> names{
      "moneyness", "time_value",      "liquidity",  "greeks",
      "iv",        "expected_return", "probability"};
  const auto& f = a.factors;
  const std::array<double, 7> scores{f.moneyness,  f.time_value, f.liquidity,
                                     f.greeks,     f.iv,         f.expected_return,
                                     f.probability};
  const auto raws = option_raws(a);
  for (size_t i = 0; i < 7; ++i)
    x.factors.push_back(factor_score{names[i], raws[i], scores[i], weights[i]});
  return x;
}

// -- IV history ------------------------------------------------------------------------

/// Marks the store unusable after an error: logs it naming the file, degrades the actor
/// and falls back to the fetcher's history from then on.
void drop_store(options_pointer self, const std::string& what, const std::string& error) {
  auto& st = self->state;
  const std::string file = st.store ? st.store->path() : st.cfg->options.iv_history_db;
  log::error(
      options_state::name, "iv_store_failed",
      {log::kv("file", file), log::kv("operation", what), log::kv("error", error)});
  st.life.degrade("iv history store " + file + ": " + what + ": " + error);
  st.store.reset();
}

/// The iv30 values before `today` (oldest first, at most iv_history_days) that the IV
/// percentile and rank use. With the store: seeds the symbol from the fetcher once,
/// records today's iv30, reads the store. Without: the fetcher's history.
std::vector<double> iv_history_for(options_pointer self, const underlying_job& job,
                                   day_number today, double iv30) {
  auto& st = self->state;
  const int window = std::max(1, st.cfg->options.iv_history_days);
  if (st.store && job.have_ivhist && !st.seeded.count(job.symbol)) {
    std::vector<std::pair<day_number, double>> days;
    for (const auto& p : job.ivhist)
      if (p.day < today && std::isfinite(p.iv) && p.iv > 0)
        days.emplace_back(p.day, p.iv);
    auto r = st.store->seed(job.symbol, days, "seed:" + job.chain.meta.source);
    if (r.ok())
      st.seeded.insert(job.symbol);
    else
      drop_store(self, "seed " + job.symbol, r.error);
  }
  if (st.store && std::isfinite(iv30) && iv30 > 0) {
    auto src =
        job.chain.meta.source.empty() ? std::string{"chain"} : job.chain.meta.source;
    if (auto err = st.store->upsert(job.symbol, today, iv30, src); !err.empty())
      drop_store(self, "upsert " + job.symbol, err);
  }
  if (st.store) {
    auto r = st.store->last_values(job.symbol, window, today - 1);
    if (r.ok()) return std::move(*r.value);
    drop_store(self, "read " + job.symbol, r.error);
  }
  std::vector<double> out;
  for (const auto& p : job.ivhist)
    if (p.day < today && std::isfinite(p.iv)) out.push_back(p.iv);
  if (out.size() > static_cast<size_t>(window))
    out.erase(out.begin(), out.end() - window);
  return out;
}

// -- one underlying --------------------------------------------------------------------

option_report analyse_underlying(options_pointer self, underlying_job& job) {
  const auto& cfg = *self->state.cfg;
  option_report rep;
  rep.underlying = job.symbol;
  if (!job.chain_error.empty()) {
    rep.error = "chain: " + job.chain_error;
    log::warn(options_state::name, "analyse_failed",
              {log::kv("underlying", job.symbol), log::kv("error", rep.error)});
    return rep;
  }
  auto& chain = job.chain;
  rep.spot = chain.spot;
  const day_number today = chain.as_of != timestamp{}
                               ? to_day(chain.as_of)
                               : to_day(std::chrono::time_point_cast<timestamp::duration>(
                                     std::chrono::system_clock::now()));
  // One rate for the IV solve and the analysis (analyse_contract falls back the same
  // way).
  if (!std::isfinite(chain.rate)) chain.rate = cfg.options.risk_free_rate;
  if (!std::isfinite(chain.dividend_yield)) chain.dividend_yield = 0;

  auto solved = solve_chain(chain, chain.rate, chain.dividend_yield, today);
  auto surface = options::iv30(chain, solved.iv, today);
  rep.iv30 = surface.iv30;

  options::underlying_stats u;
  if (job.have_bars) options::estimate_drift_vol(job.bars.close, drift_lookback, u);
  u.iv30 = surface.iv30;
  u.iv_history = iv_history_for(self, job, today, surface.iv30);

  auto analysed = options::analyse_chain(chain, solved.inputs, u, cfg.options, today);
  rep.analysed = static_cast<int64_t>(analysed.size());
  std::map<std::string, int64_t> reasons;
  for (const auto& a : analysed)
    if (a.excluded) {
      ++rep.excluded;
      ++reasons[exclusion_label(a.reason)];
    }
  for (const auto& [reason, n] : reasons)
    rep.exclusions.push_back(reason_count{reason, n});

  std::unordered_map<std::string, size_t> index_of;
  for (size_t i = 0; i < chain.contracts.size(); ++i)
    index_of.emplace(chain.contracts[i].contract, i);
  const auto weights = normalised_weights(cfg.options.weights);
  for (const auto& a : options::rank(std::move(analysed), cfg.options)) {
    const size_t i = index_of.at(a.contract);
    rep.ideas.push_back(to_idea(a, chain.contracts[i], solved.rho[i], weights));
  }
  log::info(options_state::name, "analyse_completed",
            {log::kv("underlying", job.symbol), log::kv("contracts", rep.analysed),
             log::kv("excluded", rep.excluded),
             log::kv("ideas", static_cast<int64_t>(rep.ideas.size())),
             log::kv("iv_failures", solved.iv_failures), log::kv("iv30", rep.iv30),
             log::kv("iv_history", static_cast<int64_t>(u.iv_history.size())),
             log::kv("bars", job.have_bars), log::kv("surface_error", surface.error)});
  return rep;
}

void job_reply(options_pointer self, const std::shared_ptr<underlying_job>& job) {
  if (--job->pending == 0) job->done(analyse_underlying(self, *job));
}

/// Requests the three inputs of one underlying; `done` gets its report.
void analyse_async(options_pointer self, const fetcher_actor& fetcher, std::string symbol,
                   std::function<void(option_report)> done) {
  auto job = std::make_shared<underlying_job>();
  job->symbol = std::move(symbol);
  job->done = std::move(done);
  const auto timeout = self->state.request_timeout;
  auto why = [timeout](const caf::error& err) {
    return detail::describe_failure(err, timeout);
  };
  self->request(fetcher, timeout, atom::chain::value, job->symbol)
      .then(
          [=](option_chain& c) {
            job->chain = std::move(c);
            job_reply(self, job);
          },
          [=](caf::error& err) {
            job->chain_error = why(err);
            job_reply(self, job);
          });
  self->request(fetcher, timeout, atom::ivhist::value, job->symbol)
      .then(
          [=](std::vector<iv_point>& h) {
            job->ivhist = std::move(h);
            job->have_ivhist = true;
            job_reply(self, job);
          },
          [=](caf::error& err) {
            log::warn(options_state::name, "ivhist_failed",
                      {log::kv("underlying", job->symbol), log::kv("error", why(err))});
            job_reply(self, job);
          });
  self->request(fetcher, timeout, atom::bars::value, job->symbol, bars_wanted)
      .then(
          [=](bar_series& b) {
            job->bars = std::move(b);
            job->have_bars = true;
            job_reply(self, job);
          },
          [=](caf::error& err) {
            log::warn(options_state::name, "bars_failed",
                      {log::kv("underlying", job->symbol), log::kv("error", why(err))});
            job_reply(self, job);
          });
}

caf::error no_fetcher() {
  return make_error(ec::unavailable, std::string{"options"},
                    std::string{"no fetcher registered"});
}

/// Opens the IV store; on failure logs the file and the error and degrades.
void open_store(options_pointer self) {
  auto& st = self->state;
  const auto& path = st.cfg->options.iv_history_db;
  auto r = storage::iv_history::open(path);
  if (r.ok()) {
    st.store = std::make_unique<storage::iv_history>(std::move(*r.value));
    st.life.state = lifecycle::running;
    return;
  }
  log::error(
      options_state::name, "iv_store_failed",
      {log::kv("file", path), log::kv("operation", "open"), log::kv("error", r.error)});
  st.life.degrade("iv history store " + path + ": open: " + r.error);
}

options_actor::behavior_type options_analyzer(options_pointer self, settings_ptr cfg) {
  guard_exceptions(self, options_state::name);
  self->state.cfg = cfg;
  self->state.request_timeout = fetch_timeout(cfg->data);
  open_store(self);
  return {
      [=](atom::analyse, const std::vector<candidate>& cands) {
        auto rp = self->make_response_promise<std::vector<option_report>>();
        auto fetcher = lookup<fetcher_actor>(self->system(), names::fetcher);
        if (!fetcher) {
          rp.deliver(no_fetcher());
          return rp;
        }
        const size_t n = std::min(
            cands.size(),
            static_cast<size_t>(std::max(0, self->state.cfg->options.top_candidates)));
        if (n == 0) {
          rp.deliver(std::vector<option_report>{});
          return rp;
        }
        auto reports = std::make_shared<std::vector<option_report>>(n);
        auto left = std::make_shared<size_t>(n);
        for (size_t i = 0; i < n; ++i)
          analyse_async(self, fetcher, cands[i].symbol, [=](option_report r) mutable {
            (*reports)[i] = std::move(r);
            if (--*left == 0) rp.deliver(std::move(*reports));
          });
        return rp;
      },
      [=](atom::analyse, const std::string& symbol) {
        auto rp = self->make_response_promise<option_report>();
        auto fetcher = lookup<fetcher_actor>(self->system(), names::fetcher);
        if (!fetcher) {
          rp.deliver(no_fetcher());
          return rp;
        }
        analyse_async(self, fetcher, symbol,
                      [=](option_report r) mutable { rp.deliver(std::move(r)); });
        return rp;
      },
      [=](atom::status) { return self->state.life.health(options_state::name); },
      [=](atom::crash) { crash_now(self, options_state::name); },
  };
}

} // namespace

options_actor spawn_options_analyzer(caf::actor_system& sys, settings_ptr cfg) {
  return sys.spawn<caf::detached>(options_analyzer, std::move(cfg));
}

} // namespace sc::actors
