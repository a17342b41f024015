#include <kring/protocol/client_messages.hpp>
#include <kring/protocol/text.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace p = kring::protocol;

namespace {

p::parse_result parse(std::string_view frame, p::input_limits const& limits = {})
{
    return p::parse_client_message(frame, limits);
}

// "request" when the frame was accepted, otherwise the name of its error code.
std::string outcome_of(p::parse_result const& result)
{
    if (auto const* error = std::get_if<p::request_error>(&result))
        return std::string{p::to_string(error->code)};
    return "request";
}

std::string outcome_of(std::string_view frame, p::input_limits const& limits = {})
{
    return outcome_of(parse(frame, limits));
}

// Copies, so that a result parsed in the same expression may be a temporary.
p::request request_of(p::parse_result const& result)
{
    REQUIRE(outcome_of(result) == "request");
    return std::get<p::request>(result);
}

template <class Message>
Message message_of(p::parse_result const& result)
{
    auto const request = request_of(result);
    REQUIRE(std::holds_alternative<Message>(request.message));
    return std::get<Message>(request.message);
}

p::request_error error_of(p::parse_result const& result)
{
    REQUIRE(std::holds_alternative<p::request_error>(result));
    return std::get<p::request_error>(result);
}

std::string repeat(std::string_view piece, std::size_t times)
{
    std::string out;
    for (std::size_t i = 0; i < times; ++i)
        out += piece;
    return out;
}

// `text` goes into the JSON as it is: it must hold no quote, backslash or raw control.
std::string say_frame(std::string const& text)
{
    return R"({"type":"say","room":"demo","text":")" + text + R"("})";
}

std::string join_frame_with_name(std::string const& name)
{
    return R"({"type":"join","room":"demo","name":")" + name + R"("})";
}

// A ping whose JSON nests exactly `depth` levels (the object itself is one).
std::string ping_nested(std::size_t depth)
{
    return R"({"type":"ping","x":)" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
}

} // namespace

TEST_CASE("hello is parsed with its version, and with resume and since when given")
{
    SUBCASE("version only")
    {
        auto const result = parse(R"({"type":"hello","v":1})");
        auto const& hello = message_of<p::hello>(result);
        CHECK(hello.version == 1);
        CHECK_FALSE(hello.resume.has_value());
        CHECK(hello.since.empty());
        CHECK_FALSE(request_of(result).ref.has_value());
    }
    SUBCASE("with a resume token and since")
    {
        auto const result =
            parse(R"({"type":"hello","v":1,"resume":"b6Vt-_x","since":{"demo":41,"night-owls":0}})");
        auto const& hello = message_of<p::hello>(result);
        CHECK(hello.version == 1);
        REQUIRE(hello.resume.has_value());
        CHECK(*hello.resume == "b6Vt-_x");
        REQUIRE(hello.since.size() == 2);
        CHECK(hello.since[0].room == "demo");
        CHECK(hello.since[0].seq == 41);
        CHECK(hello.since[1].room == "night-owls");
        CHECK(hello.since[1].seq == 0);
    }
    SUBCASE("with resume but no since")
    {
        auto const& hello = message_of<p::hello>(parse(R"({"type":"hello","v":1,"resume":"tok"})"));
        CHECK(hello.resume == std::optional<std::string>{"tok"});
        CHECK(hello.since.empty());
    }
    SUBCASE("with an empty since")
    {
        auto const& hello = message_of<p::hello>(parse(R"({"type":"hello","v":1,"since":{}})"));
        CHECK(hello.since.empty());
    }
    SUBCASE("a since value as large as a seq can be")
    {
        auto const& hello =
            message_of<p::hello>(parse(R"({"type":"hello","v":1,"since":{"demo":18446744073709551615}})"));
        REQUIRE(hello.since.size() == 1);
        CHECK(hello.since[0].seq == std::numeric_limits<std::uint64_t>::max());
    }
    SUBCASE("another version is parsed; refusing it is the server's job")
    {
        CHECK(message_of<p::hello>(parse(R"({"type":"hello","v":2})")).version == 2);
        CHECK(message_of<p::hello>(parse(R"({"type":"hello","v":-1})")).version == -1);
        CHECK(message_of<p::hello>(parse(R"({"type":"hello","v":0})")).version == 0);
    }
    SUBCASE("a version too large for int64 is never taken for 1")
    {
        auto const& hello = message_of<p::hello>(parse(R"({"type":"hello","v":18446744073709551615})"));
        CHECK(hello.version != 1);
    }
}

