#include "session/moderation_requests.hpp"

#include "circle/moderation.hpp"
#include "clock.hpp"
#include "log.hpp"
#include "metrics.hpp"
#include "session/staff_login.hpp"

namespace kring::moderation_requests {

using protocol::error_code;

namespace {

// The circle a moderator acts in, as the store has it now; one archived
// while people are still in it stays theirs until they leave, and its
// moderators must go on keeping it safe.
awaitable<std::shared_ptr<room>> circle_to_moderate(client& c, std::string slug)
{
    auto found = co_await find_room(c, slug);
    co_return found ? found : c.context.rooms.find(slug);
}

// Every verb but ban: checked, carried out by the room, audited, answered.
template <class Request>
awaitable<void> moderate(client& c, Request request, reply_ref ref)
{
    if (!co_await staff_login::still_logged_in(c, ref))
        co_return;
    auto const r = co_await circle_to_moderate(c, request.room);
    if (!r)
        co_return c.reply_error(error_code::no_such_room, {}, ref);
    auto decision = moderation::carry_out(*r, *c.who, request, now_ms());
    if (!decision.answer.done())
        co_return c.reply_refusal(decision.answer.refused(), ref);
    server_metrics().count_action(decision.entry.action);
    log::info(decision.entry.action + " " + c.tag() + " by=" + c.who->id() + " room=" + decision.entry.room);
    co_await c.context.database.audit(std::move(decision.entry));
    c.reply_ok(ref);
}

} // namespace

awaitable<void> handle(client& c, protocol::member_action action, reply_ref ref)
{
    return moderate(c, std::move(action), std::move(ref));
}

awaitable<void> handle(client& c, protocol::delete_message request, reply_ref ref)
{
    return moderate(c, std::move(request), std::move(ref));
}

awaitable<void> handle(client& c, protocol::pin request, reply_ref ref)
{
    return moderate(c, std::move(request), std::move(ref));
}

awaitable<void> handle(client& c, protocol::nudge request, reply_ref ref)
{
    return moderate(c, std::move(request), std::move(ref));
}

// Carried out like the other verbs; then the timer that will say `unpaused`
// when the time runs out, or none when the pause was ended early.
awaitable<void> handle(client& c, protocol::pause request, reply_ref ref)
{
    if (!co_await staff_login::still_logged_in(c, ref))
        co_return;
    auto const r = co_await circle_to_moderate(c, request.room);
    if (!r)
        co_return c.reply_error(error_code::no_such_room, {}, ref);
    auto const now = now_ms();
    auto decision = moderation::carry_out(*r, *c.who, request, now);
    if (!decision.answer.done())
        co_return c.reply_refusal(decision.answer.refused(), ref);
    if (request.seconds > 0)
        c.context.timers.arm_pause(r, now + request.seconds * 1000, std::chrono::seconds{request.seconds});
    else
        c.context.timers.disarm_pause(r->slug());
    server_metrics().count_action(decision.entry.action);
    log::info(decision.entry.action + " " + c.tag() + " by=" + c.who->id() + " room=" + decision.entry.room +
              " seconds=" + std::to_string(request.seconds));
    co_await c.context.database.audit(std::move(decision.entry));
    c.reply_ok(ref);
}

awaitable<void> handle(client& c, protocol::room_action action, reply_ref ref)
{
    return moderate(c, std::move(action), std::move(ref));
}

awaitable<void> handle(client& c, protocol::room_set set, reply_ref ref)
{
    return moderate(c, std::move(set), std::move(ref));
}

awaitable<void> handle(client& c, protocol::ban ban, reply_ref ref)
{
    if (!co_await staff_login::still_logged_in(c, ref))
        co_return;
    if (ban.scope == protocol::ban_scope::server && c.who->role() != "admin")
        co_return c.reply_error(error_code::forbidden, "only admins ban from the whole server", ref);
    auto const r = co_await circle_to_moderate(c, ban.room);
    if (!r)
        co_return c.reply_error(error_code::no_such_room, {}, ref);
    auto planned = moderation::plan_ban(*r, *c.who, ban, now_ms());
    if (auto const* refused = std::get_if<refusal>(&planned))
        co_return c.reply_refusal(*refused, ref);
    auto& plan = std::get<moderation::planned_ban>(planned);
    // On disk first: a ban that was acknowledged survives a crash.
    auto entry = plan.entry;
    if (plan.durable)
        plan.record.id = co_await c.context.database.add_ban(plan.record, std::move(entry));
    else
        co_await c.context.database.audit(std::move(entry));
    moderation::enforce(plan, *r, ban.member, c.context.bans);
    server_metrics().count_action("ban");
    log::info("ban " + c.tag() + " by=" + c.who->id() + " room=" + ban.room);
    c.reply_ok(ref);
}

} // namespace kring::moderation_requests
