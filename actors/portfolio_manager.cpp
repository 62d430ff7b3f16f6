// The PORTFOLIO MANAGER: the persistent ledger, paper fills, marks to market, Greeks of
// held options at the current spot, exits on stops, targets and expiry.
//
// Detached: every fill and every mark is written to SQLite (one transaction per fill),
// and that blocking I/O must not sit on a scheduler thread.
//
// Message flows:
//
//   caller --[open, decisions]--> portfolio          paper fill per approved decision at
//   caller <--[contracts opened]-- portfolio         the idea's quote, persisted, exits
//   set
//
//   caller --[mark]--> portfolio
//     portfolio --[chain, underlying]--> fetcher     (one per held option underlying)
//     portfolio --[quote, stocks]------> fetcher     (held stocks, one request)
//     ... every reply or error arrives (each request has a timeout) ...
//     marks (mid, else last), Greeks from the IV of the mid at the new spot, expiry
//     settlements at intrinsic, stop/target exits at the bid, marks and an equity point
//     persisted
//   caller <--[portfolio_snapshot]-- portfolio
//
//   caller --[get]--> portfolio --> the current ledger at its last marks, no fetching
//
// Lifecycle: running with a usable ledger file; degraded while the fetcher fails (marks
// keep their last values and the snapshot keeps the time of the last good mark) or for
// good when the ledger file could not be used (the book then lives in memory only and
// the bad file is left untouched for an operator to inspect).
#include "actors/actors.hpp"
#include "actors/common.hpp"
#include "actors/detail_risk_portfolio.hpp"
#include "actors/registry.hpp"
#include "adapters/storage/ledger_store.hpp"
#include "analytics/portfolio/ledger.hpp"
#include "analytics/portfolio/trading.hpp"
#include "analytics/risk/stats.hpp"
#include "app/log.hpp"
#include "config/settings.hpp"

#include <caf/actor_system.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <system_error>
#include <vector>

namespace sc::actors {

namespace {

namespace pf = sc::portfolio;

/// What the actor knows of a held option beyond the ledger: the inputs and result of
/// its last Greeks, so a snapshot can report a current position delta.
struct option_state {
  double spot = nan;
  double iv = nan;
  double delta = nan; ///< Per unit (per share of the underlying).
  double gamma = nan;
  double vega = nan;
  double theta = nan;
};

struct portfolio_manager_state {
  static inline const char* name = "portfolio";

