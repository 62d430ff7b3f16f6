#include "app/reports.hpp"

#include "analytics/calendar/calendar.hpp"

#include <boost/json.hpp>

#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <ostream>
#include <string>

namespace sc::app {

namespace json = boost::json;

namespace {

/// Numbers as JSON; NaN and infinities (unknown) become null.
json::value num(double x) {
  if (!std::isfinite(x)) return nullptr;
  return x;
}

std::string date_of(day_number d) {
  auto c = cal::civil_from_days(d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
  return buf;
}

std::string time_of(timestamp t) {
  auto ns = t.time_since_epoch().count();
  auto secs = ns / 1'000'000'000;
  auto d = static_cast<day_number>(secs >= 0 ? secs / 86400 : (secs - 86399) / 86400);
  auto s = secs - int64_t{d} * 86400;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02dZ", date_of(d).c_str(),
                static_cast<int>(s / 3600), static_cast<int>(s / 60 % 60),
                static_cast<int>(s % 60));
  return buf;
}

json::array factors(const std::vector<factor_score>& fs) {
  json::array out;
  for (auto& f : fs)
    out.push_back(json::object{{"name", f.name},
                               {"raw", num(f.raw)},
                               {"score", num(f.score)},
                               {"weight", num(f.weight)},
                               {"contribution", num(f.score * f.weight)}});
  return out;
}

json::array counts(const std::vector<reason_count>& rs) {
  json::array out;
  for (auto& r : rs)
    out.push_back(json::object{{"reason", r.reason}, {"count", r.count}});
  return out;
}

json::object idea_json(const option_idea& x) {
  return json::object{{"contract", x.contract},
                      {"underlying", x.underlying},
                      {"type", to_string(x.type)},
                      {"style", to_string(x.style)},
                      {"strike", num(x.strike)},
                      {"expiry", date_of(x.expiry)},
                      {"days", x.days},
                      {"spot", num(x.spot)},
                      {"bid", num(x.bid)},
                      {"ask", num(x.ask)},
                      {"mid", num(x.mid)},
                      {"iv", num(x.iv)},
                      {"greeks", json::object{{"delta", num(x.delta)},
                                              {"gamma", num(x.gamma)},
                                              {"vega", num(x.vega)},
                                              {"theta", num(x.theta)},
                                              {"rho", num(x.rho)}}},
                      {"iv_percentile", num(x.iv_percentile)},
                      {"iv_rank", num(x.iv_rank)},
                      {"probability_of_profit", num(x.pop)},
                      {"probability_of_profit_risk_neutral", num(x.pop_risk_neutral)},
                      {"expected_return", num(x.expected_return)},
                      {"breakeven", num(x.breakeven)},
                      {"liquidity", num(x.liquidity)},
                      {"score", num(x.score)},
                      {"factors", factors(x.factors)}};
}

} // namespace

json::value to_json(const scan_report& x) {
  json::array cands;
  int rank = 0;
  for (auto& c : x.candidates) {
    json::array pats;
    for (auto& p : c.patterns)
      pats.push_back(json::value(p));
    cands.push_back(json::object{{"rank", ++rank},
                                 {"symbol", c.symbol},
                                 {"name", c.name},
                                 {"sector", c.sector},
                                 {"price", num(c.price)},
                                 {"market_cap", num(c.market_cap)},
                                 {"score", num(c.score)},
                                 {"factors", factors(c.factors)},
                                 {"patterns", std::move(pats)}});
  }
  json::array errors;
  for (auto& e : x.errors)
    errors.push_back(json::value(e));
  return json::object{{"cycle", x.cycle},
                      {"time", time_of(x.time)},
                      {"universe_size", x.universe_size},
                      {"passed", x.passed},
                      {"rejections", counts(x.rejections)},
                      {"candidates", std::move(cands)},
                      {"errors", std::move(errors)},
                      {"duration_ms", num(x.duration_ms)}};
}

json::value to_json(const option_report& x) {
  json::array ideas;
  int rank = 0;
  for (auto& i : x.ideas) {
    auto o = idea_json(i);
    o["rank"] = ++rank;
    ideas.push_back(std::move(o));
  }
  json::object out{{"underlying", x.underlying},   {"spot", num(x.spot)},
                   {"iv30", num(x.iv30)},          {"analysed", x.analysed},
                   {"excluded", x.excluded},       {"exclusions", counts(x.exclusions)},
                   {"contracts", std::move(ideas)}};
  if (!x.error.empty()) out["error"] = x.error;
  return out;
}

json::value to_json(const risk_decision& x) {
  return json::object{{"contract", x.proposal.idea.contract},
                      {"underlying", x.proposal.idea.underlying},
                      {"sector", x.proposal.sector},
                      {"requested", x.proposal.quantity},
                      {"price", num(x.proposal.price)},
                      {"decision", to_string(x.decision)},
                      {"quantity", x.quantity},
                      {"reason", x.reason}};
}

json::value to_json(const portfolio_snapshot& x) {
  json::array pos;
  for (auto& p : x.positions)
    pos.push_back(json::object{
        {"symbol", p.symbol},
        {"underlying", p.underlying},
        {"sector", p.sector},
        {"option", p.is_option},
        {"type", to_string(p.type)},
        {"strike", num(p.strike)},
        {"expiry", p.is_option ? json::value(date_of(p.expiry)) : json::value(nullptr)},
        {"quantity", p.quantity},
        {"avg_cost", num(p.avg_cost)},
        {"mark", num(p.mark)},
        {"market_value", num(p.market_value)},
        {"unrealized", num(p.unrealized)},
        {"delta", num(p.delta)},
        {"stop", num(p.stop)},
        {"target", num(p.target)}});
  return json::object{{"time", time_of(x.time)},
                      {"cash", num(x.cash)},
                      {"equity", num(x.equity)},
                      {"realized", num(x.realized)},
                      {"unrealized", num(x.unrealized)},
                      {"drawdown", num(x.drawdown)},
                      {"fills", x.fills},
                      {"positions", std::move(pos)}};
}

json::value to_json(const risk_report& x) {
  json::array sectors;
  for (auto& s : x.sectors)
    sectors.push_back(json::object{{"sector", s.name}, {"fraction", num(s.fraction)}});
  return json::object{{"time", time_of(x.time)},
                      {"equity", num(x.equity)},
                      {"var", num(x.var)},
                      {"cvar", num(x.cvar)},
                      {"confidence", num(x.confidence)},
                      {"delta", num(x.delta)},
                      {"gamma", num(x.gamma)},
                      {"vega", num(x.vega)},
                      {"theta_per_day", num(x.theta)},
                      {"drawdown", num(x.drawdown)},
                      {"sharpe", num(x.sharpe)},
                      {"regime", x.regime},
                      {"sectors", std::move(sectors)}};
}

json::value to_json(const cycle_report& x) {
  json::array opts;
  for (auto& o : x.options)
    opts.push_back(to_json(o));
  json::array ds;
  for (auto& d : x.decisions)
    ds.push_back(to_json(d));
  json::array opened;
  for (auto& o : x.opened)
    opened.push_back(json::value(o));
  // The ranked candidates go to the top level; the rest of the scan stays under "scan".
  auto scan = to_json(x.scan);
  auto candidates = std::move(scan.as_object()["candidates"]);
  scan.as_object().erase("candidates");
  return json::object{{"cycle", x.cycle},
                      {"duration_ms", num(x.duration_ms)},
                      {"candidates", std::move(candidates)},
                      {"scan", std::move(scan)},
                      {"options", std::move(opts)},
                      {"decisions", std::move(ds)},
                      {"opened", std::move(opened)},
                      {"portfolio", to_json(x.portfolio)},
                      {"risk", to_json(x.risk)}};
}

json::value to_json(const health_report& x) {
  json::array actors;
  for (auto& a : x.actors)
    actors.push_back(json::object{{"name", a.name},
                                  {"state", to_string(a.state)},
                                  {"restarts", a.restarts},
                                  {"last_error", a.last_error}});
  return json::object{
      {"node", x.node}, {"healthy", x.healthy}, {"actors", std::move(actors)}};
}

// -- tables ----------------------------------------------------------------------------

namespace {

std::string fmt(const char* f, double x) {
  if (!std::isfinite(x)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, f, x);
  return buf;
}

std::string money(double x) {
  if (!std::isfinite(x)) return "-";
  char buf[64];
  if (std::fabs(x) >= 1e9)
    std::snprintf(buf, sizeof buf, "%.2fB", x / 1e9);
  else if (std::fabs(x) >= 1e6)
    std::snprintf(buf, sizeof buf, "%.1fM", x / 1e6);
  else
    std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

void line(std::ostream& out, const char* f, ...) __attribute__((format(printf, 2, 3)));
void line(std::ostream& out, const char* f, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, f);
  std::vsnprintf(buf, sizeof buf, f, ap);
  va_end(ap);
  out << buf << '\n';
}

} // namespace

void print_scan(std::ostream& out, const scan_report& x) {
  line(out, "Scan %llu: %lld symbols, %lld passed the filters, %.1f ms",
       static_cast<unsigned long long>(x.cycle), static_cast<long long>(x.universe_size),
       static_cast<long long>(x.passed), x.duration_ms);
  if (!x.rejections.empty()) {
    out << "Rejected:";
    for (auto& r : x.rejections)
      out << ' ' << r.reason << '=' << r.count;
    out << '\n';
  }
  if (!x.errors.empty())
    line(out, "Data errors: %zu (first: %s)", x.errors.size(), x.errors.front().c_str());
  out << '\n';
  std::string head = "  # symbol  sector                  price     mcap  score ";
  if (!x.candidates.empty())
    for (auto& f : x.candidates.front().factors) {
      char buf[16];
      std::snprintf(buf, sizeof buf, " %6.6s", f.name.c_str());
      head += buf;
    }
  head += "  patterns";
  out << head << '\n';
  int rank = 0;
  for (auto& c : x.candidates) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%3d %-7s %-20.20s %8s %8s  %5.3f ", ++rank,
                  c.symbol.c_str(), c.sector.c_str(), fmt("%.2f", c.price).c_str(),
                  money(c.market_cap).c_str(), c.score);
    out << buf;
    for (auto& f : c.factors)
      out << ' ' << std::string(6 - std::min<size_t>(6, fmt("%.2f", f.score).size()), ' ')
          << fmt("%.2f", f.score);
    out << "  ";
    for (size_t i = 0; i < c.patterns.size() && i < 3; ++i)
      out << (i ? "," : "") << c.patterns[i];
    out << '\n';
  }
}

