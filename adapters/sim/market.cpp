#include "adapters/sim/market.hpp"

#include "adapters/sim/calendar.hpp"
#include "adapters/sim/random.hpp"
#include "analytics/options/black_scholes.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>

namespace sc::sim {

namespace {

using detail::key;
using detail::stream;

constexpr double trading_days_per_year = 252.0;
constexpr int n_sectors = 11;
constexpr int iv_history_days = 252;

/// Purposes that separate the random streams of one instrument.
enum purpose : uint64_t {
  p_profile = 1,
  p_name = 2,
  p_path = 3,
  p_intraday = 4,
  p_quote = 5,
  p_option = 6,
  p_factor = 7,
};

/// Stream ids of the non-stock instruments: far above any universe index so that
/// changing universe_size never changes them.
constexpr uint64_t id_index_base = 1'000'000'000ULL;

// -- static tables ----------------------------------------------------------------------

const std::vector<std::string> k_sector_names = {"Energy",
                                                 "Materials",
                                                 "Industrials",
                                                 "Consumer Discretionary",
                                                 "Consumer Staples",
                                                 "Health Care",
                                                 "Financials",
                                                 "Information Technology",
                                                 "Communication Services",
                                                 "Utilities",
                                                 "Real Estate"};
const std::vector<std::string> k_sector_codes = {"EN", "MT", "IN", "CD", "CS", "HC",
                                                 "FN", "IT", "CM", "UT", "RE"};
/// Rough shares of small-cap listings per sector (sum 100).
constexpr std::array<double, n_sectors> k_sector_weight = {5,  5,  17, 12, 4, 16,
                                                           17, 12, 3,  3,  6};
/// Probability that a company of the sector has positive trailing earnings.
constexpr std::array<double, n_sectors> k_profit_prob = {
    0.75, 0.70, 0.75, 0.65, 0.75, 0.35, 0.85, 0.55, 0.55, 0.90, 0.65};
/// Volatility multiplier of the sector relative to sim_settings.stock_vol.
constexpr std::array<double, n_sectors> k_sector_vol = {
    1.15, 1.05, 0.95, 1.05, 0.85, 1.30, 0.80, 1.15, 1.05, 0.70, 0.85};
/// Probability that a company of the sector pays a dividend.
constexpr std::array<double, n_sectors> k_div_prob = {0.5, 0.35, 0.3, 0.25, 0.45, 0.05,
                                                      0.7, 0.15, 0.2, 0.85, 0.8};
const std::array<std::vector<const char*>, n_sectors> k_name_words = {{
    {"Energy", "Resources", "Petroleum", "Oil & Gas", "Midstream"},
    {"Materials", "Mining", "Chemicals", "Metals", "Packaging"},
    {"Industries", "Aerospace", "Logistics", "Machinery", "Engineering"},
    {"Brands", "Retail", "Outdoor", "Apparel", "Leisure"},
    {"Foods", "Beverage", "Farms", "Nutrition", "Household"},
    {"Therapeutics", "Biosciences", "Medical", "Pharmaceuticals", "Health"},
    {"Bancorp", "Financial", "Capital", "Bankshares", "Insurance"},
    {"Technologies", "Systems", "Software", "Semiconductor", "Networks"},
    {"Media", "Communications", "Interactive", "Broadcasting", "Telecom"},
    {"Power", "Water", "Utilities", "Gas", "Electric"},
    {"Realty", "Properties", "Trust", "Residential", "Land"},
}};
const std::vector<const char*> k_corp_forms = {"Inc.",  "Corp.", "Holdings",
                                               "Group", "Co.",   "Ltd."};
const std::vector<const char*> k_onsets = {
    "b",  "c",  "d",  "f",  "g", "h", "j",  "k",  "l",  "m",  "n",
    "p",  "r",  "s",  "t",  "v", "z", "br", "cr", "dr", "gr", "pr",
    "tr", "st", "ph", "qu", "x", "w", "sk", "cl", "fl", "pl"};
const std::vector<const char*> k_vowels = {"a", "e", "i", "o",  "u", "a",
                                           "e", "o", "y", "io", "ea"};
const std::vector<const char*> k_codas = {"",  "",  "n", "r", "x",  "l",  "s",  "m",
                                          "t", "d", "c", "v", "nt", "rk", "st", "ll"};

// -- small helpers ----------------------------------------------------------------------

template <class T> const T& pick(stream& rng, const std::vector<T>& v) {
  auto i = static_cast<size_t>(rng.uniform() * double(v.size()));
  return v[std::min(i, v.size() - 1)];
}

double clamp(double x, double lo, double hi) {
  return std::min(hi, std::max(lo, x));
}

/// Price tick of a stock-like price: 0.0001 below one dollar, 0.01 above.
double price_tick(double p) {
  return p < 1.0 ? 1e-4 : 1e-2;
}

/// Rounds to the nearest tick; monotone, so OHLC order survives rounding.
double round_price(double p, double fixed_tick) {
  const double tick = fixed_tick > 0 ? fixed_tick : price_tick(p);
  return std::max(tick, std::round(p / tick) * tick);
}

/// Cumulative share of a session's volume traded by fraction u of the session, for a
/// U-shaped intensity 1 + a (2u - 1)^2 (busy open and close).
double volume_profile(double u) {
  constexpr double a = 2.0;
  u = clamp(u, 0.0, 1.0);
  const double c = 2 * u - 1;
  return (u + a * (c * c * c + 1) / 6) / (1 + a / 3);
}

double seconds_between(timestamp a, timestamp b) {
  return std::chrono::duration<double>(b - a).count();
}

day_number nth_weekday_of(int year, int month, int wd, int n) {
  const day_number first = to_day_number({year, month, 1});
  return first + (wd - weekday(first) + 7) % 7 + 7 * (n - 1);
}

// -- model constants (documented in README.md) ------------------------------------------

constexpr double regime_p_calm_to_stress = 1.0 / 60; ///< Mean calm spell 60 days.
constexpr double regime_p_stress_to_calm = 1.0 / 15; ///< Mean stress spell 15 days.
constexpr double regime_vol_calm = 0.75;             ///< Relative market vol, calm.
constexpr double regime_vol_stress = 1.8;            ///< Relative market vol, stress.
constexpr double market_drift_calm = 0.1375;         ///< Annual log drift, calm.
constexpr double market_drift_stress = -0.20;        ///< Annual log drift, stress.
constexpr double market_jump_intensity = 1.0;        ///< Market crashes per year.
constexpr double market_jump_mean = -0.035;
constexpr double market_jump_vol = 0.02;
constexpr double sector_vol = 0.15;       ///< Annual vol of each sector factor.
constexpr double sector_vol_stress = 1.3; ///< Sector vol multiplier in stress.
constexpr double idio_vol_calm = 0.93;    ///< Idiosyncratic vol multiplier, calm.
constexpr double idio_vol_stress = 1.25;  ///< ... and stress.
constexpr double overnight_share = 0.2;   ///< Share of daily variance overnight.
constexpr double volume_ar = 0.75;        ///< AR(1) of the log-volume level.
constexpr double volume_sigma = 0.35;     ///< Stationary sd of the log level.
constexpr double iv_ar = 0.97;            ///< AR(1) of the log-IV state.
constexpr double iv_sigma = 0.15;         ///< Stationary sd of the log-IV state.
constexpr double iv_leverage = -0.5;      ///< Corr(IV shock, idio return shock).
constexpr double iv_market_power = 0.5;   ///< Stock IV ~ (market IV)^power.
static_assert(iv_market_power == 0.5, "step() uses sqrt for the power");
constexpr double vrp = 1.10;          ///< Implied over realised vol.
constexpr double iv_term_power = 0.4; ///< ATM term-structure decay.

// -- per-instrument data ----------------------------------------------------------------

/// One day of an instrument's path. Prices are final (scaled and rounded) once stored.
struct day_rec {
  double open = nan, high = nan, low = nan, close = nan;
  double volume = 0;
  double iv30 = nan;   ///< 30-day ATM implied vol at the close.
  double var_in = 0;   ///< Log variance of the intraday move (open to close).
  bool stress = false; ///< Market regime of the day.
};

/// The sequential state of a daily path.
struct path_state {
  explicit path_state(uint64_t k) : rng(k) {}
  stream rng;
  double lp = 0;  ///< Raw log level at the last close.
  double vx = 0;  ///< Log-volume AR(1) state.
  double ivx = 0; ///< Log-IV AR(1) state.
};

struct instrument {
  instrument_profile p;
  uint64_t id = 0;         ///< Stream id.
  double last_close = nan; ///< Last history close (scaled kinds).
  double shares = 0;       ///< Stocks: shares outstanding.
  double base_volume = 0;  ///< Mean daily volume in shares (0 = none).
  double drift = 0;        ///< Daily idiosyncratic log drift.
  double fixed_tick = 0;   ///< Price tick of an index (0 = stock-like ticks).
  bool scaled = true;      ///< Raw path rescaled so the last history close = last_close.
};

/// Lazily built state past the history; guarded by `m`.
struct anchor {
  std::mutex m;
  bool ready = false;
  double scale = 1;
  std::optional<path_state> st;
  int g0 = 0;                ///< Global day of recs[0].
  std::vector<day_rec> recs; ///< Final records from g0 on.
};

/// Where a simulated time falls relative to the sessions.
struct session_pos {
  int g = 0; ///< Global day index whose data the quote shows.
  bool in_session = false;
  int64_t tick = 0; ///< Tick index within the session (in_session only).
  timestamp time{}; ///< Time of the quote.
};

} // namespace

// -- impl
// ---------------------------------------------------------------------------------

struct market::impl {
  config::sim_settings cfg;
  int H = 0;                       ///< History days.
  int G = 0;                       ///< History + horizon days.
  std::vector<day_number> days;    ///< All G trading days.
  std::vector<day_number> history; ///< The first H of them.
  std::vector<security> universe;
  std::vector<fundamentals> funds;
  std::vector<instrument> inst; ///< Stocks first, then the index symbols.
  std::vector<std::string> index_syms;
  std::map<std::string, int, std::less<>> by_symbol;
  mutable std::vector<std::unique_ptr<anchor>> anchors;

