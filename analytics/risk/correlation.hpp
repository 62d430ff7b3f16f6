// Correlation matrix of return series (Eigen). Kept apart from exposure.hpp so that
// only callers that want the matrix pay for the Eigen include.
#pragma once

#include <Eigen/Core>

#include <vector>

namespace sc::risk {

/// Pearson correlation matrix of the given series, aligned at their ends over the
/// last min(length) entries. Entry (i, j) is NaN when series i or j is constant over
/// that window; the diagonal is 1 otherwise. Empty matrix for no series; NaN matrix
/// when fewer than 2 aligned points.
Eigen::MatrixXd correlation_matrix(const std::vector<std::vector<double>>& series);

} // namespace sc::risk
