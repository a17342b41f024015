#pragma once

#include "store/records.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

// When a circle meets: weekly sessions at a local hour in an IANA time
// zone ("Tuesdays 19:00-20:30, Europe/Brussels"), computed from the
// system's tz database through Howard Hinnant's date library, so that
// daylight saving time is the zone's own rules, never ours.
namespace kring {

// One session, in UTC milliseconds; it opens lobby_minutes before start.
struct session_time {
    std::int64_t opens = 0;
    std::int64_t start = 0;
    std::int64_t end = 0;
    friend bool operator==(session_time const&, session_time const&) = default;
};

bool is_known_zone(std::string_view zone);

// "tue 19:00-20:30" (a weekday's first three letters in English, then a
// 24-hour local time range); the error says what is wrong.
std::variant<weekly_session, std::string> parse_weekly_session(std::string_view text);
std::string to_string(weekly_session const& session);

// The session open at `now_ms` (its lobby included), if one is.
std::optional<session_time> open_session(schedule const& s, std::int64_t now_ms);
// The first session that has not yet opened at `now_ms`; nothing for a
// schedule with no sessions.
std::optional<session_time> next_session(schedule const& s, std::int64_t now_ms);

} // namespace kring
