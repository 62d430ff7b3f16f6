// American exercise from the integral equation of the early-exercise boundary, solved by
// fixed-point iteration on Chebyshev collocation nodes, after L. Andersen, M. Lake and
// D. Offengenden, "High-performance American option pricing" (Journal of Computational
// Finance, 2016). Pure C++, no CAF.
//
// Put, strike 1 (the boundary scales with the strike), time to expiry tau, boundary
// B(tau). The early-exercise premium representation
//   V(tau, S) = p(tau, S) + int_0^tau [ r e^{-r(tau-u)} N(-d-(tau-u, S/B(u)))
//                                      - q S e^{-q(tau-u)} N(-d+(tau-u, S/B(u))) ] du,
//   d+-(t, z) = (ln z + (r - q) t +- sigma^2 t / 2) / (sigma sqrt t),
// with value matching V(tau, B) = 1 - B and smooth pasting dV/dS(tau, B) = -1 gives the
// boundary as the fixed point B(tau) = e^{-(r-q) tau} N(tau, B) / D(tau, B) of
//   "FP-B":  N = phi(d-(tau, B)) / (sigma sqrt tau)
//                + r int_0^tau e^{ru} phi(d-(tau-u, B(tau)/B(u))) / (sigma sqrt(tau-u))
//                du
//            D = N(d+(tau, B)) + phi(d+(tau, B)) / (sigma sqrt tau)
//                + q int_0^tau e^{qu} [N(d+) + phi(d+) / (sigma sqrt(tau-u))] du
// (derived by us from the two conditions; the paper's equation of the same name).
// B(0+) = X = min(1, r/q). The boundary is represented by H = ln(B/X)^2 as a function of
// sqrt(tau), which is nearly linear there (H ~ sigma^2 tau |ln tau| near expiry), on
// Chebyshev-Lobatto nodes in sqrt(tau). The integrals use the map of time_rule, which
// cancels the 1/sqrt(tau - u) at u = tau and flattens the boundary's square-root
// behaviour at u = 0. The iteration is the plain fixed point, a fixed number of times
// from a closed-form first guess; each step contracts the error about threefold or
// better. (A Jacobi-Newton step with the other nodes held was tried and oscillated: the
// interpolated B(u) near u = tau moves with B(tau), which that derivative ignores.)
// Every node position (the collocation nodes, the quadrature points and the
// interpolation weights at them) depends on the scheme only, not on the contract, so it
// is tabulated once per scheme and thread.

#include "analytics/options/american.hpp"

#include "analytics/options/detail/cody_erfc.hpp"
#include "analytics/options/detail/quadrature.hpp"
#include "analytics/options/detail/vector_math.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

