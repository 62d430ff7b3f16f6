// The RISK MANAGER: pre-trade checks of proposals against the limits of [risk], and the
// risk picture of a portfolio (historical VaR/CVaR by full revaluation, Greeks, sector
// exposure, drawdown, Sharpe, volatility regime).
//
// Message flow of one request (check or report):
//
//   caller --[check|report, snapshot]--> risk
//     risk --[bars, underlying, var_lookback + 1]--> fetcher   (per symbol not cached)
//     risk --[quote, held underlyings (+ SVIX)]-----> fetcher   (current spots)
//     ... every reply or error arrives (each request has a timeout) ...
//   caller <--[decisions | risk_report]-- risk                 (through a promise)
//
// Bars are cached per market day of the snapshot, so the check and the report of one
// pipeline cycle fetch each history once. A missing or failing fetcher never fails the
// request: the answer is computed from what arrived, a limit that needs the missing data
// (VaR) rejects conservatively, the report shows NaN where it cannot know, and the actor
// reports itself degraded until a request completes with all its data.
#include "actors/actors.hpp"
#include "actors/common.hpp"
#include "actors/detail_risk_portfolio.hpp"
#include "actors/registry.hpp"
#include "analytics/options/implied_vol.hpp"
#include "analytics/risk/exposure.hpp"
#include "analytics/risk/pre_trade.hpp"
#include "analytics/risk/regime.hpp"
#include "analytics/risk/stats.hpp"
#include "analytics/risk/var.hpp"
#include "app/log.hpp"
#include "config/settings.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace sc::actors {

namespace {

/// Symbols of the market-wide inputs of the volatility regime.
constexpr const char* volatility_index = "SVIX";
constexpr const char* small_cap_index = "SCX";

/// Longest equity history kept for the Sharpe ratio, in market days (three years).
constexpr size_t max_equity_days = 756;

/// What one request gathered from the fetcher.
struct market_view {
  std::map<std::string, bar_series> bars;
  std::map<std::string, quote> quotes;
  std::vector<std::string> errors; ///< "symbol: what failed", for the log and reasons.
};

struct risk_state {
  static inline const char* name = "risk";

  settings_ptr cfg;
  lifecycle_state life;
  /// Daily bars by symbol, valid for the market day `bars_day` (bars are daily, so one
  /// fetch per symbol and day serves every check and report of that day).
  std::map<std::string, bar_series> bars;
  day_number bars_day = std::numeric_limits<day_number>::min();
  /// The last equity seen per market day, oldest first, for the Sharpe ratio: one point
  /// per day so that the annualisation with 252 periods holds however often the
  /// pipeline runs. Bounded to max_equity_days.
  std::vector<std::pair<day_number, double>> equity_days;
};

using risk_ptr = risk_actor::stateful_pointer<risk_state>;

std::string fmt(const char* f, double a) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, a);
  return buf;
}

/// The market day of a snapshot: its time, or today when the caller left it unset.
day_number market_day(const portfolio_snapshot& s) {
  const timestamp t =
      s.time == timestamp{} ? timestamp{std::chrono::system_clock::now()} : s.time;
  return to_day(t);
}

/// Configuration the actor cannot work without; empty when usable.
std::string validate(const config::risk_settings& r) {
  if (!(r.var_confidence > 0 && r.var_confidence < 1))
    return "risk.var_confidence " + fmt("%g", r.var_confidence) + " must be in (0, 1)";
  if (r.var_lookback < 2)
    return "risk.var_lookback " + std::to_string(r.var_lookback) + " must be at least 2";
  return {};
}

