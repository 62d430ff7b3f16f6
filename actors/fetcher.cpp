// The FETCHER actor: the single door to data.
//
// For every request it
//   1. answers from the memory cache when the entry is younger than its kind's TTL;
//   2. joins an identical request already in flight (one request per key);
//   3. otherwise asks the enabled sources in priority order, skipping a source whose
//      circuit is open, until one answers; a round that fails only with retryable
//      errors (throttled, timeout, unavailable) is retried after an exponential backoff
//      with jitter, up to data.retry.max_attempts rounds;
//   4. when every source failed, answers from the expired cache entry marked stale, or
//      with ec::unavailable (ec::not_found when every source said so).
//
// Circuit breaker per source:
//
//   closed --(breaker_failures consecutive failures)--> open
//   open   --(breaker_cooldown elapsed)---------------> half-open (one request passes)
//   half-open --success--> closed      half-open --failure--> open
//
// "Not found" is an answer, not a failure: it neither opens a circuit nor is retried.

#include "actors/actors.hpp"
#include "actors/common.hpp"
#include "actors/registry.hpp"

#include "analytics/scanner/universe.hpp"
#include "config/settings.hpp"

#include <caf/actor_clock.hpp>
#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <random>
#include <unordered_map>

namespace sc::actors {

namespace {

/// Time is read from the actor system's clock, the same one that runs the retry timers:
/// steady_clock in production, the simulated clock under the test coordinator (so TTLs
/// and circuit cooldowns can be tested deterministically with advance_time).
using clock_type = caf::actor_clock::clock_type;

/// One configured source as the fetcher tracks it.
struct source_entry {
  std::string name;
  caf::atom_value registry_name;
  int priority = 0;
  std::chrono::milliseconds timeout{5000};
  int consecutive_failures = 0;
  bool open = false;    ///< Circuit open (requests skip this source).
  bool probing = false; ///< Half-open: one request in flight.
  clock_type::time_point open_until{};
  int64_t requests = 0;
  int64_t failures = 0;
  std::string last_error;