TEST_CASE("join is parsed with and without its code and name")
{
    SUBCASE("room only")
    {
        auto const& join = message_of<p::join>(parse(R"({"type":"join","room":"demo"})"));
        CHECK(join.room == "demo");
        CHECK_FALSE(join.code.has_value());
        CHECK_FALSE(join.name.has_value());
    }
    SUBCASE("with a code")
    {
        auto const& join = message_of<p::join>(parse(R"({"type":"join","room":"night-owls-2","code":"open sesame"})"));
        CHECK(join.room == "night-owls-2");
        CHECK(join.code == std::optional<std::string>{"open sesame"});
        CHECK_FALSE(join.name.has_value());
    }
    SUBCASE("with a name")
    {
        auto const& join = message_of<p::join>(parse(R"({"type":"join","room":"demo","name":"Amal"})"));
        CHECK(join.name == std::optional<std::string>{"Amal"});
        CHECK_FALSE(join.code.has_value());
    }
    SUBCASE("with a code and a name")
    {
        auto const& join = message_of<p::join>(parse(R"({"type":"join","room":"demo","code":"c","name":"Amal"})"));
        CHECK(join.code == std::optional<std::string>{"c"});
        CHECK(join.name == std::optional<std::string>{"Amal"});
    }
    SUBCASE("a code of 128 code points is accepted and one of 129 is too long")
    {
        auto const& join = message_of<p::join>(
            parse(R"({"type":"join","room":"demo","code":")" + repeat("\u0639", 128) + R"("})"));
        CHECK(join.code == std::optional<std::string>{repeat("\u0639", 128)});
        CHECK(outcome_of(R"({"type":"join","room":"demo","code":")" + repeat("c", 129) + R"("})") == "too_long");
    }
}

TEST_CASE("say, leave and ping are parsed")
{
    SUBCASE("say")
    {
        auto const& say = message_of<p::say>(parse(R"({"type":"say","room":"demo","text":"Good evening everyone"})"));
        CHECK(say.room == "demo");
        CHECK(say.text == "Good evening everyone");
    }
    SUBCASE("say keeps JSON escapes decoded")
    {
        auto const& say = message_of<p::say>(
            parse(R"({"type":"say","room":"demo","text":"line \"one\"\nline\ttwo \\ \u00e9 \ud83d\ude00"})"));
        CHECK(say.text == "line \"one\"\nline\ttwo \\ \xC3\xA9 \xF0\x9F\x98\x80");
    }
    SUBCASE("leave")
    {
        auto const& leave = message_of<p::leave>(parse(R"({"type":"leave","room":"demo"})"));
        CHECK(leave.room == "demo");
    }
    SUBCASE("ping")
    {
        auto const result = parse(R"({"type":"ping"})");
        CHECK(std::holds_alternative<p::ping>(request_of(result).message));
        CHECK_FALSE(request_of(result).ref.has_value());
    }
    SUBCASE("a slug of 32 characters with digits and dashes")
    {
        auto const slug = "a-0" + repeat("z", 29);
        REQUIRE(slug.size() == 32);
        CHECK(message_of<p::leave>(parse(R"({"type":"leave","room":")" + slug + R"("})")).room == slug);
    }
}

TEST_CASE("the ref of a request is echoed in the request")
{
    SUBCASE("on ping")
    {
        auto const result = parse(R"({"type":"ping","ref":"p1"})");
        CHECK(request_of(result).ref == std::optional<std::string>{"p1"});
    }
    SUBCASE("on say")
    {
        auto const result = parse(R"({"ref":"c7","type":"say","room":"demo","text":"hi"})");
        CHECK(request_of(result).ref == std::optional<std::string>{"c7"});
    }
    SUBCASE("on every other type")
    {
        CHECK(request_of(parse(R"({"type":"hello","v":1,"ref":"h"})")).ref == std::optional<std::string>{"h"});
        CHECK(request_of(parse(R"({"type":"join","room":"demo","ref":"j"})")).ref == std::optional<std::string>{"j"});
        CHECK(request_of(parse(R"({"type":"leave","room":"demo","ref":"l"})")).ref ==
              std::optional<std::string>{"l"});
    }
    SUBCASE("an empty ref is still a ref")
    {
        CHECK(request_of(parse(R"({"type":"ping","ref":""})")).ref == std::optional<std::string>{""});
    }
    SUBCASE("a ref of 64 code points, multi-byte ones included")
    {
        auto const ref = repeat("\xF0\x9F\x98\x80", 64);
        auto const result = parse(R"({"type":"ping","ref":")" + ref + R"("})");
        CHECK(request_of(result).ref == std::optional<std::string>{ref});
    }
}

