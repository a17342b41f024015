#pragma once

#include "circle/ban_list.hpp"
#include "circle/participant.hpp"
#include "circle/room.hpp"
#include "circle/verdict.hpp"
#include "store/records.hpp"

#include <kring/protocol/moderation_messages.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <variant>

// The moderators' requests, carried out on a room: each gives the room's
// verdict and the audit row that records it, so that the session only has
// to write the row and answer. Nothing here waits for the disk.
namespace kring::moderation {

struct decision {
    verdict answer;
    audit_entry entry; // written before `ok`; unused when refused
};

audit_entry audit_of(participant const& actor, std::string action, std::string room, std::string target,
                     std::string detail, std::int64_t now_ms);

decision carry_out(room& r, participant const& actor, protocol::member_action const& action, std::int64_t now_ms);
decision carry_out(room& r, participant const& actor, protocol::delete_message const& request, std::int64_t now_ms);
decision carry_out(room& r, participant const& actor, protocol::pin const& request, std::int64_t now_ms);
decision carry_out(room& r, participant const& actor, protocol::nudge const& request, std::int64_t now_ms);
decision carry_out(room& r, participant const& actor, protocol::pause const& request, std::int64_t now_ms);
decision carry_out(room& r, participant const& actor, protocol::room_action const& action, std::int64_t now_ms);
decision carry_out(room& r, participant const& actor, protocol::room_set const& set, std::int64_t now_ms);

// A ban is planned, written to disk, then enforced, in that order: a ban
// that was acknowledged survives a crash.
struct planned_ban {
    ban_record record;
    audit_entry entry;
    // A member whose client sent no device key (and no address ban) leaves
    // nothing to hold on to after its identity ends: that ban lives in
    // memory only, for as long as the identity does.
    bool durable = false;
    std::shared_ptr<participant> who;
};

std::variant<planned_ban, refusal> plan_ban(room& r, participant const& actor, protocol::ban const& ban,
                                            std::int64_t now_ms);

// Holds the ban from now on and removes the member from this room, or from
// every room it is in or waiting at when the ban is server-wide.
void enforce(planned_ban const& plan, room& r, std::string const& member_id, ban_list& bans);

} // namespace kring::moderation
