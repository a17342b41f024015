#include <kring/protocol/server_messages.hpp>

#include "entries.hpp"
#include "json_writer.hpp"

namespace kring::protocol {
namespace {

using detail::json_object_writer;

std::string room_event(std::string_view type, std::string_view room)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", type).field("room", room);
    w.close();
    return out;
}

void append_report(std::string& out, report_entry const& r)
{
    json_object_writer w{out};
    w.field("id", r.id).field("room", r.room).field("message", r.message).field("text", r.text);
    w.field("author", r.author_id).field("author_name", r.author_name);
    w.field("reason", r.reason).field("ts", r.ts);
    w.close();
}

} // namespace

std::string write_error_after(error_code code, std::string_view message, std::int64_t seconds,
                              std::optional<std::string_view> ref)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "error").field("code", to_string(code)).field("message", message).field("seconds", seconds);
    if (ref)
        w.field("ref", *ref);
    w.close();
    return out;
}

std::string write_error_until(error_code code, std::string_view message, std::int64_t until,
                              std::optional<std::string_view> ref)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "error").field("code", to_string(code)).field("message", message).field("until", until);
    if (ref)
        w.field("ref", *ref);
    w.close();
    return out;
}

std::string write_error_in_room(error_code code, std::string_view message, std::string_view room)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "error").field("code", to_string(code)).field("message", message).field("room", room);
    w.close();
    return out;
}

std::string write_ok(std::optional<std::string_view> ref)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "ok");
    if (ref)
        w.field("ref", *ref);
    w.close();
    return out;
}

namespace {

void append_slugs(std::string& list, std::span<std::string const> slugs)
{
    list.push_back('[');
    for (std::size_t i = 0; i < slugs.size(); ++i) {
        if (i > 0)
            list.push_back(',');
        detail::append_quoted(list, slugs[i]);
    }
    list.push_back(']');
}

} // namespace

std::string write_logged_in(std::string_view role, std::span<std::string const> rooms, std::string_view token,
                            std::string_view name, std::int64_t expires, std::span<std::string const> facilitates,
                            std::span<std::string const> interprets)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "logged_in").field("role", role).field("name", name);
    append_slugs(w.open_field("rooms"), rooms);
    if (!facilitates.empty())
        append_slugs(w.open_field("facilitates"), facilitates);
    if (!interprets.empty())
        append_slugs(w.open_field("interprets"), interprets);
    w.field("token", token).field("expires", expires);
    w.close();
    return out;
}

std::string write_logged_out()
{
    return R"({"type":"logged_out"})";
}

std::string write_choose_password(std::string_view name, password_limits const& limits)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "choose_password").field("name", name);
    w.field("min_length", std::uint64_t{limits.min_length}).field("max_length", std::uint64_t{limits.max_length});
    w.close();
    return out;
}

std::string write_password_refused(password_refusal reason, password_limits const& limits,
                                   std::optional<std::string_view> ref)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "error").field("code", to_string(error_code::bad_password)).field("reason", to_string(reason));
    w.field("message", describe(reason));
    w.field("min_length", std::uint64_t{limits.min_length}).field("max_length", std::uint64_t{limits.max_length});
    if (ref)
        w.field("ref", *ref);
    w.close();
    return out;
}

std::string write_member_event(member_event const& event)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", event.type).field("room", event.room).field("member", event.member);
    if (event.until)
        w.field("until", *event.until);
    if (event.reason)
        w.field("reason", *event.reason);
    if (event.scope)
        w.field("scope", *event.scope);
    w.close();
    return out;
}

std::string write_deleted(std::string_view room, std::string_view message)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "deleted").field("room", room).field("message", message);
    w.close();
    return out;
}

std::string write_pinned(std::string_view room, std::optional<pinned_entry> const& pinned)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "pinned").field("room", room);
    if (pinned) {
        if (pinned->message)
            w.field("message", *pinned->message);
        w.field("text", pinned->text).field("by", pinned->by);
    }
    w.close();
    return out;
}

std::string write_room_state(room_entry const& room)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "room_state").field("room", room.slug);
    detail::append_room_state(w, room);
    w.close();
    return out;
}

std::string write_waiting(std::string_view room)
{
    return room_event("waiting", room);
}

std::string write_knock(std::string_view room, member_entry const& member)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "knock").field("room", room);
    detail::append_member(w.open_field("member"), member);
    w.close();
    return out;
}

std::string write_ended(std::string_view room)
{
    return room_event("ended", room);
}

std::string write_report(report_entry const& report)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "report");
    append_report(w.open_field("report"), report);
    w.close();
    return out;
}

std::string write_reports(std::span<report_entry const> reports)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "reports");
    auto& list = w.open_field("reports");
    list.push_back('[');
    for (std::size_t i = 0; i < reports.size(); ++i) {
        if (i > 0)
            list.push_back(',');
        append_report(list, reports[i]);
    }
    list.push_back(']');
    w.close();
    return out;
}

} // namespace kring::protocol