  // Common factors, per global day.
  std::vector<uint8_t> stress;
  std::vector<double> m, mvar; ///< Market log return and diffusive variance.
  std::vector<std::array<double, n_sectors>> s;
  std::vector<double> svar;
  std::vector<double> hvol; ///< Market implied vol (annualised).
  std::vector<double> yld;  ///< 10-year yield, percent.
  double hvol0 = 0, yld0 = 0, hbar = 0;

  explicit impl(const config::sim_settings& c) : cfg(c) {}

  void build_calendar();
  void build_factors();
  void build_stocks();
  void build_indexes();

  std::optional<int> find(std::string_view sym) const {
    auto it = by_symbol.find(sym);
    if (it == by_symbol.end()) return std::nullopt;
    return it->second;
  }

  path_state initial_state(const instrument& in) const;
  day_rec step(const instrument& in, path_state& st, int g) const;
  day_rec finish(const instrument& in, const day_rec& raw, double scale) const;
  /// Runs the history; fills `out` (raw) when given; returns the end state.
  path_state run_history(const instrument& in, std::vector<day_rec>* out) const;
  /// Final records of days g-1 and g (g >= H - 1) for instrument i.
  std::pair<day_rec, day_rec> records(int i, int g) const;
  session_pos locate(const instrument& in, timestamp t) const;
  quote make_quote(int i, timestamp sim_time) const;
  double atm_vol(const instrument& in, double iv30, double years) const;
};

void market::impl::build_calendar() {
  const day_number start0 = *parse_date(cfg.start_date);
  const day_number start = is_trading_day(start0) ? start0 : next_trading_day(start0);
  history.resize(static_cast<size_t>(H));
  day_number d = start;
  for (int i = H - 1; i >= 0; --i) {
    d = previous_trading_day(d);
    history[static_cast<size_t>(i)] = d;
  }
  days = history;
  d = start;
  for (int i = 0; i < cfg.horizon_days; ++i) {
    days.push_back(d);
    d = next_trading_day(d);
  }
  G = static_cast<int>(days.size());
}

void market::impl::build_factors() {
  stream rng(key(cfg.seed, id_index_base - 1, p_factor));
  const double sd = cfg.market_vol / std::sqrt(trading_days_per_year);
  const double pi_stress =
      regime_p_calm_to_stress / (regime_p_calm_to_stress + regime_p_stress_to_calm);
  // Normalise so the stationary diffusive variance plus jumps matches market_vol.
  const double jump_var =
      market_jump_intensity *
      (market_jump_vol * market_jump_vol + market_jump_mean * market_jump_mean) /
      trading_days_per_year;
  const double mix = (1 - pi_stress) * regime_vol_calm * regime_vol_calm +
                     pi_stress * regime_vol_stress * regime_vol_stress;
  const double k =
      std::sqrt(std::max(0.2 * sd * sd, sd * sd - jump_var) / (sd * sd * mix));
  stress.resize(size_t(G));
  m.resize(size_t(G));
  mvar.resize(size_t(G));
  s.resize(size_t(G));
  svar.resize(size_t(G));
  hvol.resize(size_t(G));
  yld.resize(size_t(G));
  hbar = cfg.market_vol * vrp;
  hvol0 = hbar * std::exp(0.1 * rng.normal());
  yld0 = 4.0 + 0.4 * rng.normal();
  bool st = rng.uniform() < pi_stress;
  double h = hvol0, y = yld0;
  const double ssd = sector_vol / std::sqrt(trading_days_per_year);
  for (int g = 0; g < G; ++g) {
    const double u_reg = rng.uniform();
    st = st ? (u_reg >= regime_p_stress_to_calm) : (u_reg < regime_p_calm_to_stress);
    const double z_m = rng.normal(), u_j = rng.uniform(), z_j = rng.normal();
    std::array<double, n_sectors> zs;
    for (auto& z : zs)
      z = rng.normal();
    const double z_h = rng.normal(), z_y = rng.normal();
    const double msd = sd * k * (st ? regime_vol_stress : regime_vol_calm);
    const double mu =
        (st ? market_drift_stress : market_drift_calm) / trading_days_per_year;
    double jump = 0;
    if (u_j < market_jump_intensity / trading_days_per_year)
      jump = market_jump_mean + market_jump_vol * z_j;
    const auto gi = size_t(g);
    stress[gi] = st;
    m[gi] = mu + msd * z_m + jump;
    mvar[gi] = msd * msd;
    const double sec_sd = ssd * (st ? sector_vol_stress : 1.0);
    for (int j = 0; j < n_sectors; ++j)
      s[gi][size_t(j)] = sec_sd * zs[size_t(j)];
    svar[gi] = sec_sd * sec_sd;
    // Market implied vol: mean-reverts to the regime's level, jumps up on down days.
    const double target =
        vrp * cfg.market_vol * k * (st ? regime_vol_stress : regime_vol_calm);
    h += 0.12 * (target - h) - 1.2 * (m[gi] - mu) + 0.004 * z_h;
    h = std::max(0.06, h);
    hvol[gi] = h;
    // 10-year yield: mean-reverting, mildly co-moving with the market.
    y += 0.01 * (4.0 - y) + 0.055 * z_y + 1.5 * (m[gi] - mu);
    y = std::max(0.2, y);
    yld[gi] = y;
  }
}

void market::impl::build_stocks() {
  const auto n = size_t(cfg.universe_size);
  inst.reserve(n + 14);
  universe.reserve(n);
  funds.reserve(n);
  std::set<std::string> taken = {"SCX", "SVIX", "TNX"};
  for (const auto& c : k_sector_codes)
    taken.insert("XS" + c);
  double wsum = 0;
  for (double w : k_sector_weight)
    wsum += w;
  const double median_cap = 775e6, cap_sigma = 0.74;

  for (size_t i = 0; i < n; ++i) {
    stream rng(key(cfg.seed, i, p_profile));
    instrument in;
    in.id = i;
    auto& p = in.p;
    p.kind = instrument_kind::stock;
    // Sector.
    double u = rng.uniform() * wsum;
    int sec = 0;
    while (sec < n_sectors - 1 && u >= k_sector_weight[size_t(sec)]) {
      u -= k_sector_weight[size_t(sec)];
      ++sec;
    }
    p.sector = sec;
    const auto si = size_t(sec);
    // Size and price.
    const double cap_target = median_cap * std::exp(cap_sigma * rng.normal());
    const double price = round_price(clamp(14.0 * std::pow(cap_target / median_cap, 0.3) *
                                               std::exp(0.75 * rng.normal()),
                                           0.8, 400.0),
                                     0);
    const double shares = std::max(1e5, std::round(cap_target / price));
    in.last_close = price;
    in.shares = shares;
    // Risk.
    p.vol =
        clamp(cfg.stock_vol * k_sector_vol[si] *
                  std::pow(cap_target / median_cap, -0.12) * std::exp(0.3 * rng.normal()),
              0.12, 2.0);
    p.beta = clamp(1.0 + 0.3 * rng.normal(), 0.2, 2.2);
    p.sector_loading = clamp(1.0 + 0.25 * rng.normal(), 0.3, 1.8);
    p.jump_intensity = rng.uniform(2.0, 6.0);
    p.jump_vol = 0.2 * p.vol;
    p.jump_mean = -0.2 * p.jump_vol;
    const double jvar =
        p.jump_intensity * (p.jump_vol * p.jump_vol + p.jump_mean * p.jump_mean);
    const double idio_var =
        p.vol * p.vol - p.beta * p.beta * cfg.market_vol * cfg.market_vol -
        p.sector_loading * p.sector_loading * sector_vol * sector_vol - jvar;
    p.idio_vol = std::sqrt(std::max(idio_var, 0.35 * 0.35 * p.vol * p.vol));
    in.drift = (0.02 + 0.08 * rng.normal()) / trading_days_per_year;
    // Options.
    p.iv_level = p.vol * vrp * std::exp(0.08 * rng.normal());
    p.skew = rng.uniform(-0.12, -0.05);
    p.curvature = rng.uniform(0.015, 0.04);
    p.dividend_yield = rng.uniform() < k_div_prob[si] ? rng.uniform(0.01, 0.05) : 0.0;
    if (p.dividend_yield == 0)
      (void)rng.uniform(); // keep the stream aligned whichever branch was taken
    // Liquidity.
    p.turnover = clamp(0.006 * std::exp(0.6 * rng.normal()), 0.0004, 0.05);
    in.base_volume = p.turnover * shares;
    const double adv_dollars = in.base_volume * price;
    p.half_spread = clamp(0.0003 + 0.0015 * std::sqrt(5e6 / adv_dollars), 0.0003, 0.04);
    p.quote_interval = adv_dollars > 20e6  ? 1
                       : adv_dollars > 5e6 ? 2
                       : adv_dollars > 1e6 ? 5
                       : adv_dollars > 2e5 ? 15
                                           : 30;
    p.option_liquidity = clamp(std::sqrt(5e6 / adv_dollars), 0.5, 4.0);
    // Fundamentals, consistent with price and shares.
    fundamentals f;
    f.insider_ownership = clamp(0.06 * std::exp(0.9 * rng.normal()), 0.002, 0.6);
    f.institutional_ownership = clamp(0.55 + 0.22 * rng.normal(), 0.02,
                                      std::min(0.98, 0.99 - f.insider_ownership));
    f.shares_outstanding = shares;
    f.float_shares =
        std::round(shares * (1 - f.insider_ownership) * rng.uniform(0.93, 1.0));
    f.short_interest = std::round(
        f.float_shares * clamp(0.045 * std::exp(0.75 * rng.normal()), 0.003, 0.45));
    const bool profitable = rng.uniform() < k_profit_prob[si];
    const double pe_draw = clamp(17.0 * std::exp(0.5 * rng.normal()), 4.0, 150.0);
    const double loss_draw = rng.uniform(0.01, 0.25); // loss per share / price
    if (profitable)
      f.eps = std::max(0.01, std::round(price / pe_draw * 100) / 100);
    else
      f.eps = -std::max(0.01, std::round(price * loss_draw * 100) / 100);
    f.pe_ratio = f.eps > 0 ? price / f.eps : nan;
    const bool growthy = sec == 5 || sec == 7;
    f.revenue_growth = clamp(
        (growthy ? 0.15 : 0.06) + (growthy ? 0.30 : 0.15) * rng.normal(), -0.6, 3.0);
    f.eps_growth =
        clamp(profitable ? 0.12 + 0.35 * rng.normal() : 0.8 * rng.normal(), -5, 5);
    f.meta.source = "sim";

    // Name and ticker (their own stream: names never shift the model draws).
    stream nrng(key(cfg.seed, i, p_name));
    std::string root;
    const int syllables = nrng.uniform() < 0.7 ? 2 : 3;
    for (int k = 0; k < syllables; ++k)
      root += std::string(pick(nrng, k_onsets)) + pick(nrng, k_vowels) +
              (k == syllables - 1 ? pick(nrng, k_codas) : "");
    root[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(root[0])));
    const double ul = nrng.uniform();
    // Mostly four letters, like most small-cap listings (and rarer among real
    // two- and three-letter symbols, which a sim ticker could otherwise shadow).
    const size_t len = ul < 0.01 ? 2 : ul < 0.15 ? 3 : ul < 0.90 ? 4 : 5;
    std::string upper;
    for (char ch : root)
      upper += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    // First letter, then consonants, then whatever letters remain.
    std::string tick(1, upper[0]);
    auto is_vowel = [](char ch) {
      return std::string_view("AEIOUY").find(ch) != std::string_view::npos;
    };
    for (size_t k = 1; k < upper.size() && tick.size() < len; ++k)
      if (!is_vowel(upper[k]) && upper[k] != tick.back()) tick += upper[k];
    for (size_t k = 1; k < upper.size() && tick.size() < len; ++k)
      if (is_vowel(upper[k])) tick += upper[k];
    while (tick.size() < len)
      tick += static_cast<char>('A' + int(nrng.uniform() * 26) % 26);
    for (int tries = 0; taken.count(tick) != 0; ++tries) {
      // Collision: vary the last letter, then the last two, then lengthen.
      const size_t pos = tick.size() - 1 - (tries >= 26 && tick.size() > 2 ? 1 : 0);
      tick[pos] = static_cast<char>('A' + int(nrng.uniform() * 26) % 26);
      if (tries > 60 && tick.size() < 5) {
        tick += static_cast<char>('A' + int(nrng.uniform() * 26) % 26);
        tries = 0;
      }
    }
    taken.insert(tick);
    p.symbol = tick;
    f.symbol = tick;
    const auto& words = k_name_words[si];
    std::string name = root + " " + pick(nrng, words);
    const char* form = pick(nrng, k_corp_forms);
    name += std::string(" ") + form;

    security sec_out;
    sec_out.symbol = tick;
    sec_out.name = name;
    sec_out.sector = k_sector_names[si];
    const double ue = nrng.uniform();
    sec_out.exchange = ue < 0.6 ? "NASDAQ" : ue < 0.9 ? "NYSE" : "NYSE American";
    sec_out.market_cap = price * shares;
    sec_out.origin = {"sim"};
    by_symbol.emplace(tick, static_cast<int>(inst.size()));
    universe.push_back(std::move(sec_out));
    funds.push_back(std::move(f));
    inst.push_back(std::move(in));
  }
}

