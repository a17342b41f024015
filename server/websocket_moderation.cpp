// The moderation half of a WebSocket session: logging in and out, the
// moderators' actions, and reports. Every rule is enforced by the room or
// here, never by the page; every action is in the audit log before `ok`.
#include "websocket_session.hpp"

#include "clock.hpp"
#include "log.hpp"
#include "store_calls.hpp"

#include <kring/protocol/server_messages.hpp>

#include <boost/asio/use_awaitable.hpp>

namespace kring {

namespace asio = boost::asio;
using protocol::error_code;

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

protocol::report_entry entry_of(report_record const& r)
{
    return {r.id, r.room, r.message_id, r.message_text, r.author_id, r.author_name, r.reason, r.created_at_ms};
}

// The room a room-wide action names.
std::string room_of(protocol::client_message const& message)
{
    if (auto const* m = std::get_if<protocol::delete_message>(&message))
        return m->room;
    if (auto const* m = std::get_if<protocol::pin>(&message))
        return m->room;
    if (auto const* m = std::get_if<protocol::room_action>(&message))
        return m->room;
    if (auto const* m = std::get_if<protocol::room_set>(&message))
        return m->room;
    return {};
}

} // namespace

audit_entry websocket_session::audit_of(std::string action, std::string room, std::string target,
                                        std::string detail) const
{
    return {now_ms(), participant_->display_name(), std::move(action), std::move(room), std::move(target),
            std::move(detail)};
}

asio::awaitable<void> websocket_session::conclude(room::outcome outcome, audit_entry entry,
                                                  std::optional<std::string> ref)
{
    if (outcome)
        co_return reply_refusal(*outcome, ref);
    log::info(entry.action + " c=" + std::to_string(number_) + " by=" + participant_->id() + " room=" + entry.room);
    co_await store_calls::audit(context_, std::move(entry));
    send(make_frame(protocol::write_ok(ref)));
}

asio::awaitable<void> websocket_session::dispatch_moderation(protocol::client_message message,
                                                             std::optional<std::string> ref)
{
    using namespace protocol;
    if (auto* m = std::get_if<login>(&message))
        co_return co_await dispatch_login(std::move(*m), ref);
    if (std::holds_alternative<logout>(message))
        co_return co_await dispatch_logout(ref);
    // A moderator's login may have ended since it was checked (disabled,
    // password reset, logged out elsewhere): check it before every action.
    if (!co_await still_logged_in(ref))
        co_return;
    if (auto* m = std::get_if<member_action>(&message))
        co_return co_await dispatch_member_action(std::move(*m), ref);
    if (auto* m = std::get_if<ban>(&message))
        co_return co_await dispatch_ban(std::move(*m), ref);
    if (auto* m = std::get_if<report>(&message))
        co_return co_await dispatch_report(std::move(*m), ref);
    if (auto* m = std::get_if<list_reports>(&message))
        co_return co_await dispatch_reports(std::move(*m), ref);
    if (auto* m = std::get_if<resolve>(&message))
        co_return co_await dispatch_resolve(std::move(*m), ref);

    auto const slug = room_of(message);
    auto const r = co_await find_room(slug);
    if (!r)
        co_return reply_error(error_code::no_such_room, {}, ref);
    auto const& actor = *participant_;

    // Outcomes and audit entries are named locals before each co_await:
    // g++ 12 mishandles temporaries in a co_await's arguments.
    if (auto const* m = std::get_if<delete_message>(&message)) {
        auto outcome = r->delete_message(actor, m->message);
        auto entry = audit_of("delete", slug, m->message);
        co_return co_await conclude(std::move(outcome), std::move(entry), ref);
    }
    if (auto const* m = std::get_if<pin>(&message)) {
        auto outcome = r->pin(actor, m->message, m->text);
        auto entry = audit_of("pin", slug, m->message.value_or(""), m->text ? "text" : "");
        co_return co_await conclude(std::move(outcome), std::move(entry), ref);
    }
    if (auto const* m = std::get_if<room_action>(&message)) {
        auto outcome = m->kind == room_action_kind::end ? r->end(actor)
                                                        : r->set_locked(actor, m->kind == room_action_kind::lock);
        auto entry = audit_of(std::string{action_name(m->kind)}, slug, "");
        co_return co_await conclude(std::move(outcome), std::move(entry), ref);
    }
    auto const& set = std::get<room_set>(message);
    std::optional<bool> moderated;
    if (set.mode)
        moderated = *set.mode == room_mode::moderated;
    std::string detail;
    if (set.waiting)
        detail += std::string{"waiting="} + (*set.waiting ? "true " : "false ");
    if (set.slow)
        detail += "slow=" + std::to_string(*set.slow) + " ";
    if (moderated)
        detail += std::string{"mode="} + (*moderated ? "moderated" : "open");
    auto outcome = r->configure(actor, set.waiting, set.slow, moderated);
    auto entry = audit_of("room_set", slug, "", detail);
    co_await conclude(std::move(outcome), std::move(entry), ref);
}

