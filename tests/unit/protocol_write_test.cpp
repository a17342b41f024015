#include <kring/protocol/error_code.hpp>
#include <kring/protocol/server_messages.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_to.hpp>

#include <doctest/doctest.h>

#include <array>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace p = kring::protocol;
namespace json = boost::json;

namespace {

// The frame parsed as JSON; the test stops when it is not a JSON object.
json::object parsed(std::string const& frame)
{
    CAPTURE(frame);
    boost::system::error_code ec;
    auto value = json::parse(frame, ec);
    REQUIRE_FALSE(ec);
    REQUIRE(value.is_object());
    return value.as_object();
}

std::string text_of(json::value const& value)
{
    REQUIRE(value.is_string());
    return std::string{value.as_string()};
}

std::string field(json::object const& object, std::string_view key)
{
    REQUIRE(object.contains(key));
    return text_of(object.at(key));
}

std::uint64_t number(json::object const& object, std::string_view key)
{
    REQUIRE(object.contains(key));
    return json::value_to<std::uint64_t>(object.at(key));
}

// Strings a member could type, or an attacker could send, that JSON must escape.
std::vector<std::string> awkward_strings()
{
    std::string every_control;
    for (int c = 0; c < 0x20; ++c)
        every_control.push_back(static_cast<char>(c));
    return {
        "",
        R"(she said "hi")",
        R"(back\slash \" \\ \n \u0041)",
        "two\nlines\r\nand\ttab",
        every_control,
        "del \x7F and \xC2\x85 next-line",
        "\u0645\u0631\u062D\u0628\u0627 \u1230\u120B\u121D \xF0\x9F\x98\x80 \u202E",
        R"(</script><script>alert(1)</script>)",
        R"("},"type":"error","x":{")",
    };
}

p::announced_limits limits_of(std::size_t text, std::size_t name, std::size_t frame_bytes, std::size_t rooms,
                              std::size_t history, std::size_t resume_seconds)
{
    p::announced_limits l;
    l.text = text;
    l.name = name;
    l.frame_bytes = frame_bytes;
    l.rooms = rooms;
    l.history = history;
    l.resume_seconds = resume_seconds;
    return l;
}

p::welcome_frame welcome(std::string_view id, std::string_view name, std::string_view token)
{
    p::welcome_frame w;
    w.id = id;
    w.name = name;
    w.token = token;
    return w;
}

p::message_frame message(std::string_view room, std::uint64_t seq, std::string_view id, p::member_entry from,
                         std::string_view text, std::int64_t ts, std::optional<std::string_view> ref = std::nullopt)
{
    p::message_frame m;
    m.room = room;
    m.seq = seq;
    m.id = id;
    m.from = from;
    m.text = text;
    m.ts = ts;
    m.ref = ref;
    return m;
}

p::room_entry room_of(std::string_view slug, std::string_view title, std::size_t capacity)
{
    p::room_entry r;
    r.slug = slug;
    r.title = title;
    r.capacity = capacity;
    return r;
}

p::joined_frame joined(p::room_entry room, p::member_entry you, std::span<p::member_entry const> members,
                       std::span<std::string_view const> history, std::uint64_t seq)
{
    p::joined_frame j;
    j.room = room;
    j.you = you;
    j.members = members;
    j.history = history;
    j.seq = seq;
    return j;
}

p::member_entry const amal{"3f9c0a7d1e2b4c68", "Amal", "participant"};
p::member_entry const badr{"5d1e000000000000", "Quiet Cedar 8", "participant"};

} // namespace