TEST_CASE("fields the protocol does not know are ignored")
{
    auto const result = parse(R"({"type":"ping","later":{"a":[1,2,3]},"flag":true})");
    CHECK(std::holds_alternative<p::ping>(request_of(result).message));
}

TEST_CASE("a frame that is not UTF-8 is refused as bad_utf8")
{
    CHECK(outcome_of("\xFF") == "bad_utf8");
    CHECK(outcome_of(say_frame("caf\xC3")) == "bad_utf8");              // truncated sequence
    CHECK(outcome_of(say_frame("\xC0\xAF")) == "bad_utf8");             // overlong '/'
    CHECK(outcome_of(say_frame("\xED\xA0\x80")) == "bad_utf8");         // surrogate U+D800
    CHECK(outcome_of(say_frame("\xF4\x90\x80\x80")) == "bad_utf8");     // past U+10FFFF
    CHECK(outcome_of(R"({"type":"ping","ref":")" "\x80" R"("})") == "bad_utf8");
    SUBCASE("and no ref is read from it")
    {
        CHECK_FALSE(error_of(parse(R"({"type":"ping","ref":"r1","x":")" "\xFF" R"("})")).ref.has_value());
    }
}

TEST_CASE("a frame that is not JSON is refused as bad_json")
{
    for (std::string_view const frame : {
             std::string_view{""},
             std::string_view{"{"},
             std::string_view{"hello"},
             std::string_view{R"({"type":"ping",})"},
             std::string_view{R"({'type':'ping'})"},
             std::string_view{R"({"type":"ping"} x)"},
             std::string_view{R"({"type":"ping"}{"type":"ping"})"},
             std::string_view{R"({"type":"say","room":"demo","text":"raw)" "\n" R"(newline"})"},
             std::string_view{R"({"type":"ping","ref":"\x41"})"},
         }) {
        CAPTURE(frame);
        CHECK(outcome_of(frame) == "bad_json");
    }
    SUBCASE("a NUL byte inside the frame")
    {
        std::string const frame{"{\"type\":\"ping\"}\0", 16};
        CHECK(outcome_of(frame) == "bad_json");
    }
}

TEST_CASE("JSON that is not an object is refused as not_object")
{
    for (std::string_view const frame : {"[]", R"([{"type":"ping"}])", "5", "-1.5", R"("ping")", "null", "true"}) {
        CAPTURE(frame);
        CHECK(outcome_of(frame) == "not_object");
    }
}

TEST_CASE("JSON nested deeper than 16 levels is refused as too_deep")
{
    SUBCASE("16 levels are accepted")
    {
        CHECK(outcome_of(ping_nested(16)) == "request");
        CHECK(outcome_of(std::string(16, '[') + std::string(16, ']')) == "not_object");
    }
    SUBCASE("17 levels are too deep")
    {
        CHECK(outcome_of(ping_nested(17)) == "too_deep");
        CHECK(outcome_of(std::string(17, '[') + std::string(17, ']')) == "too_deep");
    }
    SUBCASE("a very deep frame is refused without harm")
    {
        CHECK(outcome_of(std::string(100000, '[') + std::string(100000, ']')) == "too_deep");
        CHECK(outcome_of(repeat(R"({"a":)", 100000)) == "too_deep");
    }
    SUBCASE("the depth limit comes from the limits")
    {
        p::input_limits limits;
        limits.depth = 3;
        CHECK(outcome_of(ping_nested(3), limits) == "request");
        CHECK(outcome_of(ping_nested(4), limits) == "too_deep");
    }
}