namespace sc::options {

namespace {

constexpr double pi = 3.14159265358979323846;
constexpr double inv_sqrt_2pi = 0.39894228040143267794;
constexpr double inv_sqrt2 = 0.70710678118654752440;
constexpr int max_nodes = american_boundary_scheme::max_nodes;
constexpr int max_points = american_boundary_scheme::max_points;

// -- element-wise exp over short arrays
// ---------------------------------------------
//
// The integrands need exponentials per quadrature point; the vector math library's
// vector exp (1.0 ulp) does eight (four) at once. `n` is padded up to a
// whole number of vectors by the callers (the arrays have room).

#ifdef SC_OPTIONS_VECTOR
using detail::simd::vd;
constexpr int lanes = detail::simd::width;
void exp_n(const double* x, double* y, int n) {
  for (int i = 0; i < n; i += lanes) {
    vd v;
    std::memcpy(&v, x + i, sizeof v);
    v = detail::simd::v_exp(v);
    std::memcpy(y + i, &v, sizeof v);
  }
}
#else
constexpr int lanes = 1;
void exp_n(const double* x, double* y, int n) {
  for (int i = 0; i < n; ++i)
    y[i] = std::exp(x[i]);
}
#endif

constexpr int padded(int n) {
  return (n + lanes - 1) / lanes * lanes;
}

// -- tables of a scheme
// -----------------------------------------------------------------

/// Quadrature of int_0^tau f(u) du as tau sum_k w_k f(tau - tau t_k). The map
///   t / tau = g(v) = 6 v^2 - 8 v^3 + 3 v^4,  g'(v) = 12 v (1 - v)^2,  v = (1 + y) / 2
/// with Gauss-Legendre in y vanishes to first order at t = 0, which cancels the
/// 1/sqrt(t) of the integrands, and to second order at u = 0, which tames the
/// sqrt(u |ln u|) behaviour of the boundary near expiry: the plain square-root map
/// converged like points^-3 there, this one to 1e-10 of the strike with 16 points.
void time_rule(int n, std::vector<double>& t, std::vector<double>& w) {
  std::vector<double> y;
  detail::legendre_rule(n, y, w);
  t.resize(n);
  for (int k = 0; k < n; ++k) {
    const double v = 0.5 * (1 + y[k]);
    t[k] = v * v * (6 - 8 * v + 3 * v * v);
    w[k] *= 6 * v * (1 - v) * (1 - v); // g'(v) dv/dy
  }
}

/// Interpolation weights l_0(x) .. l_n(x) of the Chebyshev-Lobatto points
/// xi_i = cos(i pi / n) (barycentric form): the interpolant's value is sum_i l_i f_i.
void lobatto_cardinals(int n, double x, double* l) {
  double den = 0;
  for (int i = 0; i <= n; ++i) {
    const double xi = std::cos(pi * i / n);
    const double wi = (i % 2 ? -1.0 : 1.0) * (i == 0 || i == n ? 0.5 : 1.0);
    if (x == xi) {
      for (int k = 0; k <= n; ++k)
        l[k] = k == i ? 1.0 : 0.0;
      return;
    }
    l[i] = wi / (x - xi);
    den += l[i];
  }
  for (int i = 0; i <= n; ++i)
    l[i] /= den;
}

/// Everything about a scheme that does not depend on the contract.
struct scheme_tables {
  american_boundary_scheme s{0, 0, 0, 0};
  int n = 0, l = 0, p = 0, lp = 0;
  std::vector<double> tau;    ///< tau_j / T at the n + 1 nodes; tau_0 = 1, tau_n = 0
  std::vector<double> tf, tw; ///< time rule of the boundary integrals (l points)
  std::vector<double> card;   ///< weights at u_jk, index (j (n + 1) + i) lp + k
  std::vector<double> pf, pw; ///< time rule of the price integral (p points)
  std::vector<double> pcard;  ///< weights there, index k (n + 1) + i