TEST_CASE("welcome holds the identity, the resumed flag and the limits")
{
    auto frame = welcome("3f9c0a7d1e2b4c68", "Gentle Heron 27", "kQ2m-_token");
    frame.limits = limits_of(2000, 32, 65536, 8, 200, 120);
    auto const object = parsed(p::write_welcome(frame));
    CHECK(field(object, "type") == "welcome");
    CHECK(number(object, "v") == 1);
    CHECK(field(object, "id") == "3f9c0a7d1e2b4c68");
    CHECK(field(object, "name") == "Gentle Heron 27");
    CHECK(field(object, "token") == "kQ2m-_token");
    REQUIRE(object.contains("resumed"));
    CHECK(object.at("resumed") == json::value(false));
    REQUIRE(object.contains("limits"));
    REQUIRE(object.at("limits").is_object());
    auto const& limits = object.at("limits").as_object();
    CHECK(number(limits, "text") == 2000);
    CHECK(number(limits, "name") == 32);
    CHECK(number(limits, "frame_bytes") == 65536);
    CHECK(number(limits, "rooms") == 8);
    CHECK(number(limits, "history") == 200);
    CHECK(number(limits, "resume_seconds") == 120);

    SUBCASE("resumed is true on resume, and other limits are written as given")
    {
        auto resumed = frame;
        resumed.resumed = true;
        resumed.limits = limits_of(1, 2, 3, 4, 0, 6);
        auto const o = parsed(p::write_welcome(resumed));
        CHECK(o.at("resumed") == json::value(true));
        auto const& l = o.at("limits").as_object();
        CHECK(number(l, "text") == 1);
        CHECK(number(l, "name") == 2);
        CHECK(number(l, "frame_bytes") == 3);
        CHECK(number(l, "rooms") == 4);
        CHECK(number(l, "history") == 0);
        CHECK(number(l, "resume_seconds") == 6);
    }
}

TEST_CASE("message holds its room, seq, id, sender, text and time, and ref only when given")
{
    auto frame = message("demo", 42, "m1", amal, "Good evening everyone", 1795000000123);
    SUBCASE("without ref")
    {
        auto const text = p::write_message(frame);
        CHECK(text == R"({"type":"message","room":"demo","seq":42,"id":"m1",)"
                      R"("from":{"id":"3f9c0a7d1e2b4c68","name":"Amal","role":"participant"},)"
                      R"("text":"Good evening everyone","ts":1795000000123})");
        auto const object = parsed(text);
        CHECK_FALSE(object.contains("ref"));
        CHECK(field(object, "type") == "message");
        CHECK(number(object, "seq") == 42);
        CHECK(number(object, "ts") == 1795000000123u);
        auto const& from = object.at("from").as_object();
        CHECK(field(from, "id") == "3f9c0a7d1e2b4c68");
        CHECK(field(from, "name") == "Amal");
        CHECK(field(from, "role") == "participant");
    }
    SUBCASE("with ref")
    {
        frame.ref = "c7";
        auto const object = parsed(p::write_message(frame));
        CHECK(field(object, "ref") == "c7");
        CHECK(field(object, "text") == "Good evening everyone");
    }
    SUBCASE("with an empty ref")
    {
        frame.ref = "";
        CHECK(field(parsed(p::write_message(frame)), "ref") == "");
    }
    SUBCASE("the largest seq")
    {
        frame.seq = UINT64_MAX;
        CHECK(number(parsed(p::write_message(frame)), "seq") == UINT64_MAX);
    }
}