void print_options(std::ostream& out, const option_report& x) {
  if (!x.error.empty()) {
    line(out, "%s: %s", x.underlying.c_str(), x.error.c_str());
    return;
  }
  line(out, "%s  spot %s  iv30 %s  contracts analysed %lld, excluded %lld",
       x.underlying.c_str(), fmt("%.2f", x.spot).c_str(), fmt("%.3f", x.iv30).c_str(),
       static_cast<long long>(x.analysed), static_cast<long long>(x.excluded));
  line(out,
       "  # contract               type  strike  expiry      days    bid    ask     iv"
       "   delta   gamma  theta/d    vega    pop  E[ret]  score");
  int rank = 0;
  for (auto& i : x.ideas)
    line(out,
         "%3d %-22s %-4s %7.2f  %s %4d %6.2f %6.2f %6.3f %7.3f %7.4f %8.4f %7.4f %6.3f "
         "%7.3f %6.3f",
         ++rank, i.contract.c_str(), to_string(i.type), i.strike,
         date_of(i.expiry).c_str(), i.days, i.bid, i.ask, i.iv, i.delta, i.gamma,
         i.theta / 365.0, i.vega, i.pop, i.expected_return, i.score);
}

void print_cycle(std::ostream& out, const cycle_report& x) {
  print_scan(out, x.scan);
  for (auto& o : x.options) {
    out << '\n';
    print_options(out, o);
  }
  if (!x.decisions.empty()) {
    out << "\nRisk decisions:\n";
    for (auto& d : x.decisions)
      line(out, "  %-22s %-7s %3lld -> %3lld  %s", d.proposal.idea.contract.c_str(),
           to_string(d.decision), static_cast<long long>(d.proposal.quantity),
           static_cast<long long>(d.quantity), d.reason.c_str());
  }
  auto& p = x.portfolio;
  line(out,
       "\nPortfolio: equity %.2f  cash %.2f  unrealized %.2f  realized %.2f  "
       "drawdown %.2f%%  positions %zu",
       p.equity, p.cash, p.unrealized, p.realized, 100 * p.drawdown, p.positions.size());
  for (auto& pos : p.positions)
    line(out, "  %-22s %4lld @ %7.3f  mark %7.3f  P&L %9.2f  stop %s target %s",
         pos.symbol.c_str(), static_cast<long long>(pos.quantity), pos.avg_cost, pos.mark,
         pos.unrealized, fmt("%.3f", pos.stop).c_str(), fmt("%.3f", pos.target).c_str());
  auto& r = x.risk;
  line(out,
       "Risk: VaR(%.0f%%, 1d) %.2f  CVaR %.2f  delta $%.0f  gamma %.2f  vega %.2f  "
       "theta/day %.2f  regime %s  Sharpe %s",
       100 * r.confidence, r.var, r.cvar, r.delta, r.gamma, r.vega, r.theta,
       r.regime.c_str(), fmt("%.2f", r.sharpe).c_str());
  line(out, "Cycle %llu completed in %.1f ms", static_cast<unsigned long long>(x.cycle),
       x.duration_ms);
}

} // namespace sc::app
