// Intraday quotes of the simulated market on its clock.
#include <catch2/catch.hpp>

#include "adapters/sim/calendar.hpp"
#include "adapters/sim/market.hpp"

#include <algorithm>
#include <cmath>

using namespace sc;
using sim::market;
using namespace std::chrono_literals;

namespace {
const market& mkt() {
  static const market m{[] {
    config::sim_settings s;
    s.universe_size = 200;
    return s;
  }()};
  return m;
}
} // namespace

TEST_CASE("quotes open from the last history close", "[sim][quotes]") {
  const market& m = mkt();
  std::vector<double> gaps;
  for (const auto& s : m.universe()) {
    const auto b = m.bars(s.symbol, 2);
    const double last_close = b->close[1];
    // Before the first session: the last close, timed at that day's close.
    const auto pre = m.quote_at(s.symbol, m.first_open() - 1min);
    REQUIRE(pre);
    CHECK(pre->last == last_close);
    CHECK(pre->prev_close == b->close[0]);
    CHECK(pre->time == sim::session_close(b->date[1]));
    CHECK(pre->meta.source == "sim");
    // At the open: the previous close is the last bar's close; the open gap is small.
    const auto open = m.quote_at(s.symbol, m.first_open());
    CHECK(open->prev_close == last_close);
    CHECK(open->time == m.first_open());
    CHECK(open->volume == 0);
    gaps.push_back(std::abs(std::log(open->last / last_close)));
    CHECK(gaps.back() < 0.5);
  }
  std::sort(gaps.begin(), gaps.end());
  CHECK(gaps[gaps.size() / 2] < 0.02);
}

TEST_CASE("quotes are repeatable and time moves forward consistently", "[sim][quotes]") {
  const market& m = mkt();
  for (size_t i = 0; i < m.universe().size(); i += 10) {
    const auto& sym = m.universe()[i].symbol;
    timestamp prev_time{};
    double prev_volume = -1;
    day_number prev_day = 0;
    // Every 7 simulated minutes across three sessions and the nights between.
    for (int k = 0; k < 3 * 24 * 60 / 7; ++k) {
      const timestamp t = m.first_open() + std::chrono::minutes{7 * k};
      const auto q = m.quote_at(sym, t);
      REQUIRE(q);
      const auto again = m.quote_at(sym, t);
      CHECK(q->last == again->last);
      CHECK(q->bid == again->bid);
      CHECK(q->ask_size == again->ask_size);
      CHECK(q->time <= t);
      CHECK(q->time >= prev_time);
      CHECK(q->bid > 0);
      CHECK(q->bid < q->ask);
      CHECK(q->bid <= q->last);
      CHECK(q->last <= q->ask);
      CHECK(q->bid_size >= 100);
      const day_number d = sim::ny_day(q->time);
      if (d == prev_day) CHECK(q->volume >= prev_volume);
      prev_day = d;
      prev_volume = q->volume;
      prev_time = q->time;
    }
  }
}

TEST_CASE("a session's quotes end at the day's close and roll into the next day",
          "[sim][quotes]") {
  const market& m = mkt();
  const day_number d0 = m.start_day();
  const day_number d1 = sim::next_trading_day(d0);
  for (size_t i = 0; i < 50; ++i) {
    const auto& sym = m.universe()[i].symbol;
    const auto after_close = m.quote_at(sym, sim::session_close(d0) + 2h);
    const auto last_tick = m.quote_at(sym, sim::session_close(d0) - 1s);
    const auto next_open = m.quote_at(sym, sim::session_open(d1));
    const auto next_pre = m.quote_at(sym, sim::session_open(d1) - 1s);
    // Overnight the quote is frozen at the close, and the next day knows it as
    // prev_close.
    CHECK(next_pre->last == after_close->last);
    CHECK(next_open->prev_close == after_close->last);
    // The last grid point of the session is a short step from the close.
    CHECK(std::abs(std::log(last_tick->last / after_close->last)) < 0.05);
    CHECK(after_close->volume >= last_tick->volume);
  }
}

TEST_CASE("intraday moves have the variance the daily model gives them",
          "[sim][quotes]") {
  // The bridge between open and close: over many symbols, the squared log change from
  // the open to mid-session, relative to the daily variance, averages about half the
  // intraday share (a Brownian bridge at its midpoint has variance v/4 around a line).
  const market& m = mkt();
  double sum_sq = 0, sum_var = 0;
  for (const auto& s : m.universe()) {
    const auto p = m.profile_of(s.symbol);
    const auto o = m.quote_at(s.symbol, m.first_open());
    const auto mid = m.quote_at(s.symbol, m.first_open() + 195min);
    const auto c = m.quote_at(s.symbol, m.first_open() + 8h);
    const double line = 0.5 * std::log(c->last / o->last);
    const double dev = std::log(mid->last / o->last) - line;
    sum_sq += dev * dev;
    sum_var += p->vol * p->vol / 252.0;
  }
  const double ratio = sum_sq / sum_var; // expect about 0.8 / 4 = 0.2
  CHECK(ratio > 0.08);
  CHECK(ratio < 0.45);
}

TEST_CASE("spreads are wider for smaller, less liquid names", "[sim][quotes]") {
  const market& m = mkt();
  std::vector<std::pair<double, double>> by_liq; // (dollar volume, relative spread)
  for (const auto& s : m.universe()) {
    const auto q = m.quote_at(s.symbol, m.first_open() + 3h);
    const auto b = m.bars(s.symbol, 20);
    double dv = 0;
    for (size_t i = 0; i < b->size(); ++i)
      dv += b->close[i] * b->volume[i];
    by_liq.emplace_back(dv, (q->ask - q->bid) / q->mid());
  }
  std::sort(by_liq.begin(), by_liq.end());
  const size_t n = by_liq.size(), third = n / 3;
  double low = 0, high = 0;
  for (size_t i = 0; i < third; ++i) {
    low += by_liq[i].second;
    high += by_liq[n - 1 - i].second;
  }
  CHECK(low > 1.5 * high);
}

TEST_CASE("index symbols quote too", "[sim][quotes]") {
  const market& m = mkt();
  for (const auto& sym : m.index_symbols()) {
    const auto q = m.quote_at(sym, m.first_open() + 1h);
    REQUIRE(q);
    CHECK(q->last > 0);
    const auto b = m.bars(sym, 1);
    CHECK(q->prev_close == b->close[0]);
  }
  const auto tnx = m.quote_at("TNX", m.first_open() + 1h);
  CHECK(tnx->last > 0.2);
  CHECK(tnx->last < 12);
  CHECK(std::isnan(tnx->bid)); // an index has no book
  const auto etf = m.quote_at("XSIT", m.first_open() + 1h);
  CHECK(etf->bid < etf->ask);
}

TEST_CASE("times past the horizon show the last simulated close", "[sim][quotes]") {
  config::sim_settings s;
  s.universe_size = 5;
  s.horizon_days = 3;
  const market m(s);
  const auto& sym = m.universe()[0].symbol;
  const auto far = m.quote_at(sym, m.first_open() + std::chrono::hours{24 * 400});
  const auto later = m.quote_at(sym, m.first_open() + std::chrono::hours{24 * 800});
  REQUIRE(far);
  CHECK(far->last == later->last);
  CHECK(far->time == later->time);
}