  settings_ptr cfg;
  lifecycle_state life;
  /// trading.ledger_db (":memory:" for a throw-away paper account).
  std::string db_path;
  /// The persistent store; null when the file could not be used (in-memory fallback).
  std::unique_ptr<storage::ledger_store> store;
  /// Why the store is unusable (empty when it is fine); a lasting cause of degradation.
  std::string store_error;
  pf::ledger book;
  /// Greeks of held options by contract, as of their last mark (or entry).
  std::map<std::string, option_state> options;
  /// Market time of the last complete mark (epoch when never marked).
  timestamp last_mark{};
};

using pm_ptr = portfolio_actor::stateful_pointer<portfolio_manager_state>;

timestamp now() {
  return timestamp{std::chrono::system_clock::now()};
}

// -- persistence
// --------------------------------------------------------------------------

/// Opens and loads the ledger file, or falls back to an in-memory book.
void open_ledger(portfolio_manager_state& st) {
  const auto& cfg = *st.cfg;
  st.db_path = cfg.trading.ledger_db;
  const auto dir = std::filesystem::path{st.db_path}.parent_path();
  std::error_code fs_err;
  if (!dir.empty()) std::filesystem::create_directories(dir, fs_err);
  std::string why;
  if (fs_err) {
    why = "cannot create directory " + dir.string() + ": " + fs_err.message();
  } else {
    storage::ledger_store::options opts;
    opts.starting_cash = cfg.trading.starting_cash;
    auto store = storage::ledger_store::open(st.db_path, opts);
    if (!store) {
      why = store.error_message();
    } else {
      auto book = store->load();
      if (!book) {
        why = book.error_message();
      } else {
        st.book = std::move(book.value());
        st.store = std::make_unique<storage::ledger_store>(std::move(store.value()));
      }
    }
  }
  if (st.store) {
    st.life.state = lifecycle::running;
    log::info(portfolio_manager_state::name, "ledger_loaded",
              {log::kv("file", st.db_path), log::kv("cash", st.book.cash()),
               log::kv("positions", static_cast<int64_t>(st.book.positions().size())),
               log::kv("fills", static_cast<int64_t>(st.book.fills().size()))});
    return;
  }
  st.store_error =
      "ledger " + st.db_path + " unusable, running on an in-memory ledger: " + why;
  st.book = pf::ledger{cfg.trading.starting_cash};
  st.life.degrade(st.store_error);
  log::error(portfolio_manager_state::name, "ledger_unusable",
             {log::kv("file", st.db_path), log::kv("error", why),
              log::kv("fallback", "in-memory ledger; the file is left untouched")});
}

/// Applies and persists one fill (with exit levels for an entry when `exits` is set).
pf::result<pf::fill_effect> record(portfolio_manager_state& st,
                                   const pf::instrument& spec, pf::fill f, bool entry) {
  const auto& trading = st.cfg->trading;
  if (st.store) {
    auto r =
        st.store->record_fill(st.book, spec, std::move(f), entry ? &trading : nullptr);
    if (!r) st.life.degrade("ledger write failed: " + r.error_message());
    return r;
  }
  auto r = st.book.apply(spec, std::move(f));
  if (r && entry) {
    if (const auto* p = st.book.find(spec.symbol)) {
      auto [stop, target] = pf::exit_levels(p->avg_cost, p->quantity, trading);
      st.book.set_exit_levels(spec.symbol, stop, target);
    }
  }
  return r;
}

/// Ends a request: healthy again only when nothing failed and the store is usable.
void settle_health(portfolio_manager_state& st, const std::vector<std::string>& errors) {
  if (!errors.empty()) {
    std::string all;
    for (const auto& e : errors)
      all += (all.empty() ? "" : "; ") + e;
    st.life.degrade(all);
  } else if (!st.store_error.empty()) {
    st.life.degrade(st.store_error);
  } else {
    st.life.recover();
  }
}

// -- snapshot
// -----------------------------------------------------------------------------

portfolio_snapshot snapshot_of(const portfolio_manager_state& st) {
  const auto& book = st.book;
  portfolio_snapshot s;
  s.time = st.last_mark;
  s.cash = book.cash();
  s.equity = book.equity();
  s.realized = book.realized();
  s.unrealized = book.unrealized();
  // The curve starts at the starting cash: a loss from the capital first put in is a
  // drawdown even before the first equity sample.
  std::vector<double> curve{book.starting_cash()};
  for (const auto& e : book.equity_curve())
    curve.push_back(e.equity);
  curve.push_back(s.equity);
  s.drawdown = curve.front() > 0 ? risk::drawdowns(curve).current_depth : 0.0;
  for (const auto& [sym, p] : book.positions()) {
    position_view v;
    v.symbol = sym;
    v.underlying = p.spec.underlying_symbol();
    v.sector = p.spec.sector;
    v.is_option = p.spec.kind == risk::asset_kind::option;
    v.type = p.spec.type;
    v.strike = p.spec.strike;
    v.expiry = p.spec.expiry;
    v.quantity = static_cast<int64_t>(std::llround(p.quantity));
    v.avg_cost = p.avg_cost;
    v.mark = p.mark_or_cost();
    v.market_value = p.market_value();
    v.unrealized = p.unrealized();
    if (!v.is_option) {
      v.delta = p.quantity * p.spec.multiplier;
    } else if (auto o = st.options.find(sym); o != st.options.end()) {
      v.delta = o->second.delta * p.quantity * p.spec.multiplier;
    }
    v.stop = p.stop;
    v.target = p.target;
    s.positions.push_back(std::move(v));
  }
  s.fills = static_cast<int64_t>(book.fills().size());
  return s;
}

// -- open
// ---------------------------------------------------------------------------------

std::vector<std::string> open_positions(portfolio_manager_state& st,
                                        const std::vector<risk_decision>& decisions) {
  const auto& trading = st.cfg->trading;
  std::vector<std::string> opened;
  std::vector<std::string> errors;
  for (const auto& d : decisions) {
    if (d.decision == verdict::reject || d.quantity <= 0) continue;
    const auto& idea = d.proposal.idea;
    pf::instrument spec;
    const bool is_option = !idea.contract.empty();
    spec.symbol = is_option ? idea.contract : idea.underlying;
    spec.underlying = idea.underlying;
    spec.sector = d.proposal.sector;
    spec.kind = is_option ? risk::asset_kind::option : risk::asset_kind::stock;
    spec.type = idea.type;
    spec.strike = idea.strike;
    spec.expiry = idea.expiry;
    spec.multiplier = is_option ? 100 : 1;
    auto skip = [&](const std::string& why) {
      log::info(portfolio_manager_state::name, "open_skipped",
                {log::kv("symbol", spec.symbol), log::kv("reason", why)});
    };
    if (spec.symbol.empty()) {
      skip("no symbol");
      continue;
    }
    if (st.book.find(spec.symbol)) {
      skip("already held");
      continue;
    }
    if (static_cast<int>(st.book.positions().size()) >= trading.max_positions) {
      skip("trading.max_positions " + std::to_string(trading.max_positions) + " reached");
      continue;
    }
    // The buy fills at the idea's quote through the slippage model (slippage 1, the
    // default, is exactly the ask); a quote without a bid still fills at the ask.
    const double ask = idea.ask > 0 ? idea.ask : d.proposal.price;
    const double bid = idea.bid > 0 && idea.bid <= ask ? idea.bid : ask;
    pf::order o;
    o.spec = spec;
    o.quantity = static_cast<double>(d.quantity);
    o.time = now();
    o.reason = "entry";
    auto f = pf::paper_fill(o, bid, ask, st.book.cash(), 0, trading);
    if (!f) {
      skip(f.error_message());
      continue;
    }
    auto r = record(st, spec, f.value(), true);
    if (!r) {
      errors.push_back(spec.symbol + ": " + r.error_message());
      log::error(portfolio_manager_state::name, "fill_not_recorded",
                 {log::kv("symbol", spec.symbol), log::kv("error", r.error_message())});
      continue;
    }
    if (is_option) {
      option_state os;
      os.spot = idea.spot;
      os.iv = idea.iv;
      os.delta = idea.delta;
      os.gamma = idea.gamma;
      os.vega = idea.vega;
      os.theta = idea.theta;
      st.options[spec.symbol] = os;
    }
    const auto* p = st.book.find(spec.symbol);
    log::info(portfolio_manager_state::name, "fill",
              {log::kv("symbol", spec.symbol), log::kv("side", "buy"),
               log::kv("quantity", r->applied.quantity),
               log::kv("price", r->applied.price), log::kv("fees", r->applied.fees),
               log::kv("reason", r->applied.reason), log::kv("stop", p ? p->stop : nan),
               log::kv("target", p ? p->target : nan), log::kv("cash", st.book.cash())});
    opened.push_back(spec.symbol);
  }
  settle_health(st, errors);
  return opened;
}

// -- mark
// ---------------------------------------------------------------------------------

/// What one mark gathered from the fetcher.
struct mark_inputs {
  std::map<std::string, option_chain> chains; ///< By underlying.
  std::map<std::string, quote> quotes;        ///< Held stocks.
  std::vector<std::string> errors;
};

/// Whether options expiring on the day of `t` have settled: US equity options stop
/// trading at 16:00 New York time, which is 21:00 UTC in winter and 20:00 in summer.
/// 21:00 UTC is the later of the two, so settlement is never early (in summer it is an
/// hour late, during which the contract keeps its last mark).
bool after_close(timestamp t) {
  const auto ns =
      t.time_since_epoch().count() - int64_t{to_day(t)} * 86'400'000'000'000LL;
  return ns >= 21LL * 3'600'000'000'000LL;
}

void apply_marks(portfolio_manager_state& st, mark_inputs& in) {
  const auto& trading = st.cfg->trading;
  auto& book = st.book;
  std::vector<std::string> errors = in.errors;

  // The market time of the data (the simulated clock in a simulation), not the wall.
  timestamp t{};
  for (const auto& [u, c] : in.chains)
    t = std::max(t, c.as_of);
  for (const auto& [s, q] : in.quotes)
    t = std::max(t, q.time);
  if (t == timestamp{}) t = now();
  const day_number today = to_day(t);

  // Marks and Greeks. Exit prices (bids) are remembered for the marked positions only:
  // a position whose data did not arrive keeps its mark and is not exited on it.
  std::map<std::string, double> bids;
  std::map<std::string, double> closes; // underlying prices for expiry settlement
  for (const auto& [u, c] : in.chains)
    if (c.spot > 0) closes[u] = c.spot;
  for (const auto& [s, q] : in.quotes)
    if (q.mid() > 0) closes[s] = q.mid();
  std::vector<std::pair<std::string, double>> stock_marks;
  for (const auto& [sym, p] : book.positions()) {
    const auto& und = p.spec.underlying_symbol();
    if (p.spec.kind == risk::asset_kind::stock) {
      auto q = in.quotes.find(sym);
      if (q == in.quotes.end()) continue;
      stock_marks.emplace_back(
          sym, pf::mark_price(q->second.bid, q->second.ask, q->second.last));
      bids[sym] = q->second.bid;
      continue;
    }
    auto c = in.chains.find(und);
    if (c == in.chains.end()) continue;
    const option_quote* oq = nullptr;
    for (const auto& x : c->second.contracts)
      if (x.contract == sym) {
        oq = &x;
        break;
      }
    if (!oq) {
      if (p.spec.expiry >= today) errors.push_back(sym + ": not in the chain of " + und);
      continue;
    }
    const double px = pf::mark_price(oq->bid, oq->ask, oq->last);
    if (!book.mark(sym, px, t)) {
      errors.push_back(sym + ": no usable price in the chain");
      continue;
    }
    bids[sym] = oq->bid;
    // Greeks at the new spot, from the volatility the market price implies now.
    auto& os = st.options[sym];
    const auto g = detail::greeks_from_price(
        p.spec.type, oq->style, c->second.spot, p.spec.strike,
        detail::years_to(p.spec.expiry, today), c->second.rate, c->second.dividend_yield,
        px, std::isfinite(os.iv) ? os.iv : oq->provider_iv);
    os.spot = c->second.spot;
    os.iv = g.iv;
    os.delta = g.g.delta;
    os.gamma = g.g.gamma;
    os.vega = g.g.vega;
    os.theta = g.g.theta;
  }
  for (const auto& [sym, px] : stock_marks)
    book.mark(sym, px, t);

  // Expiry first (an expired contract settles at intrinsic whatever its last mark),
  // then stops and targets on what was marked now.
  auto expiry = pf::expired_options(book, today, after_close(t), closes);
  for (const auto& e : expiry.errors)
    errors.push_back(e);
  auto close_out = [&](const pf::exit_signal& s, double price, double fees) {
    const auto* p = book.find(s.symbol);
    if (!p) return;
    const auto spec = p->spec;
    auto f = pf::exit_fill(s, t, fees);
    f.price = price;
    auto r = record(st, spec, f, false);
    if (!r) {
      errors.push_back(s.symbol + ": exit not recorded: " + r.error_message());
      log::error(portfolio_manager_state::name, "fill_not_recorded",
                 {log::kv("symbol", s.symbol), log::kv("error", r.error_message())});
      return;
    }
    if (!book.find(s.symbol)) st.options.erase(s.symbol);
    log::info(portfolio_manager_state::name, "fill",
              {log::kv("symbol", s.symbol), log::kv("side", "sell"),
               log::kv("quantity", r->applied.quantity),
               log::kv("price", r->applied.price), log::kv("fees", r->applied.fees),
               log::kv("reason", r->applied.reason), log::kv("realized", r->realized),
               log::kv("message", s.message), log::kv("cash", book.cash())});
  };
  for (const auto& s : expiry.settlements)
    close_out(s, s.price, 0.0);
  for (const auto& s : pf::check_exits(book)) {
    auto b = bids.find(s.symbol);
    if (b == bids.end()) continue;
    const auto* p = book.find(s.symbol);
    if (!p) continue;
    const double unit_fee = p->spec.kind == risk::asset_kind::option
                                ? trading.fee_per_contract
                                : trading.fee_per_share;
    // Sold at the bid; a quote without a bid (a worthless option) sells at zero.
    const double price = std::isfinite(b->second) && b->second > 0 ? b->second : 0.0;
    close_out(s, price, std::abs(s.quantity) * unit_fee);
  }

  if (st.store) {
    if (auto s = st.store->save_marks(book); !s)
      errors.push_back("saving marks: " + s.error_message());
    if (auto e = st.store->record_equity(book, t); !e)
      errors.push_back("saving the equity point: " + e.error_message());
  } else {
    book.sample_equity(t);
  }
  st.last_mark = t;
  if (!errors.empty())
    log::warn(portfolio_manager_state::name, "mark_incomplete",
              {log::kv("errors", static_cast<int64_t>(errors.size())),
               log::kv("first", errors.front())});
  settle_health(st, errors);
}

// -- behavior
// -----------------------------------------------------------------------------

portfolio_actor::behavior_type portfolio_manager(pm_ptr self, settings_ptr cfg) {
  guard_exceptions(self, portfolio_manager_state::name);
  self->state.cfg = std::move(cfg);
  open_ledger(self->state);
  return {
      [self](atom::status) {
        return self->state.life.health(portfolio_manager_state::name);
      },
      [self](atom::crash) { crash_now(self, portfolio_manager_state::name); },
      [self](atom::open, const std::vector<risk_decision>& decisions) {
        return open_positions(self->state, decisions);
      },
      [self](atom::mark) -> caf::result<portfolio_snapshot> {
        auto& st = self->state;
        std::set<std::string> chains;
        std::vector<std::string> stocks;
        for (const auto& [sym, p] : st.book.positions()) {
          if (p.spec.kind == risk::asset_kind::option)
            chains.insert(p.spec.underlying_symbol());
          else
            stocks.push_back(sym);
        }
        auto in = std::make_shared<mark_inputs>();
        if (chains.empty() && stocks.empty()) {
          apply_marks(st, *in);
          return snapshot_of(st);
        }
        auto fetcher = lookup<fetcher_actor>(self->system(), names::fetcher);
        if (!fetcher) {
          // The last state, with the time of the last good mark: stale, not invented.
          st.life.degrade("mark: no fetcher registered; positions keep their last marks");
          log::warn(portfolio_manager_state::name, "mark_stale",
                    {log::kv("reason", "no fetcher registered")});
          return snapshot_of(st);
        }
        auto rp = self->make_response_promise<portfolio_snapshot>();
        auto remaining =
            std::make_shared<size_t>(chains.size() + (stocks.empty() ? 0 : 1));
        auto finish = [self, in, remaining, rp]() mutable {
          if (--*remaining > 0) return;
          if (in->chains.empty() && in->quotes.empty()) {
            // Nothing arrived: no marks, no equity point, the last state as it was.
            std::string all;
            for (const auto& e : in->errors)
              all += (all.empty() ? "" : "; ") + e;
            self->state.life.degrade("mark: " + all);
            log::warn(portfolio_manager_state::name, "mark_stale",
                      {log::kv("reason", all)});
          } else {
            apply_marks(self->state, *in);
          }
          rp.deliver(snapshot_of(self->state));
        };
        const auto timeout = fetch_timeout(st.cfg->data);
        for (const auto& u : chains)
          self->request(fetcher, timeout, atom::chain::value, u)
              .then(
                  [in, finish, u](option_chain& c) mutable {
                    in->chains[u] = std::move(c);
                    finish();
                  },
                  [in, finish, u](caf::error& e) mutable {
                    in->errors.push_back(u + " chain: " + describe(e));
                    finish();
                  });
        if (!stocks.empty())
          self->request(fetcher, timeout, atom::quote::value, stocks)
              .then(
                  [in, finish](std::vector<quote>& qs) mutable {
                    for (auto& q : qs)
                      in->quotes[q.symbol] = std::move(q);
                    finish();
                  },
                  [in, finish](caf::error& e) mutable {
                    in->errors.push_back("quotes: " + describe(e));
                    finish();
                  });
        return rp;
      },
      [self](caf::get_atom) { return snapshot_of(self->state); },
  };
}

} // namespace

portfolio_actor spawn_portfolio_manager(caf::actor_system& sys, settings_ptr cfg) {
  return sys.spawn<caf::detached>(portfolio_manager, std::move(cfg));
}

} // namespace sc::actors