/// Fetches the bars of `bar_symbols` not cached for `day` and the quotes of
/// `quote_symbols`, then calls `done` once with everything that arrived. Every request
/// has a timeout, so `done` always runs.
template <class Done>
void gather(risk_ptr self, day_number day, std::set<std::string> bar_symbols,
            std::vector<std::string> quote_symbols, Done done) {
  auto& st = self->state;
  if (st.bars_day != day) {
    st.bars.clear();
    st.bars_day = day;
  }
  auto view = std::make_shared<market_view>();
  std::vector<std::string> to_fetch;
  for (const auto& s : bar_symbols) {
    auto i = st.bars.find(s);
    if (i != st.bars.end())
      view->bars.emplace(s, i->second);
    else
      to_fetch.push_back(s);
  }
  const bool want_quotes = !quote_symbols.empty();
  if (to_fetch.empty() && !want_quotes) {
    done(*view);
    return;
  }
  auto fetcher = lookup<fetcher_actor>(self->system(), names::fetcher);
  if (!fetcher) {
    for (const auto& s : to_fetch)
      view->errors.push_back(s + ": no fetcher registered");
    if (want_quotes) view->errors.push_back("quotes: no fetcher registered");
    done(*view);
    return;
  }
  auto remaining = std::make_shared<size_t>(to_fetch.size() + (want_quotes ? 1 : 0));
  auto finish = [view, remaining, done]() mutable {
    if (--*remaining == 0) done(*view);
  };
  const auto timeout = fetch_timeout(st.cfg->data);
  const int32_t days = st.cfg->risk.var_lookback + 1;
  for (const auto& s : to_fetch) {
    self->request(fetcher, timeout, atom::bars::value, s, days)
        .then(
            [self, view, finish, s, day](bar_series& b) mutable {
              if (b.size() < 2 || b.date.size() != b.size()) {
                view->errors.push_back(s + " bars: only " + std::to_string(b.size()) +
                                       " dated bars");
              } else {
                if (self->state.bars_day == day) self->state.bars[s] = b;
                view->bars.emplace(s, std::move(b));
              }
              finish();
            },
            [view, finish, s](caf::error& e) mutable {
              view->errors.push_back(s + " bars: " + describe(e));
              finish();
            });
  }
  if (want_quotes) {
    self->request(fetcher, timeout, atom::quote::value, quote_symbols)
        .then(
            [view, finish](std::vector<quote>& qs) mutable {
              for (auto& q : qs)
                view->quotes[q.symbol] = std::move(q);
              finish();
            },
            [view, finish](caf::error& e) mutable {
              view->errors.push_back("quotes: " + describe(e));
              finish();
            });
  }
}

/// Current price of a symbol: the quote's mid (or last), else the last close.
double spot_of(const market_view& m, const std::string& symbol) {
  if (auto q = m.quotes.find(symbol); q != m.quotes.end()) {
    const double px = q->second.mid();
    if (px > 0) return px;
  }
  if (auto b = m.bars.find(symbol); b != m.bars.end() && b->second.size() > 0)
    return b->second.close.back();
  return nan;
}

/// Daily simple returns of the given underlyings over the days their bars share,
/// the last `lookback` of them. Underlyings without bars are left out (the risk
/// functions then name them as missing).
risk::return_history aligned_returns(const market_view& m,
                                     const std::set<std::string>& underlyings) {
  std::vector<const bar_series*> series;
  std::vector<std::string> names;
  for (const auto& u : underlyings)
    if (auto b = m.bars.find(u); b != m.bars.end()) {
      series.push_back(&b->second);
      names.push_back(u);
    }
  risk::return_history out;
  const auto days = detail::common_days(series);
  for (size_t k = 0; k < series.size(); ++k) {
    auto r = detail::returns_on(*series[k], days);
    if (!r.empty()) out[names[k]] = std::move(r);
  }
  return out;
}