void market::impl::build_indexes() {
  auto add = [&](instrument in) {
    index_syms.push_back(in.p.symbol);
    by_symbol.emplace(in.p.symbol, static_cast<int>(inst.size()));
    inst.push_back(std::move(in));
  };
  {
    stream rng(key(cfg.seed, id_index_base, p_profile));
    instrument in;
    in.id = id_index_base;
    in.p.symbol = "SCX";
    in.p.kind = instrument_kind::index;
    in.p.beta = 1;
    in.p.vol = cfg.market_vol;
    in.p.iv_level = hbar;
    in.p.skew = -0.14;
    in.p.curvature = 0.02;
    in.p.dividend_yield = 0.012;
    in.p.quote_interval = 1;
    in.p.option_liquidity = 0.6;
    in.last_close = std::round(2000.0 * std::exp(0.1 * rng.normal()) * 100) / 100;
    in.base_volume = 4e8;
    in.fixed_tick = 0.01;
    add(in);
  }
  {
    instrument in;
    in.id = id_index_base + 1;
    in.p.symbol = "SVIX";
    in.p.kind = instrument_kind::volatility_index;
    in.p.quote_interval = 1;
    in.fixed_tick = 0.01;
    in.scaled = false;
    add(in);
  }
  {
    instrument in;
    in.id = id_index_base + 2;
    in.p.symbol = "TNX";
    in.p.kind = instrument_kind::yield;
    in.p.quote_interval = 1;
    in.fixed_tick = 0.001;
    in.scaled = false;
    add(in);
  }
  for (int j = 0; j < n_sectors; ++j) {
    stream rng(key(cfg.seed, id_index_base + 10 + uint64_t(j), p_profile));
    instrument in;
    in.id = id_index_base + 10 + uint64_t(j);
    in.p.symbol = "XS" + k_sector_codes[size_t(j)];
    in.p.kind = instrument_kind::sector_etf;
    in.p.sector = j;
    in.p.beta = 1;
    in.p.sector_loading = 1;
    in.p.vol = std::sqrt(cfg.market_vol * cfg.market_vol + sector_vol * sector_vol);
    in.p.iv_level = in.p.vol * vrp;
    in.p.skew = -0.10;
    in.p.curvature = 0.02;
    in.p.dividend_yield = 0.015;
    in.p.half_spread = 0.0004;
    in.p.quote_interval = 1;
    in.p.option_liquidity = 1.0;
    in.last_close = std::round(rng.uniform(25.0, 90.0) * 100) / 100;
    in.base_volume = 2e6 * std::exp(0.5 * rng.normal());
    add(in);
  }
  anchors.resize(inst.size());
  for (auto& a : anchors)
    a = std::make_unique<anchor>();
}

