// CAF inspect() overloads for every value type that travels as a message. The types
// themselves are CAF-free (data.hpp, reports.hpp); ADL finds these overloads.
#pragma once

#include "messages/data.hpp"
#include "messages/reports.hpp"

#include <caf/deserializer.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/serializer.hpp>

#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

namespace sc {

namespace detail {

// CAF 0.17's serializer packs doubles with a normalising loop that turns NaN into
// garbage and never ends on infinity. Our values use NaN for "unknown", so doubles
// travel as their IEEE-754 bit pattern instead; printing still shows the number.
struct f64 {
  double* x;
};
struct f64_vec {
  std::vector<double>* x;
};

template <class Inspector> typename Inspector::result_type inspect(Inspector& f, f64& v) {
  if constexpr (std::is_base_of<caf::serializer, Inspector>::value) {
    uint64_t bits;
    std::memcpy(&bits, v.x, sizeof bits);
    return f(bits);
  } else if constexpr (std::is_base_of<caf::deserializer, Inspector>::value) {
    uint64_t bits = 0;
    auto err = f(bits);
    if (!err) std::memcpy(v.x, &bits, sizeof bits);
    return err;
  } else {
    return f(*v.x);
  }
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, f64_vec& v) {
  if constexpr (std::is_base_of<caf::serializer, Inspector>::value) {
    std::vector<uint64_t> bits(v.x->size());
    if (!bits.empty())
      std::memcpy(bits.data(), v.x->data(), bits.size() * sizeof(double));
    return f(bits);
  } else if constexpr (std::is_base_of<caf::deserializer, Inspector>::value) {
    std::vector<uint64_t> bits;
    auto err = f(bits);
    if (!err) {
      v.x->resize(bits.size());
      if (!bits.empty())
        std::memcpy(v.x->data(), bits.data(), bits.size() * sizeof(double));
    }
    return err;
  } else {
    return f(*v.x);
  }
}

} // namespace detail

inline detail::f64 nan_safe(double& x) {
  return {&x};
}
inline detail::f64_vec nan_safe(std::vector<double>& x) {
  return {&x};
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, provenance& x) {
  return f(caf::meta::type_name("provenance"), x.source, x.fetched, x.stale);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, security& x) {
  return f(caf::meta::type_name("security"), x.symbol, x.name, x.sector, x.exchange,
           nan_safe(x.market_cap), x.origin);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fundamentals& x) {
  return f(caf::meta::type_name("fundamentals"), x.symbol, nan_safe(x.revenue_growth),
           nan_safe(x.eps_growth), nan_safe(x.eps), nan_safe(x.pe_ratio),
           nan_safe(x.insider_ownership), nan_safe(x.institutional_ownership),
           nan_safe(x.short_interest), nan_safe(x.float_shares),
           nan_safe(x.shares_outstanding), x.meta);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bar_series& x) {
  return f(caf::meta::type_name("bar_series"), x.symbol, x.date, nan_safe(x.open),
           nan_safe(x.high), nan_safe(x.low), nan_safe(x.close), nan_safe(x.volume),
           x.meta);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, quote& x) {
  return f(caf::meta::type_name("quote"), x.symbol, nan_safe(x.bid), nan_safe(x.ask),
           nan_safe(x.last), nan_safe(x.prev_close), nan_safe(x.volume), x.bid_size,
           x.ask_size, x.time, x.meta);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, option_quote& x) {
  return f(caf::meta::type_name("option_quote"), x.contract, x.underlying, x.type,
           x.style, nan_safe(x.strike), x.expiry, nan_safe(x.bid), nan_safe(x.ask),
           nan_safe(x.last), x.volume, x.open_interest, x.bid_size, x.ask_size,
           x.quote_time, nan_safe(x.provider_iv));
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, option_chain& x) {
  return f(caf::meta::type_name("option_chain"), x.underlying, nan_safe(x.spot),
           nan_safe(x.rate), nan_safe(x.dividend_yield), x.as_of, x.contracts, x.meta);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, iv_point& x) {
  return f(caf::meta::type_name("iv_point"), x.day, nan_safe(x.iv));
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, factor_score& x) {
  return f(caf::meta::type_name("factor_score"), x.name, nan_safe(x.raw),
           nan_safe(x.score), nan_safe(x.weight));
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, candidate& x) {
  return f(caf::meta::type_name("candidate"), x.symbol, x.name, x.sector,
           nan_safe(x.price), nan_safe(x.market_cap), nan_safe(x.score), x.factors,
           x.patterns);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, reason_count& x) {
  return f(caf::meta::type_name("reason_count"), x.reason, x.count);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, scan_report& x) {
  return f(caf::meta::type_name("scan_report"), x.cycle, x.time, x.universe_size,
           x.passed, x.rejections, x.candidates, x.errors, nan_safe(x.duration_ms));
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, option_idea& x) {
  return f(caf::meta::type_name("option_idea"), x.contract, x.underlying, x.type, x.style,
           nan_safe(x.strike), x.expiry, x.days, nan_safe(x.spot), nan_safe(x.bid),
           nan_safe(x.ask), nan_safe(x.mid), nan_safe(x.iv), nan_safe(x.delta),
           nan_safe(x.gamma), nan_safe(x.vega), nan_safe(x.theta), nan_safe(x.rho),
           nan_safe(x.iv_percentile), nan_safe(x.iv_rank), nan_safe(x.pop),
           nan_safe(x.pop_risk_neutral), nan_safe(x.expected_return),
           nan_safe(x.breakeven), nan_safe(x.liquidity), nan_safe(x.score), x.factors);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, option_report& x) {
  return f(caf::meta::type_name("option_report"), x.underlying, nan_safe(x.spot),
           nan_safe(x.iv30), x.analysed, x.excluded, x.exclusions, x.ideas, x.error);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, trade_proposal& x) {
  return f(caf::meta::type_name("trade_proposal"), x.idea, x.sector, x.quantity,
           nan_safe(x.price), nan_safe(x.underlying_returns));
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, risk_decision& x) {
  return f(caf::meta::type_name("risk_decision"), x.proposal, x.decision, x.quantity,
           x.reason);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, position_view& x) {
  return f(caf::meta::type_name("position_view"), x.symbol, x.underlying, x.sector,
           x.is_option, x.type, nan_safe(x.strike), x.expiry, x.quantity,
           nan_safe(x.avg_cost), nan_safe(x.mark), nan_safe(x.market_value),
           nan_safe(x.unrealized), nan_safe(x.delta), nan_safe(x.stop),
           nan_safe(x.target));
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, portfolio_snapshot& x) {
  return f(caf::meta::type_name("portfolio_snapshot"), x.time, nan_safe(x.cash),
           nan_safe(x.equity), nan_safe(x.realized), nan_safe(x.unrealized),
           nan_safe(x.drawdown), x.positions, x.fills);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, exposure& x) {
  return f(caf::meta::type_name("exposure"), x.name, nan_safe(x.fraction));
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, risk_report& x) {
  return f(caf::meta::type_name("risk_report"), x.time, nan_safe(x.equity),
           nan_safe(x.var), nan_safe(x.cvar), nan_safe(x.confidence), nan_safe(x.delta),
           nan_safe(x.gamma), nan_safe(x.vega), nan_safe(x.theta), nan_safe(x.drawdown),
           nan_safe(x.sharpe), x.regime, x.sectors);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, cycle_report& x) {
  return f(caf::meta::type_name("cycle_report"), x.cycle, x.scan, x.options, x.decisions,
           x.opened, x.portfolio, x.risk, nan_safe(x.duration_ms));
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, actor_health& x) {
  return f(caf::meta::type_name("actor_health"), x.name, x.state, x.restarts,
           x.last_error);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, health_report& x) {
  return f(caf::meta::type_name("health_report"), x.node, x.healthy, x.actors);
}

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, source_status& x) {
  return f(caf::meta::type_name("source_status"), x.name, x.circuit, x.requests,
           x.failures, x.cache_hits, x.last_error);
}

} // namespace sc
