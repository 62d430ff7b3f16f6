// The simulated market: determinism, universe, fundamentals, bars and their statistics.
// Statistics are computed here directly from the generated bars (textbook moments,
// Pearson correlation, OLS beta), never taken from the simulator's own helpers.
#include <catch2/catch.hpp>

#include "adapters/sim/calendar.hpp"
#include "adapters/sim/market.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>
#include <thread>

using namespace sc;
using sim::market;

namespace {

const market& default_market() {
  static const market m{config::sim_settings{}};
  return m;
}

std::vector<double> log_returns(const bar_series& b) {
  std::vector<double> r;
  for (size_t i = 1; i < b.size(); ++i)
    r.push_back(std::log(b.close[i] / b.close[i - 1]));
  return r;
}

double mean(const std::vector<double>& x) {
  double s = 0;
  for (double v : x)
    s += v;
  return s / double(x.size());
}

double stdev(const std::vector<double>& x) {
  const double mu = mean(x);
  double s = 0;
  for (double v : x)
    s += (v - mu) * (v - mu);
  return std::sqrt(s / double(x.size() - 1));
}

double corr(const std::vector<double>& x, const std::vector<double>& y) {
  const double mx = mean(x), my = mean(y);
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

double median(std::vector<double> x) {
  std::sort(x.begin(), x.end());
  return x[x.size() / 2];
}

bool same(double a, double b) {
  return (std::isnan(a) && std::isnan(b)) || a == b;
}

bool same_bars(const bar_series& a, const bar_series& b) {
  if (a.size() != b.size() || a.date != b.date) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!same(a.open[i], b.open[i]) || !same(a.high[i], b.high[i]) ||
        !same(a.low[i], b.low[i]) || !same(a.close[i], b.close[i]) ||
        !same(a.volume[i], b.volume[i]))
      return false;
  return true;
}

} // namespace

TEST_CASE("the same seed gives identical output whatever the call order",
          "[sim][determinism]") {
  config::sim_settings s;
  s.universe_size = 120;
  const market a(s), b(s);
  REQUIRE(a.universe().size() == 120);
  for (size_t i = 0; i < a.universe().size(); ++i) {
    CHECK(a.universe()[i].symbol == b.universe()[i].symbol);
    CHECK(a.universe()[i].market_cap == b.universe()[i].market_cap);
  }
  // a: forward order, bars before quotes; b: reverse order, quotes (late time first)
  // before bars.
  const timestamp t1 = a.first_open() + std::chrono::minutes{200};
  const timestamp t2 = a.first_open() + std::chrono::hours{24 * 9};
  std::vector<bar_series> bars_a, bars_b(a.universe().size());
  std::vector<quote> q1a, q2a, q1b(a.universe().size()), q2b(a.universe().size());
  for (const auto& sec : a.universe()) {
    bars_a.push_back(*a.bars(sec.symbol, 0));
    q1a.push_back(*a.quote_at(sec.symbol, t1));
    q2a.push_back(*a.quote_at(sec.symbol, t2));
  }
  for (size_t k = b.universe().size(); k-- > 0;) {
    const auto& sym = b.universe()[k].symbol;
    q2b[k] = *b.quote_at(sym, t2);
    q1b[k] = *b.quote_at(sym, t1);
    bars_b[k] = *b.bars(sym, 0);
  }
  for (size_t k = 0; k < bars_a.size(); ++k) {
    CHECK(same_bars(bars_a[k], bars_b[k]));
    CHECK(same(q1a[k].last, q1b[k].last));
    CHECK(same(q1a[k].bid, q1b[k].bid));
    CHECK(q1a[k].volume == q1b[k].volume);
    CHECK(same(q2a[k].last, q2b[k].last));
    CHECK(same(q2a[k].ask, q2b[k].ask));
  }
  const auto fa = a.fundamentals_of(a.universe()[7].symbol);
  const auto fb = b.fundamentals_of(a.universe()[7].symbol);
  CHECK(same(fa->eps, fb->eps));
  CHECK(same(fa->short_interest, fb->short_interest));
  CHECK(a.iv_history("SCX") == b.iv_history("SCX"));
}

TEST_CASE("concurrent callers see the same values as a single caller",
          "[sim][determinism]") {
  config::sim_settings s;
  s.universe_size = 60;
  const market ref(s), shared(s);
  const timestamp t = ref.first_open() + std::chrono::hours{30};
  std::vector<std::vector<quote>> got(4);
  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w)
    threads.emplace_back([&, w] {
      for (const auto& sec : shared.universe())
        got[size_t(w)].push_back(
            *shared.quote_at(sec.symbol, t + std::chrono::seconds{w}));
    });
  for (auto& th : threads)
    th.join();
  for (int w = 0; w < 4; ++w)
    for (size_t k = 0; k < ref.universe().size(); ++k) {
      const auto q = *ref.quote_at(ref.universe()[k].symbol, t + std::chrono::seconds{w});
      CHECK(q.last == got[size_t(w)][k].last);
      CHECK(q.bid == got[size_t(w)][k].bid);
    }
}

