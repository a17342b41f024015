#include <kring/protocol/circle_messages.hpp>

#include "fields.hpp"
#include <kring/protocol/text.hpp>

#include <algorithm>

namespace kring::protocol {
namespace {

constexpr std::array<std::string_view, reaction_kinds> reaction_names{"heart",    "hug",      "hear_you",
                                                                      "me_too",   "strength", "thank_you"};

} // namespace

std::string_view to_string(reaction r)
{
    return reaction_names[static_cast<std::size_t>(r)];
}

std::optional<reaction> reaction_named(std::string_view name)
{
    for (std::size_t i = 0; i < reaction_names.size(); ++i)
        if (reaction_names[i] == name)
            return static_cast<reaction>(i);
    return std::nullopt;
}

std::string_view to_string(history_mode mode)
{
    return mode == history_mode::joined ? "joined" : "session";
}

std::optional<history_mode> history_mode_named(std::string_view name)
{
    if (name == "joined")
        return history_mode::joined;
    if (name == "session")
        return history_mode::session;
    return std::nullopt;
}

namespace {

constexpr std::array<std::string_view, 5> phase_names{"lobby", "check_in", "sharing", "check_out", "closed"};

} // namespace

std::string_view to_string(circle_phase phase)
{
    return phase_names[static_cast<std::size_t>(phase)];
}

std::optional<circle_phase> circle_phase_named(std::string_view name)
{
    for (std::size_t i = 0; i < phase_names.size(); ++i)
        if (phase_names[i] == name)
            return static_cast<circle_phase>(i);
    return std::nullopt;
}

namespace detail {
namespace {

react parse_react(fields const& f)
{
    react r;
    r.room = f.room();
    r.message = f.member_id("message");
    auto const name = f.required_string("reaction", 32);
    auto const known = reaction_named(name);
    if (!known)
        refuse(error_code::unknown_reaction, "reaction must be one of heart, hug, hear_you, me_too, strength, thank_you");
    r.reaction = *known;
    r.on = f.optional_bool("on").value_or(true);
    return r;
}

hand parse_hand(fields const& f)
{
    hand h;
    h.room = f.room();
    auto const up = f.optional_bool("up");
    if (!up)
        refuse(error_code::missing_field, "up is required");
    h.up = *up;
    if (f.find("member"))
        h.member = f.member_id("member");
    return h;
}

listening parse_listening(fields const& f)
{
    listening l;
    l.room = f.room();
    auto const on = f.optional_bool("on");
    if (!on)
        refuse(error_code::missing_field, "on is required");
    l.on = *on;
    return l;
}

// Words for people to read, as say.text.
std::string spoken_text(fields const& f)
{
    auto text = f.required_string("text", f.limits().text);
    if (is_blank(text))
        refuse(error_code::bad_text, "text is empty");
    if (holds_refused_text_character(text))
        refuse(error_code::bad_text, "text holds control characters");
    return text;
}

whisper parse_whisper(fields const& f)
{
    whisper w;
    w.room = f.room();
    w.member = f.member_id("member");
    w.text = spoken_text(f);
    return w;
}

mod_say parse_mod_say(fields const& f)
{
    mod_say m;
    m.room = f.room();
    m.text = spoken_text(f);
    return m;
}

// The longest order a round may be given: past any circle's capacity.
constexpr std::size_t max_round_order = 64;

round_start parse_round_start(fields const& f)
{
    round_start r;
    r.room = f.room();
    if (auto const* order = f.find("order")) {
        if (!order->is_array() || order->get_array().empty() || order->get_array().size() > max_round_order)
            refuse(error_code::bad_field, "order must be a list of 1 to 64 member ids");
        std::vector<std::string> ids;
        for (auto const& id : order->get_array()) {
            if (!id.is_string() || id.get_string().empty() || id.get_string().size() > f.limits().id)
                refuse(error_code::bad_field, "order must be a list of member ids");
            if (std::find(ids.begin(), ids.end(), id.get_string()) != ids.end())
                refuse(error_code::bad_field, "order names a member twice");
            ids.emplace_back(id.get_string());
        }
        r.order = std::move(ids);
    }
    r.turn_seconds = f.optional_integer("turn_seconds", 10, 1800);
    r.prompt = f.optional_text("prompt", f.limits().reason);
    if (r.prompt && is_blank(*r.prompt))
        refuse(error_code::bad_text, "prompt is empty");
    return r;
}

translate parse_translate(fields const& f)
{
    translate t;
    t.room = f.room();
    t.message = f.member_id("message");
    auto lang = f.optional_language("lang");
    if (!lang)
        refuse(error_code::missing_field, "lang is required");
    t.lang = std::move(*lang);
    t.text = spoken_text(f);
    return t;
}

point_agreement parse_point_agreement(fields const& f)
{
    point_agreement p;
    p.room = f.room();
    auto const item = f.optional_integer("item", 1, 20);
    if (!item)
        refuse(error_code::missing_field, "item is required");
    p.item = static_cast<std::size_t>(*item);
    return p;
}

} // namespace

std::optional<client_message> parse_circle(std::string_view type, fields const& f)
{
    if (type == "react")
        return parse_react(f);
    if (type == "hand")
        return parse_hand(f);
    if (type == "listening")
        return parse_listening(f);
    if (type == "whisper")
        return parse_whisper(f);
    if (type == "mod_say")
        return parse_mod_say(f);
    if (type == "help")
        return help{f.room()};
    if (type == "round_start")
        return parse_round_start(f);
    if (type == "done")
        return round_move{f.room(), round_step::done};
    if (type == "pass")
        return round_move{f.room(), round_step::pass};
    if (type == "round_skip")
        return round_move{f.room(), round_step::skip};
    if (type == "round_end")
        return round_move{f.room(), round_step::end};
    if (type == "round_give")
        return round_give{f.room(), f.member_id("member")};
    if (type == "agreement")
        return read_agreement{f.room(), f.optional_language("lang")};
    if (type == "agreement_point")
        return parse_point_agreement(f);
    if (type == "translate")
        return parse_translate(f);
    if (type == "floor") {
        give_floor g;
        g.room = f.room();
        if (f.find("member"))
            g.member = f.member_id("member");
        return g;
    }
    if (type == "phase") {
        set_phase p;
        p.room = f.room();
        auto const named = circle_phase_named(f.required_string("phase", 16));
        if (!named)
            refuse(error_code::bad_field, "phase must be one of lobby, check_in, sharing, check_out, closed");
        p.phase = *named;
        return p;
    }
    return std::nullopt;
}

} // namespace detail
} // namespace kring::protocol
