#include <kring/protocol/server_messages.hpp>

#include "entries.hpp"
#include "json_writer.hpp"

namespace kring::protocol {

namespace detail {

void append_member(std::string& out, member_entry const& member)
{
    json_object_writer w{out};
    w.field("id", member.id).field("name", member.name).field("role", member.role);
    if (member.away)
        w.field("away", true);
    if (member.hand)
        w.field("hand", true);
    if (member.listening)
        w.field("listening", true);
    w.close();
}

void append_pinned(std::string& out, pinned_entry const& pinned)
{
    json_object_writer w{out};
    if (pinned.message)
        w.field("message", *pinned.message);
    w.field("text", pinned.text).field("by", pinned.by);
    w.close();
}

void append_room_state(json_object_writer& w, room_entry const& room)
{
    w.field("locked", room.locked).field("waiting", room.waiting).field("slow", room.slow).field("mode", room.mode);
}

void append_room(std::string& out, room_entry const& room)
{
    json_object_writer w{out};
    w.field("slug", room.slug).field("title", room.title).field("capacity", std::uint64_t{room.capacity});
    append_room_state(w, room);
    if (room.pinned)
        append_pinned(w.open_field("pinned"), *room.pinned);
    if (room.quiet_arrivals)
        w.field("quiet_arrivals", true);
    w.field("history", room.history).field("led", room.peer_led ? "peer" : "moderator");
    if (room.agreement_required)
        w.field("agreement_required", true);
    w.close();
}

} // namespace detail

namespace {

using detail::append_member;
using detail::append_room;
using detail::json_object_writer;

void append_limits(std::string& out, announced_limits const& limits)
{
    json_object_writer w{out};
    w.field("text", std::uint64_t{limits.text})
        .field("name", std::uint64_t{limits.name})
        .field("frame_bytes", std::uint64_t{limits.frame_bytes})
        .field("rooms", std::uint64_t{limits.rooms})
        .field("history", std::uint64_t{limits.history})
        .field("resume_seconds", std::uint64_t{limits.resume_seconds});
    w.close();
}

void append_counts(std::string& out, reaction_counts const& counts)
{
    json_object_writer w{out};
    for (std::size_t i = 0; i < counts.size(); ++i)
        if (counts[i] > 0)
            w.field(to_string(static_cast<reaction>(i)), std::uint64_t{counts[i]});
    w.close();
}

bool any_reaction(reaction_counts const* counts)
{
    if (!counts)
        return false;
    for (auto const n : *counts)
        if (n > 0)
            return true;
    return false;
}

template <class Item, class Append>
void append_array(std::string& out, std::span<Item const> items, Append append)
{
    out.push_back('[');
    bool first = true;
    for (auto const& item : items) {
        if (!first)
            out.push_back(',');
        first = false;
        append(out, item);
    }
    out.push_back(']');
}

} // namespace

std::string write_welcome(welcome_frame const& frame)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "welcome")
        .field("v", std::uint64_t{1})
        .field("id", frame.id)
        .field("name", frame.name)
        .field("token", frame.token)
        .field("resumed", frame.resumed)
        .field("role", frame.role);
    append_limits(w.open_field("limits"), frame.limits);
    if (!frame.resources.empty())
        w.open_field("resources") += frame.resources;
    w.close();
    return out;
}

namespace {

void append_ids(std::string& out, std::span<std::string const> ids)
{
    append_array(out, ids, [](std::string& o, std::string const& id) { detail::append_quoted(o, id); });
}

void append_session(std::string& out, session_entry const& session)
{
    json_object_writer w{out};
    w.field("opens", session.opens).field("start", session.start).field("end", session.end).field("zone", session.zone);
    w.close();
}

void append_round(json_object_writer& w, round_entry const& round)
{
    append_ids(w.open_field("order"), round.order);
    w.field("holder", round.holder);
    if (round.prompt)
        w.field("prompt", *round.prompt);
    append_ids(w.open_field("passed"), round.passed);
    append_ids(w.open_field("skipped"), round.skipped);
    if (round.turn_seconds)
        w.field("turn_seconds", *round.turn_seconds);
}

} // namespace