TEST_CASE("a missing, non-string or unknown type is refused as unknown_type")
{
    for (std::string_view const frame : {
             R"({})",
             R"({"v":1})",
             R"({"type":5})",
             R"({"type":null})",
             R"({"type":["ping"]})",
             R"({"type":{"name":"ping"}})",
             R"({"type":"shout"})",
             R"({"type":"Ping"})",
             R"({"type":" ping"})",
             R"({"type":""})",
             R"({"type":"welcome"})",
             R"({"type":"message","room":"demo","text":"hi"})",
         }) {
        CAPTURE(frame);
        CHECK(outcome_of(frame) == "unknown_type");
    }
}

TEST_CASE("a missing required field is refused as missing_field")
{
    for (std::string_view const frame : {
             R"({"type":"hello"})",
             R"({"type":"hello","resume":"tok"})",
             R"({"type":"join"})",
             R"({"type":"join","name":"Amal"})",
             R"({"type":"say","text":"hi"})",
             R"({"type":"say","room":"demo"})",
             R"({"type":"leave"})",
         }) {
        CAPTURE(frame);
        CHECK(outcome_of(frame) == "missing_field");
    }
}

TEST_CASE("a field of the wrong JSON type or value is refused as bad_field")
{
    SUBCASE("wrong JSON types")
    {
        for (std::string_view const frame : {
                 R"({"type":"join","room":5})",
                 R"({"type":"join","room":null})",
                 R"({"type":"join","room":["demo"]})",
                 R"({"type":"join","room":"demo","code":5})",
                 R"({"type":"join","room":"demo","name":false})",
                 R"({"type":"say","room":"demo","text":true})",
                 R"({"type":"say","room":"demo","text":{"t":"hi"}})",
                 R"({"type":"leave","room":{}})",
                 R"({"type":"hello","v":"1"})",
                 R"({"type":"hello","v":1.0})",
                 R"({"type":"hello","v":null})",
                 R"({"type":"hello","v":true})",
                 R"({"type":"hello","v":1,"resume":42})",
                 R"({"type":"ping","ref":5})",
                 R"({"type":"ping","ref":null})",
             }) {
            CAPTURE(frame);
            CHECK(outcome_of(frame) == "bad_field");
        }
    }
    SUBCASE("since must be an object of slugs to non-negative integers")
    {
        for (std::string_view const frame : {
                 R"({"type":"hello","v":1,"since":[]})",
                 R"({"type":"hello","v":1,"since":"demo"})",
                 R"({"type":"hello","v":1,"since":41})",
                 R"({"type":"hello","v":1,"since":null})",
                 R"({"type":"hello","v":1,"since":{"demo":-1}})",
                 R"({"type":"hello","v":1,"since":{"demo":"41"}})",
                 R"({"type":"hello","v":1,"since":{"demo":4.5}})",
                 R"({"type":"hello","v":1,"since":{"demo":null}})",
                 R"({"type":"hello","v":1,"since":{"Demo":1}})",
                 R"({"type":"hello","v":1,"since":{"":1}})",
             }) {
            CAPTURE(frame);
            CHECK(outcome_of(frame) == "bad_field");
        }
    }
    SUBCASE("a room that is not a slug")
    {
        for (std::string const& slug : {std::string{"Demo"}, std::string{"a b"}, std::string{""},
                                        std::string{"demo_1"}, std::string{"d\xC3\xA9mo"}, std::string{"demo/x"},
                                        std::string{"\u0639"}}) {
            CAPTURE(slug);
            CHECK(outcome_of(R"({"type":"join","room":")" + slug + R"("})") == "bad_field");
            CHECK(outcome_of(R"({"type":"say","text":"hi","room":")" + slug + R"("})") == "bad_field");
            CHECK(outcome_of(R"({"type":"leave","room":")" + slug + R"("})") == "bad_field");
        }
    }
}

// The README: "Slugs are 1–32 characters"; `bad_field` is "an invalid value
// (e.g. a bad slug)". A room of 33 characters is a bad slug, as it already is
// as a key of hello.since.
TEST_CASE("a room slug of 33 characters is refused as bad_field like any bad slug")
{
    auto const slug = repeat("a", 33);
    CHECK(outcome_of(R"({"type":"join","room":")" + slug + R"("})") == "bad_field");
    CHECK(outcome_of(R"({"type":"say","text":"hi","room":")" + slug + R"("})") == "bad_field");
    CHECK(outcome_of(R"({"type":"leave","room":")" + slug + R"("})") == "bad_field");
    CHECK(outcome_of(R"({"type":"hello","v":1,"since":{")" + slug + R"(":1}})") == "bad_field");
}

