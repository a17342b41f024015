#include "session/chat_requests.hpp"

#include "clock.hpp"
#include "log.hpp"
#include "metrics.hpp"
#include "session/help_requests.hpp"
#include "session/staff_login.hpp"

#include <kring/protocol/agreement.hpp>
#include <kring/protocol/server_messages.hpp>

namespace kring::chat_requests {

using protocol::error_code;

namespace {

std::optional<std::uint64_t> since_for(protocol::hello const& hello, std::string const& slug)
{
    for (auto const& entry : hello.since)
        if (entry.room == slug)
            return entry.seq;
    return std::nullopt;
}

// A new identity; returns its resume token, which only the welcome carries.
std::string start_fresh(client& c, std::string_view lang)
{
    auto fresh = c.context.participants.create(c.connection.network, lang);
    c.who = std::move(fresh.who);
    c.who->attach(c.shared_from_this());
    return std::move(fresh.token);
}

// Asks the circle `slug` for `act` (a verdict); the client hears only a
// refusal, and `not_in_room` for a circle that is not there. What is done
// answers for itself (the room's events carry the ref).
template <class Act>
void act_in_room(client& c, std::string const& slug, reply_ref const& ref, Act act)
{
    auto const r = c.context.rooms.find(slug);
    auto const answer = r ? act(*r) : verdict{refusal{error_code::not_in_room}};
    if (!answer.done())
        c.reply_refusal(answer.refused(), ref);
}

// Takes the identity a resume token names, if it is still alive; true when it did.
bool claim(client& c, std::string const& token)
{
    auto claimed = c.context.participants.claim(token, c.shared_from_this());
    if (!claimed.who)
        return false;
    c.who = std::move(claimed.who);
    if (claimed.replaced)
        claimed.replaced->close_replaced();
    return true;
}

// A moderator's identity resumes only while its login holds; true when it does.
awaitable<bool> staff_identity_holds(client& c)
{
    auto const token = *c.who->staff_token();
    auto const still = co_await c.context.database.staff_for_token(token, now_ms());
    if (!still) {
        c.context.participants.forget(c.who);
        c.who.reset();
        co_return false;
    }
    staff_login::resume_login(c, *still, token);
    co_return true;
}

void welcome(client& c, protocol::hello const& hello, std::string const& token, bool resumed)
{
    ban_marks marks{std::nullopt, c.connection.network};
    if (hello.device)
        marks.device = keyed_hash(c.context.server_secret, *hello.device);
    c.who->set_marks(marks);

    auto const& who = *c.who;
    c.send(make_frame(protocol::write_welcome(
        {who.id(), who.display_name(), token, resumed, c.context.announced_limits, who.role(),
         protocol::write_resources_object(c.context.help)})));
    log::info("hello " + c.tag() + " id=" + who.id() + " role=" + std::string{who.role()} +
              (resumed ? " resumed" : " new"));
    if (!resumed)
        return;
    for (auto const& r : c.who->rooms())
        r->resume(*c.who, since_for(hello, r->slug()));
    for (auto const& r : c.who->waiting_rooms())
        c.send(make_frame(protocol::write_waiting(r->slug())));
}

} // namespace

awaitable<void> handle(client& c, protocol::hello hello, reply_ref ref)
{
    if (c.who)
        co_return c.reply_error(error_code::already_welcomed, {}, ref);
    if (hello.version != 1)
        co_return c.reply_error(error_code::unsupported_version, "this server speaks version 1", ref);

    std::optional<staff_record> staff;
    if (hello.auth) {
        auto const token = sha256(*hello.auth);
        staff = co_await c.context.database.staff_for_token(token, now_ms());
        if (!staff)
            co_return c.reply_error(error_code::auth_failed, "this login is not valid any more; log in again", ref);
        c.set_login_token(token);
    }
    // A login makes a moderator's identity, never a participant's seats into
    // a moderator's: with `auth`, only that login's own identity resumes.
    if (staff && hello.resume && c.context.participants.staff_token_of(*hello.resume) != c.login_token())
        hello.resume.reset();

    bool resumed = hello.resume && claim(c, *hello.resume);
    if (resumed && !staff && c.who->staff_token())
        resumed = co_await staff_identity_holds(c); // if not, it is forgotten
    auto const token = resumed ? *hello.resume : start_fresh(c, hello.lang.value_or("en"));
    if (staff)
        staff_login::start_staff(c, *staff, *c.login_token());
    welcome(c, hello, token, resumed);
}

awaitable<void> handle(client& c, protocol::join join, reply_ref ref)
{
    timed const answered{server_metrics().join}; // however it ends
    auto& who = *c.who;
    // A connection opened at /ws/c/SLUG is routed to the node of that circle alone.
    if (!c.connection.circle.empty() && join.room != c.connection.circle)
        co_return c.reply_error(error_code::wrong_circle, "this connection is for " + c.connection.circle, ref);
    if (who.room_count() + who.waiting_count() >= c.context.settings.max_rooms)
        co_return c.reply_error(error_code::too_many_rooms, {}, ref);
    if (!co_await staff_login::still_logged_in(c, ref))
        co_return;
    auto const r = co_await find_room(c, join.room);
    if (!r)
        co_return c.reply_error(error_code::no_such_room, {}, ref);
    if (r->has_code() && !who.may_moderate(r->slug())) {
        // Guessing a short code must be slow: a few tries a minute per
        // connection, and per network across connections. While throttled,
        // even the right code waits, or the throttle would tell it.
        auto const now = now_ms();
        auto const& network = c.connection.network;
        auto const guesser = r->slug() + ':' + (network ? to_hex(*network) : std::string{});
        if (c.context.code_guesses.throttled(guesser, std::nullopt, now) || !c.rare().code_budget.allow(now))
            co_return c.reply_refusal(refusal{error_code::throttled, 60}, ref);
        if (!r->code_matches(join.code)) {
            c.context.code_guesses.failed(guesser, std::nullopt, now);
            co_return c.reply_error(error_code::bad_code, {}, ref);
        }
    }
    if (c.context.bans.holds(r->slug(), who.id(), who.marks(), now_ms()))
        co_return c.reply_error(error_code::banned, {}, ref);
    auto const lang = join.lang.value_or("en");
    auto const now = now_ms();
    auto const result =
        r->join(c.who, join.name.value_or(who.display_name()), join.name.has_value(), join.agree, lang, now);
    if (auto const* refused = std::get_if<refusal>(&result)) {
        if (refused->code == error_code::agreement_required) {
            log::info("error " + c.tag() + " code=agreement_required");
            if (auto const text = r->agreement(lang))
                co_return c.send(make_frame(protocol::write_agreement_required(r->slug(), *text, ref)));
        }
        if (refused->code == error_code::closed) {
            log::info("error " + c.tag() + " code=closed");
            std::optional<protocol::session_entry> next;
            auto const zone = r->schedule_zone();
            if (auto const session = r->next_session_at(now))
                next = protocol::session_entry{session->opens, session->start, session->end, zone};
            co_return c.send(make_frame(protocol::write_closed(r->slug(), next, ref)));
        }
        co_return c.reply_refusal(*refused, ref);
    }
    bool const waiting = std::get<room::admission>(result) == room::admission::waiting;
    server_metrics().joins.add();
    log::info(std::string{waiting ? "waiting " : "join "} + c.tag() + " id=" + who.id() + " room=" + r->slug());
}

// What a participant says is also read for crisis words: a message that
// holds one is delivered as any other, and raises an alert besides.
awaitable<void> handle(client& c, protocol::say say, reply_ref ref)
{
    auto const r = c.context.rooms.find(say.room);
    if (!r)
        co_return c.reply_refusal(refusal{error_code::not_in_room}, ref);
    alert_outcome alert;
    bool const alarming = !c.who->may_moderate(say.room) && c.context.crisis.matches(say.text);
    auto const answer = r->say(*c.who, say.text, ref, now_ms(), alarming ? &alert : nullptr);
    if (answer.done())
        server_metrics().messages_in.add();
    else
        c.reply_refusal(answer.refused(), ref);
    if (alert.raised)
        co_await help_requests::after_alarming_words(c, say.room, alert);
}

awaitable<void> handle(client& c, protocol::react react, reply_ref ref)
{
    act_in_room(c, react.room, ref, [&](room& r) {
        return r.react(*c.who, react.message, react.reaction, react.on, ref, now_ms());
    });
    co_return;
}

awaitable<void> handle(client& c, protocol::hand hand, reply_ref ref)
{
    act_in_room(c, hand.room, ref, [&](room& r) { return r.hand(*c.who, hand.member, hand.up, ref, now_ms()); });
    co_return;
}

awaitable<void> handle(client& c, protocol::listening listening, reply_ref ref)
{
    act_in_room(c, listening.room, ref, [&](room& r) { return r.set_listening(*c.who, listening.on, ref); });
    co_return;
}

// Like say, a whisper that goes leaves no trace in the log, not even that it
// was sent; one refused is logged as every refusal is, by its code alone.
awaitable<void> handle(client& c, protocol::whisper whisper, reply_ref ref)
{
    act_in_room(c, whisper.room, ref,
                [&](room& r) { return r.whisper(*c.who, whisper.member, whisper.text, ref, now_ms()); });
    co_return;
}

// The moderators' channel is chat among them, not a moderator's action: not
// audited, and no more logged than say.
awaitable<void> handle(client& c, protocol::mod_say say, reply_ref ref)
{
    act_in_room(c, say.room, ref, [&](room& r) { return r.mod_say(*c.who, say.text, ref, now_ms()); });
    co_return;
}

awaitable<void> handle(client& c, protocol::round_start start, reply_ref ref)
{
    act_in_room(c, start.room, ref,
                [&](room& r) { return r.start_round(*c.who, start.order, std::move(start.prompt), ref, start.turn_seconds); });
    co_return;
}

awaitable<void> handle(client& c, protocol::round_move move, reply_ref ref)
{
    act_in_room(c, move.room, ref, [&](room& r) { return r.move_round(*c.who, move.step, ref); });
    co_return;
}

awaitable<void> handle(client& c, protocol::round_give give, reply_ref ref)
{
    act_in_room(c, give.room, ref, [&](room& r) { return r.give_piece(*c.who, give.member, ref); });
    co_return;
}

awaitable<void> handle(client& c, protocol::read_agreement request, reply_ref ref)
{
    auto const r = co_await find_room(c, request.room);
    if (!r)
        co_return c.reply_error(error_code::no_such_room, {}, ref);
    auto const text = r->agreement(request.lang.value_or("en"));
    if (!text)
        co_return c.reply_error(error_code::no_such_item, {}, ref);
    c.send(make_frame(protocol::write_agreement(r->slug(), *text, ref)));
}

awaitable<void> handle(client& c, protocol::point_agreement request, reply_ref ref)
{
    act_in_room(c, request.room, ref, [&](room& r) { return r.point_agreement(*c.who, request.item, ref); });
    co_return;
}

awaitable<void> handle(client& c, protocol::translate request, reply_ref ref)
{
    act_in_room(c, request.room, ref, [&](room& r) {
        return r.translate(*c.who, request.message, request.lang, request.text, ref);
    });
    co_return;
}

awaitable<void> handle(client& c, protocol::give_floor request, reply_ref ref)
{
    act_in_room(c, request.room, ref, [&](room& r) { return r.give_floor(*c.who, request.member, ref); });
    co_return;
}

awaitable<void> handle(client& c, protocol::set_phase request, reply_ref ref)
{
    auto const r = c.context.rooms.find(request.room);
    if (!r)
        co_return c.reply_error(error_code::not_in_room, {}, ref);
    if (!co_await staff_login::still_logged_in(c, ref))
        co_return;
    auto const answer = r->set_phase(*c.who, request.phase, ref, now_ms());
    if (!answer.done())
        co_return c.reply_refusal(answer.refused(), ref);
    // Closing sends everyone away, as end does: it is audited as end is.
    if (request.phase == protocol::circle_phase::closed) {
        log::info("close " + c.tag() + " by=" + c.who->id() + " room=" + r->slug());
        audit_entry entry{now_ms(), c.who->display_name(), "close", r->slug(), "", ""}; // named: g++ 12 and co_await
        co_await c.context.database.audit(std::move(entry));
    }
}

awaitable<void> handle(client& c, protocol::leave leave, reply_ref ref)
{
    auto const r = c.context.rooms.find(leave.room);
    auto const answer = r ? r->leave(*c.who) : verdict{refusal{error_code::not_in_room}};
    if (!answer.done())
        co_return c.reply_refusal(answer.refused(), ref);
    log::info("leave " + c.tag() + " id=" + c.who->id() + " room=" + leave.room);
}

awaitable<void> handle(client& c, protocol::ping, reply_ref ref)
{
    c.send(make_frame(protocol::write_pong(ref)));
    co_return;
}

awaitable<void> handle(client& c, protocol::resources, reply_ref ref)
{
    c.send(make_frame(protocol::write_resources(c.context.help, ref)));
    co_return;
}

} // namespace kring::chat_requests