asio::awaitable<void> websocket_session::dispatch_member_action(protocol::member_action action,
                                                                std::optional<std::string> ref)
{
    using kind = protocol::member_action_kind;
    auto const r = co_await find_room(action.room);
    if (!r)
        co_return reply_error(error_code::no_such_room, {}, ref);
    auto const& actor = *participant_;
    auto const now = now_ms();
    room::outcome outcome;
    std::string detail;
    switch (action.kind) {
    case kind::mute: {
        std::optional<std::int64_t> until;
        if (action.minutes) {
            until = now + *action.minutes * minute_ms;
            detail = "minutes=" + std::to_string(*action.minutes);
        }
        outcome = r->mute(actor, action.member, until, now);
        break;
    }
    case kind::unmute: outcome = r->unmute(actor, action.member); break;
    case kind::remove:
        outcome = r->remove(actor, action.member, action.reason);
        detail = action.reason.value_or("");
        break;
    case kind::admit: outcome = r->admit(actor, action.member); break;
    case kind::deny: outcome = r->deny(actor, action.member); break;
    }
    auto entry = audit_of(std::string{action_name(action.kind)}, action.room, action.member, detail);
    co_await conclude(std::move(outcome), std::move(entry), ref);
}

asio::awaitable<void> websocket_session::dispatch_ban(protocol::ban ban, std::optional<std::string> ref)
{
    bool const server_wide = ban.scope == protocol::ban_scope::server;
    if (server_wide && participant_->role() != "admin")
        co_return reply_error(error_code::forbidden, "only admins ban from the whole server", ref);
    auto const r = co_await find_room(ban.room);
    if (!r)
        co_return reply_error(error_code::no_such_room, {}, ref);
    auto target = r->ban_target_of(*participant_, ban.member);
    if (auto const* refused = std::get_if<refusal>(&target))
        co_return reply_refusal(*refused, ref);
    auto const& who = std::get<ban_target>(target);

    auto const now = now_ms();
    ban_record record;
    if (!server_wide)
        record.room = ban.room;
    record.device = who.marks.device;
    if (ban.address)
        record.address = who.marks.address;
    if (ban.hours)
        record.expires_at_ms = now + *ban.hours * hour_ms;
    record.reason = ban.reason.value_or("");
    record.by = participant_->display_name();
    record.created_at_ms = now;
    std::string detail = std::string{"scope="} + (server_wide ? "server" : "room");
    if (ban.hours)
        detail += " hours=" + std::to_string(*ban.hours);
    if (ban.address)
        detail += " address";
    // On disk first: a ban that was acknowledged survives a crash. A member
    // whose client sent no device key (and no address ban) leaves nothing
    // to hold on to after its identity ends: that ban lives in memory only.
    bool const durable = record.device || record.address;
    if (!durable)
        detail += " identity-only";
    // Named, not a temporary in the co_await: g++ 12 frees such temporaries wrongly.
    auto entry = audit_of("ban", ban.room, ban.member, detail);
    if (durable)
        record.id = co_await store_calls::add_ban(context_, record, std::move(entry));
    else
        co_await store_calls::audit(context_, std::move(entry));
    context_.bans.add(record, ban.member);

    std::string_view const scope = server_wide ? "server" : "room";
    if (server_wide) {
        for (auto const& other : who.who->rooms())
            if (other != r)
                other->apply_ban(ban.member, scope, record.expires_at_ms);
        for (auto const& other : who.who->waiting_rooms())
            if (other != r)
                other->apply_ban(ban.member, scope, record.expires_at_ms);
    }
    r->apply_ban(ban.member, scope, record.expires_at_ms);
    log::info("ban c=" + std::to_string(number_) + " by=" + participant_->id() + " room=" + ban.room);
    send(make_frame(protocol::write_ok(ref)));
}