TEST_CASE("joined splices the history frames verbatim and writes gap only when true")
{
    std::array const members{amal, badr};
    auto const first = p::write_message(message("demo", 40, "m40", badr, "first", 1795000000000));
    auto const second = p::write_message(message("demo", 41, "m41", amal, "second \"quoted\"\n", 1795000000001));
    std::array<std::string_view, 2> const history{first, second};
    auto frame = joined(room_of("demo", "Demo circle", 12), amal, members, history, 41);

    SUBCASE("the fields")
    {
        auto const text = p::write_joined(frame);
        auto const object = parsed(text);
        CHECK(field(object, "type") == "joined");
        auto const& room = object.at("room").as_object();
        CHECK(field(room, "slug") == "demo");
        CHECK(field(room, "title") == "Demo circle");
        CHECK(number(room, "capacity") == 12);
        auto const& you = object.at("you").as_object();
        CHECK(field(you, "id") == amal.id);
        CHECK(field(you, "name") == "Amal");
        CHECK(field(you, "role") == "participant");
        REQUIRE(object.at("members").is_array());
        auto const& listed = object.at("members").as_array();
        REQUIRE(listed.size() == 2);
        CHECK(field(listed[0].as_object(), "id") == amal.id);
        CHECK(field(listed[1].as_object(), "id") == badr.id);
        CHECK(field(listed[1].as_object(), "name") == "Quiet Cedar 8");
        CHECK(number(object, "seq") == 41);
        CHECK_FALSE(object.contains("gap"));
    }
    SUBCASE("history holds the message frames as they are, oldest first")
    {
        auto const text = p::write_joined(frame);
        CHECK(text.find(R"("history":[)" + first + "," + second + "]") != std::string::npos);
        auto const object = parsed(text);
        REQUIRE(object.at("history").is_array());
        auto const& listed = object.at("history").as_array();
        REQUIRE(listed.size() == 2);
        CHECK(listed[0] == json::value(parsed(first)));
        CHECK(listed[1] == json::value(parsed(second)));
        CHECK(number(listed[1].as_object(), "seq") == 41);
    }
    SUBCASE("gap: true only when there is a gap")
    {
        frame.gap = true;
        auto const object = parsed(p::write_joined(frame));
        REQUIRE(object.contains("gap"));
        CHECK(object.at("gap") == json::value(true));
    }
    SUBCASE("an empty room with no history")
    {
        std::array const alone{amal};
        frame.members = alone;
        frame.history = {};
        frame.seq = 0;
        auto const text = p::write_joined(frame);
        CHECK(text.find(R"("history":[])") != std::string::npos);
        auto const object = parsed(text);
        CHECK(object.at("history").as_array().empty());
        CHECK(object.at("members").as_array().size() == 1);
        CHECK(number(object, "seq") == 0);
    }
}

TEST_CASE("member_joined, member_left, left, pong and error are written exactly")
{
    CHECK(p::write_member_joined("demo", badr) ==
          R"({"type":"member_joined","room":"demo","member":{"id":"5d1e000000000000","name":"Quiet Cedar 8","role":"participant"}})");
    CHECK(p::write_member_left("demo", "5d1e000000000000") ==
          R"({"type":"member_left","room":"demo","id":"5d1e000000000000"})");
    CHECK(p::write_left("demo") == R"({"type":"left","room":"demo"})");
    CHECK(p::write_pong(std::nullopt) == R"({"type":"pong"})");
    CHECK(p::write_pong("p1") == R"({"type":"pong","ref":"p1"})");
    CHECK(p::write_error(p::error_code::room_full, "this circle is full", "j1") ==
          R"({"type":"error","code":"room_full","message":"this circle is full","ref":"j1"})");
    CHECK(p::write_error(p::error_code::bad_json, "not valid JSON", std::nullopt) ==
          R"({"type":"error","code":"bad_json","message":"not valid JSON"})");
}

TEST_CASE("strings with quotes, backslashes, controls and non-ASCII text round-trip through every writer")
{
    for (auto const& s : awkward_strings()) {
        CAPTURE(s);
        {
            auto const o = parsed(p::write_message(message("demo", 1, s, {s, s, s}, s, 1, s)));
            CHECK(field(o, "text") == s);
            CHECK(field(o, "id") == s);
            CHECK(field(o, "ref") == s);
            CHECK(field(o.at("from").as_object(), "name") == s);
            CHECK(field(o, "type") == "message");
        }
        {
            auto const o = parsed(p::write_welcome(welcome(s, s, s)));
            CHECK(field(o, "name") == s);
            CHECK(field(o, "token") == s);
            CHECK(field(o, "type") == "welcome");
        }
        {
            std::array const members{p::member_entry{s, s, "participant"}};
            auto const o = parsed(p::write_joined(joined(room_of(s, s, 3), {s, s, "participant"}, members, {}, 0)));
            CHECK(field(o.at("room").as_object(), "title") == s);
            CHECK(field(o.at("you").as_object(), "name") == s);
            CHECK(field(o.at("members").as_array()[0].as_object(), "name") == s);
            CHECK(field(o, "type") == "joined");
        }
        {
            auto const o = parsed(p::write_member_joined(s, {s, s, "participant"}));
            CHECK(field(o, "room") == s);
            CHECK(field(o.at("member").as_object(), "name") == s);
        }
        CHECK(field(parsed(p::write_member_left(s, s)), "id") == s);
        CHECK(field(parsed(p::write_left(s)), "room") == s);
        CHECK(field(parsed(p::write_pong(s)), "ref") == s);
        {
            auto const o = parsed(p::write_error(p::error_code::bad_text, s, s));
            CHECK(field(o, "message") == s);
            CHECK(field(o, "ref") == s);
            CHECK(field(o, "code") == "bad_text");
        }
    }
}

