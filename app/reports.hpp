// Renders the pipeline's reports for people (aligned tables) and for programs (JSON).
#pragma once

#include "messages/reports.hpp"

#include <boost/json/fwd.hpp>

#include <iosfwd>

namespace sc::app {

boost::json::value to_json(const scan_report& x);
boost::json::value to_json(const option_report& x);
boost::json::value to_json(const risk_decision& x);
boost::json::value to_json(const portfolio_snapshot& x);
boost::json::value to_json(const risk_report& x);
boost::json::value to_json(const cycle_report& x);
boost::json::value to_json(const health_report& x);

/// Prints the ranked candidates with their factor breakdown.
void print_scan(std::ostream& out, const scan_report& x);
/// Prints the ranked contracts of one underlying.
void print_options(std::ostream& out, const option_report& x);
/// Prints a whole cycle: candidates, option ideas, risk decisions, portfolio, risk.
void print_cycle(std::ostream& out, const cycle_report& x);

} // namespace sc::app