/// A held position as the risk functions see it: options get their implied volatility
/// solved from the mark at the current spot (the snapshot carries neither), so that the
/// revaluation starts from the market price.
risk::risk_position to_risk(const position_view& p, const market_view& m,
                            day_number today, double rate,
                            std::vector<std::string>& errors) {
  risk::risk_position r;
  r.symbol = p.symbol;
  r.underlying = p.underlying.empty() ? p.symbol : p.underlying;
  r.sector = p.sector;
  r.quantity = static_cast<double>(p.quantity);
  const double mark = p.mark > 0 ? p.mark : p.avg_cost;
  if (!p.is_option) {
    r.kind = risk::asset_kind::stock;
    r.multiplier = 1;
    const double s = spot_of(m, r.underlying);
    r.spot = s > 0 ? s : mark;
    r.price = r.spot;
    return r;
  }
  r.kind = risk::asset_kind::option;
  r.type = p.type;
  r.strike = p.strike;
  r.multiplier = 100;
  r.rate = rate;
  r.years = detail::years_to(p.expiry, today);
  r.spot = spot_of(m, r.underlying);
  if (!(r.spot > 0)) {
    errors.push_back(p.symbol + ": no price of underlying " + r.underlying);
    r.iv = nan;
    r.price = mark;
    return r;
  }
  // The risk functions revalue with BSM, so the volatility is the European one that
  // reproduces the mark; a contract at expiry is worth its intrinsic value.
  auto g = detail::greeks_from_price(p.type, exercise_style::european, r.spot, r.strike,
                                     r.years, rate, 0.0, mark, nan);
  if (!g.solved && r.years > 0) {
    errors.push_back(p.symbol + ": no implied volatility fits mark " + fmt("%g", mark) +
                     " at spot " + fmt("%g", r.spot));
    r.iv = nan;
  } else {
    r.iv = g.iv;
  }
  risk::fill_model_greeks(r);
  r.price = mark;
  return r;
}

/// A proposal as the pre-trade check sees it.
risk::trade_proposal to_risk(const trade_proposal& p, const market_view& m,
                             const risk::return_history& held, day_number today,
                             double rate) {
  const auto& idea = p.idea;
  risk::trade_proposal out;
  auto& r = out.position;
  const bool is_option = !idea.contract.empty();
  r.symbol = is_option ? idea.contract : idea.underlying;
  r.underlying = idea.underlying;
  r.sector = p.sector;
  r.quantity = static_cast<double>(p.quantity);
  r.price = p.price > 0 ? p.price : idea.ask;
  if (!is_option) {
    r.kind = risk::asset_kind::stock;
    r.spot = idea.spot > 0 ? idea.spot : r.price;
  } else {
    r.kind = risk::asset_kind::option;
    r.type = idea.type;
    r.strike = idea.strike;
    r.multiplier = 100;
    r.rate = rate;
    r.years = idea.expiry > 0 ? detail::years_to(idea.expiry, today) : idea.days / 365.0;
    r.spot = idea.spot > 0 ? idea.spot : spot_of(m, idea.underlying);
    r.iv = idea.iv;
    if (!(r.iv > 0)) {
      const double mid = idea.mid > 0 ? idea.mid : r.price;
      r.iv = detail::greeks_from_price(idea.type, exercise_style::european, r.spot,
                                       r.strike, r.years, rate, 0.0, mid, nan)
                 .iv;
    }
    r.delta = idea.delta;
    r.gamma = idea.gamma;
    r.vega = idea.vega;
    r.theta = idea.theta;
    if (!std::isfinite(r.delta)) {
      const double px = r.price;
      risk::fill_model_greeks(r);
      r.price = px;
    }
  }
  // The message carries log returns; the risk functions take simple returns.
  for (double x : p.underlying_returns)
    out.underlying_returns.push_back(std::expm1(x));
  if (out.underlying_returns.empty()) {
    if (auto h = held.find(idea.underlying); h != held.end()) {
      out.underlying_returns = h->second;
    } else if (auto b = m.bars.find(idea.underlying); b != m.bars.end()) {
      out.underlying_returns = detail::returns_on(b->second, b->second.date);
    }
  }
  return out;
}

/// Held underlyings of a snapshot.
std::set<std::string> underlyings_of(const portfolio_snapshot& s) {
  std::set<std::string> out;
  for (const auto& p : s.positions)
    out.insert(p.underlying.empty() ? p.symbol : p.underlying);
  return out;
}

