#include <kring/protocol/error_code.hpp>

namespace kring::protocol {

std::string_view to_string(error_code code)
{
    switch (code) {
    case error_code::bad_json: return "bad_json";
    case error_code::not_object: return "not_object";
    case error_code::too_deep: return "too_deep";
    case error_code::bad_utf8: return "bad_utf8";
    case error_code::binary_frame: return "binary_frame";
    case error_code::unknown_type: return "unknown_type";
    case error_code::missing_field: return "missing_field";
    case error_code::bad_field: return "bad_field";
    case error_code::too_long: return "too_long";
    case error_code::bad_name: return "bad_name";
    case error_code::bad_text: return "bad_text";
    case error_code::hello_required: return "hello_required";
    case error_code::already_welcomed: return "already_welcomed";
    case error_code::unsupported_version: return "unsupported_version";
    case error_code::no_such_room: return "no_such_room";
    case error_code::bad_code: return "bad_code";
    case error_code::room_full: return "room_full";
    case error_code::already_joined: return "already_joined";
    case error_code::name_taken: return "name_taken";
    case error_code::not_in_room: return "not_in_room";
    case error_code::too_many_rooms: return "too_many_rooms";
    case error_code::forbidden: return "forbidden";
    case error_code::no_such_member: return "no_such_member";
    case error_code::member_away: return "member_away";
    case error_code::whisper_not_allowed: return "whisper_not_allowed";
    case error_code::no_such_message: return "no_such_message";
    case error_code::unknown_reaction: return "unknown_reaction";
    case error_code::reactions_full: return "reactions_full";
    case error_code::no_such_report: return "no_such_report";
    case error_code::muted: return "muted";
    case error_code::banned: return "banned";
    case error_code::locked: return "locked";
    case error_code::denied: return "denied";
    case error_code::slow_mode: return "slow_mode";
    case error_code::moderated: return "moderated";
    case error_code::paused: return "paused";
    case error_code::not_your_turn: return "not_your_turn";
    case error_code::no_round: return "no_round";
    case error_code::round_running: return "round_running";
    case error_code::empty_round: return "empty_round";
    case error_code::agreement_required: return "agreement_required";
    case error_code::no_such_item: return "no_such_item";
    case error_code::wrong_phase: return "wrong_phase";
    case error_code::closed: return "closed";
    case error_code::auth_failed: return "auth_failed";
    case error_code::password_change_required: return "password_change_required";
    case error_code::bad_password: return "bad_password";
    case error_code::throttled: return "throttled";
    case error_code::rate_limited: return "rate_limited";
    case error_code::wrong_circle: return "wrong_circle";
    case error_code::database_unavailable: return "database_unavailable";
    case error_code::internal: return "internal";
    }
    return "internal";
}

std::string_view describe(error_code code)
{
    switch (code) {
    case error_code::bad_json: return "the message is not valid JSON";
    case error_code::not_object: return "the message must be a JSON object";
    case error_code::too_deep: return "the message nests too deeply";
    case error_code::bad_utf8: return "the message is not valid UTF-8";
    case error_code::binary_frame: return "send text frames, not binary ones";
    case error_code::unknown_type: return "unknown message type";
    case error_code::missing_field: return "a required field is missing";
    case error_code::bad_field: return "a field has the wrong type or value";
    case error_code::too_long: return "a field is too long";
    case error_code::bad_name: return "this name cannot be used";
    case error_code::bad_text: return "the message is empty or holds control characters";
    case error_code::hello_required: return "send hello first";
    case error_code::already_welcomed: return "hello was already sent on this connection";
    case error_code::unsupported_version: return "this protocol version is not supported";
    case error_code::no_such_room: return "there is no such circle";
    case error_code::bad_code: return "the access code is missing or wrong";
    case error_code::room_full: return "this circle is full";
    case error_code::already_joined: return "you are already in this circle";
    case error_code::name_taken: return "someone in this circle already uses this name";
    case error_code::not_in_room: return "you are not in this circle";
    case error_code::too_many_rooms: return "you are in too many circles at once";
    case error_code::forbidden: return "you may not do this here";
    case error_code::no_such_member: return "there is no such member in this circle";
    case error_code::member_away: return "this member is away just now; try again when they are back";
    case error_code::whisper_not_allowed: return "in a circle, you can write privately only with its moderators";
    case error_code::no_such_message: return "there is no such message in this circle";
    case error_code::unknown_reaction: return "this reaction is not one of the circle's";
    case error_code::reactions_full: return "this message has all the reactions it can hold";
    case error_code::no_such_report: return "there is no such open report";
    case error_code::muted: return "you are muted in this circle for now";
    case error_code::banned: return "you cannot join this circle";
    case error_code::locked: return "this circle is locked";
    case error_code::denied: return "the moderator did not let you in this time";
    case error_code::slow_mode: return "slow mode: please wait a little before your next message";
    case error_code::moderated: return "only moderators can speak in this circle now";
    case error_code::paused: return "the circle is paused for a moment; you can write again soon";
    case error_code::not_your_turn: return "the talking piece is with someone else; you may react while you listen";
    case error_code::no_round: return "no round is going on in this circle";
    case error_code::round_running: return "a round is going on already; end it first";
    case error_code::empty_round: return "no one here could take the talking piece";
    case error_code::agreement_required: return "read the circle's agreement and join again with agree: true";
    case error_code::no_such_item: return "the circle's agreement has no item of that number";
    case error_code::wrong_phase: return "the circle is not in a phase where this can be done";
    case error_code::closed: return "the circle is closed now; it opens again at its next session";
    case error_code::auth_failed: return "wrong name or password";
    case error_code::password_change_required: return "choose a new password first (set_password)";
    case error_code::bad_password: return "the new password cannot be used";
    case error_code::throttled: return "too many attempts; please wait a minute";
    case error_code::rate_limited: return "too many messages at once; please wait a moment";
    case error_code::wrong_circle: return "this connection is for another circle; open one for this circle";
    case error_code::database_unavailable:
        return "the database cannot be reached just now; please try again in a moment";
    case error_code::internal: return "the server could not do this; please try again";
    }
    return "error";
}

} // namespace kring::protocol
