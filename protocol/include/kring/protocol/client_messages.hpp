#pragma once

#include <kring/protocol/circle_messages.hpp>
#include <kring/protocol/error_code.hpp>
#include <kring/protocol/moderation_messages.hpp>
#include <kring/protocol/names.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace kring::protocol {

// What the parser enforces on client input. The server fills the ones it
// announces (text, name) from its configuration.
struct input_limits {
    std::size_t text = 2000;        // code points in say.text, whisper.text and mod_say.text
    std::size_t name = 32;          // code points in a display name
    std::size_t name_marks = 4;     // combining marks on one character of a display name
    std::size_t ref = 64;           // code points in a ref
    std::size_t code = 128;         // code points in a room access code
    std::size_t token = 128;        // code points in a resume or login token, or a device key
    std::size_t user = 64;          // code points in a login name
    std::size_t password = 1024;    // code points in a password
    std::size_t reason = 500;       // code points in a moderator's reason
    std::size_t id = 64;            // characters in a member or message id
    std::size_t slug = 32;          // characters in a room slug
    std::size_t since_entries = 64; // rooms listed in hello.since
    std::size_t depth = 16;         // JSON nesting
};

struct room_seq {
    std::string room;
    std::uint64_t seq = 0;
};

struct hello {
    std::int64_t version = 0;
    std::optional<std::string> resume;
    std::vector<room_seq> since;
    std::optional<std::string> auth;   // a moderator's login token
    std::optional<std::string> device; // the device's own random key
    std::optional<std::string> lang;   // the language a new pseudonym is made in
};

struct join {
    std::string room;
    std::optional<std::string> code;
    std::optional<std::string> name; // checked by check_name: NFC and trimmed
    bool agree = false;              // the member accepts the circle's agreement
    std::optional<std::string> lang; // the language to show it in: a primary tag, lowercase
};

struct say {
    std::string room;
    std::string text;
};

struct leave {
    std::string room;
};

struct ping {};

// The deployment's help lines again (`resources`).
struct resources {};

using client_message = std::variant<hello, join, say, leave, ping, login, logout, set_password, member_action, ban,
                                    delete_message, pin, room_action, room_set, report, list_reports, resolve, react,
                                    hand, listening, whisper, mod_say, help, round_start, round_move, round_give, nudge,
                                    pause, resources, read_agreement, point_agreement, translate, set_phase, give_floor>;

// A well-formed client message with the ref to echo in its answer.
struct request {
    client_message message;
    std::optional<std::string> ref;
};

// Why a frame was refused, with the ref when one could be read.
struct request_error {
    error_code code;
    std::string detail;
    std::optional<std::string> ref;
    name_refusal name_reason = name_refusal::none; // for a refused display name: the rule it broke
};

using parse_result = std::variant<request, request_error>;

// Parses and validates one text frame. Never throws on any input.
parse_result parse_client_message(std::string_view frame, input_limits const& limits);

bool is_valid_slug(std::string_view slug, std::size_t max_length);

} // namespace kring::protocol
