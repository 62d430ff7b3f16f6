#include "analytics/indicators/indicators.hpp"
#include "analytics/patterns/patterns.hpp"
#include "analytics/scanner/scoring.hpp"
#include "tests/analytics/scanner/synthetic.hpp"

#include <catch2/catch.hpp>

#include <numeric>

using namespace sc;
using scan::factor;

namespace {

size_t idx(factor f) {
  return static_cast<size_t>(f);
}

} // namespace

TEST_CASE("weights are normalised by their sum and bad weights are refused") {
  config::scanner_weights w; // defaults sum to 1.0
  auto r = scan::normalise_weights(w);
  REQUIRE(r.ok());
  CHECK(r.w[idx(factor::momentum)] == Approx(0.25));
  CHECK(r.w[idx(factor::portfolio_fit)] == Approx(0.05));
  w = {2, 2, 0, 0, 0, 0, 4};
  r = scan::normalise_weights(w);
  REQUIRE(r.ok());
  CHECK(r.w[idx(factor::momentum)] == Approx(0.25));
  CHECK(r.w[idx(factor::trend)] == Approx(0.25));
  CHECK(r.w[idx(factor::volume)] == 0);
  CHECK(r.w[idx(factor::portfolio_fit)] == Approx(0.5));
  CHECK(std::accumulate(r.w.begin(), r.w.end(), 0.0) == Approx(1.0));
  w.volume = -1;
  r = scan::normalise_weights(w);
  CHECK_FALSE(r.ok());
  CHECK(r.error.find("scanner.weights.volume") != std::string::npos);
  r = scan::normalise_weights({0, 0, 0, 0, 0, 0, 0});
  CHECK_FALSE(r.ok());
}

TEST_CASE("ramp and plateau map linearly and clamp") {
  CHECK(scan::ramp(0, -1, 1) == Approx(0.5));
  CHECK(scan::ramp(5, -1, 1) == 1);
  CHECK(scan::ramp(-5, -1, 1) == 0);
  CHECK(scan::ramp(20, 60, 10) == Approx(0.8)); // decreasing
  CHECK(std::isnan(scan::ramp(sc::nan, 0, 1)));
  CHECK(scan::plateau(0.2, 0.1, 0.3, 0.6, 1.2) == Approx(0.5));
  CHECK(scan::plateau(0.45, 0.1, 0.3, 0.6, 1.2) == 1);
  CHECK(scan::plateau(0.9, 0.1, 0.3, 0.6, 1.2) == Approx(0.5));
  CHECK(scan::plateau(1.5, 0.1, 0.3, 0.6, 1.2) == 0);
}