path_state market::impl::initial_state(const instrument& in) const {
  path_state st(key(cfg.seed, in.id, p_path));
  st.vx = volume_sigma * st.rng.normal();
  st.ivx = iv_sigma * st.rng.normal();
  if (in.p.kind == instrument_kind::volatility_index)
    st.lp = std::log(100 * hvol0);
  else if (in.p.kind == instrument_kind::yield)
    st.lp = std::log(yld0);
  return st;
}

day_rec market::impl::step(const instrument& in, path_state& st, int g) const {
  const auto gi = size_t(g);
  auto& rng = st.rng;
  // Fixed draw order per day, whatever branch is taken.
  const double z_e = rng.normal(), u_j = rng.uniform(), z_j = rng.normal();
  const double z_split = rng.normal(), u_hi = rng.uniform(), u_lo = rng.uniform();
  const double z_vol = rng.normal(), z_iv = rng.normal();
  const auto& p = in.p;
  const bool st_day = stress[gi];
  double r = 0, v = 0, jump = 0, iv30 = nan, new_lp = nan;
  switch (p.kind) {
  case instrument_kind::stock: {
    const double isd = p.idio_vol / std::sqrt(trading_days_per_year) *
                       (st_day ? idio_vol_stress : idio_vol_calm);
    r = in.drift + p.beta * m[gi] + p.sector_loading * s[gi][size_t(p.sector)] +
        isd * z_e;
    v = p.beta * p.beta * mvar[gi] + p.sector_loading * p.sector_loading * svar[gi] +
        isd * isd;
    if (u_j < p.jump_intensity / trading_days_per_year)
      jump = p.jump_mean + p.jump_vol * z_j;
    st.ivx = iv_ar * st.ivx +
             std::sqrt(1 - iv_ar * iv_ar) * iv_sigma *
                 (iv_leverage * z_e + std::sqrt(1 - iv_leverage * iv_leverage) * z_iv);
    iv30 = p.iv_level * std::sqrt(hvol[gi] / hbar) // (market IV)^iv_market_power
           * std::exp(st.ivx - 0.5 * iv_sigma * iv_sigma);
    break;
  }
  case instrument_kind::index:
    r = m[gi];
    v = mvar[gi];
    iv30 = hvol[gi];
    break;
  case instrument_kind::sector_etf: {
    constexpr double tracking = 0.002;
    r = m[gi] + s[gi][size_t(p.sector)] + tracking * z_e;
    v = mvar[gi] + svar[gi] + tracking * tracking;
    iv30 = std::sqrt(hvol[gi] * hvol[gi] + std::pow(vrp * sector_vol, 2));
    break;
  }
  case instrument_kind::volatility_index:
    new_lp = std::log(100 * hvol[gi]);
    r = new_lp - st.lp;
    v = 0.05 * 0.05;
    break;
  case instrument_kind::yield:
    new_lp = std::log(yld[gi]);
    r = new_lp - st.lp;
    v = 0.012 * 0.012;
    break;
  }
  // Split into an overnight gap (with any jump) and an intraday Brownian move.
  const double w = overnight_share;
  const double r_on = w * r + std::sqrt(w * (1 - w) * v) * z_split;
  const double r_in = r - r_on;
  const double v_in = (1 - w) * v;
  const double lo_open = st.lp + r_on + jump;
  const double lo_close = lo_open + r_in;
  // Exact conditional law of the max / min of a Brownian bridge ending at r_in.
  const double hi =
      lo_open + 0.5 * (r_in + std::sqrt(r_in * r_in - 2 * v_in * std::log(u_hi)));
  const double lo =
      lo_open + 0.5 * (r_in - std::sqrt(r_in * r_in - 2 * v_in * std::log(u_lo)));
  day_rec d;
  d.open = std::exp(lo_open);
  d.close = std::exp(lo_close);
  d.high = std::exp(hi);
  d.low = std::exp(lo);
  d.var_in = v_in;
  d.iv30 = iv30;
  d.stress = st_day;
  // Volume: AR(1) level, spikes on moves large relative to the day's expected move.
  st.vx = volume_ar * st.vx + std::sqrt(1 - volume_ar * volume_ar) * volume_sigma * z_vol;
  if (in.base_volume > 0) {
    const double size = std::abs(r + jump) / std::sqrt(v);
    const double spike = std::min(20.0, std::exp(0.45 * std::max(0.0, size - 1.5)));
    d.volume = in.base_volume * std::exp(st.vx - 0.5 * volume_sigma * volume_sigma) *
               spike * (st_day ? 1.25 : 1.0);
  }
  st.lp = std::isnan(new_lp) ? lo_close : new_lp;
  return d;
}

