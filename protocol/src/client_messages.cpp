#include <kring/protocol/client_messages.hpp>
#include <kring/protocol/text.hpp>

#include "fields.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <limits>

namespace kring::protocol {
namespace {

namespace json = boost::json;
using detail::fields;
using detail::refusal;
using detail::refuse;
using detail::refuse_name;

std::uint64_t as_seq(json::value const& value)
{
    if (value.is_uint64())
        return value.get_uint64();
    if (value.is_int64() && value.get_int64() >= 0)
        return static_cast<std::uint64_t>(value.get_int64());
    refuse(error_code::bad_field, "since values must be non-negative integers");
}

hello parse_hello(fields const& f, input_limits const& limits)
{
    hello h;
    auto const* v = f.find("v");
    if (!v)
        refuse(error_code::missing_field, "v is required");
    if (!v->is_int64() && !v->is_uint64())
        refuse(error_code::bad_field, "v must be an integer");
    h.version = v->is_int64() ? v->get_int64() : std::numeric_limits<std::int64_t>::max();
    h.resume = f.optional_string("resume", limits.token);
    h.auth = f.optional_string("auth", limits.token);
    h.device = f.optional_string("device", limits.token);
    h.lang = f.optional_language("lang");
    if (h.device && h.device->size() < 16)
        refuse(error_code::bad_field, "device must be a random key of at least 16 characters");
    if (auto const* since = f.find("since")) {
        if (!since->is_object())
            refuse(error_code::bad_field, "since must be an object");
        if (since->get_object().size() > limits.since_entries)
            refuse(error_code::too_long, "since lists too many rooms");
        for (auto const& [slug, seq] : since->get_object()) {
            if (!is_valid_slug(slug, limits.slug))
                refuse(error_code::bad_field, "since keys must be room slugs");
            h.since.push_back({std::string{slug}, as_seq(seq)});
        }
    }
    return h;
}

join parse_join(fields const& f, input_limits const& limits)
{
    join j;
    j.room = f.room();
    j.code = f.optional_string("code", limits.code);
    if (auto const* raw_name = f.find("name")) {
        if (!raw_name->is_string())
            refuse(error_code::bad_field, "name must be a string");
        auto checked = check_name(raw_name->get_string(), {limits.name, limits.name_marks});
        if (!checked.ok())
            refuse_name(checked.refusal);
        j.name = std::move(checked.name);
    }
    j.agree = f.optional_bool("agree").value_or(false);
    j.lang = f.optional_language("lang");
    return j;
}

say parse_say(fields const& f, input_limits const& limits)
{
    say s;
    s.room = f.room();
    s.text = f.required_string("text", limits.text);
    if (is_blank(s.text))
        refuse(error_code::bad_text, "text is empty");
    if (holds_refused_text_character(s.text))
        refuse(error_code::bad_text, "text holds control characters");
    return s;
}

client_message parse_body(std::string_view type, fields const& f, input_limits const& limits)
{
    if (type == "say")
        return parse_say(f, limits);
    if (type == "join")
        return parse_join(f, limits);
    if (type == "leave")
        return leave{f.room()};
    if (type == "ping")
        return ping{};
    if (type == "resources")
        return resources{};
    if (type == "hello")
        return parse_hello(f, limits);
    if (auto moderation = detail::parse_moderation(type, f))
        return std::move(*moderation);
    if (auto circle = detail::parse_circle(type, f))
        return std::move(*circle);
    refuse(error_code::unknown_type, "unknown type");
}

// Reads `ref` leniently, so that even a refused request's error carries it.
std::optional<std::string> read_ref(json::object const& object, input_limits const& limits)
{
    auto const* ref = object.if_contains("ref");
    if (!ref || !ref->is_string() || count_code_points(ref->get_string()) > limits.ref)
        return std::nullopt;
    return std::string{ref->get_string()};
}

parse_result parse_object(json::object const& object, input_limits const& limits)
{
    auto ref = read_ref(object, limits);
    try {
        auto const* type = object.if_contains("type");
        if (!type || !type->is_string())
            refuse(error_code::unknown_type, "type must be a string");
        fields const f{object, limits};
        if (object.contains("ref") && !ref)
            refuse(f.find("ref")->is_string() ? error_code::too_long : error_code::bad_field,
                   "ref must be a string of at most " + std::to_string(limits.ref));
        return request{parse_body(type->get_string(), f, limits), std::move(ref)};
    } catch (refusal& r) {
        return request_error{r.code, std::move(r.detail), std::move(ref), r.name_reason};
    }
}

} // namespace

bool is_valid_slug(std::string_view slug, std::size_t max_length)
{
    if (slug.empty() || slug.size() > max_length)
        return false;
    for (char const c : slug)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    return true;
}

parse_result parse_client_message(std::string_view frame, input_limits const& limits)
{
    if (!is_valid_utf8(frame))
        return request_error{error_code::bad_utf8, "not valid UTF-8", std::nullopt};
    try {
        unsigned char buffer[4096];
        json::monotonic_resource resource{buffer, sizeof buffer};
        json::parse_options options;
        options.max_depth = limits.depth;
        boost::system::error_code ec;
        json::value const value = json::parse(frame, ec, &resource, options);
        if (ec == json::error::too_deep)
            return request_error{error_code::too_deep, "nested too deeply", std::nullopt};
        if (ec)
            return request_error{error_code::bad_json, "not valid JSON", std::nullopt};
        if (!value.is_object())
            return request_error{error_code::not_object, "must be a JSON object", std::nullopt};
        return parse_object(value.get_object(), limits);
    } catch (std::exception const&) {
        return request_error{error_code::internal, "could not parse", std::nullopt};
    }
}

} // namespace kring::protocol
