#pragma once

#include <kring/protocol/client_messages.hpp>
#include <kring/protocol/text.hpp>

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>

// Reads the fields of one client message. The first problem found ends
// parsing with a refusal, thrown and caught inside the protocol library only.
namespace kring::protocol::detail {

namespace json = boost::json;

// Thrown and caught inside this file only: the first problem found ends parsing.
struct refusal {
    error_code code;
    std::string detail;
    name_refusal name_reason = name_refusal::none;
};

[[noreturn]] inline void refuse(error_code code, std::string detail)
{
    throw refusal{code, std::move(detail)};
}

// A display name's refusal: too_long keeps its code, as for every string
// past its limit; every other rule is bad_name. Both say which rule.
[[noreturn]] inline void refuse_name(name_refusal why)
{
    auto const code = why == name_refusal::too_long ? error_code::too_long : error_code::bad_name;
    throw refusal{code, std::string{describe(why)}, why};
}

class fields {
public:
    fields(json::object const& object, input_limits const& limits)
        : object_(object)
        , limits_(limits)
    {
    }

    input_limits const& limits() const { return limits_; }

    json::value const* find(std::string_view key) const
    {
        return object_.if_contains(key);
    }

    std::optional<std::string> optional_string(std::string_view key, std::size_t max_code_points) const
    {
        auto const* value = find(key);
        if (!value)
            return std::nullopt;
        if (!value->is_string())
            refuse(error_code::bad_field, std::string{key} + " must be a string");
        std::string_view const text = value->get_string();
        if (count_code_points(text) > max_code_points)
            refuse(error_code::too_long, std::string{key} + " is longer than " + std::to_string(max_code_points));
        return std::string{text};
    }

    // Free text that other people read, or that is kept and printed later
    // (a reason, a pinned prompt, a report's resolution): like say.text, it
    // holds no control characters but newline and tab, so none can reach a
    // screen or an admin's terminal (`kring audit`, `kring ban list`).
    std::optional<std::string> optional_text(std::string_view key, std::size_t max_code_points) const
    {
        auto text = optional_string(key, max_code_points);
        if (text && holds_refused_text_character(*text))
            refuse(error_code::bad_text, std::string{key} + " holds control characters");
        return text;
    }

    std::string required_string(std::string_view key, std::size_t max_code_points) const
    {
        auto value = optional_string(key, max_code_points);
        if (!value)
            refuse(error_code::missing_field, std::string{key} + " is required");
        return std::move(*value);
    }

    std::optional<bool> optional_bool(std::string_view key) const
    {
        auto const* value = find(key);
        if (!value)
            return std::nullopt;
        if (!value->is_bool())
            refuse(error_code::bad_field, std::string{key} + " must be true or false");
        return value->get_bool();
    }

    // A whole number from min to max.
    std::optional<std::int64_t> optional_integer(std::string_view key, std::int64_t min, std::int64_t max) const
    {
        auto const* value = find(key);
        if (!value)
            return std::nullopt;
        if (!value->is_int64() || value->get_int64() < min || value->get_int64() > max)
            refuse(error_code::bad_field,
                   std::string{key} + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max));
        return value->get_int64();
    }

    // A BCP 47 tag ("fa", "pt-BR"), as its primary language subtag in
    // lowercase ("fa", "pt"): what Kring keeps texts by.
    std::optional<std::string> optional_language(std::string_view key) const
    {
        auto tag = optional_string(key, 35);
        if (!tag)
            return std::nullopt;
        auto const primary = tag->substr(0, tag->find('-'));
        std::string out;
        for (char const c : primary) {
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
                refuse(error_code::bad_field, std::string{key} + " must be a language tag such as \"fa\" or \"nl-BE\"");
            out += static_cast<char>(c | 0x20);
        }
        if (out.size() < 2 || out.size() > 3)
            refuse(error_code::bad_field, std::string{key} + " must be a language tag such as \"fa\" or \"nl-BE\"");
        return out;
    }

    std::string member_id(std::string_view key) const
    {
        return required_string(key, limits_.id);
    }

    std::string room() const
    {
        auto slug = required_string("room", limits_.slug + 1); // a longer slug is no slug: bad_field
        if (!is_valid_slug(slug, limits_.slug))
            refuse(error_code::bad_field, "room must be a slug of a-z, 0-9 and -");
        return slug;
    }

private:
    json::object const& object_;
    input_limits const& limits_;
};

} // namespace kring::protocol::detail

namespace kring::protocol::detail {

// The moderation and login messages; nothing when `type` is none of them.
std::optional<client_message> parse_moderation(std::string_view type, fields const& f);

// Reactions, raised hands, listening, whispers and the moderators' channel; nothing when `type` is none of them.
std::optional<client_message> parse_circle(std::string_view type, fields const& f);

} // namespace kring::protocol::detail