TEST_CASE("say text longer than the limit is refused as too_long, counted in code points")
{
    SUBCASE("Arabic letters of two bytes each")
    {
        auto const letter = std::string{"\u0639"}; // ARABIC LETTER AIN
        REQUIRE(letter.size() == 2);
        auto const& say = message_of<p::say>(parse(say_frame(repeat(letter, 2000))));
        CHECK(p::count_code_points(say.text) == 2000);
        CHECK(outcome_of(say_frame(repeat(letter, 2001))) == "too_long");
    }
    SUBCASE("emoji of four bytes each")
    {
        auto const emoji = std::string{"\xF0\x9F\x8C\xBF"}; // HERB
        CHECK(outcome_of(say_frame(repeat(emoji, 2000))) == "request");
        CHECK(outcome_of(say_frame(repeat(emoji, 2001))) == "too_long");
    }
    SUBCASE("plain ASCII")
    {
        CHECK(outcome_of(say_frame(repeat("a", 2000))) == "request");
        CHECK(outcome_of(say_frame(repeat("a", 2001))) == "too_long");
    }
    SUBCASE("the limit comes from the limits")
    {
        p::input_limits limits;
        limits.text = 5;
        CHECK(outcome_of(say_frame("\u0633\u0644\u0627\u0645!"), limits) == "request");
        CHECK(outcome_of(say_frame("\u0633\u0644\u0627\u0645!!"), limits) == "too_long");
    }
}

TEST_CASE("a ref longer than 64 code points is refused as too_long and not echoed")
{
    auto const result = parse(R"({"type":"ping","ref":")" + repeat("r", 65) + R"("})");
    auto const error = error_of(result);
    CHECK(p::to_string(error.code) == "too_long");
    CHECK_FALSE(error.ref.has_value());
    SUBCASE("also when counted in multi-byte code points")
    {
        CHECK(outcome_of(R"({"type":"ping","ref":")" + repeat("\u0639", 65) + R"("})") == "too_long");
    }
}

TEST_CASE("other strings past their limits are refused as too_long")
{
    SUBCASE("a resume token of more than 128 bytes")
    {
        CHECK(outcome_of(R"({"type":"hello","v":1,"resume":")" + repeat("t", 128) + R"("})") == "request");
        CHECK(outcome_of(R"({"type":"hello","v":1,"resume":")" + repeat("t", 129) + R"("})") == "too_long");
    }
    SUBCASE("a password of more than 1024 code points, however many bytes they take")
    {
        auto login = [](std::string const& password) {
            return R"({"type":"login","user":"sara","password":")" + password + R"("})";
        };
        CHECK(outcome_of(login(repeat("\u00e9", 1024))) == "request");
        CHECK(message_of<p::login>(parse(login(repeat("\u00e9", 1024)))).password.size() == 2048);
        CHECK(outcome_of(login(repeat("p", 1025))) == "too_long");
    }
    SUBCASE("since listing more than 64 rooms")
    {
        auto since = [](std::size_t rooms) {
            std::string out = R"({"type":"hello","v":1,"since":{)";
            for (std::size_t i = 0; i < rooms; ++i)
                out += (i ? ",\"r" : "\"r") + std::to_string(i) + "\":1";
            return out + "}}";
        };
        CHECK(outcome_of(since(64)) == "request");
        CHECK(outcome_of(since(65)) == "too_long");
    }
}