TEST_CASE("different seeds give different markets", "[sim][determinism]") {
  config::sim_settings s;
  s.universe_size = 50;
  const market a(s);
  s.seed = 43;
  const market b(s);
  int same_symbol = 0;
  for (size_t i = 0; i < 50; ++i)
    same_symbol += a.universe()[i].symbol == b.universe()[i].symbol;
  CHECK(same_symbol < 5);
  CHECK(a.bars("SCX", 0)->close != b.bars("SCX", 0)->close);
}

TEST_CASE("the universe has unique plausible tickers, names, sectors and exchanges",
          "[sim][universe]") {
  const market& m = default_market();
  const auto& u = m.universe();
  REQUIRE(u.size() == 500);
  std::set<std::string> syms;
  std::map<std::string, int> sectors, exchanges;
  for (const auto& s : u) {
    CHECK(s.symbol.size() >= 2);
    CHECK(s.symbol.size() <= 5);
    CHECK(std::all_of(s.symbol.begin(), s.symbol.end(),
                      [](char c) { return c >= 'A' && c <= 'Z'; }));
    syms.insert(s.symbol);
    CHECK(s.name.size() > s.symbol.size());
    CHECK(std::isupper(static_cast<unsigned char>(s.name[0])));
    sectors[s.sector]++;
    exchanges[s.exchange]++;
    CHECK(s.origin == std::vector<std::string>{"sim"});
  }
  CHECK(syms.size() == u.size());
  for (const auto& idx : m.index_symbols())
    CHECK(syms.count(idx) == 0);
  CHECK(sectors.size() == 11);
  for (const auto& name : market::sector_names())
    CHECK(sectors[name] > 0);
  CHECK(exchanges.size() == 3);
  // Index symbols as promised.
  const auto idx = m.index_symbols();
  for (const char* want : {"SCX", "SVIX", "TNX", "XSHC", "XSIT", "XSFN"})
    CHECK(std::find(idx.begin(), idx.end(), want) != idx.end());
  CHECK(idx.size() == 14);
  CHECK_FALSE(m.bars("NOPE1", 10));
  CHECK_FALSE(m.quote_at("NOPE1", m.first_open()));
  CHECK_FALSE(m.fundamentals_of("SCX")); // indexes have no fundamentals
  CHECK_FALSE(m.chain("TNX", m.first_open()));
  CHECK(m.iv_history("NOPE1").empty());
}

TEST_CASE("market caps spread around the small-cap band with some outside it",
          "[sim][universe]") {
  const auto& u = default_market().universe();
  int outside = 0, below = 0, above = 0;
  for (const auto& s : u) {
    outside += s.market_cap < 300e6 || s.market_cap > 2e9;
    below += s.market_cap < 300e6;
    above += s.market_cap > 2e9;
  }
  const double share = double(outside) / double(u.size());
  CHECK(share > 0.12);
  CHECK(share < 0.30);
  CHECK(below > 10);
  CHECK(above > 10);
}

TEST_CASE("fundamentals are consistent with price, shares and each other",
          "[sim][fundamentals]") {
  const market& m = default_market();
  int losses = 0;
  for (const auto& s : m.universe()) {
    const auto f = m.fundamentals_of(s.symbol);
    REQUIRE(f);
    const auto b = m.bars(s.symbol, 1);
    REQUIRE(b->size() == 1);
    const double price = b->close[0];
    CHECK(f->meta.source == "sim");
    CHECK(s.market_cap == Approx(price * f->shares_outstanding).epsilon(1e-12));
    if (f->eps > 0) {
      CHECK(f->pe_ratio == Approx(price / f->eps).epsilon(1e-12));
    } else {
      ++losses;
      CHECK(std::isnan(f->pe_ratio));
    }
    CHECK(f->float_shares <= f->shares_outstanding);
    CHECK(f->float_shares > 0);
    CHECK(f->short_interest <= f->float_shares);
    CHECK(f->insider_ownership + f->institutional_ownership <= 1.0);
    CHECK(f->insider_ownership > 0);
    CHECK(std::isfinite(f->revenue_growth));
    CHECK(std::isfinite(f->eps_growth));
  }
  const double loss_share = losses / double(m.universe().size());
  CHECK(loss_share > 0.15);
  CHECK(loss_share < 0.6);
}