std::string write_joined(joined_frame const& frame)
{
    std::string out;
    std::size_t history_bytes = 0;
    for (auto const& message : frame.history)
        history_bytes += message.size() + 1;
    out.reserve(256 + 64 * frame.members.size() + history_bytes);

    json_object_writer w{out};
    w.field("type", "joined");
    append_room(w.open_field("room"), frame.room);
    append_member(w.open_field("you"), frame.you);
    append_array(w.open_field("members"), frame.members, append_member);
    append_array(w.open_field("history"), frame.history,
                 [](std::string& o, std::string_view message) { o += message; });
    w.field("seq", frame.seq);
    if (frame.gap)
        w.field("gap", true);
    if (!frame.deleted.empty())
        append_array(w.open_field("deleted"), frame.deleted,
                     [](std::string& o, std::string_view id) { detail::append_quoted(o, id); });
    if (!frame.mod_history.empty())
        append_array(w.open_field("mod_history"), frame.mod_history,
                     [](std::string& o, std::string_view message) { o += message; });
    if (frame.round) {
        json_object_writer r{w.open_field("round")};
        append_round(r, *frame.round);
        r.close();
    }
    if (frame.pause) {
        json_object_writer p{w.open_field("pause")};
        p.field("until", frame.pause->until);
        if (frame.pause->text)
            p.field("text", *frame.pause->text);
        p.close();
    }
    if (!frame.agreement.empty())
        w.raw_field("agreement", frame.agreement);
    if (frame.phase)
        w.field("phase", to_string(*frame.phase));
    if (frame.session)
        append_session(w.open_field("session"), *frame.session);
    w.close();
    return out;
}

std::string write_floor(std::string_view room, std::optional<std::string_view> member, std::string_view by,
                        std::optional<std::string_view> ref)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "floor").field("room", room);
    if (member)
        w.field("member", *member);
    if (!by.empty())
        w.field("by", by);
    if (ref)
        w.field("ref", *ref);
    w.close();
    return out;
}

std::string write_round_reminder(std::string_view room, std::string_view holder, std::int64_t seconds)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "round_reminder").field("room", room).field("holder", holder).field("seconds", seconds);
    w.close();
    return out;
}

std::string write_phase(std::string_view room, circle_phase phase, std::optional<std::string_view> by,
                        std::optional<std::string_view> ref)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "phase").field("room", room).field("phase", to_string(phase));
    if (by)
        w.field("by", *by);
    if (ref)
        w.field("ref", *ref);
    w.close();
    return out;
}

std::string write_closed(std::string_view room, std::optional<session_entry> const& next,
                         std::optional<std::string_view> ref)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "error").field("code", to_string(error_code::closed)).field("message", describe(error_code::closed));
    w.field("room", room);
    if (next)
        append_session(w.open_field("next"), *next);
    if (ref)
        w.field("ref", *ref);
    w.close();
    return out;
}

std::string write_paused(std::string_view room, pause_entry const& pause)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "paused").field("room", room).field("until", pause.until);
    if (pause.text)
        w.field("text", *pause.text);
    w.close();
    return out;
}

std::string write_round(std::string_view room, round_entry const& round, std::optional<std::string_view> ref)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "round").field("room", room);
    append_round(w, round);
    if (ref)
        w.field("ref", *ref);
    w.close();
    return out;
}

std::string write_round_ended(std::string_view room, bool complete, std::optional<std::string_view> ref)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "round_ended").field("room", room).field("complete", complete);
    if (ref)
        w.field("ref", *ref);
    w.close();
    return out;
}

std::string write_unpaused(std::string_view room)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "unpaused").field("room", room);
    w.close();
    return out;
}

std::string write_message(message_frame const& frame)
{
    std::string out;
    out.reserve(160 + frame.text.size() + frame.from.name.size());
    json_object_writer w{out};
    w.field("type", "message").field("room", frame.room).field("seq", frame.seq).field("id", frame.id);
    append_member(w.open_field("from"), frame.from);
    w.field("text", frame.text).field("ts", frame.ts);
    if (frame.ref)
        w.field("ref", *frame.ref);
    if (any_reaction(frame.reactions))
        append_counts(w.open_field("reactions"), *frame.reactions);
    if (!frame.translations.empty())
        append_array(w.open_field("translations"), frame.translations, [](std::string& o, translation_entry const& t) {
            json_object_writer tw{o};
            tw.field("lang", t.lang).field("text", t.text).field("by", t.by);
            tw.close();
        });
    w.close();
    return out;
}