TEST_CASE("factor scores follow the documented formulas (hand-worked)") {
  scan::raw_inputs in;
  in.ret20 = 0.05;  // ramp(-0.15, 0.15) = 0.2/0.3
  in.ret60 = -0.06; // ramp(-0.3, 0.3) = 0.24/0.6 = 0.4
  in.rsi14 = 80;    // plateau(30,60,70,90) = 10/20 = 0.5
  CHECK(scan::momentum_score(in) == Approx(0.4 * (2.0 / 3) + 0.4 * 0.4 + 0.2 * 0.5));
  in.close = 110;
  in.sma50 = 100;  // +10% -> 1
  in.sma200 = 100; // +10% of a 20% band -> 0.75; cross 0 -> 0.5
  in.adx14 = 27.5; // ramp(15, 40) = 0.5
  CHECK(scan::trend_score(in) == Approx(0.5 + 0.25 * 0.75));
  in.adx14 = sc::nan; // strength 0: half the move
  CHECK(scan::trend_score(in) == Approx(0.5 + 0.25 * 0.5));
  in.rel_volume5 = 1.25; // ramp(0.5, 2) = 0.5
  in.obv_slope20 = 0.25; // ramp(-0.5, 0.5) = 0.75
  CHECK(scan::volume_score(in) == Approx(0.625));
  in.hist_vol20 = 0.9;                              // 0.5
  CHECK(scan::volatility_score(in) == Approx(0.5)); // beta unknown: HV alone
  in.beta60 = 2.4;                                  // (3 - 2.4) / 1.2 = 0.5
  CHECK(scan::volatility_score(in) == Approx(0.5));
  in.beta60 = 1.0;
  CHECK(scan::volatility_score(in) == Approx(0.75 * 0.5 + 0.25));
  in.revenue_growth = 0.15; // 0.5
  in.eps_growth = 0.125;    // 0.375/0.75 = 0.5
  in.pe = 35;               // ramp(60, 10) = 0.5
  CHECK(scan::fundamentals_score(in) == Approx(0.5));
  in.pe = 10;
  CHECK(scan::fundamentals_score(in) == Approx(0.4 * 0.5 + 0.3 * 0.5 + 0.3));
  in.negative_earnings = true;
  CHECK(scan::fundamentals_score(in) == Approx(0.4 * 0.5 + 0.3 * 0.5));
  in.pattern_bullish = 0.8;
  in.pattern_bearish = 0.2;
  CHECK(scan::patterns_score(in) == Approx(0.8));
  in.pattern_bullish = 3;
  CHECK(scan::patterns_score(in) == 1);
  CHECK(scan::portfolio_fit_score(in) == 1); // no holdings
  in.has_holdings = true;
  in.max_correlation = 0.6;
  in.sector_share = 0.25;
  CHECK(scan::portfolio_fit_score(in) == Approx(0.4 * 0.75));
  in.max_correlation = -0.5; // negative correlation is no penalty
  CHECK(scan::portfolio_fit_score(in) == Approx(0.75));
}

TEST_CASE("the breakdown's contributions add up to the composite") {
  scan::raw_inputs in;
  in.ret20 = 0.1;
  in.close = 12;
  in.sma50 = 11;
  in.hist_vol20 = 0.4;
  in.revenue_growth = 0.3;
  in.pattern_bullish = 0.4;
  config::scanner_weights cw{3, 1, 1, 1, 2, 1, 1};
  auto w = scan::normalise_weights(cw);
  REQUIRE(w.ok());
  auto b = scan::score(in, w.w);
  double sum = 0;
  for (double c : b.contribution)
    sum += c;
  CHECK(b.composite == Approx(sum).epsilon(1e-12));
  // The composite computed directly from the formulas, weights divided by their sum (10).
  const double direct =
      100 *
      (3 * scan::momentum_score(in) + scan::trend_score(in) +
       0.5 /* volume unknown: neutral */ + scan::volatility_score(in) +
       2 * scan::fundamentals_score(in) + scan::patterns_score(in) + 1) /
      10;
  CHECK(b.composite == Approx(direct).epsilon(1e-12));
  CHECK(b.missing[idx(factor::volume)]);
  CHECK(b.score[idx(factor::volume)] == 0.5);
  CHECK_FALSE(b.missing[idx(factor::momentum)]);
  CHECK(b.composite >= 0);
  CHECK(b.composite <= 100);
}