TEST_CASE("a display name is trimmed and checked")
{
    SUBCASE("the name is trimmed, Unicode spaces included")
    {
        CHECK(message_of<p::join>(parse(join_frame_with_name("  Amal  "))).name == std::optional<std::string>{"Amal"});
        CHECK(message_of<p::join>(parse(join_frame_with_name("\u00A0Amal\u3000"))).name ==
              std::optional<std::string>{"Amal"});
        CHECK(message_of<p::join>(parse(join_frame_with_name(R"(\tAmal Said\n)"))).name ==
              std::optional<std::string>{"Amal Said"});
    }
    SUBCASE("Arabic and Tigrinya names up to 32 code points are accepted")
    {
        for (std::string const& name : {std::string{"أمل"}, std::string{"ሃብተማርያም"}, std::string{"ሰላም ለኩልኻትኩም"},
                                        std::string{"عبد الرحمن"}, repeat("\u0639", 32), repeat("ለ", 32)}) {
            CAPTURE(name);
            CHECK(message_of<p::join>(parse(join_frame_with_name(name))).name == std::optional<std::string>{name});
        }
    }
    SUBCASE("a name of 33 code points is too long")
    {
        CHECK(outcome_of(join_frame_with_name(repeat("a", 33))) == "too_long");
        CHECK(outcome_of(join_frame_with_name(repeat("\u0639", 33))) == "too_long");
        CHECK(outcome_of(join_frame_with_name(repeat("ለ", 33))) == "too_long");
        CHECK(outcome_of(join_frame_with_name(repeat("a", 1000))) == "too_long");
    }
    SUBCASE("the length counts after trimming")
    {
        CHECK(outcome_of(join_frame_with_name("  " + repeat("a", 32) + "  ")) == "request");
    }
    SUBCASE("a name that is empty after trimming is a bad name")
    {
        for (std::string const& name : {std::string{""}, std::string{"   "}, std::string{"\u00A0\u3000"},
                                        std::string{R"(\t\n)"}}) {
            CAPTURE(name);
            CHECK(outcome_of(join_frame_with_name(name)) == "bad_name");
        }
    }
    SUBCASE("invisible, direction-changing and control characters make a bad name")
    {
        for (std::string const& name : {
                 std::string{"Am\u202Eal"},   // RIGHT-TO-LEFT OVERRIDE
                 std::string{"Am\u202Dal"},   // LEFT-TO-RIGHT OVERRIDE
                 std::string{"Am\u200Bal"},   // ZERO WIDTH SPACE
                 std::string{"\u200B"},       // nothing visible at all
                 std::string{"Amal\u200D"},   // ZERO WIDTH JOINER at the end
                 std::string{"A\u2066mal"},   // LEFT-TO-RIGHT ISOLATE
                 std::string{"A\u2069mal"},   // POP DIRECTIONAL ISOLATE
                 std::string{"\u200FAmal"},   // RIGHT-TO-LEFT MARK
                 std::string{"Am\uFEFFal"},   // ZERO WIDTH NO-BREAK SPACE
                 std::string{R"(Am\u0007al)"}, // BEL
                 std::string{R"(Am\u0000al)"}, // NUL
                 std::string{R"(Am\tal)"},     // tab inside the name
                 std::string{"Am\u007Fal"},   // DEL
                 std::string{"Am\u0085al"},   // NEXT LINE, a C1 control
             }) {
            CAPTURE(name);
            CHECK(outcome_of(join_frame_with_name(name)) == "bad_name");
        }
    }
}

TEST_CASE("a refused display name says which rule it broke; the name kept is NFC")
{
    struct refused_name {
        std::string name;
        std::string code;
        p::name_refusal reason;
    };
    for (auto const& [name, code, reason] : std::vector<refused_name>{
             {"", "bad_name", p::name_refusal::empty},
             {repeat("a", 33), "too_long", p::name_refusal::too_long},
             {repeat("a", 1000), "too_long", p::name_refusal::too_long},
             {"\u2800", "bad_name", p::name_refusal::invisible},
             {"Z" + repeat("\u0336", 30), "bad_name", p::name_refusal::too_many_marks},
             {"\U0001F33B", "bad_name", p::name_refusal::no_letter},
             {"\u0405ara", "bad_name", p::name_refusal::mixed_scripts},
         }) {
        CAPTURE(name);
        auto const error = error_of(parse(join_frame_with_name(name)));
        CHECK(p::to_string(error.code) == code);
        CHECK(error.name_reason == reason);
        CHECK(error.detail == p::describe(reason));
    }
    SUBCASE("other refusals carry no name reason")
    {
        CHECK(error_of(parse(R"({"type":"join","room":"demo","name":5})")).name_reason == p::name_refusal::none);
        CHECK(error_of(parse(R"({"type":"join","room":"Demo","name":"Amal"})")).name_reason == p::name_refusal::none);
    }
    SUBCASE("the marks allowed on one character follow the limits")
    {
        p::input_limits strict;
        strict.name_marks = 1;
        auto const muhammad = join_frame_with_name("\u0645\u064F\u062D\u064E\u0645\u064E\u0651\u062F");
        CHECK(outcome_of(muhammad) == "request");
        CHECK(error_of(parse(muhammad, strict)).name_reason == p::name_refusal::too_many_marks);
    }
    SUBCASE("a decomposed name is kept composed")
    {
        CHECK(message_of<p::join>(parse(join_frame_with_name(" Nguye\u0302\u0303n "))).name ==
              std::optional<std::string>{"Nguy\u1EC5n"});
        CHECK(message_of<p::join>(parse(join_frame_with_name(R"(Jose\u0301)"))).name ==
              std::optional<std::string>{"Jos\u00E9"});
    }
}

