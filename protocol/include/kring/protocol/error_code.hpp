#pragma once

#include <string_view>

namespace kring::protocol {

// The stable codes of `error` frames. protocol/README.md documents each one;
// clients match on the string form, so never rename one.
enum class error_code {
    bad_json,
    not_object,
    too_deep,
    bad_utf8,
    binary_frame,
    unknown_type,
    missing_field,
    bad_field,
    too_long,
    bad_name,
    bad_text,
    hello_required,
    already_welcomed,
    unsupported_version,
    no_such_room,
    bad_code,
    room_full,
    already_joined,
    name_taken,
    not_in_room,
    too_many_rooms,
    forbidden,
    no_such_member,
    member_away,
    whisper_not_allowed,
    no_such_message,
    unknown_reaction,
    reactions_full,
    no_such_report,
    muted,
    banned,
    locked,
    denied,
    slow_mode,
    moderated,
    paused,
    not_your_turn,
    no_round,
    round_running,
    empty_round,
    agreement_required,
    no_such_item,
    wrong_phase,
    closed,
    auth_failed,
    password_change_required,
    bad_password,
    throttled,
    rate_limited,
    wrong_circle,
    database_unavailable,
    internal,
};

std::string_view to_string(error_code code);

// A short English explanation for people; programs use the code.
std::string_view describe(error_code code);

} // namespace kring::protocol
