#include "session/report_requests.hpp"

#include "circle/moderation.hpp"
#include "clock.hpp"
#include "session/staff_login.hpp"

#include <kring/protocol/server_messages.hpp>

namespace kring::report_requests {

using protocol::error_code;

namespace {

protocol::report_entry entry_of(report_record const& r)
{
    return {r.id, r.room, r.message_id, r.message_text, r.author_id, r.author_name, r.reason, r.created_at_ms};
}

} // namespace

awaitable<void> handle(client& c, protocol::report report, reply_ref ref)
{
    if (!co_await staff_login::still_logged_in(c, ref))
        co_return;
    auto const r = c.context.rooms.find(report.room);
    if (!r)
        co_return c.reply_error(error_code::not_in_room, {}, ref);
    // One report per message and person, and a few a minute: reports
    // copy message text to disk, so they must not become a way to flood it.
    if (c.rare().reported.contains(report.message))
        co_return c.reply_ok(ref);
    if (!c.rare().report_budget.allow(now_ms()))
        co_return c.reply_refusal(refusal{error_code::throttled, 60}, ref);
    auto found = r->find_reportable(*c.who, report.message);
    if (auto const* refused = std::get_if<refusal>(&found))
        co_return c.reply_refusal(*refused, ref);
    auto const& message = std::get<reported_message>(found);
    report_record record{0,          report.room,         message.id,      message.text,
                         message.author_id, message.author_name, c.who->id(), report.reason.value_or(""),
                         now_ms(),   std::nullopt,        {},              {}};
    auto entry = moderation::audit_of(*c.who, "report", report.room, "", "", now_ms());
    record.id = co_await c.context.database.add_report(record, std::move(entry));
    c.rare().reported.insert(report.message);
    r->alert_moderators(make_frame(protocol::write_report(entry_of(record))));
    c.reply_ok(ref);
}

awaitable<void> handle(client& c, protocol::list_reports list, reply_ref ref)
{
    if (!co_await staff_login::still_logged_in(c, ref))
        co_return;
    auto const& who = *c.who;
    if (!who.keeps_circles() || (list.room && !who.may_moderate(*list.room)))
        co_return c.reply_error(error_code::forbidden, {}, ref);
    auto const reports = co_await c.context.database.open_reports(list.room);
    std::vector<protocol::report_entry> visible;
    for (auto const& r : reports)
        if (who.may_moderate(r.room))
            visible.push_back(entry_of(r));
    c.send(make_frame(protocol::write_reports(visible)));
}

awaitable<void> handle(client& c, protocol::resolve resolve, reply_ref ref)
{
    if (!co_await staff_login::still_logged_in(c, ref))
        co_return;
    if (!c.who->keeps_circles())
        co_return c.reply_error(error_code::forbidden, {}, ref);
    auto const report = co_await c.context.database.find_report(resolve.report);
    if (!report || report->resolved_at_ms)
        co_return c.reply_error(error_code::no_such_report, {}, ref);
    if (!c.who->may_moderate(report->room))
        co_return c.reply_error(error_code::forbidden, {}, ref);
    auto const action = resolve.action.value_or("none");
    auto entry = moderation::audit_of(*c.who, "resolve", report->room, std::to_string(resolve.report), action, now_ms());
    auto by = c.who->display_name();
    bool const resolved =
        co_await c.context.database.resolve_report(resolve.report, std::move(by), action, now_ms(), std::move(entry));
    if (!resolved)
        co_return c.reply_error(error_code::no_such_report, {}, ref);
    c.reply_ok(ref);
}

} // namespace kring::report_requests
