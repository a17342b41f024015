#pragma once

#include <kring/protocol/circle_messages.hpp>
#include <kring/protocol/error_code.hpp>
#include <kring/protocol/names.hpp>
#include <kring/protocol/password_rules.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

// Writers for every frame the server sends. Each returns the complete JSON
// text; the server serializes a chat message once and shares the bytes.
namespace kring::protocol {

struct member_entry {
    std::string_view id;
    std::string_view name;
    std::string_view role;
    bool away = false; // in joined.members: the connection dropped, the seat is held for a resume
    bool hand = false; // in joined.members: its hand is up
    bool listening = false; // in joined.members: it is just listening
};

struct pinned_entry {
    std::optional<std::string_view> message; // the pinned message's id, if a message was pinned
    std::string_view text;
    std::string_view by; // the moderator's name
};

struct room_entry {
    std::string_view slug;
    std::string_view title;
    std::size_t capacity = 0;
    bool locked = false;
    bool waiting = false;
    std::int64_t slow = 0;
    std::string_view mode = "open";
    std::optional<pinned_entry> pinned;
    bool quiet_arrivals = false; // in joined.room: arrivals and departures are told to moderators only
    std::string_view history = "session"; // in joined.room: what a newcomer reads ("joined", "session")
    bool agreement_required = false;      // in joined.room
    bool peer_led = false;                // in joined.room: "led": "peer" rather than "moderator"
};

// muted, unmuted, removed and banned: something happened to one member.
struct member_event {
    std::string_view type;
    std::string_view room;
    std::string_view member;
    std::optional<std::int64_t> until; // ms since the epoch, for a mute or ban that ends
    std::optional<std::string_view> reason;
    std::optional<std::string_view> scope; // bans: "room" or "server"
};

struct report_entry {
    std::int64_t id = 0;
    std::string_view room;
    std::string_view message;
    std::string_view text;
    std::string_view author_id;
    std::string_view author_name;
    std::string_view reason;
    std::int64_t ts = 0;
};

// The limits a client must respect, announced in `welcome`.
struct announced_limits {
    std::size_t text = 0;
    std::size_t name = 0;
    std::size_t frame_bytes = 0;
    std::size_t rooms = 0;
    std::size_t history = 0;
    std::size_t resume_seconds = 0;
};

struct welcome_frame {
    std::string_view id;
    std::string_view name;
    std::string_view token;
    bool resumed = false;
    announced_limits limits;
    std::string_view role = "participant";
    std::string_view resources; // a written `resources` object {lines, notice}; empty: none
};

// An interpreter's translation of a message, shown under the original.
struct translation_entry {
    std::string_view lang;
    std::string_view text;
    std::string_view by; // the interpreter's name
};

// `translation` {room, message, lang, text, by, ref?}: to everyone in the circle.
std::string write_translation(std::string_view room, std::string_view message, translation_entry const& entry,
                              std::optional<std::string_view> ref);

struct message_frame {
    std::string_view room;
    std::uint64_t seq = 0;
    std::string_view id;
    member_entry from;
    std::string_view text;
    std::int64_t ts = 0;
    std::optional<std::string_view> ref;
    // In joined.history: the counts of the reactions it has, when it has any.
    reaction_counts const* reactions = nullptr;
    // Its interpreters' translations, when it has any.
    std::span<translation_entry const> translations = {};
};

// `whisper`: a private word between a moderator and one member; only the two get it.
struct whisper_frame {
    std::string_view room;
    std::string_view id;
    member_entry from;
    member_entry to;
    std::string_view text;
    std::int64_t ts = 0;
    std::optional<std::string_view> ref;
};

// `mod_message`: a word on the moderators' channel of a circle.
struct mod_message_frame {
    std::string_view room;
    std::string_view id;
    member_entry from;
    std::string_view text;
    std::int64_t ts = 0;
    std::optional<std::string_view> ref;
};

// A pause of the circle's input, while it lasts.
struct pause_entry {
    std::int64_t until = 0; // UTC ms
    std::optional<std::string_view> text;
};

// A round of the talking piece, while it goes on: the order it goes round,
// who holds it, the prompt, and who passed or was gone past (away, just
// listening, or skipped by a moderator).
struct round_entry {
    std::span<std::string const> order;
    std::string_view holder;
    std::optional<std::string_view> prompt;
    std::span<std::string const> passed;
    std::span<std::string const> skipped;
    std::optional<std::int64_t> turn_seconds = {}; // a turn's soft time, if the round has one
};

// `floor` {room, member?, by, ref?}: who may speak in the moderated circle
// besides its moderators (none: the floor was taken back, or its holder
// left; then no `by`).
std::string write_floor(std::string_view room, std::optional<std::string_view> member, std::string_view by,
                        std::optional<std::string_view> ref);

// `round_reminder` {room, holder, seconds}: the holder's turn has lasted
// the round's soft time; to the holder and those running the circle only.
std::string write_round_reminder(std::string_view room, std::string_view holder, std::int64_t seconds);

// A scheduled session in UTC milliseconds, and the zone its hours are kept in.
struct session_entry {
    std::int64_t opens = 0; // the lobby opens
    std::int64_t start = 0;
    std::int64_t end = 0;
    std::string_view zone;
};

// `phase` {room, phase, by?, ref?}: the circle moved on (by: who moved it;
// none when its schedule did).
std::string write_phase(std::string_view room, circle_phase phase, std::optional<std::string_view> by,
                        std::optional<std::string_view> ref);
// The `error` closed {code, message, room, next?, ref?}: outside its hours,
// with its next session when it has one.
std::string write_closed(std::string_view room, std::optional<session_entry> const& next,
                         std::optional<std::string_view> ref);

struct joined_frame {
    room_entry room;
    member_entry you;
    std::span<member_entry const> members;
    // Complete `message` frames as written by write_message, oldest first.
    std::span<std::string_view const> history;
    std::uint64_t seq = 0;
    bool gap = false;
    // On resume: ids of messages deleted while the client was away.
    std::span<std::string_view const> deleted;
    // For a moderator: the circle's recent `mod_message` frames, oldest first.
    std::span<std::string_view const> mod_history;
    std::optional<pause_entry> pause;
    std::optional<round_entry> round;
    // The circle's agreement in the member's language, as written by write_agreement_object.
    std::string_view agreement;
    std::optional<circle_phase> phase;
    std::optional<session_entry> session; // the scheduled session now open
};

std::string write_welcome(welcome_frame const& frame);
std::string write_joined(joined_frame const& frame);
std::string write_message(message_frame const& frame);
std::string write_whisper(whisper_frame const& frame);
std::string write_mod_message(mod_message_frame const& frame);
std::string write_member_joined(std::string_view room, member_entry const& member);
// `hand` {room, member, up, by?}: a hand went up or down; `by` is the moderator who lowered it.
std::string write_hand(std::string_view room, std::string_view member, bool up, std::optional<std::string_view> by,
                       std::optional<std::string_view> ref);
// `listening` {room, member, on}: a member is just listening, or not any more.
std::string write_listening(std::string_view room, std::string_view member, bool on,
                            std::optional<std::string_view> ref);
// `hands` {room, queue}: the raised hands, first raised first; for moderators.
std::string write_hands(std::string_view room, std::span<std::string const> queue);
// `reactions` {room, message, counts}: the counts of a message's reactions, those at 0 left out.
std::string write_reactions(std::string_view room, std::string_view message, reaction_counts const& counts,
                            std::optional<std::string_view> ref);
std::string write_member_left(std::string_view room, std::string_view id);
// A member's connection dropped (member_away) or came back (member_back).
std::string write_member_away(std::string_view room, std::string_view id);
std::string write_member_back(std::string_view room, std::string_view id);
std::string write_left(std::string_view room);
std::string write_pong(std::optional<std::string_view> ref);
std::string write_error(error_code code, std::string_view message, std::optional<std::string_view> ref);
// A refused display name: the error carries `reason`, the rule it broke.
std::string write_name_error(error_code code, name_refusal reason, std::optional<std::string_view> ref);
// An error that says how many seconds to wait (slow_mode, throttled, rate_limited).
std::string write_error_after(error_code code, std::string_view message, std::int64_t seconds,
                              std::optional<std::string_view> ref);

// An error about a room rather than a request (e.g. `denied` for a waiting joiner).
std::string write_error_in_room(error_code code, std::string_view message, std::string_view room);

std::string write_ok(std::optional<std::string_view> ref);
// `facilitates` and `interprets` (the circles it runs as a peer facilitator,
// or translates in) are written only when not empty.
std::string write_logged_in(std::string_view role, std::span<std::string const> rooms, std::string_view token,
                            std::string_view name, std::int64_t expires,
                            std::span<std::string const> facilitates = {},
                            std::span<std::string const> interprets = {});
std::string write_logged_out();
// The password just used was a one-time one: the login waits for `set_password`.
std::string write_choose_password(std::string_view name, password_limits const& limits);
// `bad_password`: why the new password was refused, and the limits it must keep.
std::string write_password_refused(password_refusal reason, password_limits const& limits,
                                   std::optional<std::string_view> ref);
std::string write_member_event(member_event const& event);
std::string write_deleted(std::string_view room, std::string_view message);
// `nudge` {room, member, by, item?, text?}: to the member and the moderators.
std::string write_nudge(std::string_view room, std::string_view member, std::string_view by,
                        std::optional<std::int64_t> item, std::optional<std::string_view> text);
// `paused` {room, until, text?} and `unpaused` {room}: to everyone in the circle.
std::string write_paused(std::string_view room, pause_entry const& pause);
std::string write_unpaused(std::string_view room);
// `round` {room, order, holder, prompt?, passed, skipped, ref?}: a round began or its piece moved; to everyone.
std::string write_round(std::string_view room, round_entry const& round, std::optional<std::string_view> ref);
// `round_ended` {room, complete, ref?}: complete when everyone had their turn, else a moderator ended it.
std::string write_round_ended(std::string_view room, bool complete, std::optional<std::string_view> ref);
// An `error` that says until when (UTC ms) it holds: `paused`.
std::string write_error_until(error_code code, std::string_view message, std::int64_t until,
                              std::optional<std::string_view> ref);
std::string write_pinned(std::string_view room, std::optional<pinned_entry> const& pinned);
std::string write_room_state(room_entry const& room);
std::string write_waiting(std::string_view room);
std::string write_knock(std::string_view room, member_entry const& member);
std::string write_ended(std::string_view room);
std::string write_report(report_entry const& report);
std::string write_reports(std::span<report_entry const> reports);

} // namespace kring::protocol