TEST_CASE("say text that is blank or holds controls is refused as bad_text")
{
    SUBCASE("empty or only white space")
    {
        for (std::string const& text : {std::string{""}, std::string{" "}, std::string{"     "},
                                        std::string{"\u00A0"}, std::string{"\u3000\u3000"},
                                        std::string{R"( \n\t )"}, std::string{"\u2003 \u00A0"}}) {
            CAPTURE(text);
            CHECK(outcome_of(say_frame(text)) == "bad_text");
        }
    }
    SUBCASE("a control character other than newline and tab")
    {
        CHECK(outcome_of(say_frame(R"(ring \u0007 ring)")) == "bad_text");
        CHECK(outcome_of(say_frame(R"(nul \u0000 here)")) == "bad_text");
        CHECK(outcome_of(say_frame(R"(escape \u001b[31m red)")) == "bad_text");
        CHECK(outcome_of(say_frame("del \u007F here")) == "bad_text");
    }
    SUBCASE("newlines and tabs are fine")
    {
        auto const& say = message_of<p::say>(parse(say_frame(R"(first line\nsecond\tline)")));
        CHECK(say.text == "first line\nsecond\tline");
    }
    SUBCASE("spaces around text are kept")
    {
        CHECK(message_of<p::say>(parse(say_frame("  hi  "))).text == "  hi  ");
    }
}

TEST_CASE("a reason, a pinned prompt or a resolution that holds controls is refused as bad_text")
{
    // Found by the protocol fuzzer (tests/fuzz): a remove reason holding a
    // NUL was taken, and reasons are shown to the room and printed to an
    // admin's terminal by `kring audit` and `kring ban list`.
    for (std::string_view const frame : {
             R"({"type":"remove","room":"demo","member":"m1","reason":"calm\u0000down"})",
             R"({"type":"ban","room":"demo","member":"m1","scope":"room","reason":"\u001b]0;owned\u0007"})",
             R"({"type":"report","room":"demo","message":"m9","reason":"look \u009b2J"})",
             R"({"type":"pin","room":"demo","text":"\u001b[2J Tonight: sleep"})",
             R"({"type":"resolve","report":1,"action":"removed\u007f"})",
         }) {
        CAPTURE(frame);
        CHECK(outcome_of(frame) == "bad_text");
    }
    SUBCASE("newlines and tabs are fine, as in say")
    {
        auto const remove =
            message_of<p::member_action>(parse(R"({"type":"remove","room":"demo","member":"m1","reason":"one\ntwo\tthree"})"));
        CHECK(remove.reason == std::optional<std::string>{"one\ntwo\tthree"});
        auto const pin = message_of<p::pin>(parse(R"({"type":"pin","room":"demo","text":"Tonight:\nsleep"})"));
        CHECK(pin.text == std::optional<std::string>{"Tonight:\nsleep"});
    }
}