  void build(const american_boundary_scheme& scheme) {
    s = scheme;
    n = scheme.nodes;
    l = scheme.points;
    p = scheme.price_points;
    tau.resize(n + 1);
    for (int j = 0; j <= n; ++j) {
      const double z = 0.5 * (1 + std::cos(pi * j / n)); // sqrt(tau / T)
      tau[j] = z * z;
    }
    tau[n] = 0;
    time_rule(l, tf, tw);
    // Stored node-major, (j, i, k) with k padded to whole vectors (weight 0), so that
    // H at all points of a node is a sum of n + 1 vector multiply-adds.
    lp = padded(l);
    card.assign(static_cast<std::size_t>(n) * (n + 1) * lp, 0.0);
    double w[max_nodes + 1];
    for (int j = 0; j < n; ++j)
      for (int k = 0; k < l;
           ++k) { // sqrt(u / T) = sqrt(tau_j / T (1 - t/tau)) on [-1, 1]
        lobatto_cardinals(n, 2 * std::sqrt(tau[j] * (1 - tf[k])) - 1, w);
        for (int i = 0; i <= n; ++i)
          card[(static_cast<std::size_t>(j) * (n + 1) + i) * lp + k] = w[i];
      }
    time_rule(p, pf, pw);
    pcard.resize(static_cast<std::size_t>(p) * (n + 1));
    for (int k = 0; k < p; ++k)
      lobatto_cardinals(n, 2 * std::sqrt(1 - pf[k]) - 1, &pcard[k * (n + 1)]);
  }
};

bool same(const american_boundary_scheme& a, const american_boundary_scheme& b) {
  return a.nodes == b.nodes && a.points == b.points && a.price_points == b.price_points;
}

const scheme_tables& tables_for(const american_boundary_scheme& s) {
  thread_local scheme_tables last;
  if (!same(last.s, s)) last.build(s);
  return last;
}

/// N(x) given the density's Gaussian factor e = exp(-x^2/2) (Cody's erfc, branch-free
/// so that loops over it vectorise).
inline double cdf_given_pdf(double x, double e) {
  const double tail = 0.5 * detail::cody::erfc_given_exp(std::fabs(x) * inv_sqrt2, e);
  return x < 0 ? tail : 1 - tail;
}

/// ln B(u) at interpolation weights c: ln X - sqrt(H(u)), H clamped at 0.
inline double ln_boundary_at(const double* c, const double* h, int n, double ln_x) {
  double hu = 0;
  for (int i = 0; i <= n; ++i)
    hu += c[i] * h[i];
  return ln_x - std::sqrt(hu > 0 ? hu : 0.0);
}

} // namespace

void detail::legendre_rule(int n, std::vector<double>& x, std::vector<double>& w) {
  x.resize(n);
  w.resize(n);
  for (int i = 0; i < n; ++i) {
    double z = std::cos(pi * (i + 0.75) / (n + 0.5)), dp = 0;
    for (int it = 0; it < 100; ++it) {
      double p0 = 1, p1 = z;
      for (int k = 2; k <= n; ++k) {
        const double p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = n * (z * p1 - p0) / (z * z - 1);
      const double dz = p1 / dp;
      z -= dz;
      if (std::fabs(dz) < 1e-16) break;
    }
    x[i] = z;
    w[i] = 2 / ((1 - z * z) * dp * dp);
  }
}

bool american_boundary_scheme::valid() const {
  return nodes >= 2 && nodes <= max_nodes && points >= 2 && points <= max_points &&
         iterations >= 0 && price_points >= 2 && price_points <= max_points;
}

namespace detail {

put_boundary solve_put_boundary(double r, double q, double sigma, double years,
                                const american_boundary_scheme& scheme) {
  put_boundary b;
  b.r = r;
  b.q = q;
  b.sigma = sigma;
  b.years = years;
  b.scheme = scheme;
  const scheme_tables& tb = tables_for(scheme);
  const int n = tb.n, l = tb.l, lp = padded(l);
  const double x = q > r ? r / q : 1.0; // B(0+); r > 0 here
  b.ln_x = std::log(x);
  // First guess: the perpetual put's boundary B_inf approached from X as
  //   B(tau) = B_inf + (X - B_inf) exp(-2 sigma sqrt(tau) X / (X - B_inf)),
  // the short-maturity slope of the Bjerksund-Stensland trigger.
  const double v2 = sigma * sigma;
  const double a = (r - q) / v2 - 0.5;
  const double lam = -a - std::sqrt(a * a + 2 * r / v2); // the negative root
  const double b_inf = lam / (lam - 1);
  for (int j = 0; j < n; ++j) {
    const double tau = tb.tau[j] * years;
    const double g =
        b_inf + (x - b_inf) * std::exp(-2 * sigma * std::sqrt(tau) * x / (x - b_inf));
    b.ln_b[j] = std::min(std::log(g), b.ln_x);
    b.h[j] = (b.ln_b[j] - b.ln_x) * (b.ln_b[j] - b.ln_x);
  }
  b.ln_b[n] = b.ln_x;
  b.h[n] = 0;

  // Per node and point, what does not change between iterations: sigma sqrt(t), the
  // drift part of d-, and the weights with e^{ru}, e^{qu} folded in.
  const double drift = r - q, half_v2 = 0.5 * v2;
  thread_local std::vector<double> st, inv_st, am, wr, wq;
  const std::size_t total = static_cast<std::size_t>(n) * lp;
  st.resize(total);
  inv_st.resize(total);
  am.resize(total);
  wr.resize(total);
  wq.resize(total);
  for (int j = 0; j < n; ++j) {
    const double tau = tb.tau[j] * years;
    double* ar = &wr[j * lp];
    double* aq = &wq[j * lp];
    for (int k = 0; k < lp; ++k) {
      const int kk = k < l ? k : l - 1; // padding repeats the last point
      const double t = tau * tb.tf[kk], u = tau - t;
      const double s = sigma * std::sqrt(t);
      st[j * lp + k] = s;
      inv_st[j * lp + k] = 1 / s;
      am[j * lp + k] = drift * t - half_v2 * t;
      ar[k] = r * u;
      aq[k] = q * u;
    }
    exp_n(ar, ar, lp);
    exp_n(aq, aq, lp);
    for (int k = 0; k < lp; ++k) {
      const double w = k < l ? tb.tw[k] * tau : 0.0;
      ar[k] *= w;
      aq[k] *= w;
    }
  }

  alignas(64) double e_m[max_points], e_p[max_points], c_p[max_points];
  alignas(64) double a_m[max_points], a_p[max_points], a_c[max_points];
  std::array<double, max_nodes + 1> next{};
  for (int it = 0; it < scheme.iterations; ++it) {
    for (int j = 0; j < n; ++j) {
      const double tau = tb.tau[j] * years, s0 = sigma * std::sqrt(tau);
      const double lb = b.ln_b[j];
      const std::size_t row = static_cast<std::size_t>(j) * lp;
      const double* cj = &tb.card[static_cast<std::size_t>(j) * (n + 1) * lp];
      for (int k = 0; k < lp; ++k)
        a_c[k] = 0;
      for (int i = 0; i <= n; ++i) {
        const double hi = b.h[i];
        const double* ci = cj + static_cast<std::size_t>(i) * lp;
        for (int k = 0; k < lp; ++k)
          a_c[k] += ci[k] * hi;
      }
      for (int k = 0; k < lp; ++k) {
        const double hu = a_c[k];
        const double lbu = b.ln_x - std::sqrt(hu > 0 ? hu : 0.0);
        const double dm = (lb - lbu + am[row + k]) * inv_st[row + k];
        const double dp = dm + st[row + k];
        a_m[k] = -0.5 * dm * dm;
        a_p[k] = -0.5 * dp * dp;
        a_c[k] = dp;
      }
      exp_n(a_m, e_m, lp);
      exp_n(a_p, e_p, lp);
      for (int k = 0; k < lp; ++k)
        c_p[k] = cdf_given_pdf(a_c[k], e_p[k]);
      // N = phi(d-)/s0 + r int e^{ru} phi(d-)/(sigma sqrt t) du,
      // D = N(d+) + phi(d+)/s0 + q int e^{qu} [N(d+) + phi(d+)/(sigma sqrt t)] du.
      double sn = 0, sd = 0;
      for (int k = 0; k < lp; ++k) {
        const double inv = inv_st[row + k];
        sn += wr[row + k] * e_m[k] * inv;
        sd += wq[row + k] * (c_p[k] + inv_sqrt_2pi * e_p[k] * inv);
      }
      const double dm0 = (lb + drift * tau - half_v2 * tau) / s0, dp0 = dm0 + s0;
      const double num = inv_sqrt_2pi * (std::exp(-0.5 * dm0 * dm0) / s0 + r * sn);
      const double den = 0.5 * std::erfc(-dp0 * inv_sqrt2) +
                         inv_sqrt_2pi * std::exp(-0.5 * dp0 * dp0) / s0 + q * sd;
      const double nb = std::min(std::log(num / den) - drift * tau, b.ln_x);
      next[j] = nb;
    }
    for (int j = 0; j < n; ++j) {
      b.ln_b[j] = next[j];
      b.h[j] = (next[j] - b.ln_x) * (next[j] - b.ln_x);
    }
  }
  return b;
}

double put_price_from_boundary(const put_boundary& b, double spot, double strike) {
  const scheme_tables& tb = tables_for(b.scheme);
  const int n = tb.n, p = tb.p, pp = padded(p);
  const double lx = std::log(spot / strike);
  if (lx <= b.ln_b[0]) return strike - spot; // at or below the boundary: exercise
  const double r = b.r, q = b.q, sigma = b.sigma, years = b.years;
  const double drift = r - q, half_v2 = 0.5 * sigma * sigma;
  // premium = K T sum_k w_k [r e^{-rt} N(-d-) - q (S/K) e^{-qt} N(-d+)] at t = T t_k.
  alignas(64) double er[max_points], eq[max_points], cm[max_points], cp[max_points],
      gm[max_points], gp[max_points];
  for (int k = 0; k < pp; ++k) {
    const int kk = k < p ? k : p - 1;
    const double t = years * tb.pf[kk];
    const double lbu = ln_boundary_at(&tb.pcard[kk * (n + 1)], b.h.data(), n, b.ln_x);
    const double s = sigma * std::sqrt(t);
    const double dm = (lx - lbu + drift * t - half_v2 * t) / s, dp = dm + s;
    er[k] = -r * t;
    eq[k] = -q * t;
    gm[k] = -0.5 * dm * dm;
    gp[k] = -0.5 * dp * dp;
    cm[k] = -dm;
    cp[k] = -dp;
  }
  exp_n(er, er, pp);
  exp_n(eq, eq, pp);
  exp_n(gm, gm, pp);
  exp_n(gp, gp, pp);
  const double m = spot / strike;
  double sum = 0;
  for (int k = 0; k < p; ++k)
    sum += tb.pw[k] * (r * er[k] * cdf_given_pdf(cm[k], gm[k]) -
                       q * m * eq[k] * cdf_given_pdf(cp[k], gp[k]));
  const bsm_inputs euro{option_type::put, spot, strike, years, r, q, sigma};
  return bsm_price(euro) + strike * years * sum;
}

} // namespace detail

} // namespace sc::options