std::string write_translation(std::string_view room, std::string_view message, translation_entry const& entry,
                              std::optional<std::string_view> ref)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "translation").field("room", room).field("message", message);
    w.field("lang", entry.lang).field("text", entry.text).field("by", entry.by);
    if (ref)
        w.field("ref", *ref);
    w.close();
    return out;
}

std::string write_whisper(whisper_frame const& frame)
{
    std::string out;
    out.reserve(200 + frame.text.size());
    json_object_writer w{out};
    w.field("type", "whisper").field("room", frame.room).field("id", frame.id);
    append_member(w.open_field("from"), frame.from);
    append_member(w.open_field("to"), frame.to);
    w.field("text", frame.text).field("ts", frame.ts);
    if (frame.ref)
        w.field("ref", *frame.ref);
    w.close();
    return out;
}

std::string write_mod_message(mod_message_frame const& frame)
{
    std::string out;
    out.reserve(160 + frame.text.size());
    json_object_writer w{out};
    w.field("type", "mod_message").field("room", frame.room).field("id", frame.id);
    append_member(w.open_field("from"), frame.from);
    w.field("text", frame.text).field("ts", frame.ts);
    if (frame.ref)
        w.field("ref", *frame.ref);
    w.close();
    return out;
}

std::string write_nudge(std::string_view room, std::string_view member, std::string_view by,
                        std::optional<std::int64_t> item, std::optional<std::string_view> text)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "nudge").field("room", room).field("member", member).field("by", by);
    if (item)
        w.field("item", *item);
    if (text)
        w.field("text", *text);
    w.close();
    return out;
}

std::string write_hand(std::string_view room, std::string_view member, bool up, std::optional<std::string_view> by,
                       std::optional<std::string_view> ref)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "hand").field("room", room).field("member", member).field("up", up);
    if (by)
        w.field("by", *by);
    if (ref)
        w.field("ref", *ref);
    w.close();
    return out;
}

std::string write_listening(std::string_view room, std::string_view member, bool on,
                            std::optional<std::string_view> ref)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "listening").field("room", room).field("member", member).field("on", on);
    if (ref)
        w.field("ref", *ref);
    w.close();
    return out;
}

std::string write_hands(std::string_view room, std::span<std::string const> queue)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "hands").field("room", room);
    append_array(w.open_field("queue"), queue,
                 [](std::string& o, std::string const& id) { detail::append_quoted(o, id); });
    w.close();
    return out;
}

std::string write_reactions(std::string_view room, std::string_view message, reaction_counts const& counts,
                            std::optional<std::string_view> ref)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "reactions").field("room", room).field("message", message);
    append_counts(w.open_field("counts"), counts);
    if (ref)
        w.field("ref", *ref);
    w.close();
    return out;
}

std::string write_member_joined(std::string_view room, member_entry const& member)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "member_joined").field("room", room);
    append_member(w.open_field("member"), member);
    w.close();
    return out;
}

namespace {

// member_left, member_away and member_back: {type, room, id}.
std::string write_member_id_event(std::string_view type, std::string_view room, std::string_view id)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", type).field("room", room).field("id", id);
    w.close();
    return out;
}

} // namespace

std::string write_member_left(std::string_view room, std::string_view id)
{
    return write_member_id_event("member_left", room, id);
}

std::string write_member_away(std::string_view room, std::string_view id)
{
    return write_member_id_event("member_away", room, id);
}

std::string write_member_back(std::string_view room, std::string_view id)
{
    return write_member_id_event("member_back", room, id);
}

std::string write_left(std::string_view room)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "left").field("room", room);
    w.close();
    return out;
}

std::string write_pong(std::optional<std::string_view> ref)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "pong");
    if (ref)
        w.field("ref", *ref);
    w.close();
    return out;
}

std::string write_error(error_code code, std::string_view message, std::optional<std::string_view> ref)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "error").field("code", to_string(code)).field("message", message);
    if (ref)
        w.field("ref", *ref);
    w.close();
    return out;
}

std::string write_name_error(error_code code, name_refusal reason, std::optional<std::string_view> ref)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "error").field("code", to_string(code)).field("reason", to_string(reason));
    w.field("message", describe(reason));
    if (ref)
        w.field("ref", *ref);
    w.close();
    return out;
}

} // namespace kring::protocol
