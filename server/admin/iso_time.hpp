#pragma once

#include "clock.hpp" // now_ms()

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// Times as the admin reads and types them: UTC in ISO 8601, or milliseconds
// since the Unix epoch as the store keeps them.
namespace kring {


// "2026-11-26T14:00:00.000Z".
std::string format_iso_utc(std::int64_t ms_since_epoch);

// Accepts a date ("2026-11-26", its midnight UTC), a date and time in UTC
// ("2026-11-26T14:00:00Z", optionally with ".123" before the Z), or a
// number of milliseconds since the epoch. Nothing for anything else.
std::optional<std::int64_t> parse_time(std::string_view text);

} // namespace kring