/// Records the snapshot's equity for the Sharpe ratio (the last value of each day).
void remember_equity(risk_state& st, day_number day, double equity) {
  if (!std::isfinite(equity) || !(equity > 0)) return;
  auto& h = st.equity_days;
  if (!h.empty() && h.back().first == day)
    h.back().second = equity;
  else if (h.empty() || h.back().first < day)
    h.emplace_back(day, equity);
  if (h.size() > max_equity_days)
    h.erase(h.begin(), h.begin() + static_cast<long>(h.size() - max_equity_days));
}

std::string join(const std::vector<std::string>& xs, size_t max_items = 5) {
  std::string out;
  for (size_t i = 0; i < xs.size() && i < max_items; ++i) {
    if (i) out += "; ";
    out += xs[i];
  }
  if (xs.size() > max_items)
    out += "; (" + std::to_string(xs.size() - max_items) + " more)";
  return out;
}

void note_data(risk_state& st, const std::vector<std::string>& errors, const char* what) {
  if (errors.empty()) {
    st.life.recover();
    return;
  }
  st.life.degrade(std::string{what} + ": " + join(errors));
  log::warn(risk_state::name, "data_missing",
            {log::kv("request", what), log::kv("errors", join(errors, 20))});
}

// -- the two computations ---------------------------------------------------------------

std::vector<risk_decision> run_checks(risk_state& st,
                                      const std::vector<trade_proposal>& props,
                                      const portfolio_snapshot& snap,
                                      const market_view& m) {
  const auto& cfg = *st.cfg;
  const day_number today = market_day(snap);
  const double rate = cfg.options.risk_free_rate;
  std::vector<std::string> errors = m.errors;
  risk::portfolio_state ps;
  ps.equity = snap.equity;
  ps.drawdown = snap.drawdown;
  for (const auto& p : snap.positions)
    ps.positions.push_back(to_risk(p, m, today, rate, errors));
  ps.returns = aligned_returns(m, underlyings_of(snap));

  remember_equity(st, today, snap.equity);
  std::vector<risk_decision> out;
  out.reserve(props.size());
  for (const auto& p : props) {
    auto rp = to_risk(p, m, ps.returns, today, rate);
    auto d = risk::pre_trade_check(rp, ps, cfg.risk);
    risk_decision rd;
    rd.proposal = p;
    rd.decision = static_cast<verdict>(d.decision);
    rd.quantity = d.decision == risk::verdict::reject
                      ? 0
                      : static_cast<int64_t>(std::llround(std::abs(d.quantity)));
    rd.reason = d.reason;
    if (d.decision == risk::verdict::reject && !errors.empty())
      rd.reason += " (data: " + join(errors) + ")";
    log::info(risk_state::name, "risk_decision",
              {log::kv("symbol", rp.position.symbol),
               log::kv("verdict", to_string(rd.decision)),
               log::kv("requested", p.quantity), log::kv("quantity", rd.quantity),
               log::kv("reason", rd.reason)});
    if (rd.decision != verdict::reject) {
      // The working portfolio includes what was just approved, so the next proposal is
      // checked against both.
      auto pos = rp.position;
      pos.quantity = d.quantity;
      bool merged = false;
      for (auto& h : ps.positions)
        if (h.symbol == pos.symbol) {
          h.quantity += pos.quantity;
          merged = true;
        }
      if (!merged) ps.positions.push_back(pos);
      const auto& u = pos.underlying_symbol();
      if (!ps.returns.count(u) && !rp.underlying_returns.empty())
        ps.returns[u] = rp.underlying_returns;
    }
    out.push_back(std::move(rd));
  }
  note_data(st, errors, "check");
  return out;
}

