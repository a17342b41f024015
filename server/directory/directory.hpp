#pragma once

#include "circle/schedule.hpp"
#include "store/records.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

// The directory of circles, for people who do not yet know a circle's
// slug: GET /api/circles lists the listed circles as JSON, and
// GET /api/circles/{slug}.ics gives a circle's sessions as an iCalendar
// file (RFC 5545), so that a phone can remind its owner without an account.
// What is here builds both from what the store holds; directory_requests
// reads the store.
namespace kring::directory {

// What someone asked under /api/.
struct list_request {
    std::optional<std::string> lang; // only circles spoken in this language
    std::optional<std::string> org;  // only this organisation's
};
struct calendar_request {
    std::string slug;
};
// A bad request: its status (400, 404) and why.
struct bad_request {
    unsigned status = 400;
    std::string why;
};
using request = std::variant<list_request, calendar_request, bad_request>;

// Nothing when `target` is not under /api/ (then it is a file of the web
// client, or nothing).
std::optional<request> parse_target(std::string_view target);

// How many are in each circle now.
using presence = std::function<std::size_t(std::string_view slug)>;

// {"circles": [...]} of the listed circles that pass the request's filters.
std::string circles_json(list_request const& asked, std::vector<room_record> const& rooms,
                         std::vector<organisation_record> const& organisations, presence const& present,
                         std::int64_t now_ms);

// The circle's weekly sessions as VEVENTs with their RRULE and the zone's
// VTIMEZONE; lines end in CRLF and are folded at 75 octets.
std::string circle_calendar(room_record const& room, organisation_record const* organisation, std::int64_t now_ms);

} // namespace kring::directory
