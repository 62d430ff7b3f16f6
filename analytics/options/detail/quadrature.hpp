// Gauss-Legendre quadrature rules for the American methods. Internal header.
#pragma once

#include <vector>

namespace sc::options::detail {

/// The n-point Gauss-Legendre nodes and weights on [-1, 1] (Newton's method on P_n,
/// to the last bit).
void legendre_rule(int n, std::vector<double>& x, std::vector<double>& w);

} // namespace sc::options::detail
