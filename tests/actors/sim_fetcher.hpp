// A FETCHER stand-in for actor tests: serves a simulated market directly, with chosen
// symbols failing (not_found) or silent (bars never answered, so requests time out).
#pragma once

#include "adapters/sim/market.hpp"
#include "messages/actors.hpp"
#include "messages/caf_errors.hpp"

#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace sc::test {

using namespace std::chrono_literals;

/// Serves the simulated market; symbols in `failing` answer not_found for bars and
/// fundamentals, symbols in `silent` never answer bars (their requests must time out).
struct mock_fetcher_state {
  static inline const char* name = "mock_fetcher";
  std::shared_ptr<const sim::market> market;
  std::set<std::string> failing;
  std::set<std::string> silent;
  std::vector<caf::typed_response_promise<bar_series>> held; ///< Never delivered.
  int64_t requests = 0;
};

inline fetcher_actor::behavior_type
mock_fetcher(fetcher_actor::stateful_pointer<mock_fetcher_state> self,
             std::shared_ptr<const sim::market> market, std::set<std::string> failing,
             std::set<std::string> silent) {
  self->state.market = std::move(market);
  self->state.failing = std::move(failing);
  self->state.silent = std::move(silent);
  auto& st = self->state;
  return {
      [=](atom::universe) { return self->state.market->universe(); },
      [=](atom::quote, const std::vector<std::string>& syms) {
        std::vector<quote> out;
        for (const auto& s : syms)
          if (auto q = self->state.market->quote_at(s, self->state.market->first_open()))
            out.push_back(*q);
        return out;
      },
      [=, &st](atom::bars, const std::string& s, int32_t n) -> caf::result<bar_series> {
        ++st.requests;
        if (st.silent.count(s)) {
          auto rp = self->make_response_promise<bar_series>();
          st.held.push_back(rp);
          return rp;
        }
        if (st.failing.count(s)) return make_error(ec::not_found, std::string{"mock"}, s);
        if (auto b = st.market->bars(s, n)) return std::move(*b);
        return make_error(ec::not_found, std::string{"mock"}, s);
      },
      [=, &st](atom::fundament, const std::string& s) -> caf::result<fundamentals> {
        ++st.requests;
        if (st.failing.count(s)) return make_error(ec::not_found, std::string{"mock"}, s);
        if (auto f = st.market->fundamentals_of(s)) return std::move(*f);
        return make_error(ec::not_found, std::string{"mock"}, s);
      },
      [=, &st](atom::chain, const std::string& s) -> caf::result<option_chain> {
        if (auto c = st.market->chain(s, st.market->first_open() + 1h))
          return std::move(*c);
        return make_error(ec::not_found, std::string{"mock"}, s);
      },
      [=, &st](atom::ivhist, const std::string& s) {
        std::vector<iv_point> out;
        for (auto [d, v] : st.market->iv_history(s))
          out.push_back(iv_point{d, v});
        return out;
      },
      [=](atom::sources) { return std::vector<source_status>{}; },
      [=](atom::retry, uint64_t) {},
      [=](atom::status) {
        return actor_health{"mock_fetcher", lifecycle::running, 0, ""};
      },
      [=](atom::crash) { self->quit(); },
  };
}

/// One simulated market per universe size, built once per test binary.
inline std::shared_ptr<const sim::market> sim_market(int size) {
  static std::map<int, std::shared_ptr<const sim::market>> cache;
  auto& m = cache[size];
  if (!m) {
    config::sim_settings s;
    s.universe_size = size;
    m = std::make_shared<const sim::market>(s);
  }
  return m;
}

} // namespace sc::test