TEST_CASE("bars cover the history on trading days and keep OHLC consistent",
          "[sim][bars]") {
  const market& m = default_market();
  const auto& dates = m.history_dates();
  REQUIRE(dates.size() == 756);
  CHECK(dates.back() == sim::to_day_number({2025, 12, 31})); // 2026-01-01 is a holiday
  CHECK(m.start_day() == sim::to_day_number({2026, 1, 2}));
  CHECK(std::find(dates.begin(), dates.end(), sim::to_day_number({2025, 12, 25})) ==
        dates.end());
  std::vector<std::string> syms{"SCX", "SVIX", "TNX", "XSEN"};
  for (size_t i = 0; i < 100; ++i)
    syms.push_back(m.universe()[i].symbol);
  for (const auto& sym : syms) {
    const auto b = m.bars(sym, 0);
    REQUIRE(b);
    REQUIRE(b->size() == 756);
    CHECK(b->date == dates);
    for (size_t i = 0; i < b->size(); ++i) {
      const int wd = sim::weekday(b->date[i]);
      CHECK((wd >= 1 && wd <= 5));
      CHECK(b->low[i] > 0);
      CHECK(b->low[i] <= std::min(b->open[i], b->close[i]));
      CHECK(b->high[i] >= std::max(b->open[i], b->close[i]));
      CHECK(b->volume[i] >= 0);
    }
    const auto tail = m.bars(sym, 20);
    REQUIRE(tail->size() == 20);
    CHECK(tail->close.back() == b->close.back());
    CHECK(tail->date.front() == b->date[736]);
  }
  // Stocks trade every day; the yield stays in a plausible band of percent.
  for (size_t i = 0; i < 20; ++i) {
    const auto b = m.bars(m.universe()[i].symbol, 0);
    CHECK(*std::min_element(b->volume.begin(), b->volume.end()) > 0);
  }
  const auto tnx = m.bars("TNX", 0);
  CHECK(*std::min_element(tnx->close.begin(), tnx->close.end()) > 0.2);
  CHECK(*std::max_element(tnx->close.begin(), tnx->close.end()) < 12);
}

TEST_CASE("realised volatility matches the configured levels", "[sim][stats]") {
  const market& m = default_market();
  std::vector<double> ratios, vols;
  for (const auto& s : m.universe()) {
    const auto r = log_returns(*m.bars(s.symbol, 0));
    const double realised = stdev(r) * std::sqrt(252.0);
    ratios.push_back(realised / m.profile_of(s.symbol)->vol);
    vols.push_back(realised);
  }
  CHECK(median(ratios) > 0.85);
  CHECK(median(ratios) < 1.2);
  CHECK(median(vols) == Approx(0.45).epsilon(0.25));
  // The index: one path, so only a loose band around market_vol.
  const double scx = stdev(log_returns(*m.bars("SCX", 0))) * std::sqrt(252.0);
  CHECK(scx > 0.18 * 0.6);
  CHECK(scx < 0.18 * 1.6);
}

TEST_CASE("daily returns have fat tails from jumps and regimes", "[sim][stats]") {
  const market& m = default_market();
  double m4 = 0, m2 = 0;
  size_t n = 0, beyond5 = 0;
  for (const auto& s : m.universe()) {
    auto r = log_returns(*m.bars(s.symbol, 0));
    const double mu = mean(r), sd = stdev(r);
    for (double x : r) {
      const double z = (x - mu) / sd;
      m2 += z * z;
      m4 += z * z * z * z;
      beyond5 += std::abs(z) > 5;
      ++n;
    }
  }
  const double kurtosis = (m4 / double(n)) / std::pow(m2 / double(n), 2);
  CHECK(kurtosis > 4.0);
  // A normal law gives P(|z| > 5) = 5.7e-7: about 0.2 of these in 377,500 returns.
  CHECK(beyond5 > 50);
}

TEST_CASE("stocks of one sector co-move more than stocks of different sectors",
          "[sim][stats]") {
  const market& m = default_market();
  std::vector<std::vector<double>> r;
  std::vector<std::string> sec;
  for (size_t i = 0; i < 160; ++i) {
    r.push_back(log_returns(*m.bars(m.universe()[i].symbol, 0)));
    sec.push_back(m.universe()[i].sector);
  }
  double within = 0, across = 0;
  int nw = 0, na = 0;
  for (size_t i = 0; i < r.size(); ++i)
    for (size_t j = i + 1; j < r.size(); ++j) {
      const double c = corr(r[i], r[j]);
      if (sec[i] == sec[j]) {
        within += c;
        ++nw;
      } else {
        across += c;
        ++na;
      }
    }
  within /= nw;
  across /= na;
  CHECK(across > 0.05); // the market factor
  CHECK(within > across + 0.04);
  // Sector ETFs follow their sector's stocks.
  const auto etf = log_returns(*m.bars("XSHC", 0));
  const auto scx = log_returns(*m.bars("SCX", 0));
  double c_same = 0, c_scx = 0;
  int k = 0;
  for (size_t i = 0; i < r.size(); ++i)
    if (sec[i] == "Health Care") {
      c_same += corr(r[i], etf);
      c_scx += corr(r[i], scx);
      ++k;
    }
  REQUIRE(k > 5);
  CHECK(c_same / k > c_scx / k);
}

