// The scan universe: the union of the sources' stock lists and the configured watchlist,
// one entry per symbol with every list it came from. Pure C++, no CAF.
#pragma once

#include "messages/data.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace sc::scan {

/// The canonical spelling of a ticker, so that lists from different providers agree:
/// surrounding whitespace removed, upper case, and the share-class separators '.', '/',
/// ' ' and '_' written as '-' ("brk.b", "BRK/B" and " BRK-B " all become "BRK-B").
/// Returns "" for a blank symbol.
std::string normalise_symbol(std::string_view symbol);

/// Merges `lists` (each a source's universe, entries carrying their `origin`) and the
/// `watchlist` symbols (origin "watchlist") into one list sorted by canonical symbol.
///
/// Per symbol: the first list that has it provides name, sector, exchange and market
/// cap; later lists only fill fields the earlier ones left empty (empty string, or a
/// market cap <= 0 or NaN). Origins are merged in order of first appearance without
/// repeats; an entry whose origin is empty counts as origin "unknown". Blank symbols are
/// dropped.
std::vector<security> merge_universe(const std::vector<std::vector<security>>& lists,
                                     const std::vector<std::string>& watchlist);

} // namespace sc::scan