TEST_CASE("technical inputs match direct computations from the bars") {
  auto b = test::make_bars("X", 300, 20, 0.002, 0.02, 400'000, 11);
  scan::raw_inputs in;
  scan::compute_technical_inputs(b, nullptr, in);
  const size_t n = b.size();
  CHECK(in.close == b.close[n - 1]);
  CHECK(in.ret20 == Approx(b.close[n - 1] / b.close[n - 21] - 1).epsilon(1e-12));
  CHECK(in.ret60 == Approx(b.close[n - 1] / b.close[n - 61] - 1).epsilon(1e-12));
  double s50 = 0, s200 = 0;
  for (size_t i = n - 50; i < n; ++i)
    s50 += b.close[i];
  for (size_t i = n - 200; i < n; ++i)
    s200 += b.close[i];
  CHECK(in.sma50 == Approx(s50 / 50).epsilon(1e-12));
  CHECK(in.sma200 == Approx(s200 / 200).epsilon(1e-12));
  // OBV slope: signed volume of the last 20 bars over 20 x the 20-day average volume.
  double signed_vol = 0, avg = 0;
  for (size_t i = n - 20; i < n; ++i) {
    avg += b.volume[i] / 20;
    if (b.close[i] > b.close[i - 1])
      signed_vol += b.volume[i];
    else if (b.close[i] < b.close[i - 1])
      signed_vol -= b.volume[i];
  }
  CHECK(in.obv_slope20 == Approx(signed_vol / (20 * avg)).epsilon(1e-9));
  // 20-day annualised volatility of log returns (sample standard deviation).
  double m = 0, ss = 0;
  for (size_t i = n - 20; i < n; ++i)
    m += std::log(b.close[i] / b.close[i - 1]) / 20;
  for (size_t i = n - 20; i < n; ++i) {
    const double d = std::log(b.close[i] / b.close[i - 1]) - m;
    ss += d * d;
  }
  CHECK(in.hist_vol20 == Approx(std::sqrt(ss / 19 * 252)).epsilon(1e-9));
  CHECK(in.rsi14 > 0);
  CHECK(in.rsi14 < 100);
  CHECK(in.adx14 > 0);
  CHECK(std::isnan(in.beta60)); // no index
}

TEST_CASE("beta against the index uses the dates both series share") {
  auto idx_bars = test::make_bars("IDX", 200, 100, 0.0005, 0.01, 1e6, 5);
  // A stock whose log returns are exactly twice the index's: beta 2.
  bar_series s = idx_bars;
  s.symbol = "S";
  for (auto& c : s.close)
    c = c * c / 100;
  // Drop a few stock bars: alignment is by date, not position.
  for (size_t k : {190u, 150u, 120u}) {
    s.date.erase(s.date.begin() + k);
    s.close.erase(s.close.begin() + k);
    s.open.erase(s.open.begin() + k);
    s.high.erase(s.high.begin() + k);
    s.low.erase(s.low.begin() + k);
    s.volume.erase(s.volume.begin() + k);
  }
  scan::raw_inputs in;
  scan::compute_technical_inputs(s, &idx_bars, in);
  CHECK(in.beta60 == Approx(2.0).epsilon(1e-9));
}

TEST_CASE("a stronger uptrend scores higher on trend and momentum") {
  double prev_trend = -1, prev_mom = -1;
  for (double drift : {-0.004, -0.001, 0.0005, 0.002, 0.004}) {
    auto b = test::make_bars("X", 400, 20, drift, 0.01, 400'000, 3);
    scan::raw_inputs in;
    scan::compute_technical_inputs(b, nullptr, in);
    const double t = scan::trend_score(in), m = scan::momentum_score(in);
    INFO("drift " << drift << " trend " << t << " momentum " << m);
    CHECK(t > prev_trend);
    prev_trend = t;
    if (drift <= 0.002) { // beyond that RSI enters the overbought fade by design
      CHECK(m > prev_mom);
      prev_mom = m;
    }
  }
}

TEST_CASE("moderate volatility scores higher than dead or wild volatility") {
  auto score_for = [](double wiggle) {
    auto b = test::make_bars("X", 300, 20, 0, wiggle, 400'000, 9);
    scan::raw_inputs in;
    scan::compute_technical_inputs(b, nullptr, in);
    return scan::volatility_score(in);
  };
  // Uniform noise of amplitude a has sd a/sqrt(3): HV ~ a * sqrt(252/3).
  const double dead = score_for(0.002), moderate = score_for(0.05), wild = score_for(0.2);
  CHECK(moderate > dead);
  CHECK(moderate > wild);
}

TEST_CASE("portfolio fit: correlation with holdings and sector share") {
  auto a = test::make_bars("A", 200, 20, 0.001, 0.02, 1e6, 21);
  auto c = test::make_bars("C", 200, 20, 0.001, 0.02, 1e6, 22); // independent noise
  auto ha = scan::make_holding_returns(a, 60);
  ha.sector = "Energy";
  ha.value = 3000;
  auto hc = scan::make_holding_returns(c, 60);
  hc.sector = "Technology";
  hc.value = 1000;
  REQUIRE(ha.ret.size() == 60);
  // Holding the same stock: correlation 1, fit 0.
  CHECK(scan::return_correlation(a, ha, 60) == Approx(1.0));
  scan::raw_inputs in;
  scan::compute_fit_inputs(a, "Energy", {ha, hc}, 60, in);
  CHECK(in.max_correlation == Approx(1.0));
  CHECK(in.max_correlation_with == "A");
  CHECK(in.sector_share == Approx(0.75));
  CHECK(scan::portfolio_fit_score(in) == Approx(0).margin(1e-12));
  // Independent noise: low correlation; sector share of Technology = 1/4.
  scan::raw_inputs in2;
  scan::compute_fit_inputs(c, "Technology", {ha}, 60, in2);
  CHECK(std::abs(in2.max_correlation) < 0.4);
  CHECK(in2.sector_share == 0);
  // Correlation against a direct Pearson computation on the same 60 dates.
  std::vector<double> x, y;
  for (size_t i = 140; i < 200; ++i) {
    x.push_back(std::log(c.close[i] / c.close[i - 1]));
    y.push_back(std::log(a.close[i] / a.close[i - 1]));
  }
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / 60;
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / 60;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < 60; ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  CHECK(in2.max_correlation == Approx(sxy / std::sqrt(sxx * syy)).epsilon(1e-9));
}

TEST_CASE("pattern inputs sum bullish and bearish confidences") {
  std::vector<patterns::pattern_match> m(3);
  m[0].direction = 1;
  m[0].confidence = 0.7;
  m[1].direction = -1;
  m[1].confidence = 0.3;
  m[2].direction = 0;
  m[2].confidence = 0.9;
  scan::raw_inputs in;
  scan::compute_pattern_inputs(m, in);
  CHECK(in.pattern_bullish == Approx(0.7));
  CHECK(in.pattern_bearish == Approx(0.3));
  CHECK(scan::patterns_score(in) == Approx(0.7));
}

TEST_CASE("fundamental inputs derive P/E and flag negative earnings") {
  auto f = test::good_fundamentals("X");
  f.pe_ratio = sc::nan;
  f.eps = 2;
  scan::raw_inputs in;
  scan::compute_fundamental_inputs(&f, 30, in);
  CHECK(in.pe == Approx(15));
  CHECK_FALSE(in.negative_earnings);
  f.eps = -1;
  scan::raw_inputs in2;
  scan::compute_fundamental_inputs(&f, 30, in2);
  CHECK(in2.negative_earnings);
  CHECK(std::isnan(in2.pe));
}

TEST_CASE("technical inputs equal the batch indicators over the whole history") {
  // The scanner hands only the bars each last value needs to the indicators; over a
  // long history the result must agree with the full-series computation.
  for (uint64_t seed : {1u, 2u, 3u}) {
    auto b = test::make_bars("X", 504, 25, 0.0008, 0.03, 700'000, seed);
    scan::raw_inputs in;
    scan::compute_technical_inputs(b, nullptr, in);
    const double rsi = ind::rsi(b.close, 14).back();
    const double adx = ind::adx(b.high, b.low, b.close, 14).back();
    const double hv = ind::hist_vol(b.close, 20).back();
    const auto rv = ind::relative_volume(b.volume, 20);
    const auto obv = ind::obv(b.close, b.volume);
    const size_t n = b.size();
    double avg = 0;
    for (size_t i = n - 20; i < n; ++i)
      avg += b.volume[i] / 20;
    CHECK(in.rsi14 == Approx(rsi).epsilon(1e-9));
    CHECK(in.adx14 == Approx(adx).epsilon(1e-7)); // smoothed twice: see wilder_bars
    CHECK(in.hist_vol20 == Approx(hv).epsilon(1e-12));
    CHECK(in.sma200 == Approx(ind::sma(b.close, 200).back()).epsilon(1e-12));
    CHECK(in.rel_volume5 ==
          Approx((rv[n - 1] + rv[n - 2] + rv[n - 3] + rv[n - 4] + rv[n - 5]) / 5)
              .epsilon(1e-12));
    CHECK(in.obv_slope20 ==
          Approx((obv[n - 1] - obv[n - 21]) / (20 * avg)).epsilon(1e-9));
  }
}
