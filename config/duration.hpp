// Durations as people write them in a config file: "250ms", "5s", "2min", "1h", "1d",
// or sums of those ("1h30min"). Pure, no CAF, no toml++.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace sc::config {

/// Parses a duration string into milliseconds. Units: ms, s, min, h, d. Each term is a
/// non-negative decimal number directly followed by its unit ("1.5s"); terms may be
/// concatenated ("1h30min"). "m" is refused on purpose: minutes or months is a guess.
/// @returns std::nullopt when the text is not a duration or overflows; @p why (when
/// given) then says what was wrong in a few words.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text,
                                                        std::string* why = nullptr);

/// Formats a duration with the largest unit that represents it exactly ("300s" becomes
/// "5min", "86400s" becomes "1d", "1500ms" stays "1500ms"), so parse_duration(format)
/// returns the same value.
std::string format_duration(std::chrono::milliseconds d);

} // namespace sc::config