TEST_CASE("control characters are written as JSON escapes, never raw")
{
    CHECK(p::write_left("a\"b") == R"({"type":"left","room":"a\"b"})");
    CHECK(p::write_left("a\\b") == R"({"type":"left","room":"a\\b"})");
    CHECK(p::write_left("a\nb\tc\rd") == R"({"type":"left","room":"a\nb\tc\rd"})");
    CHECK(p::write_left("\x01\x1f") == R"({"type":"left","room":"\u0001\u001f"})");
    CHECK(p::write_left(std::string_view{"a\0b", 3}) == R"({"type":"left","room":"a\u0000b"})");
    CHECK(p::write_left("\xD8\xB9") == "{\"type\":\"left\",\"room\":\"\xD8\xB9\"}");
    SUBCASE("no byte below 0x20 is left in any frame")
    {
        for (auto const& s : awkward_strings()) {
            auto const text = p::write_message(message(s, 1, s, {s, s, s}, s, -1, s));
            for (char const c : text)
                CHECK(static_cast<unsigned char>(c) >= 0x20u);
        }
    }
}

TEST_CASE("every error code has its stable name and a description")
{
    std::vector<std::pair<p::error_code, std::string_view>> const codes{
        {p::error_code::bad_json, "bad_json"},
        {p::error_code::not_object, "not_object"},
        {p::error_code::too_deep, "too_deep"},
        {p::error_code::bad_utf8, "bad_utf8"},
        {p::error_code::binary_frame, "binary_frame"},
        {p::error_code::unknown_type, "unknown_type"},
        {p::error_code::missing_field, "missing_field"},
        {p::error_code::bad_field, "bad_field"},
        {p::error_code::too_long, "too_long"},
        {p::error_code::bad_name, "bad_name"},
        {p::error_code::bad_text, "bad_text"},
        {p::error_code::hello_required, "hello_required"},
        {p::error_code::already_welcomed, "already_welcomed"},
        {p::error_code::unsupported_version, "unsupported_version"},
        {p::error_code::no_such_room, "no_such_room"},
        {p::error_code::bad_code, "bad_code"},
        {p::error_code::room_full, "room_full"},
        {p::error_code::already_joined, "already_joined"},
        {p::error_code::name_taken, "name_taken"},
        {p::error_code::unknown_reaction, "unknown_reaction"},
        {p::error_code::not_in_room, "not_in_room"},
        {p::error_code::member_away, "member_away"},
        {p::error_code::whisper_not_allowed, "whisper_not_allowed"},
        {p::error_code::too_many_rooms, "too_many_rooms"},
        {p::error_code::rate_limited, "rate_limited"},
        {p::error_code::paused, "paused"},
        {p::error_code::wrong_circle, "wrong_circle"},
        {p::error_code::database_unavailable, "database_unavailable"},
        {p::error_code::internal, "internal"},
    };
    std::set<std::string_view> descriptions;
    for (auto const& [code, name] : codes) {
        CAPTURE(name);
        CHECK(p::to_string(code) == name);
        CHECK_FALSE(p::describe(code).empty());
        descriptions.insert(p::describe(code));
        CHECK(field(parsed(p::write_error(code, p::describe(code), std::nullopt)), "code") == name);
    }
    CHECK(descriptions.size() == codes.size());
}