  const char* circuit(clock_type::time_point now) const {
    if (!open) return "closed";
    return now >= open_until ? "half-open" : "open";
  }
};

template <class T> struct cache_entry {
  T value;
  clock_type::time_point expires;
};

/// Cache and in-flight requests of one kind of data.
template <class T> struct kind_state {
  std::unordered_map<std::string, cache_entry<T>> cache;
  std::unordered_map<std::string, std::vector<caf::typed_response_promise<T>>> pending;
};

struct fetcher_state {
  static inline const char* name = "fetcher";
  settings_ptr cfg;
  /// Enabled sources, by priority then configuration order.
  std::vector<source_entry> sources;
  kind_state<std::vector<security>> universe;
  kind_state<std::vector<quote>> quotes;
  kind_state<bar_series> bars;
  kind_state<fundamentals> fundamentals_;
  kind_state<option_chain> chains;
  kind_state<std::vector<iv_point>> ivhist;
  /// Retries waiting for their backoff to elapse, by id.
  std::unordered_map<uint64_t, std::function<void()>> retries;
  uint64_t next_retry = 0;
  int64_t cache_hits = 0;
  int64_t stale_answers = 0;
  std::minstd_rand jitter{20260101};
  lifecycle_state life;
};

using self_ptr = fetcher_actor::stateful_pointer<fetcher_state>;

// -- staleness marking (only values that carry provenance) ---------------------------

template <class T> void mark_stale(T& x) {
  x.meta.stale = true;
}
void mark_stale(std::vector<security>&) {}
void mark_stale(std::vector<iv_point>&) {}
void mark_stale(std::vector<quote>& xs) {
  for (auto& q : xs)
    q.meta.stale = true;
}

/// Outcome of one round over the sources.
struct round_state {
  bool retryable = false; ///< Some failure in this round is worth retrying.
  bool all_not_found = true;
  std::string last_error;
};

template <class T>
void finish(self_ptr self, kind_state<T> fetcher_state::*ks, const std::string& key,
            caf::expected<T> result) {
  auto& k = self->state.*ks;
  auto i = k.pending.find(key);
  if (i == k.pending.end()) return;
  auto promises = std::move(i->second);
  k.pending.erase(i);
  for (auto& rp : promises) {
    if (result)
      rp.deliver(*result);
    else
      rp.deliver(result.error());
  }
}

template <class T, class... Args>
void attempt(self_ptr self, kind_state<T> fetcher_state::*ks, const char* kind,
             std::string key, std::chrono::seconds ttl, size_t index, int round,
             round_state rs, std::tuple<Args...> args);

template <class T, class... Args>
void give_up_or_retry(self_ptr self, kind_state<T> fetcher_state::*ks, const char* kind,
                      std::string key, std::chrono::seconds ttl, int round,
                      round_state rs, std::tuple<Args...> args) {
  auto& st = self->state;
  auto& retry = st.cfg->data.retry;
  if (rs.retryable && round + 1 < retry.max_attempts) {
    auto base = retry.base_delay * (1 << std::min(round, 16));
    auto delay = std::min<std::chrono::milliseconds>(base, retry.max_delay);
    // Full jitter on the upper half: [delay/2, delay].
    std::uniform_real_distribution<double> u{0.5, 1.0};
    auto jittered = std::chrono::milliseconds{
        static_cast<int64_t>(static_cast<double>(delay.count()) * u(st.jitter))};
    auto id = ++st.next_retry;
    st.retries.emplace(id, [=] {
      attempt(self, ks, kind, key, ttl, 0, round + 1, round_state{}, args);
    });
    log::debug(fetcher_state::name, "retry_scheduled",
               {log::kv("kind", kind), log::kv("key", key), log::kv("round", round + 1),
                log::kv("delay_ms", static_cast<int64_t>(jittered.count()))});
    self->delayed_send(self, jittered, atom::retry::value, id);
    return;
  }
  auto& k = st.*ks;
  if (auto i = k.cache.find(key); i != k.cache.end() && !rs.all_not_found) {
    T stale = i->second.value;
    mark_stale(stale);
    ++st.stale_answers;
    log::warn(
        fetcher_state::name, "stale_answer",
        {log::kv("kind", kind), log::kv("key", key), log::kv("error", rs.last_error)});
    finish<T>(self, ks, key, std::move(stale));
    return;
  }
  auto code = rs.all_not_found ? ec::not_found : ec::unavailable;
  log::warn(fetcher_state::name, "fetch_failed",
            {log::kv("kind", kind), log::kv("key", key), log::kv("code", to_string(code)),
             log::kv("error", rs.last_error)});
  finish<T>(self, ks, key,
            caf::expected<T>{make_error(code, std::string{kind}, key, rs.last_error)});
}

/// Whether `src` may be asked now. A source whose cooldown is over lets exactly one
/// request through (half-open); one still cooling down, or already probing, is skipped
/// and noted in `rs` as worth a later round.
bool admit(source_entry& src, clock_type::time_point now, round_state& rs) {
  if (!src.open) return true;
  if (now < src.open_until || src.probing) {
    rs.retryable = true;
    rs.all_not_found = false;
    if (rs.last_error.empty()) rs.last_error = src.name + ": circuit open";
    return false;
  }
  src.probing = true;
  return true;
}

/// The source answered (with data, "not found" or "unsupported"): it works, so its
/// circuit closes (else a half-open probe answered "not found" would leave it
/// half-open, one request at a time, until some value came back).
void record_answer(source_entry& e) {
  e.consecutive_failures = 0;
  e.open = false;
  e.probing = false;
}

/// Books the outcome of a failed request in the source's counters, its circuit and the
/// round's summary.
void record_error(self_ptr self, source_entry& e, const caf::error& err,
                  round_state& rs) {
  auto code = code_of(err);
  e.probing = false;
  rs.last_error = e.name + ": " + describe(err);
  if (code == ec::not_found || code == ec::unsupported) {
    record_answer(e);
    if (code == ec::unsupported) rs.all_not_found = false;
    return;
  }
  rs.all_not_found = false;
  ++e.failures;
  e.last_error = rs.last_error;
  if (is_retryable(code)) rs.retryable = true;
  auto& retry = self->state.cfg->data.retry;
  if (++e.consecutive_failures >= retry.breaker_failures || e.open) {
    if (!e.open)
      log::warn(fetcher_state::name, "circuit_opened",
                {log::kv("source", e.name), log::kv("error", e.last_error)});
    e.open = true;
    e.open_until = self->clock().now() + retry.breaker_cooldown;
  }
}

template <class T, class... Args>
void attempt(self_ptr self, kind_state<T> fetcher_state::*ks, const char* kind,
             std::string key, std::chrono::seconds ttl, size_t index, int round,
             round_state rs, std::tuple<Args...> args) {
  auto& st = self->state;
  auto now = self->clock().now();
  // Find the next source that may be asked.
  for (; index < st.sources.size(); ++index) {
    auto& src = st.sources[index];
    if (!admit(src, now, rs)) continue;
    auto handle = lookup<source_actor>(self->system(), src.registry_name);
    if (!handle) {
      rs.all_not_found = false;
      rs.last_error = src.name + ": not running";
      src.probing = false;
      continue;
    }
    break;
  }
  if (index >= st.sources.size()) {
    give_up_or_retry<T>(self, ks, kind, std::move(key), ttl, round, std::move(rs),
                        std::move(args));
    return;
  }
  auto& src = st.sources[index];
  ++src.requests;
  auto handle = lookup<source_actor>(self->system(), src.registry_name);
  auto on_ok = [=](T value) {
    auto& s = self->state;
    record_answer(s.sources[index]);
    (s.*ks).cache[key] = cache_entry<T>{value, self->clock().now() + ttl};
    finish<T>(self, ks, key, std::move(value));
  };
  auto on_err = [=](caf::error& err) mutable {
    record_error(self, self->state.sources[index], err, rs);
    attempt(self, ks, kind, key, ttl, index + 1, round, rs, args);
  };
  std::apply(
      [&](auto&... xs) { self->request(handle, src.timeout, xs...).then(on_ok, on_err); },
      args);
}

/// Entry point of every data request.
template <class T, class... Args>
caf::result<T> fetch(self_ptr self, kind_state<T> fetcher_state::*ks, const char* kind,
                     std::string key, std::chrono::seconds ttl, Args... args) {
  auto& st = self->state;
  auto& k = st.*ks;
  if (auto i = k.cache.find(key); i != k.cache.end()) {
    if (self->clock().now() < i->second.expires) {
      ++st.cache_hits;
      return i->second.value;
    }
  }
  auto rp = self->make_response_promise<T>();
  auto [it, fresh] = k.pending.try_emplace(key);
  it->second.push_back(rp);
  if (fresh)
    attempt<T>(self, ks, kind, std::move(key), ttl, 0, 0, round_state{},
               std::make_tuple(args...));
  return rp;
}

/// The universe is the union of every source's list (each stock keeps the lists it came
/// from), not the first answer: a screener, a trending list and the simulated market
/// each contribute. Sources are asked at once; the merged list is cached like any
/// other value, and when no source answers the stale list or an error is returned.
caf::result<std::vector<security>> fetch_universe(self_ptr self) {
  using list = std::vector<security>;
  auto& st = self->state;
  auto& k = st.universe;
  const std::string key = "*";
  if (auto i = k.cache.find(key);
      i != k.cache.end() && self->clock().now() < i->second.expires) {
    ++st.cache_hits;
    return i->second.value;
  }
  auto rp = self->make_response_promise<list>();
  auto [it, fresh] = k.pending.try_emplace(key);
  it->second.push_back(rp);
  if (!fresh) return rp;
  struct gather {
    std::vector<list> lists; ///< By source priority.
    std::vector<bool> answered;
    size_t pending = 0;
    round_state rs;
  };
  auto g = std::make_shared<gather>();
  g->lists.resize(st.sources.size());
  g->answered.resize(st.sources.size());
  auto conclude = [self, g] {
    auto& s = self->state;
    if (std::find(g->answered.begin(), g->answered.end(), true) == g->answered.end()) {
      // No retry round for the union: report like a final round.
      give_up_or_retry<list>(self, &fetcher_state::universe, "universe", "*",
                             s.cfg->data.cache.universe, s.cfg->data.retry.max_attempts,
                             g->rs, std::make_tuple(atom::universe::value));
      return;
    }
    auto merged = scan::merge_universe(g->lists, {});
    s.universe.cache["*"] =
        cache_entry<list>{merged, self->clock().now() + s.cfg->data.cache.universe};
    finish<list>(self, &fetcher_state::universe, "*", std::move(merged));
  };
  auto now = self->clock().now();
  std::vector<std::pair<size_t, source_actor>> asked;
  for (size_t i = 0; i < st.sources.size(); ++i) {
    auto& src = st.sources[i];
    if (!admit(src, now, g->rs)) continue;
    auto handle = lookup<source_actor>(self->system(), src.registry_name);
    if (!handle) {
      g->rs.all_not_found = false;
      g->rs.last_error = src.name + ": not running";
      src.probing = false;
      continue;
    }
    asked.emplace_back(i, std::move(handle));
  }
  g->pending = asked.size();
  if (asked.empty()) {
    conclude();
    return rp;
  }
  for (auto& [i, handle] : asked) {
    auto idx = i;
    ++st.sources[idx].requests;
    self->request(handle, st.sources[idx].timeout, atom::universe::value)
        .then(
            [=](list& xs) {
              record_answer(self->state.sources[idx]);
              g->lists[idx] = std::move(xs);
              g->answered[idx] = true;
              if (--g->pending == 0) conclude();
            },
            [=](caf::error& err) {
              record_error(self, self->state.sources[idx], err, g->rs);
              if (--g->pending == 0) conclude();
            });
  }
  return rp;
}

fetcher_actor::behavior_type fetcher(self_ptr self, settings_ptr cfg) {
  guard_exceptions(self, fetcher_state::name);
  auto& st = self->state;
  st.cfg = cfg;
  for (auto& s : cfg->data.sources) {
    if (!s.enabled) continue;
    source_entry e;
    e.name = s.name;
    e.registry_name = source_name(s.name);
    e.priority = s.priority;
    e.timeout = s.timeout;
    st.sources.push_back(std::move(e));
  }
  std::stable_sort(st.sources.begin(), st.sources.end(),
                   [](auto& a, auto& b) { return a.priority < b.priority; });
  if (st.sources.empty()) {
    log::error(fetcher_state::name, "no_sources");
    st.life.degrade("no enabled data source");
  } else {
    st.life.state = lifecycle::running;
  }
  const auto& ttl = cfg->data.cache;
  return {
      [=](atom::universe) { return fetch_universe(self); },
      [=](atom::quote, std::vector<std::string> symbols) {
        std::string key;
        for (auto& s : symbols) {
          key += s;
          key += ',';
        }
        return fetch(self, &fetcher_state::quotes, "quotes", std::move(key), ttl.quotes,
                     atom::quote::value, std::move(symbols));
      },
      [=](atom::bars, std::string symbol, int32_t days) {
        auto key = symbol + "/" + std::to_string(days);
        return fetch(self, &fetcher_state::bars, "bars", std::move(key), ttl.bars,
                     atom::bars::value, std::move(symbol), days);
      },
      [=](atom::fundament, std::string symbol) {
        auto key = symbol;
        return fetch(self, &fetcher_state::fundamentals_, "fundamentals", std::move(key),
                     ttl.fundamentals, atom::fundament::value, std::move(symbol));
      },
      [=](atom::chain, std::string symbol) {
        auto key = symbol;
        return fetch(self, &fetcher_state::chains, "chain", std::move(key), ttl.chains,
                     atom::chain::value, std::move(symbol));
      },
      [=](atom::ivhist, std::string symbol) {
        auto key = symbol;
        return fetch(self, &fetcher_state::ivhist, "ivhist", std::move(key), ttl.bars,
                     atom::ivhist::value, std::move(symbol));
      },
      [=](atom::sources) {
        auto& s = self->state;
        auto now = self->clock().now();
        std::vector<source_status> out;
        for (auto& e : s.sources)
          out.push_back(source_status{e.name, e.circuit(now), e.requests, e.failures,
                                      s.cache_hits, e.last_error});
        return out;
      },
      [=](atom::retry, uint64_t id) {
        auto& s = self->state;
        auto i = s.retries.find(id);
        if (i == s.retries.end()) return;
        auto f = std::move(i->second);
        s.retries.erase(i);
        f();
      },
      [=](atom::status) {
        auto& s = self->state;
        auto h = s.life.health(fetcher_state::name);
        auto now = self->clock().now();
        for (auto& e : s.sources)
          if (e.open && now < e.open_until) {
            h.state = lifecycle::degraded;
            h.last_error = e.name + ": circuit open: " + e.last_error;
          }
        return h;
      },
      [=](atom::crash) { crash_now(self, fetcher_state::name); },
  };
}

} // namespace

fetcher_actor spawn_fetcher(caf::actor_system& sys, settings_ptr cfg) {
  return sys.spawn(fetcher, std::move(cfg));
}

} // namespace sc::actors
