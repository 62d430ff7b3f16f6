// Every typed actor interface of the service, in one place: read this file to know the
// whole protocol. One line per handler. Shared protocols are composed with extend_with.
#pragma once

#include "messages/atoms.hpp"
#include "messages/data.hpp"
#include "messages/inspect.hpp"
#include "messages/reports.hpp"

#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace sc {

/// The CONTROL interface every long-lived actor answers.
using control_actor = caf::typed_actor<
    // Reports the actor's lifecycle state and last error.
    caf::replies_to<atom::status>::with<actor_health>,
    // Test hook / poison message: the actor fails with ec::crash_requested.
    caf::reacts_to<atom::crash>>;

/// The DATA interface, spoken by every source and by the fetcher.
using data_actor = caf::typed_actor<
    // The stocks this source lists.
    caf::replies_to<atom::universe>::with<std::vector<security>>,
    // Current quotes of the given symbols (unknown symbols are left out).
    caf::replies_to<atom::quote, std::vector<std::string>>::with<std::vector<quote>>,
    // The last N daily bars of one symbol.
    caf::replies_to<atom::bars, std::string, int32_t>::with<bar_series>,
    // Fundamentals of one company.
    caf::replies_to<atom::fundament, std::string>::with<fundamentals>,
    // The option chain of one underlying.
    caf::replies_to<atom::chain, std::string>::with<option_chain>,
    // Daily 30-day ATM implied-volatility history of one underlying, oldest first.
    caf::replies_to<atom::ivhist, std::string>::with<std::vector<iv_point>>>;

/// The SOURCE interface: one provider (sim, yahoo, polygon, ...).
using source_actor = data_actor::extend_with<control_actor>;

/// The FETCHER interface: the single door to data (routing, cache, retries, fallback).
using fetcher_actor = source_actor::extend<
    // Health of every source: circuit state, counts, last error.
    caf::replies_to<atom::sources>::with<std::vector<source_status>>,
    // Internal: run the retry scheduled under this id (sent to itself after a backoff).
    caf::reacts_to<atom::retry, uint64_t>>;

/// The SCANNER interface.
using scanner_actor = control_actor::extend<
    // Runs one scan: universe, filters, indicators, patterns, score and rank.
    caf::replies_to<atom::scan, uint64_t>::with<scan_report>>;

/// The OPTIONS ANALYZER interface.
using options_actor = control_actor::extend<
    // Analyses and ranks the chains of the given candidates (best first).
    caf::replies_to<atom::analyse,
                    std::vector<candidate>>::with<std::vector<option_report>>,
    // Analyses and ranks the chain of one underlying.
    caf::replies_to<atom::analyse, std::string>::with<option_report>>;

/// The RISK MANAGER interface.
using risk_actor = control_actor::extend<
    // Checks proposals against the limits, given the current portfolio.
    caf::replies_to<atom::check, std::vector<trade_proposal>,
                    portfolio_snapshot>::with<std::vector<risk_decision>>,
    // The risk picture of a portfolio.
    caf::replies_to<atom::report, portfolio_snapshot>::with<risk_report>>;

/// The PORTFOLIO MANAGER interface.
using portfolio_actor = control_actor::extend<
    // Opens the approved (or resized) positions as paper trades; returns opened
    // contracts.
    caf::replies_to<atom::open,
                    std::vector<risk_decision>>::with<std::vector<std::string>>,
    // Marks every position to market, applies stops/targets/expiry, returns the result.
    caf::replies_to<atom::mark>::with<portfolio_snapshot>,
    // The last marked portfolio without new quotes.
    caf::replies_to<caf::get_atom>::with<portfolio_snapshot>>;

/// The PIPELINE interface: drives cycles scanner -> options -> risk -> portfolio.
using pipeline_actor = control_actor::extend<
    // Runs one full cycle now.
    caf::replies_to<atom::cycle>::with<cycle_report>,
    // Periodic trigger; a stale generation is ignored.
    caf::reacts_to<atom::tick, uint64_t>>;

/// The SUPERVISOR interface.
using supervisor_actor = caf::typed_actor<
    // Health of every child.
    caf::replies_to<atom::health>::with<health_report>,
    // Internal: restart the named child (sent to itself after the backoff).
    caf::reacts_to<atom::restart, std::string, uint64_t>,
    // Internal: the named child stayed up long enough; forget old failures.
    caf::reacts_to<atom::stable, std::string, uint64_t>>;

} // namespace sc
