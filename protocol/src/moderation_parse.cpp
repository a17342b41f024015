#include "fields.hpp"

#include <limits>

namespace kring::protocol::detail {
namespace {

constexpr std::int64_t a_year_of_minutes = 366LL * 24 * 60;
constexpr std::int64_t ten_years_of_hours = 10LL * 366 * 24;
constexpr std::int64_t a_day_of_seconds = 24LL * 60 * 60;

std::optional<member_action_kind> member_action_of(std::string_view type)
{
    if (type == "mute")
        return member_action_kind::mute;
    if (type == "unmute")
        return member_action_kind::unmute;
    if (type == "remove")
        return member_action_kind::remove;
    if (type == "admit")
        return member_action_kind::admit;
    if (type == "deny")
        return member_action_kind::deny;
    return std::nullopt;
}

std::optional<room_action_kind> room_action_of(std::string_view type)
{
    if (type == "lock")
        return room_action_kind::lock;
    if (type == "unlock")
        return room_action_kind::unlock;
    if (type == "end")
        return room_action_kind::end;
    return std::nullopt;
}

member_action parse_member_action(member_action_kind kind, fields const& f)
{
    member_action a{kind, f.room(), f.member_id("member"), std::nullopt, std::nullopt};
    if (kind == member_action_kind::mute)
        a.minutes = f.optional_integer("minutes", 1, a_year_of_minutes);
    if (kind == member_action_kind::remove)
        a.reason = f.optional_text("reason", f.limits().reason);
    return a;
}

ban parse_ban(fields const& f)
{
    ban b;
    b.room = f.room();
    b.member = f.member_id("member");
    auto const scope = f.required_string("scope", 16);
    if (scope == "room")
        b.scope = ban_scope::room;
    else if (scope == "server")
        b.scope = ban_scope::server;
    else
        refuse(error_code::bad_field, "scope must be \"room\" or \"server\"");
    b.hours = f.optional_integer("hours", 1, ten_years_of_hours);
    b.reason = f.optional_text("reason", f.limits().reason);
    b.address = f.optional_bool("address").value_or(false);
    return b;
}

nudge parse_nudge(fields const& f)
{
    nudge n{f.room(), f.member_id("member"), f.optional_integer("item", 1, 50),
            f.optional_text("text", f.limits().reason)};
    if (n.text && is_blank(*n.text))
        refuse(error_code::bad_text, "text is empty");
    return n;
}

pause parse_pause(fields const& f)
{
    auto const seconds = f.optional_integer("seconds", 0, 600);
    if (!seconds)
        refuse(error_code::missing_field, "seconds is required");
    if (*seconds > 0 && *seconds < 5)
        refuse(error_code::bad_field, "seconds must be 0 (to end the pause) or from 5 to 600");
    pause p{f.room(), *seconds, f.optional_text("text", f.limits().reason)};
    if (p.text && is_blank(*p.text))
        refuse(error_code::bad_text, "text is empty");
    return p;
}

pin parse_pin(fields const& f)
{
    pin p{f.room(), f.optional_string("message", f.limits().id), f.optional_text("text", f.limits().text)};
    if (p.message && p.text)
        refuse(error_code::bad_field, "pin takes message or text, not both");
    if (p.text && is_blank(*p.text))
        refuse(error_code::bad_text, "text is empty");
    return p;
}

room_set parse_room_set(fields const& f)
{
    room_set s{f.room(), f.optional_bool("waiting"), f.optional_integer("slow", 0, a_day_of_seconds), std::nullopt};
    if (auto const mode = f.optional_string("mode", 16)) {
        if (*mode == "open")
            s.mode = room_mode::open;
        else if (*mode == "moderated")
            s.mode = room_mode::moderated;
        else
            refuse(error_code::bad_field, "mode must be \"open\" or \"moderated\"");
    }
    return s;
}

std::optional<std::string> optional_room(fields const& f)
{
    if (!f.find("room"))
        return std::nullopt;
    return f.room();
}

} // namespace

std::optional<client_message> parse_moderation(std::string_view type, fields const& f)
{
    auto const& limits = f.limits();
    if (auto const kind = member_action_of(type))
        return parse_member_action(*kind, f);
    if (auto const kind = room_action_of(type))
        return room_action{*kind, f.room()};
    if (type == "login")
        return login{f.required_string("user", limits.user), f.required_string("password", limits.password)};
    if (type == "logout")
        return logout{};
    if (type == "set_password")
        return set_password{f.required_string("password", limits.password),
                            f.optional_string("current", limits.password)};
    if (type == "ban")
        return parse_ban(f);
    if (type == "delete")
        return delete_message{f.room(), f.member_id("message")};
    if (type == "pin")
        return parse_pin(f);
    if (type == "nudge")
        return parse_nudge(f);
    if (type == "pause")
        return parse_pause(f);
    if (type == "room_set")
        return parse_room_set(f);
    if (type == "report")
        return report{f.room(), f.member_id("message"), f.optional_text("reason", limits.reason)};
    if (type == "reports")
        return list_reports{optional_room(f)};
    if (type == "resolve") {
        auto const id = f.optional_integer("report", 1, std::numeric_limits<std::int64_t>::max());
        if (!id)
            refuse(error_code::missing_field, "report is required");
        return resolve{*id, f.optional_text("action", 32)};
    }
    return std::nullopt;
}

} // namespace kring::protocol::detail