TEST_CASE("the index is consistent with the stocks' market betas", "[sim][stats]") {
  const market& m = default_market();
  const auto x = log_returns(*m.bars("SCX", 0));
  const double mx = mean(x);
  double sxx = 0;
  for (double v : x)
    sxx += (v - mx) * (v - mx);
  std::vector<double> est, model;
  for (size_t i = 0; i < 300; ++i) {
    const auto& sym = m.universe()[i].symbol;
    const auto y = log_returns(*m.bars(sym, 0));
    const double my = mean(y);
    double sxy = 0;
    for (size_t t = 0; t < x.size(); ++t)
      sxy += (x[t] - mx) * (y[t] - my);
    est.push_back(sxy / sxx); // OLS slope
    model.push_back(m.profile_of(sym)->beta);
  }
  CHECK(mean(est) == Approx(mean(model)).margin(0.12));
  CHECK(corr(est, model) > 0.4);
  // The volatility index rises when the index falls.
  const auto svix = m.bars("SVIX", 0);
  std::vector<double> dv;
  for (size_t i = 1; i < svix->size(); ++i)
    dv.push_back(svix->close[i] - svix->close[i - 1]);
  CHECK(corr(dv, x) < -0.3);
  const double lo = *std::min_element(svix->close.begin(), svix->close.end());
  const double hi = *std::max_element(svix->close.begin(), svix->close.end());
  CHECK(lo > 6);
  CHECK(hi > lo * 1.5); // the regime shows
}

TEST_CASE("volume is tied to size and spikes on big moves", "[sim][stats]") {
  const market& m = default_market();
  std::vector<double> log_cap, log_vol;
  double spike_ratio = 0;
  int n = 0;
  for (const auto& s : m.universe()) {
    const auto b = m.bars(s.symbol, 0);
    const auto r = log_returns(*b);
    const double sd = stdev(r);
    double big = 0, calm = 0;
    int nb = 0, nc = 0;
    double vsum = 0;
    for (size_t i = 1; i < b->size(); ++i) {
      vsum += b->volume[i] * b->close[i];
      if (std::abs(r[i - 1]) > 2.5 * sd) {
        big += b->volume[i];
        ++nb;
      } else if (std::abs(r[i - 1]) < 0.5 * sd) {
        calm += b->volume[i];
        ++nc;
      }
    }
    log_cap.push_back(std::log(s.market_cap));
    log_vol.push_back(std::log(vsum / double(b->size())));
    if (nb > 0 && nc > 0) {
      spike_ratio += (big / nb) / (calm / nc);
      ++n;
    }
  }
  CHECK(corr(log_cap, log_vol) > 0.5);
  CHECK(spike_ratio / n > 1.5);
}

TEST_CASE("the universe scales to 10,000 symbols and keeps its first symbols",
          "[sim][universe][scale]") {
  config::sim_settings s;
  s.universe_size = 10'000;
  const market big(s);
  const auto& u = big.universe();
  REQUIRE(u.size() == 10'000);
  std::set<std::string> syms;
  for (const auto& sec : u)
    syms.insert(sec.symbol);
  CHECK(syms.size() == 10'000);
  const auto& small = default_market().universe();
  for (size_t i = 0; i < small.size(); ++i)
    CHECK(small[i].symbol == u[i].symbol);
  for (size_t i = 0; i < u.size(); i += 97) {
    const auto b = big.bars(u[i].symbol, 30);
    REQUIRE(b);
    CHECK(b->size() == 30);
  }
  const auto& last = u.back().symbol;
  CHECK(big.quote_at(last, big.first_open()));
  CHECK(big.chain(last, big.first_open() + std::chrono::hours{1}));
}

TEST_CASE("invalid settings are refused with the field named", "[sim][settings]") {
  config::sim_settings s;
  CHECK(market::validate(s).empty());
  s.universe_size = 0;
  CHECK(market::validate(s).find("universe_size") != std::string::npos);
  s = {};
  s.start_date = "2026-02-30";
  CHECK(market::validate(s).find("start_date") != std::string::npos);
  s = {};
  s.clock_speed = -1;
  CHECK(market::validate(s).find("clock_speed") != std::string::npos);
  CHECK_THROWS_AS(market(s), std::invalid_argument);
}
