#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Client messages for the gentler ways of taking part in a circle: a
// reaction to what someone said, with no free text, a raised hand, and
// saying that one is just listening, a whisper with a moderator, the
// moderators' own channel, and asking for help now.
namespace kring::protocol {

// What a newcomer to a circle reads of what was said before it came:
// nothing (joined, the default: what is said from the moment it joined), or
// the current session's ring (session).
enum class history_mode { joined, session };

std::string_view to_string(history_mode mode);
std::optional<history_mode> history_mode_named(std::string_view name);

// The fixed set of reactions. The string forms (to_string) are what the
// protocol carries, documented in protocol/README.md; never rename one.
enum class reaction { heart, hug, hear_you, me_too, strength, thank_you };

inline constexpr std::size_t reaction_kinds = 6;

std::string_view to_string(reaction r);
std::optional<reaction> reaction_named(std::string_view name);

// How many members gave each reaction, indexed by reaction.
using reaction_counts = std::array<std::size_t, reaction_kinds>;

// `on: false` takes the member's reaction back.
struct react {
    std::string room;
    std::string message;
    protocol::reaction reaction = reaction::heart;
    bool on = true;
};

// A member raises or lowers its own hand; a moderator lowers `member`'s.
struct hand {
    std::string room;
    bool up = false;
    std::optional<std::string> member;
};

// The member is just listening (on) or not any more.
struct listening {
    std::string room;
    bool on = false;
};

// A private word between a moderator and one member of the circle; `text`
// is checked like say.text.
struct whisper {
    std::string room;
    std::string member;
    std::string text;
};

// A word to the circle's moderators only, for handover and debriefing;
// `text` is checked like say.text.
struct mod_say {
    std::string room;
    std::string text;
};

// The talking piece. A moderator starts a round: the piece goes round the
// order (the participants present, in the order they came, unless one is
// given), and only its holder may speak; the holder passes it on, having
// spoken (done) or not (pass). A moderator may give it to anyone, skip its
// holder, or end the round.
struct round_start {
    std::string room;
    std::optional<std::vector<std::string>> order; // member ids, no one twice
    std::optional<std::string> prompt;
    std::optional<std::int64_t> turn_seconds; // a turn's soft time: 10 to 1800 seconds
};

enum class round_step { done, pass, skip, end };

// The holder's `done` or `pass`, or a moderator's `round_skip` or `round_end`.
struct round_move {
    std::string room;
    round_step step = round_step::done;
};

// A moderator hands the piece to `member`.
struct round_give {
    std::string room;
    std::string member;
};

// "I need help now": the circle's moderators are told privately, and the
// member gets the help lines.
struct help {
    std::string room;
};

// Where an evening circle is: its lobby before it starts, the check-in
// round, open sharing, the check-out round, and closed. The string forms
// (to_string) are what the protocol carries.
enum class circle_phase { lobby, check_in, sharing, check_out, closed };

std::string_view to_string(circle_phase phase);
std::optional<circle_phase> circle_phase_named(std::string_view name);

// A moderator or facilitator moves the circle on to `phase` (`phase`).
struct set_phase {
    std::string room;
    circle_phase phase = circle_phase::lobby;
};

// In a moderated circle, a moderator or facilitator gives one participant
// the floor (`floor` {room, member}) until taking it back (no member).
struct give_floor {
    std::string room;
    std::optional<std::string> member;
};

// The circle's agreement again (`agreement`), in `lang` when it has it.
struct read_agreement {
    std::string room;
    std::optional<std::string> lang; // a primary language tag, lowercase: "fa"
};

// A moderator or facilitator points the circle to item `item` (from 1) of
// its agreement (`agreement_point`).
struct point_agreement {
    std::string room;
    std::size_t item = 1;
};

// An interpreter attaches a translation to a message (`translate`); `text`
// is checked like say.text.
struct translate {
    std::string room;
    std::string message;
    std::string lang; // a primary language tag, lowercase
    std::string text;
};

} // namespace kring::protocol