day_rec market::impl::finish(const instrument& in, const day_rec& raw,
                             double scale) const {
  day_rec d = raw;
  d.open = round_price(raw.open * scale, in.fixed_tick);
  d.high = round_price(raw.high * scale, in.fixed_tick);
  d.low = round_price(raw.low * scale, in.fixed_tick);
  d.close = round_price(raw.close * scale, in.fixed_tick);
  d.volume = std::round(raw.volume);
  return d;
}

path_state market::impl::run_history(const instrument& in,
                                     std::vector<day_rec>* out) const {
  path_state st = initial_state(in);
  if (out) out->reserve(size_t(H));
  for (int g = 0; g < H; ++g) {
    const day_rec d = step(in, st, g);
    if (out) out->push_back(d);
  }
  return st;
}

std::pair<day_rec, day_rec> market::impl::records(int i, int g) const {
  const instrument& in = inst[size_t(i)];
  anchor& a = *anchors[size_t(i)];
  std::lock_guard<std::mutex> lock(a.m);
  if (!a.ready) {
    std::vector<day_rec> raw;
    a.st.emplace(run_history(in, &raw));
    a.scale = in.scaled ? in.last_close / raw.back().close : 1.0;
    a.g0 = std::max(0, H - 2);
    for (int k = a.g0; k < H; ++k)
      a.recs.push_back(finish(in, raw[size_t(k)], a.scale));
    a.ready = true;
  }
  while (a.g0 + static_cast<int>(a.recs.size()) <= g) {
    const int next = a.g0 + static_cast<int>(a.recs.size());
    a.recs.push_back(finish(in, step(in, *a.st, next), a.scale));
  }
  const day_rec& cur = a.recs[size_t(g - a.g0)];
  const day_rec prev = g - 1 >= a.g0 ? a.recs[size_t(g - 1 - a.g0)] : cur;
  return {prev, cur};
}

