// The PIPELINE actor: one cycle is
//
//   scanner.scan -> options.analyse(top candidates) -> portfolio.get -> proposals
//   (best contract per underlying, sized) -> risk.check -> portfolio.open
//   -> portfolio.mark -> risk.report -> cycle_report
//
// Every peer is looked up in the registry at the step that needs it, so a restarted
// actor is reached under its new handle; a step that fails (a crashed peer, a timeout)
// fails the cycle with a typed error and the next cycle starts afresh. In periodic mode
// cycles follow the scan schedule (analytics/calendar: the interval, within market
// hours when scanner.market_hours_only, plus a daily full rescan after the close).

#include "actors/actors.hpp"
#include "actors/common.hpp"
#include "actors/registry.hpp"

#include "analytics/calendar/calendar.hpp"
#include "analytics/portfolio/trading.hpp"
#include "config/settings.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include <chrono>
#include <cmath>
#include <set>

namespace sc::actors {

namespace {

using namespace std::chrono_literals;

struct pipeline_state {
  static inline const char* name = "pipeline";
  settings_ptr cfg;
  bool periodic = false;
  uint64_t gen = 0;    ///< Invalidates stale ticks.
  uint64_t cycles = 0; ///< Cycles started.
  bool busy = false;   ///< A periodic cycle is running.
  lifecycle_state life;
};

using self_ptr = pipeline_actor::stateful_pointer<pipeline_state>;

/// One cycle in flight.
struct cycle_ctx {
  caf::typed_response_promise<cycle_report> rp;
  cycle_report report;
  std::chrono::steady_clock::time_point started;
  std::vector<trade_proposal> proposals;
  size_t pending = 0;
};
using ctx_ptr = std::shared_ptr<cycle_ctx>;

timestamp real_now() {
  return std::chrono::time_point_cast<timestamp::duration>(
      std::chrono::system_clock::now());
}

void fail(self_ptr self, const ctx_ptr& ctx, const char* step, const caf::error& err) {
  auto what = describe(err);
  self->state.life.degrade(std::string{step} + ": " + what);
  log::error(pipeline_state::name, "cycle_failed",
             {log::kv("cycle", ctx->report.cycle), log::kv("step", step),
              log::kv("error", what)});
  ctx->rp.deliver(make_error(code_of(err) == ec::none ? ec::internal : code_of(err),
                             std::string{step}, what));
}

caf::error missing(const char* who) {
  return make_error(ec::unavailable, std::string{who}, "not running");
}

void finish(self_ptr self, const ctx_ptr& ctx) {
  auto& r = ctx->report;
  r.duration_ms = std::chrono::duration<double, std::milli>(
                      std::chrono::steady_clock::now() - ctx->started)
                      .count();
  int64_t ideas = 0;
  for (auto& o : r.options)
    ideas += static_cast<int64_t>(o.ideas.size());
  self->state.life.recover();
  log::info(pipeline_state::name, "cycle_completed",
            {log::kv("cycle", r.cycle), log::kv("universe", r.scan.universe_size),
             log::kv("passed", r.scan.passed),
             log::kv("candidates", static_cast<int64_t>(r.scan.candidates.size())),
             log::kv("option_ideas", ideas),
             log::kv("proposals", static_cast<int64_t>(r.decisions.size())),
             log::kv("opened", static_cast<int64_t>(r.opened.size())),
             log::kv("positions", static_cast<int64_t>(r.portfolio.positions.size())),
             log::kv("equity", r.portfolio.equity), log::kv("var", r.risk.var),
             log::kv("duration_ms", r.duration_ms)});
  ctx->rp.deliver(r);
}

void step_risk_report(self_ptr self, ctx_ptr ctx) {
  auto risk = lookup<risk_actor>(self->system(), names::risk);
  if (!risk) return fail(self, ctx, "risk.report", missing("risk"));
  self->request(risk, 60s, atom::report::value, ctx->report.portfolio)
      .then(
          [=](risk_report& rr) {
            ctx->report.risk = std::move(rr);
            finish(self, ctx);
          },
          [=](caf::error& err) { fail(self, ctx, "risk.report", err); });
}

void step_mark(self_ptr self, ctx_ptr ctx) {
  auto pf = lookup<portfolio_actor>(self->system(), names::portfolio);
  if (!pf) return fail(self, ctx, "portfolio.mark", missing("portfolio"));
  self->request(pf, 60s, atom::mark::value)
      .then(
          [=](portfolio_snapshot& snap) {
            ctx->report.portfolio = std::move(snap);
            step_risk_report(self, ctx);
          },
          [=](caf::error& err) { fail(self, ctx, "portfolio.mark", err); });
}

void step_open(self_ptr self, ctx_ptr ctx) {
  auto pf = lookup<portfolio_actor>(self->system(), names::portfolio);
  if (!pf) return fail(self, ctx, "portfolio.open", missing("portfolio"));
  self->request(pf, 60s, atom::open::value, ctx->report.decisions)
      .then(
          [=](std::vector<std::string>& opened) {
            ctx->report.opened = std::move(opened);
            step_mark(self, ctx);
          },
          [=](caf::error& err) { fail(self, ctx, "portfolio.open", err); });
}

void step_check(self_ptr self, ctx_ptr ctx, portfolio_snapshot snap) {
  if (ctx->proposals.empty()) return step_mark(self, ctx);
  auto risk = lookup<risk_actor>(self->system(), names::risk);
  if (!risk) return fail(self, ctx, "risk.check", missing("risk"));
  self->request(risk, 60s, atom::check::value, ctx->proposals, std::move(snap))
      .then(
          [=](std::vector<risk_decision>& ds) {
            for (auto& d : ds)
              log::info(pipeline_state::name, "risk_decision",
                        {log::kv("contract", d.proposal.idea.contract),
                         log::kv("decision", to_string(d.decision)),
                         log::kv("requested", d.proposal.quantity),
                         log::kv("quantity", d.quantity), log::kv("reason", d.reason)});
            ctx->report.decisions = std::move(ds);
            step_open(self, ctx);
          },
          [=](caf::error& err) { fail(self, ctx, "risk.check", err); });
}

/// Daily log returns of a bar series, oldest first.
std::vector<double> log_returns(const bar_series& b) {
  std::vector<double> out;
  for (size_t i = 1; i < b.close.size(); ++i)
    if (b.close[i - 1] > 0 && b.close[i] > 0)
      out.push_back(std::log(b.close[i] / b.close[i - 1]));
  return out;
}

/// Proposes the best-ranked contract of each analysed underlying not already held,
/// sized by the trading settings; then fetches each underlying's returns for the risk
/// manager's VaR and correlation checks.
void step_propose(self_ptr self, ctx_ptr ctx, portfolio_snapshot snap) {
  auto& cfg = *self->state.cfg;
  std::set<std::string> held;
  for (auto& p : snap.positions)
    held.insert(p.underlying);
  std::map<std::string, std::string> sectors;
  for (auto& c : ctx->report.scan.candidates)
    sectors[c.symbol] = c.sector;
  for (auto& rep : ctx->report.options) {
    if (rep.ideas.empty() || held.count(rep.underlying) > 0) continue;
    auto& best = rep.ideas.front();
    if (!(best.ask > 0)) continue;
    portfolio::sizing_request req;
    req.kind = portfolio::asset_kind::option;
    req.price = best.ask;
    req.multiplier = 100;
    auto size = portfolio::size_position(snap.equity, req, cfg.trading, cfg.risk);
    if (size.quantity <= 0) {
      log::info(pipeline_state::name, "not_sized",
                {log::kv("contract", best.contract), log::kv("reason", size.reason)});
      continue;
    }
    trade_proposal p;
    p.idea = best;
    p.sector = sectors[rep.underlying];
    p.quantity = size.quantity;
    p.price = best.ask;
    ctx->proposals.push_back(std::move(p));
  }
  if (ctx->proposals.empty()) return step_check(self, ctx, std::move(snap));
  auto fetcher = lookup<fetcher_actor>(self->system(), names::fetcher);
  if (!fetcher) return fail(self, ctx, "fetcher.bars", missing("fetcher"));
  auto shared_snap = std::make_shared<portfolio_snapshot>(std::move(snap));
  ctx->pending = ctx->proposals.size();
  auto days = static_cast<int32_t>(cfg.risk.var_lookback + 1);
  for (size_t i = 0; i < ctx->proposals.size(); ++i) {
    auto done = [=] {
      if (--ctx->pending == 0) step_check(self, ctx, *shared_snap);
    };
    self->request(fetcher, fetch_timeout(cfg.data), atom::bars::value,
                  ctx->proposals[i].idea.underlying, days)
        .then(
            [=](bar_series& b) {
              ctx->proposals[i].underlying_returns = log_returns(b);
              done();
            },
            [=](caf::error& err) {
              // Without history the risk manager judges on the other limits.
              log::warn(pipeline_state::name, "no_history",
                        {log::kv("symbol", ctx->proposals[i].idea.underlying),
                         log::kv("error", describe(err))});
              done();
            });
  }
}

void step_snapshot(self_ptr self, ctx_ptr ctx) {
  auto pf = lookup<portfolio_actor>(self->system(), names::portfolio);
  if (!pf) return fail(self, ctx, "portfolio.get", missing("portfolio"));
  self->request(pf, 60s, caf::get_atom::value)
      .then([=](portfolio_snapshot& snap) { step_propose(self, ctx, std::move(snap)); },
            [=](caf::error& err) { fail(self, ctx, "portfolio.get", err); });
}

void step_options(self_ptr self, ctx_ptr ctx) {
  auto opt = lookup<options_actor>(self->system(), names::options);
  if (!opt) return fail(self, ctx, "options.analyse", missing("options"));
  self->request(opt, 120s, atom::analyse::value, ctx->report.scan.candidates)
      .then(
          [=](std::vector<option_report>& reps) {
            ctx->report.options = std::move(reps);
            step_snapshot(self, ctx);
          },
          [=](caf::error& err) { fail(self, ctx, "options.analyse", err); });
}

void step_scan(self_ptr self, ctx_ptr ctx) {
  auto scanner = lookup<scanner_actor>(self->system(), names::scanner);
  if (!scanner) return fail(self, ctx, "scanner.scan", missing("scanner"));
  self->request(scanner, 120s, atom::scan::value, ctx->report.cycle)
      .then(
          [=](scan_report& sr) {
            ctx->report.scan = std::move(sr);
            step_options(self, ctx);
          },
          [=](caf::error& err) { fail(self, ctx, "scanner.scan", err); });
}

caf::typed_response_promise<cycle_report> start_cycle(self_ptr self) {
  auto ctx = std::make_shared<cycle_ctx>();
  ctx->rp = self->make_response_promise<cycle_report>();
  ctx->report.cycle = ++self->state.cycles;
  ctx->started = std::chrono::steady_clock::now();
  log::info(pipeline_state::name, "cycle_started", {log::kv("cycle", ctx->report.cycle)});
  step_scan(self, ctx);
  return ctx->rp;
}

/// Arms the next periodic tick.
void schedule(self_ptr self) {
  auto& st = self->state;
  auto& sc = st.cfg->scanner;
  auto now = real_now();
  auto next = cal::next_scan(now, sc.interval, sc.market_hours_only);
  if (sc.market_hours_only) next = std::min(next, cal::next_daily_rescan(now));
  auto delay = std::max<timestamp::duration>(next - now, std::chrono::milliseconds{1});
  self->delayed_send(self, delay, atom::tick::value, st.gen);
}

pipeline_actor::behavior_type pipeline(self_ptr self, settings_ptr cfg, bool periodic) {
  guard_exceptions(self, pipeline_state::name);
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.periodic = periodic;
  st.life.state = lifecycle::running;
  if (periodic) self->send(self, atom::tick::value, st.gen);
  return {
      [=](atom::cycle) -> caf::result<cycle_report> { return start_cycle(self); },
      [=](atom::tick, uint64_t gen) {
        auto& s = self->state;
        if (gen != s.gen || !s.periodic) return;
        schedule(self);
        if (s.busy) {
          log::warn(pipeline_state::name, "cycle_skipped", {log::kv("reason", "busy")});
          return;
        }
        s.busy = true;
        // Ask ourselves, so the periodic cycle runs through the same path as on demand.
        self->request(caf::actor_cast<pipeline_actor>(self), std::chrono::minutes{10},
                      atom::cycle::value)
            .then([=](cycle_report&) { self->state.busy = false; },
                  [=](caf::error&) { self->state.busy = false; });
      },
      [=](atom::status) { return self->state.life.health(pipeline_state::name); },
      [=](atom::crash) { crash_now(self, pipeline_state::name); },
  };
}

} // namespace

pipeline_actor spawn_pipeline(caf::actor_system& sys, settings_ptr cfg, bool periodic) {
  return sys.spawn(pipeline, std::move(cfg), periodic);
}

} // namespace sc::actors
