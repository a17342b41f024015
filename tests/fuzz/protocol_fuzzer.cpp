// Fuzzes the protocol parser: any bytes a client sends as one text frame.
// Beyond "never throws, never crashes", it checks what the server relies on:
// a refusal carries a stable code (never `internal`), a request keeps every
// limit the parser promises, text that others will read (a message, a
// pinned prompt, a reason) keeps the rules of `say.text`, and what the
// server writes back from it (an `error` with the ref, a `message` with the
// text and ref) is JSON that reads back the same.
#include "fuzz_check.hpp"

#include <kring/protocol/client_messages.hpp>
#include <kring/protocol/server_messages.hpp>
#include <kring/protocol/text.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace {

namespace json = boost::json;
namespace protocol = kring::protocol;

protocol::input_limits const limits; // the server's defaults

// A string the parser handed over: valid UTF-8, within `max` code points.
void check_string(std::string_view s, std::size_t max)
{
    KRING_FUZZ_CHECK(protocol::is_valid_utf8(s));
    KRING_FUZZ_CHECK(protocol::count_code_points(s) <= max);
}

void check_optional(std::optional<std::string> const& s, std::size_t max)
{
    if (s)
        check_string(*s, max);
}

// Text that other people read holds no control characters but newline and tab.
void check_readable(std::optional<std::string> const& text)
{
    if (text)
        KRING_FUZZ_CHECK(!protocol::holds_refused_text_character(*text));
}

void check_room(std::string_view room)
{
    KRING_FUZZ_CHECK(protocol::is_valid_slug(room, limits.slug));
}

// The frame as a client reads it back: one JSON object.
json::object read_back(std::string const& frame)
{
    boost::system::error_code ec;
    auto value = json::parse(frame, ec);
    KRING_FUZZ_CHECK(!ec);
    KRING_FUZZ_CHECK(value.is_object());
    return value.as_object();
}

void check_echoed_ref(json::object const& frame, std::optional<std::string> const& ref)
{
    auto const* echoed = frame.if_contains("ref");
    KRING_FUZZ_CHECK((echoed != nullptr) == ref.has_value());
    if (ref)
        KRING_FUZZ_CHECK(echoed->is_string() && echoed->get_string() == *ref);
}

void check_refusal(protocol::request_error const& refused)
{
    KRING_FUZZ_CHECK(refused.code != protocol::error_code::internal);
    check_optional(refused.ref, limits.ref);
    auto const message = refused.detail.empty() ? protocol::describe(refused.code) : refused.detail;
    auto const frame = read_back(protocol::write_error(refused.code, message, refused.ref));
    KRING_FUZZ_CHECK(frame.at("code").as_string() == protocol::to_string(refused.code));
    check_echoed_ref(frame, refused.ref);
}

void check_say(protocol::say const& say, std::optional<std::string> const& ref)
{
    check_room(say.room);
    check_string(say.text, limits.text);
    KRING_FUZZ_CHECK(!protocol::is_blank(say.text));
    KRING_FUZZ_CHECK(!protocol::holds_refused_text_character(say.text));
    std::optional<std::string_view> ref_view;
    if (ref)
        ref_view = *ref;
    auto const frame = read_back(protocol::write_message(
        {say.room, 1, "m1", {"p1", "Gentle Heron 27", "participant"}, say.text, 1795000000000, ref_view}));
    KRING_FUZZ_CHECK(frame.at("text").as_string() == say.text);
    check_echoed_ref(frame, ref);
}

void check_join(protocol::join const& join)
{
    check_room(join.room);
    check_optional(join.code, limits.code);
    if (join.name) {
        KRING_FUZZ_CHECK(protocol::trim(*join.name) == *join.name);
        KRING_FUZZ_CHECK(protocol::check_name(*join.name, limits.name) == protocol::name_check::ok);
    }
}

void check_hello(protocol::hello const& hello)
{
    KRING_FUZZ_CHECK(hello.since.size() <= limits.since_entries);
    for (auto const& entry : hello.since)
        check_room(entry.room);
    check_optional(hello.resume, limits.token);
    check_optional(hello.auth, limits.token);
    check_optional(hello.device, limits.token);
    if (hello.device)
        KRING_FUZZ_CHECK(hello.device->size() >= 16);
}

template <class... Checks>
struct overloaded : Checks... {
    using Checks::operator()...;
};
template <class... Checks>
overloaded(Checks...) -> overloaded<Checks...>;

void check_request(protocol::request const& request)
{
    check_optional(request.ref, limits.ref);
    std::visit(overloaded{
                   [&](protocol::say const& m) { check_say(m, request.ref); },
                   [](protocol::join const& m) { check_join(m); },
                   [](protocol::hello const& m) { check_hello(m); },
                   [](protocol::login const& m) {
                       check_string(m.user, limits.user);
                       check_string(m.password, limits.password);
                   },
                   [](protocol::member_action const& m) {
                       check_room(m.room);
                       check_string(m.member, limits.id);
                       check_optional(m.reason, limits.reason);
                       check_readable(m.reason);
                       if (m.minutes)
                           KRING_FUZZ_CHECK(*m.minutes >= 1);
                   },
                   [](protocol::ban const& m) {
                       check_room(m.room);
                       check_string(m.member, limits.id);
                       check_optional(m.reason, limits.reason);
                       check_readable(m.reason);
                       if (m.hours)
                           KRING_FUZZ_CHECK(*m.hours >= 1);
                   },
                   [](protocol::pin const& m) {
                       check_room(m.room);
                       KRING_FUZZ_CHECK(!(m.message && m.text));
                       check_optional(m.text, limits.text);
                       check_readable(m.text);
                   },
                   [](protocol::report const& m) {
                       check_room(m.room);
                       check_optional(m.reason, limits.reason);
                       check_readable(m.reason);
                   },
                   [](protocol::room_set const& m) {
                       check_room(m.room);
                       if (m.slow)
                           KRING_FUZZ_CHECK(*m.slow >= 0);
                   },
                   [](protocol::list_reports const& m) {
                       if (m.room)
                           check_room(*m.room);
                   },
                   [](protocol::resolve const& m) {
                       KRING_FUZZ_CHECK(m.report >= 1);
                       check_readable(m.action);
                   },
                   [](auto const& m) {
                       if constexpr (requires { m.room; })
                           check_room(m.room);
                   },
               },
               request.message);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    std::string_view const frame{reinterpret_cast<char const*>(data), size};
    auto const parsed = protocol::parse_client_message(frame, limits);
    if (auto const* refused = std::get_if<protocol::request_error>(&parsed))
        check_refusal(*refused);
    else
        check_request(std::get<protocol::request>(parsed));
    return 0;
}