session_pos market::impl::locate(const instrument& in, timestamp t) const {
  session_pos pos;
  const timestamp first = session_open(days[size_t(H)]);
  if (t < first) {
    pos.g = H - 1;
    pos.time = session_close(days[size_t(H - 1)]);
    return pos;
  }
  const day_number d = ny_day(t);
  auto it = std::upper_bound(days.begin(), days.end(), d);
  int g = static_cast<int>(it - days.begin()) - 1; // last trading day <= d, >= H
  if (days[size_t(g)] == d) {
    if (t < session_open(d)) {
      g -= 1;
    } else if (t < session_close(d)) {
      const int64_t dt = in.p.quote_interval;
      const auto secs =
          static_cast<int64_t>(std::floor(seconds_between(session_open(d), t)));
      pos.g = g;
      pos.in_session = true;
      pos.tick = secs / dt;
      pos.time = session_open(d) + std::chrono::seconds{pos.tick * dt};
      return pos;
    }
  }
  pos.g = g;
  pos.time = session_close(days[size_t(g)]);
  return pos;
}

quote market::impl::make_quote(int i, timestamp sim_time) const {
  const instrument& in = inst[size_t(i)];
  const session_pos pos = locate(in, sim_time);
  const auto [prev, cur] = records(i, pos.g);
  quote q;
  q.symbol = in.p.symbol;
  q.prev_close = prev.close;
  q.time = pos.time;
  q.meta.source = "sim";
  q.meta.fetched = sim_time;
  const int64_t n_ticks = session_seconds / in.p.quote_interval;
  double frac = 1.0;
  double last = cur.close;
  if (pos.in_session) {
    frac = double(pos.tick) / double(n_ticks);
    if (pos.tick == 0) {
      last = cur.open;
    } else {
      // Random-access Brownian bridge by bisection: each grid point is the midpoint
      // of exactly one node, whose normal draw is a hash of (seed, id, day, node).
      const uint64_t base = key(cfg.seed, in.id, p_intraday, uint64_t(pos.g));
      const double v_tick = cur.var_in / double(n_ticks);
      int64_t a = 0, b = n_ticks;
      double xa = std::log(cur.open), xb = std::log(cur.close), x = xa;
      for (;;) {
        const int64_t mid = a + (b - a) / 2;
        const double mean = xa + double(mid - a) / double(b - a) * (xb - xa);
        const double var = double(mid - a) * double(b - mid) / double(b - a) * v_tick;
        const double xm =
            mean + std::sqrt(var) * detail::normal_at(detail::fold(base, uint64_t(mid)));
        if (pos.tick == mid) {
          x = xm;
          break;
        }
        if (pos.tick < mid) {
          b = mid;
          xb = xm;
        } else {
          a = mid;
          xa = xm;
        }
      }
      last = round_price(std::exp(x), in.fixed_tick);
    }
  }
  q.last = last;
  q.volume = std::round(cur.volume * volume_profile(frac));
  const bool tradeable =
      in.p.kind == instrument_kind::stock || in.p.kind == instrument_kind::sector_etf;
  if (tradeable) {
    const double minutes =
        pos.in_session ? double(pos.tick * in.p.quote_interval) / 60 : 390;
    const double widen = (1 + 1.5 * std::exp(-minutes / 10)) * (cur.stress ? 1.3 : 1.0);
    const double half = last * in.p.half_spread * widen;
    const double tick = price_tick(last);
    double bid = std::floor((last - half) / tick + 1e-9) * tick;
    double ask = std::ceil((last + half) / tick - 1e-9) * tick;
    bid = std::max(bid, tick);
    if (ask <= bid) ask = bid + tick;
    q.bid = std::round(bid / tick) * tick;
    q.ask = std::round(ask / tick) * tick;
    const uint64_t kq =
        key(cfg.seed, in.id, p_quote, uint64_t(pos.g), uint64_t(pos.tick));
    const double lots = std::max(1.0, in.base_volume / 50'000);
    q.bid_size =
        100 * static_cast<int64_t>(std::clamp(
                  std::round(lots * std::exp(0.7 * detail::normal_at(kq))), 1.0, 500.0));
    q.ask_size = 100 * static_cast<int64_t>(std::clamp(
                           std::round(lots * std::exp(0.7 * detail::normal_at(kq + 1))),
                           1.0, 500.0));
  }
  return q;
}

double market::impl::atm_vol(const instrument& in, double iv30, double years) const {
  // Term structure: the 30-day level decays toward the long-run level as a power law.
  const double t30 = 30.0 / 365.0;
  const double g = std::pow(t30 / std::max(years, 1.0 / 365.0), iv_term_power);
  return clamp(in.p.iv_level + (iv30 - in.p.iv_level) * g, 0.05, 3.0);
}

// -- market
// -------------------------------------------------------------------------------

std::string market::validate(const config::sim_settings& s) {
  auto bad = [](const char* field, const std::string& what) {
    return std::string("[data.sim] ") + field + ": " + what;
  };
  if (s.universe_size < 1 || s.universe_size > 100'000)
    return bad("universe_size",
               "expected 1..100000, got " + std::to_string(s.universe_size));
  if (s.history_days < 2 || s.history_days > 20'000)
    return bad("history_days",
               "expected 2..20000, got " + std::to_string(s.history_days));
  if (s.horizon_days < 1 || s.horizon_days > 50'000)
    return bad("horizon_days",
               "expected 1..50000, got " + std::to_string(s.horizon_days));
  if (!(s.clock_speed > 0) || !std::isfinite(s.clock_speed))
    return bad("clock_speed",
               "expected a positive number of sim seconds per real second");
  if (!parse_date(s.start_date))
    return bad("start_date", "expected a date YYYY-MM-DD, got \"" + s.start_date + "\"");
  if (!(s.stock_vol >= 0.02 && s.stock_vol <= 3))
    return bad("stock_vol", "expected 0.02..3 (annualised decimal)");
  if (!(s.market_vol >= 0.02 && s.market_vol <= 1.5))
    return bad("market_vol", "expected 0.02..1.5 (annualised decimal)");
  if (!(s.risk_free_rate >= -0.05 && s.risk_free_rate <= 0.5))
    return bad("risk_free_rate", "expected -0.05..0.5 (continuously compounded decimal)");
  return {};
}

market::market(const config::sim_settings& s) : impl_(std::make_unique<impl>(s)) {
  if (auto err = validate(s); !err.empty()) throw std::invalid_argument(err);
  impl_->H = s.history_days;
  impl_->build_calendar();
  impl_->build_factors();
  impl_->build_stocks();
  impl_->build_indexes();
}

market::~market() = default;

const std::vector<security>& market::universe() const {
  return impl_->universe;
}

std::optional<fundamentals> market::fundamentals_of(std::string_view symbol) const {
  auto i = impl_->find(symbol);
  if (!i || *i >= impl_->cfg.universe_size) return std::nullopt;
  fundamentals f = impl_->funds[size_t(*i)];
  f.meta.fetched = session_close(impl_->history.back());
  return f;
}

std::optional<bar_series> market::bars(std::string_view symbol, int days) const {
  auto i = impl_->find(symbol);
  if (!i) return std::nullopt;
  const instrument& in = impl_->inst[size_t(*i)];
  std::vector<day_rec> raw;
  impl_->run_history(in, &raw);
  const double scale = in.scaled ? in.last_close / raw.back().close : 1.0;
  const int H = impl_->H;
  const int n = days <= 0 || days > H ? H : days;
  bar_series b;
  b.symbol = in.p.symbol;
  b.meta.source = "sim";
  b.meta.fetched = session_close(impl_->history.back());
  for (auto* v : {&b.open, &b.high, &b.low, &b.close, &b.volume})
    v->reserve(size_t(n));
  b.date.reserve(size_t(n));
  for (int g = H - n; g < H; ++g) {
    const day_rec d = impl_->finish(in, raw[size_t(g)], scale);
    b.date.push_back(impl_->history[size_t(g)]);
    b.open.push_back(d.open);
    b.high.push_back(d.high);
    b.low.push_back(d.low);
    b.close.push_back(d.close);
    b.volume.push_back(d.volume);
  }
  return b;
}

std::optional<quote> market::quote_at(std::string_view symbol, timestamp sim_time) const {
  auto i = impl_->find(symbol);
  if (!i) return std::nullopt;
  return impl_->make_quote(*i, sim_time);
}

double market::atm_vol_30d(std::string_view symbol, timestamp sim_time) const {
  auto i = impl_->find(symbol);
  if (!i) return nan;
  const auto pos = impl_->locate(impl_->inst[size_t(*i)], sim_time);
  return impl_->records(*i, pos.g).second.iv30;
}

std::vector<std::pair<day_number, double>>
market::iv_history(std::string_view symbol) const {
  std::vector<std::pair<day_number, double>> out;
  auto i = impl_->find(symbol);
  if (!i) return out;
  const instrument& in = impl_->inst[size_t(*i)];
  if (in.p.kind == instrument_kind::volatility_index ||
      in.p.kind == instrument_kind::yield)
    return out;
  std::vector<day_rec> raw;
  impl_->run_history(in, &raw);
  const int H = impl_->H;
  const int n = std::min(H, iv_history_days);
  out.reserve(size_t(n));
  for (int g = H - n; g < H; ++g)
    out.emplace_back(impl_->history[size_t(g)], raw[size_t(g)].iv30);
  return out;
}

std::optional<option_chain> market::chain(std::string_view symbol,
                                          timestamp sim_time) const {
  auto idx = impl_->find(symbol);
  if (!idx) return std::nullopt;
  const int i = *idx;
  const instrument& in = impl_->inst[size_t(i)];
  const auto kind = in.p.kind;
  if (kind == instrument_kind::volatility_index || kind == instrument_kind::yield)
    return std::nullopt;
  const auto& cfg = impl_->cfg;
  const quote q = impl_->make_quote(i, sim_time);
  const session_pos pos = impl_->locate(in, sim_time);
  const day_rec cur = impl_->records(i, pos.g).second;
  const timestamp t_v = q.time;
  const double spot = q.mid();
  const double r = cfg.risk_free_rate, qy = in.p.dividend_yield;

  option_chain ch;
  ch.underlying = in.p.symbol;
  ch.spot = spot;
  ch.rate = r;
  ch.dividend_yield = qy;
  ch.as_of = t_v;
  ch.meta.source = "sim";
  ch.meta.fetched = sim_time;

  // Expiries: the next 8 Fridays and the monthly third Fridays within a year, moved to
  // the previous trading day when the Friday is a holiday.
  const day_number today = ny_day(t_v);
  std::set<day_number> expiries;
  auto add_expiry = [&](day_number e) {
    while (!is_trading_day(e))
      --e;
    if (e > today && e <= today + 366) expiries.insert(e);
  };
  day_number fri = today + (5 - weekday(today) + 7) % 7;
  if (fri == today) fri += 7;
  for (int k = 0; k < 8; ++k)
    add_expiry(fri + 7 * k);
  {
    civil_date c = to_civil(today);
    for (int k = 0; k < 14; ++k) {
      add_expiry(nth_weekday_of(c.year, c.month, 5, 3));
      if (++c.month > 12) {
        c.month = 1;
        ++c.year;
      }
    }
  }

  // Strikes are listed around the session's reference price (the previous close) so
  // the grid does not move intraday; the increment depends on the strike level.
  const double ref = std::isfinite(q.prev_close) ? q.prev_close : spot;
  auto inc_cents = [](int64_t k) -> int64_t {
    return k < 500 ? 50 : k < 2500 ? 100 : k < 20000 ? 250 : 500;
  };
  const double liq = in.p.option_liquidity;
  const double session_frac =
      pos.in_session
          ? volume_profile(double(pos.tick * in.p.quote_interval) / session_seconds)
          : 1.0;
  const uint64_t base_oi = static_cast<uint64_t>(
      std::max(5.0, 200.0 * std::pow(in.base_volume * ref / 5e6, 0.8)));

  for (day_number e : expiries) {
    const double years = seconds_between(t_v, session_close(e)) / (365.0 * 86400.0);
    if (!(years > 0)) continue;
    const double sig_atm = impl_->atm_vol(in, cur.iv30, years);
    const double sqrt_t = std::sqrt(years);
    const double half_width = clamp(2.0 * sig_atm * sqrt_t, 0.25, 1.0);
    const auto lo_c = static_cast<int64_t>(std::floor(ref * std::exp(-half_width) * 100));
    const auto hi_c = static_cast<int64_t>(std::ceil(ref * std::exp(half_width) * 100));
    int64_t k_c = std::max<int64_t>(50, lo_c);
    k_c = (k_c + inc_cents(k_c) - 1) / inc_cents(k_c) * inc_cents(k_c);
    const double fwd = spot * std::exp((r - qy) * years);
    const bool monthly = [&] {
      const civil_date c = to_civil(e);
      const day_number third = nth_weekday_of(c.year, c.month, 5, 3);
      return e == third || (e == third - 1 && !is_trading_day(third));
    }();
    for (; k_c <= hi_c; k_c += inc_cents(k_c)) {
      const double strike = double(k_c) / 100.0;
      const double w = std::log(strike / fwd) / (sig_atm * sqrt_t);
      const double wc = clamp(w, -3.0, 3.0);
      const double sig =
          sig_atm * std::max(0.5, 1 + in.p.skew * wc + in.p.curvature * wc * wc);
      // Open interest is a property of the contract (stable from day to day); volume
      // is drawn per day and accrues through the session like the stock's volume.
      const double term = (monthly ? 1.0 : 0.3) * (0.2 + std::exp(-years / 0.8));
      for (option_type type : {option_type::call, option_type::put}) {
        options::bsm_inputs bi;
        bi.type = type;
        bi.spot = spot;
        bi.strike = strike;
        bi.years = years;
        bi.rate = r;
        bi.dividend_yield = qy;
        bi.vol = sig;
        const double theo = options::bsm_greeks(bi).price;
        const uint64_t kc = key(cfg.seed, in.id, p_option,
                                uint64_t(e) * 2 + uint64_t(type), uint64_t(k_c));
        const uint64_t kd = detail::fold(kc, uint64_t(pos.g));
        const int64_t tick_c = theo < 3.0 ? 5 : 10;
        const double half = double(tick_c) / 200.0 +
                            theo * liq * (0.03 + 0.02 * std::min(std::abs(w), 4.0)) +
                            0.005 * liq;
        auto bid_c =
            static_cast<int64_t>(std::floor((theo - half) * 100 / double(tick_c))) *
            tick_c;
        auto ask_c =
            static_cast<int64_t>(std::ceil((theo + half) * 100 / double(tick_c))) *
            tick_c;
        bid_c = std::max<int64_t>(0, bid_c);
        if (ask_c <= bid_c) ask_c = bid_c + tick_c;
        option_quote o;
        o.contract = occ_symbol(in.p.symbol, e, type, strike);
        o.underlying = in.p.symbol;
        o.type = type;
        o.style = exercise_style::european;
        o.strike = strike;
        o.expiry = e;
        o.bid = double(bid_c) / 100.0;
        o.ask = double(ask_c) / 100.0;
        o.quote_time = t_v;
        o.provider_iv = sig;
        const double oi = double(base_oi) * std::exp(-0.5 * (w / 1.2) * (w / 1.2)) *
                          term * std::exp(0.8 * detail::normal_at(kc));
        o.open_interest = static_cast<int64_t>(std::floor(oi));
        o.volume = static_cast<int64_t>(
            std::floor(oi * 0.08 * std::exp(0.9 * detail::normal_at(kd)) * session_frac));
        // The last trade: near the model value, inside today's market.
        const double last =
            std::round(theo * std::exp(0.05 * detail::normal_at(kd + 1)) * 100) / 100;
        o.last = last > 0 ? clamp(last, o.bid, o.ask) : nan;
        if (o.open_interest == 0 && o.volume == 0) o.last = nan; // never traded
        const double size_med = 10.0 / liq;
        o.bid_size = bid_c > 0
                         ? 1 + static_cast<int64_t>(
                                   size_med * std::exp(0.7 * detail::normal_at(kd + 2)))
                         : 0;
        o.ask_size = 1 + static_cast<int64_t>(size_med *
                                              std::exp(0.7 * detail::normal_at(kd + 3)));
        ch.contracts.push_back(std::move(o));
      }
    }
  }
  return ch;
}

std::vector<std::string> market::index_symbols() const {
  return impl_->index_syms;
}

std::optional<instrument_profile> market::profile_of(std::string_view symbol) const {
  auto i = impl_->find(symbol);
  if (!i) return std::nullopt;
  return impl_->inst[size_t(*i)].p;
}

const std::vector<day_number>& market::history_dates() const {
  return impl_->history;
}
day_number market::start_day() const {
  return impl_->days[size_t(impl_->H)];
}
timestamp market::first_open() const {
  return session_open(start_day());
}
const config::sim_settings& market::settings() const {
  return impl_->cfg;
}
const std::vector<std::string>& market::sector_names() {
  return k_sector_names;
}
const std::vector<std::string>& market::sector_codes() {
  return k_sector_codes;
}

std::string occ_symbol(std::string_view root, day_number expiry, option_type type,
                       double strike) {
  const civil_date c = to_civil(expiry);
  const auto milli = static_cast<long long>(std::llround(strike * 1000));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d%02d%02d%c%08lld", c.year % 100, c.month, c.day,
                type == option_type::call ? 'C' : 'P', milli);
  return std::string(root) + buf;
}

} // namespace sc::sim
