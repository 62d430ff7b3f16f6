// Every atom of the protocol, grouped and sorted, at most 10 characters each.
#pragma once

#include <caf/atom.hpp>

namespace sc::atom {

// -- data ------------------------------------------------------------------------------
using bars = caf::atom_constant<caf::atom("bars")>;
using chain = caf::atom_constant<caf::atom("chain")>;
using fundament = caf::atom_constant<caf::atom("fundament")>;
using ivhist = caf::atom_constant<caf::atom("ivhist")>;
using quote = caf::atom_constant<caf::atom("quote")>;
using sources = caf::atom_constant<caf::atom("sources")>;
using universe = caf::atom_constant<caf::atom("universe")>;

// -- pipeline --------------------------------------------------------------------------
using analyse = caf::atom_constant<caf::atom("analyse")>;
using check = caf::atom_constant<caf::atom("check")>;
using cycle = caf::atom_constant<caf::atom("cycle")>;
using mark = caf::atom_constant<caf::atom("mark")>;
using open = caf::atom_constant<caf::atom("open")>;
using report = caf::atom_constant<caf::atom("report")>;
using scan = caf::atom_constant<caf::atom("scan")>;

// -- control ---------------------------------------------------------------------------
using crash = caf::atom_constant<caf::atom("crash")>;
using health = caf::atom_constant<caf::atom("health")>;
using restart = caf::atom_constant<caf::atom("restart")>;
using retry = caf::atom_constant<caf::atom("retry")>;
using stable = caf::atom_constant<caf::atom("stable")>;
using status = caf::atom_constant<caf::atom("status")>;
using tick = caf::atom_constant<caf::atom("tick")>;

} // namespace sc::atom
