#include "circle/moderation.hpp"

namespace kring::moderation {
namespace {

constexpr std::int64_t minute_ms = 60'000;
constexpr std::int64_t hour_ms = 60 * minute_ms;

std::string_view action_name(protocol::member_action_kind kind)
{
    switch (kind) {
    case protocol::member_action_kind::mute: return "mute";
    case protocol::member_action_kind::unmute: return "unmute";
    case protocol::member_action_kind::remove: return "remove";
    case protocol::member_action_kind::admit: return "admit";
    case protocol::member_action_kind::deny: return "deny";
    }
    return "member_action";
}

std::string_view action_name(protocol::room_action_kind kind)
{
    switch (kind) {
    case protocol::room_action_kind::lock: return "lock";
    case protocol::room_action_kind::unlock: return "unlock";
    case protocol::room_action_kind::end: return "end";
    }
    return "room_action";
}

} // namespace

audit_entry audit_of(participant const& actor, std::string action, std::string room, std::string target,
                     std::string detail, std::int64_t now_ms)
{
    return {now_ms, actor.display_name(), std::move(action), std::move(room), std::move(target), std::move(detail)};
}

decision carry_out(room& r, participant const& actor, protocol::member_action const& action, std::int64_t now_ms)
{
    using kind = protocol::member_action_kind;
    verdict answer;
    std::string detail;
    switch (action.kind) {
    case kind::mute: {
        std::optional<std::int64_t> until;
        if (action.minutes) {
            until = now_ms + *action.minutes * minute_ms;
            detail = "minutes=" + std::to_string(*action.minutes);
        }
        answer = r.mute(actor, action.member, until, now_ms);
        break;
    }
    case kind::unmute: answer = r.unmute(actor, action.member); break;
    case kind::remove:
        answer = r.remove(actor, action.member, action.reason);
        detail = action.reason.value_or("");
        break;
    case kind::admit: answer = r.admit(actor, action.member); break;
    case kind::deny: answer = r.deny(actor, action.member); break;
    }
    return {answer, audit_of(actor, std::string{action_name(action.kind)}, action.room, action.member, detail, now_ms)};
}

decision carry_out(room& r, participant const& actor, protocol::delete_message const& request, std::int64_t now_ms)
{
    return {r.delete_message(actor, request.message), audit_of(actor, "delete", request.room, request.message, "", now_ms)};
}

decision carry_out(room& r, participant const& actor, protocol::pin const& request, std::int64_t now_ms)
{
    return {r.pin(actor, request.message, request.text),
            audit_of(actor, "pin", request.room, request.message.value_or(""), request.text ? "text" : "", now_ms)};
}

// The audit says a nudge was given, and which item it cited; never its words.
decision carry_out(room& r, participant const& actor, protocol::nudge const& request, std::int64_t now_ms)
{
    std::string const detail = request.item ? "item=" + std::to_string(*request.item) : "";
    return {r.nudge(actor, request.member, request.item, request.text),
            audit_of(actor, "nudge", request.room, request.member, detail, now_ms)};
}

// The audit says how long the circle was paused for (0: ended); never the calming line.
decision carry_out(room& r, participant const& actor, protocol::pause const& request, std::int64_t now_ms)
{
    std::optional<std::int64_t> until;
    if (request.seconds > 0)
        until = now_ms + request.seconds * 1000;
    return {r.pause(actor, until, request.text, now_ms),
            audit_of(actor, "pause", request.room, "", "seconds=" + std::to_string(request.seconds), now_ms)};
}

decision carry_out(room& r, participant const& actor, protocol::room_action const& action, std::int64_t now_ms)
{
    auto answer = action.kind == protocol::room_action_kind::end
                      ? r.end(actor)
                      : r.set_locked(actor, action.kind == protocol::room_action_kind::lock);
    return {answer, audit_of(actor, std::string{action_name(action.kind)}, action.room, "", "", now_ms)};
}

decision carry_out(room& r, participant const& actor, protocol::room_set const& set, std::int64_t now_ms)
{
    std::optional<bool> moderated;
    if (set.mode)
        moderated = *set.mode == protocol::room_mode::moderated;
    std::string detail;
    if (set.waiting)
        detail += std::string{"waiting="} + (*set.waiting ? "true " : "false ");
    if (set.slow)
        detail += "slow=" + std::to_string(*set.slow) + " ";
    if (moderated)
        detail += std::string{"mode="} + (*moderated ? "moderated" : "open");
    return {r.configure(actor, set.waiting, set.slow, moderated), audit_of(actor, "room_set", set.room, "", detail, now_ms)};
}

std::variant<planned_ban, refusal> plan_ban(room& r, participant const& actor, protocol::ban const& ban,
                                            std::int64_t now_ms)
{
    auto target = r.ban_target_of(actor, ban.member);
    if (auto const* refused = std::get_if<refusal>(&target))
        return *refused;
    auto const& who = std::get<ban_target>(target);

    bool const server_wide = ban.scope == protocol::ban_scope::server;
    planned_ban plan;
    if (!server_wide)
        plan.record.room = ban.room;
    plan.record.device = who.marks.device;
    if (ban.address)
        plan.record.address = who.marks.address;
    if (ban.hours)
        plan.record.expires_at_ms = now_ms + *ban.hours * hour_ms;
    plan.record.reason = ban.reason.value_or("");
    plan.record.by = actor.display_name();
    plan.record.created_at_ms = now_ms;
    plan.durable = plan.record.device || plan.record.address;
    plan.who = who.who;

    std::string detail = std::string{"scope="} + (server_wide ? "server" : "room");
    if (ban.hours)
        detail += " hours=" + std::to_string(*ban.hours);
    if (ban.address)
        detail += " address";
    if (!plan.durable)
        detail += " identity-only";
    plan.entry = audit_of(actor, "ban", ban.room, ban.member, detail, now_ms);
    return plan;
}

void enforce(planned_ban const& plan, room& r, std::string const& member_id, ban_list& bans)
{
    bans.add(plan.record, member_id);
    bool const server_wide = !plan.record.room;
    std::string_view const scope = server_wide ? "server" : "room";
    if (server_wide) {
        for (auto const& other : plan.who->rooms())
            if (other.get() != &r)
                other->apply_ban(member_id, scope, plan.record.expires_at_ms);
        for (auto const& other : plan.who->waiting_rooms())
            if (other.get() != &r)
                other->apply_ban(member_id, scope, plan.record.expires_at_ms);
    }
    r.apply_ban(member_id, scope, plan.record.expires_at_ms);
}

} // namespace kring::moderation
