// The SIM SOURCE actor: the simulated market behind the DATA interface.
//
// The market itself is immutable and shared (generating it is the expensive part), so
// a restart of this actor costs nothing. Market time comes from a sim_clock started at
// `sim_origin`: clock_speed simulated seconds pass per real second.

#include "actors/actors.hpp"
#include "actors/common.hpp"

#include "adapters/sim/clock.hpp"
#include "adapters/sim/market.hpp"
#include "config/settings.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>

#include <chrono>

namespace sc::actors {

namespace {

struct sim_source_state {
  static inline const char* name = "src_sim";
  /// The simulated market (shared with other instances and restarts).
  std::shared_ptr<const sim::market> market;
  /// Real time -> market time.
  std::unique_ptr<sim::sim_clock> clock;
  lifecycle_state life;
  /// Requests answered, for the log at exit.
  uint64_t served = 0;

  timestamp now() const {
    return clock->now(std::chrono::time_point_cast<timestamp::duration>(
        std::chrono::system_clock::now()));
  }
};

template <class T> T stamped(T x, timestamp t) {
  x.meta.source = "sim";
  x.meta.fetched = t;
  x.meta.stale = false;
  return x;
}

caf::error unknown(const std::string& what, const std::string& symbol) {
  return make_error(ec::not_found, "sim", what, symbol);
}

source_actor::behavior_type
sim_source(source_actor::stateful_pointer<sim_source_state> self, settings_ptr cfg,
           std::shared_ptr<const sim::market> market, timestamp origin) {
  guard_exceptions(self, sim_source_state::name);
  auto& st = self->state;
  st.market = std::move(market);
  st.clock = std::make_unique<sim::sim_clock>(st.market->settings(), origin);
  st.life.state = lifecycle::running;
  return {
      [=](atom::universe) -> std::vector<security> {
        ++self->state.served;
        return self->state.market->universe();
      },
      [=](atom::quote, const std::vector<std::string>& symbols) -> std::vector<quote> {
        auto& s = self->state;
        ++s.served;
        auto t = s.now();
        std::vector<quote> out;
        out.reserve(symbols.size());
        for (auto& sym : symbols)
          if (auto q = s.market->quote_at(sym, t))
            out.push_back(stamped(std::move(*q), t));
        return out;
      },
      [=](atom::bars, const std::string& symbol,
          int32_t days) -> caf::result<bar_series> {
        auto& s = self->state;
        ++s.served;
        if (days <= 0)
          return make_error(ec::malformed, "sim", "bars: days must be positive", days);
        if (auto b = s.market->bars(symbol, days)) return stamped(std::move(*b), s.now());
        return unknown("bars", symbol);
      },
      [=](atom::fundament, const std::string& symbol) -> caf::result<fundamentals> {
        auto& s = self->state;
        ++s.served;
        if (auto f = s.market->fundamentals_of(symbol))
          return stamped(std::move(*f), s.now());
        return unknown("fundamentals", symbol);
      },
      [=](atom::chain, const std::string& symbol) -> caf::result<option_chain> {
        auto& s = self->state;
        ++s.served;
        auto t = s.now();
        if (auto c = s.market->chain(symbol, t)) return stamped(std::move(*c), t);
        return unknown("chain", symbol);
      },
      [=](atom::ivhist, const std::string& symbol) -> caf::result<std::vector<iv_point>> {
        auto& s = self->state;
        ++s.served;
        auto h = s.market->iv_history(symbol);
        if (h.empty()) return unknown("iv history", symbol);
        std::vector<iv_point> out;
        out.reserve(h.size());
        for (auto& [day, iv] : h)
          out.push_back(iv_point{day, iv});
        return out;
      },
      [=](atom::status) { return self->state.life.health(sim_source_state::name); },
      [=](atom::crash) { crash_now(self, sim_source_state::name); },
  };
}

} // namespace

source_actor spawn_sim_source(caf::actor_system& sys, settings_ptr cfg,
                              std::shared_ptr<const sim::market> market,
                              timestamp sim_origin) {
  return sys.spawn(sim_source, std::move(cfg), std::move(market), sim_origin);
}

} // namespace sc::actors