risk_report build_report(risk_state& st, const portfolio_snapshot& snap,
                         const market_view& m) {
  const auto& cfg = *st.cfg;
  const auto& lim = cfg.risk;
  const day_number today = market_day(snap);
  std::vector<std::string> errors = m.errors;
  risk_report r;
  r.time = snap.time;
  r.equity = snap.equity;
  r.confidence = lim.var_confidence;
  r.drawdown = snap.drawdown;

  std::vector<risk::risk_position> positions;
  for (const auto& p : snap.positions)
    positions.push_back(to_risk(p, m, today, cfg.options.risk_free_rate, errors));
  if (positions.empty()) {
    r.var = 0;
    r.cvar = 0;
  } else {
    const auto returns = aligned_returns(m, underlyings_of(snap));
    const auto tail = risk::portfolio_historical_var(positions, returns, lim.var_lookback,
                                                     lim.var_confidence);
    if (tail.ok()) {
      r.var = tail.var;
      r.cvar = tail.cvar;
    } else {
      r.var = nan;
      r.cvar = nan;
      errors.push_back("VaR: " + tail.error);
    }
  }
  const auto g = risk::aggregate_greeks(positions).total;
  r.delta = g.delta_dollars;
  r.gamma = g.gamma;
  r.vega = g.vega;
  r.theta = g.theta_day;
  const auto sectors = risk::sector_concentration(positions, snap.equity);
  for (const auto& [name, f] : sectors.fraction)
    r.sectors.push_back(exposure{name, f});

  remember_equity(st, today, snap.equity);
  std::vector<double> curve;
  for (const auto& e : st.equity_days)
    curve.push_back(e.second);
  r.sharpe = risk::sharpe_ratio(risk::simple_returns(curve));

  // Regime: the volatility index level now, and the small-cap index's realised vol.
  double level = nan;
  if (auto q = m.quotes.find(volatility_index); q != m.quotes.end() && q->second.last > 0)
    level = q->second.last;
  else if (auto b = m.bars.find(volatility_index); b != m.bars.end() && b->second.size())
    level = b->second.close.back();
  std::vector<double> scx;
  if (auto b = m.bars.find(small_cap_index); b != m.bars.end())
    scx = detail::returns_on(b->second, b->second.date);
  const auto regime = risk::classify_regime(level, scx, lim);
  // The regime's inputs are optional one by one: either index decides alone, so a
  // missing one is not a data failure unless both are missing.
  if (regime.has_index_level || regime.has_realised) {
    errors.erase(
        std::remove_if(errors.begin(), errors.end(),
                       [](const std::string& e) {
                         return e.rfind(std::string{volatility_index} + " ", 0) == 0 ||
                                e.rfind(std::string{small_cap_index} + " ", 0) == 0;
                       }),
        errors.end());
  } else {
    errors.push_back(std::string{"regime: no "} + volatility_index + " level and no " +
                     small_cap_index + " history");
  }
  r.regime = regime.has_index_level || regime.has_realised
                 ? risk::to_string(regime.regime)
                 : "unknown";

  // Limits the current portfolio already breaches.
  std::vector<std::string> breaches;
  if (std::isfinite(r.var) && snap.equity > 0 && r.var / snap.equity > lim.max_var)
    breaches.push_back("max_var: VaR " + fmt("%.1f%%", 100 * r.var / snap.equity) +
                       " of equity > " + fmt("%.1f%%", 100 * lim.max_var));
  for (const auto& s : r.sectors)
    if (s.fraction > lim.max_sector)
      breaches.push_back("max_sector: " + s.name + " " + fmt("%.1f%%", 100 * s.fraction) +
                         " > " + fmt("%.1f%%", 100 * lim.max_sector));
  if (std::abs(g.delta_shares) > lim.max_delta)
    breaches.push_back("max_delta: " + fmt("%.0f", g.delta_shares) + " shares > " +
                       fmt("%.0f", lim.max_delta));
  if (snap.drawdown > lim.max_drawdown)
    breaches.push_back("max_drawdown: " + fmt("%.1f%%", 100 * snap.drawdown) + " > " +
                       fmt("%.1f%%", 100 * lim.max_drawdown));
  if (static_cast<int>(snap.positions.size()) > lim.max_positions)
    breaches.push_back("max_positions: " + std::to_string(snap.positions.size()) + " > " +
                       std::to_string(lim.max_positions));
  for (const auto& p : positions)
    if (snap.equity > 0 && p.gross_value() / snap.equity > lim.max_position)
      breaches.push_back("max_position: " + p.symbol + " " +
                         fmt("%.1f%%", 100 * p.gross_value() / snap.equity) + " > " +
                         fmt("%.1f%%", 100 * lim.max_position));

  log::info(risk_state::name, "risk_report",
            {log::kv("equity", r.equity), log::kv("var", r.var), log::kv("cvar", r.cvar),
             log::kv("confidence", r.confidence), log::kv("delta", r.delta),
             log::kv("gamma", r.gamma), log::kv("vega", r.vega),
             log::kv("theta", r.theta), log::kv("drawdown", r.drawdown),
             log::kv("sharpe", r.sharpe), log::kv("regime", r.regime),
             log::kv("regime_reason", regime.reason),
             log::kv("positions", static_cast<int64_t>(positions.size()))});
  if (!breaches.empty())
    log::warn(risk_state::name, "limit_breached",
              {log::kv("limits", join(breaches, 20))});
  note_data(st, errors, "report");
  return r;
}