asio::awaitable<void> websocket_session::dispatch_report(protocol::report report, std::optional<std::string> ref)
{
    auto const r = context_.rooms.find(report.room);
    if (!r)
        co_return reply_error(error_code::not_in_room, {}, ref);
    // One report per message and person, and a few a minute: reports
    // copy message text to disk, so they must not become a way to flood it.
    if (reported_.contains(report.message))
        co_return send(make_frame(protocol::write_ok(ref)));
    if (!report_budget_.allow(now_ms()))
        co_return reply_refusal(refusal{error_code::throttled, 60}, ref);
    auto found = r->find_reportable(*participant_, report.message);
    if (auto const* refused = std::get_if<refusal>(&found))
        co_return reply_refusal(*refused, ref);
    auto const& message = std::get<reported_message>(found);
    report_record record{0,          report.room,         message.id,           message.text,
                         message.author_id, message.author_name, participant_->id(), report.reason.value_or(""),
                         now_ms(),   std::nullopt,        {},                   {}};
    auto entry = audit_of("report", report.room, "");
    record.id = co_await store_calls::add_report(context_, record, std::move(entry));
    reported_.insert(report.message);
    r->alert_moderators(make_frame(protocol::write_report(entry_of(record))));
    send(make_frame(protocol::write_ok(ref)));
}

asio::awaitable<void> websocket_session::dispatch_reports(protocol::list_reports list, std::optional<std::string> ref)
{
    if (!participant_->is_staff() || (list.room && !participant_->may_moderate(*list.room)))
        co_return reply_error(error_code::forbidden, {}, ref);
    auto const reports = co_await store_calls::open_reports(context_, list.room);
    std::vector<protocol::report_entry> visible;
    for (auto const& r : reports)
        if (participant_->may_moderate(r.room))
            visible.push_back(entry_of(r));
    send(make_frame(protocol::write_reports(visible)));
}

asio::awaitable<void> websocket_session::dispatch_resolve(protocol::resolve resolve, std::optional<std::string> ref)
{
    if (!participant_->is_staff())
        co_return reply_error(error_code::forbidden, {}, ref);
    auto const report = co_await store_calls::find_report(context_, resolve.report);
    if (!report || report->resolved_at_ms)
        co_return reply_error(error_code::no_such_report, {}, ref);
    if (!participant_->may_moderate(report->room))
        co_return reply_error(error_code::forbidden, {}, ref);
    auto const action = resolve.action.value_or("none");
    auto entry = audit_of("resolve", report->room, std::to_string(resolve.report), action);
    auto by = participant_->display_name();
    bool const resolved =
        co_await store_calls::resolve_report(context_, resolve.report, std::move(by), action, now_ms(), std::move(entry));
    if (!resolved)
        co_return reply_error(error_code::no_such_report, {}, ref);
    send(make_frame(protocol::write_ok(ref)));
}

} // namespace kring
