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
#include <kring/protocol/names.hpp>
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

// One check per message kind; the rest only name a room, or nothing.
void check(protocol::join const& join)
{
    check_room(join.room);
    check_optional(join.code, limits.code);
    if (join.name) {
        KRING_FUZZ_CHECK(protocol::trim(*join.name) == *join.name);
        // The parser hands on a name in the form check_name keeps: checking it
        // again lets it through unchanged.
        auto const again = protocol::check_name(*join.name, {limits.name, limits.name_marks});
        KRING_FUZZ_CHECK(again.ok() && again.name == *join.name);
    }
}

void check(protocol::hello const& hello)
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

void check(protocol::login const& login)
{
    check_string(login.user, limits.user);
    check_string(login.password, limits.password);
}

void check(protocol::member_action const& action)
{
    check_room(action.room);
    check_string(action.member, limits.id);
    check_optional(action.reason, limits.reason);
    check_readable(action.reason);
    if (action.minutes)
        KRING_FUZZ_CHECK(*action.minutes >= 1);
}

void check(protocol::ban const& ban)
{
    check_room(ban.room);
    check_string(ban.member, limits.id);
    check_optional(ban.reason, limits.reason);
    check_readable(ban.reason);
    if (ban.hours)
        KRING_FUZZ_CHECK(*ban.hours >= 1);
}

void check(protocol::pin const& pin)
{
    check_room(pin.room);
    KRING_FUZZ_CHECK(!(pin.message && pin.text));
    check_optional(pin.text, limits.text);
    check_readable(pin.text);
}

void check(protocol::report const& report)
{
    check_room(report.room);
    check_optional(report.reason, limits.reason);
    check_readable(report.reason);
}

void check(protocol::room_set const& set)
{
    check_room(set.room);
    if (set.slow)
        KRING_FUZZ_CHECK(*set.slow >= 0);
}

void check(protocol::list_reports const& list)
{
    if (list.room)
        check_room(*list.room);
}

void check(protocol::resolve const& resolve)
{
    KRING_FUZZ_CHECK(resolve.report >= 1);
    check_readable(resolve.action);
}

template <class Message>
void check(Message const& message)
{
    if constexpr (requires { message.room; })
        check_room(message.room);
}

void check_request(protocol::request const& request)
{
    check_optional(request.ref, limits.ref);
    if (auto const* say = std::get_if<protocol::say>(&request.message))
        check_say(*say, request.ref);
    else
        std::visit([](auto const& message) { check(message); }, request.message);
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
