#include "session/help_requests.hpp"

#include "clock.hpp"
#include "log.hpp"

#include <kring/protocol/help_lines.hpp>

namespace kring::help_requests {

namespace {

// The audit row of an alert: who raised it (a participant's id, which ends
// with its identity), where, and whether a moderator was there for it.
awaitable<void> audit_alert(client& c, std::string const& room, protocol::alert_kind kind, bool reached)
{
    // Built before the co_await: g++ 12 frees a braced temporary in a
    // co_await's arguments twice.
    audit_entry entry{now_ms(), c.who->id(), "alert", room, "",
                      "kind=" + std::string{protocol::to_string(kind)} + (reached ? " reached" : " waiting")};
    co_await c.context.database.audit(std::move(entry));
}

} // namespace

awaitable<void> handle(client& c, protocol::help help, reply_ref ref)
{
    auto const r = c.context.rooms.find(help.room);
    if (!r)
        co_return c.reply_error(protocol::error_code::not_in_room, {}, ref);
    auto const asked = r->ask_for_help(*c.who, now_ms());
    if (auto const* refused = std::get_if<refusal>(&asked))
        co_return c.reply_refusal(*refused, ref);
    auto const outcome = std::get<alert_outcome>(asked);
    c.send(make_frame(protocol::write_help_sent(help.room, outcome.reached, c.context.help, ref)));
    if (!outcome.raised)
        co_return;
    log::info("alert " + c.tag() + " room=" + help.room + " kind=help" + (outcome.reached ? "" : " waiting"));
    co_await audit_alert(c, help.room, protocol::alert_kind::help, outcome.reached);
}

awaitable<void> after_alarming_words(client& c, std::string const& room, alert_outcome outcome)
{
    c.send(make_frame(protocol::write_help_offered(room, c.context.help)));
    log::info("alert " + c.tag() + " room=" + room + " kind=words" + (outcome.reached ? "" : " waiting"));
    co_await audit_alert(c, room, protocol::alert_kind::words, outcome.reached);
}

} // namespace kring::help_requests