// -- behavior ---------------------------------------------------------------------------

risk_actor::behavior_type risk_manager(risk_ptr self, settings_ptr cfg) {
  guard_exceptions(self, risk_state::name);
  self->state.cfg = cfg;
  if (auto why = validate(cfg->risk); !why.empty()) {
    log::error(risk_state::name, "invalid_config", {log::kv("error", why)});
    self->quit(make_error(ec::invalid_config, why));
    return risk_actor::behavior_type::make_empty_behavior();
  }
  self->state.life.state = lifecycle::running;
  return {
      [self](atom::status) { return self->state.life.health(risk_state::name); },
      [self](atom::crash) { crash_now(self, risk_state::name); },
      [self](atom::check, std::vector<trade_proposal> props, portfolio_snapshot snap) {
        auto rp = self->make_response_promise<std::vector<risk_decision>>();
        auto bar_symbols = underlyings_of(snap);
        for (const auto& p : props)
          if (p.underlying_returns.empty() && !p.idea.underlying.empty())
            bar_symbols.insert(p.idea.underlying);
        // Spots are needed to revalue holdings (proposals carry theirs).
        std::vector<std::string> quotes;
        if (!snap.positions.empty())
          quotes.assign(bar_symbols.begin(), bar_symbols.end());
        const auto day = market_day(snap); // before `snap` is moved into the callback
        gather(self, day, std::move(bar_symbols), std::move(quotes),
               [self, rp, props = std::move(props),
                snap = std::move(snap)](const market_view& m) mutable {
                 rp.deliver(run_checks(self->state, props, snap, m));
               });
        return rp;
      },
      [self](atom::report, portfolio_snapshot snap) {
        auto rp = self->make_response_promise<risk_report>();
        auto bar_symbols = underlyings_of(snap);
        std::vector<std::string> quotes(bar_symbols.begin(), bar_symbols.end());
        quotes.push_back(volatility_index);
        bar_symbols.insert(volatility_index);
        bar_symbols.insert(small_cap_index);
        const auto day = market_day(snap); // before `snap` is moved into the callback
        gather(self, day, std::move(bar_symbols), std::move(quotes),
               [self, rp, snap = std::move(snap)](const market_view& m) mutable {
                 rp.deliver(build_report(self->state, snap, m));
               });
        return rp;
      },
  };
}

} // namespace

risk_actor spawn_risk_manager(caf::actor_system& sys, settings_ptr cfg) {
  return sys.spawn(risk_manager, std::move(cfg));
}

} // namespace sc::actors