TEST_CASE("the ref is carried into request_error when it can be read")
{
    SUBCASE("on errors found after the ref was read")
    {
        for (std::string_view const frame : {
                 R"({"type":"say","room":"Demo","text":"x","ref":"r1"})",
                 R"({"type":"shout","ref":"r1"})",
                 R"({"ref":"r1"})",
                 R"({"type":"say","room":"demo","ref":"r1"})",
                 R"({"type":"say","room":"demo","text":" ","ref":"r1"})",
                 R"({"type":"join","room":"demo","name":"\u202e","ref":"r1"})",
                 R"({"type":"hello","v":"1","ref":"r1"})",
             }) {
            CAPTURE(frame);
            auto const result = parse(frame);
            CHECK(error_of(result).ref == std::optional<std::string>{"r1"});
        }
    }
    SUBCASE("not when the ref is no string")
    {
        CHECK_FALSE(error_of(parse(R"({"type":"shout","ref":7})")).ref.has_value());
    }
    SUBCASE("not when the frame could not be read")
    {
        CHECK_FALSE(error_of(parse(R"({"type":"ping","ref":"r1")")).ref.has_value());
        CHECK_FALSE(error_of(parse(ping_nested(17).insert(1, R"("ref":"r1",)"))).ref.has_value());
    }
}

TEST_CASE("an error carries a detail for people")
{
    CHECK_FALSE(error_of(parse(R"({"type":"join"})")).detail.empty());
    CHECK_FALSE(error_of(parse("{")).detail.empty());
}

TEST_CASE("no input makes the parser throw, and every answer is a request or a request_error")
{
    p::input_limits const limits;
    std::mt19937 random{20240601u};
    auto check_parses = [&](std::string const& frame) {
        CAPTURE(frame);
        p::parse_result result{p::request_error{p::error_code::internal, {}, {}}};
        CHECK_NOTHROW(result = p::parse_client_message(frame, limits));
        REQUIRE_FALSE(result.valueless_by_exception());
        if (auto const* error = std::get_if<p::request_error>(&result)) {
            CHECK(error->code != p::error_code::internal);
            if (error->ref)
                CHECK(p::count_code_points(*error->ref) <= limits.ref);
        } else if (auto const* say = std::get_if<p::say>(&std::get<p::request>(result).message)) {
            CHECK(p::is_valid_utf8(say->text));
            CHECK_FALSE(p::is_blank(say->text));
            CHECK(p::count_code_points(say->text) <= limits.text);
        }
    };

    SUBCASE("random bytes")
    {
        std::uniform_int_distribution<int> byte{0, 255};
        std::uniform_int_distribution<std::size_t> length{0, 48};
        for (int i = 0; i < 2000; ++i) {
            std::string frame(length(random), '\0');
            for (auto& c : frame)
                c = static_cast<char>(byte(random));
            check_parses(frame);
        }
    }
    SUBCASE("random soups of JSON pieces")
    {
        std::vector<std::string_view> const pieces{
            "{", "}", "[", "]", ":", ",", "\"", "\"type\"", "\"hello\"", "\"join\"", "\"say\"", "\"leave\"",
            "\"ping\"", "\"room\"", "\"demo\"", "\"text\"", "\"ref\"", "\"name\"", "\"since\"", "\"v\"", "1", "-1",
            "1e999", "0.5", "true", "null", "\\", "\\u", "\\ud800", "\xC3\xA9", "\xF0\x9F\x98\x80", "\xE2\x80\xAE",
            "\xFF", " ", "\n", "\x01"};
        std::uniform_int_distribution<std::size_t> pick{0, pieces.size() - 1};
        std::uniform_int_distribution<std::size_t> length{0, 24};
        for (int i = 0; i < 2000; ++i) {
            std::string frame;
            for (std::size_t n = length(random); n > 0; --n)
                frame += pieces[pick(random)];
            check_parses(frame);
        }
    }
    SUBCASE("every truncation and one-byte change of valid messages")
    {
        std::vector<std::string> const valid{
            R"({"type":"hello","v":1,"resume":"b6Vt","since":{"demo":41}})",
            R"({"type":"join","room":"demo","code":"c","name":"أمل","ref":"j1"})",
            R"({"type":"say","room":"demo","text":"Good evening \u00e9 😀\n","ref":"c7"})",
            R"({"type":"leave","room":"demo"})",
            R"({"type":"ping","ref":"p1"})",
        };
        std::uniform_int_distribution<int> byte{0, 255};
        for (auto const& message : valid) {
            REQUIRE(outcome_of(message) == "request");
            for (std::size_t cut = 0; cut < message.size(); ++cut)
                check_parses(message.substr(0, cut));
            for (std::size_t at = 0; at < message.size(); ++at) {
                auto changed = message;
                changed[at] = static_cast<char>(byte(random));
                check_parses(changed);
            }
        }
    }
}
