#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

// Client messages for the gentler ways of taking part in a circle: a
// reaction to what someone said, with no free text, a raised hand, and
// saying that one is just listening, a whisper with a moderator, and the
// moderators' own channel.
namespace kring::protocol {

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

} // namespace kring::protocol
