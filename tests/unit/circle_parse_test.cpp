#include <kring/protocol/client_messages.hpp>
#include <kring/protocol/server_messages.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace p = kring::protocol;
namespace json = boost::json;

namespace {

// "request" when the frame was accepted, otherwise the name of its error code.
std::string outcome_of(std::string_view frame)
{
    auto const result = p::parse_client_message(frame, {});
    if (auto const* error = std::get_if<p::request_error>(&result))
        return std::string{p::to_string(error->code)};
    return "request";
}

template <class Message>
Message message_of(std::string_view frame)
{
    auto const result = p::parse_client_message(frame, {});
    REQUIRE(std::holds_alternative<p::request>(result));
    auto const& request = std::get<p::request>(result);
    REQUIRE(std::holds_alternative<Message>(request.message));
    return std::get<Message>(request.message);
}

} // namespace

TEST_CASE("react is parsed with each reaction of the fixed set, on unless it says off")
{
    auto const heart = message_of<p::react>(R"({"type":"react","room":"demo","message":"m4","reaction":"heart"})");
    CHECK(heart.room == "demo");
    CHECK(heart.message == "m4");
    CHECK(heart.reaction == p::reaction::heart);
    CHECK(heart.on);
    auto const off = message_of<p::react>(R"({"type":"react","room":"demo","message":"m4","reaction":"hug","on":false})");
    CHECK(off.reaction == p::reaction::hug);
    CHECK_FALSE(off.on);
    for (std::string_view const name : {"heart", "hug", "hear_you", "me_too", "strength", "thank_you"}) {
        CAPTURE(name);
        auto const r = message_of<p::react>(R"({"type":"react","room":"demo","message":"m1","reaction":")" +
                                            std::string{name} + R"("})");
        CHECK(p::to_string(r.reaction) == name);
        CHECK(p::reaction_named(name) == r.reaction);
    }
}

TEST_CASE("a bad react is refused, each fault with its own code")
{
    struct bad {
        std::string_view frame;
        std::string_view code;
    };
    for (auto const& [frame, code] : {
             bad{R"({"type":"react","room":"demo","message":"m1","reaction":"angry"})", "unknown_reaction"},
             bad{R"({"type":"react","room":"demo","message":"m1","reaction":"Heart"})", "unknown_reaction"},
             bad{R"({"type":"react","room":"demo","message":"m1","reaction":""})", "unknown_reaction"},
             bad{R"({"type":"react","room":"demo","message":"m1","reaction":"I feel you, really"})", "unknown_reaction"},
             bad{R"({"type":"react","room":"demo","message":"m1"})", "missing_field"},
             bad{R"({"type":"react","room":"demo","reaction":"heart"})", "missing_field"},
             bad{R"({"type":"react","message":"m1","reaction":"heart"})", "missing_field"},
             bad{R"({"type":"react","room":"demo","message":"m1","reaction":3})", "bad_field"},
             bad{R"({"type":"react","room":"demo","message":7,"reaction":"heart"})", "bad_field"},
             bad{R"({"type":"react","room":"Demo!","message":"m1","reaction":"heart"})", "bad_field"},
             bad{R"({"type":"react","room":"demo","message":"m1","reaction":"heart","on":"yes"})", "bad_field"},
             bad{R"({"type":"react","room":"demo","message":"m1","reaction":"heart","on":1})", "bad_field"},
             bad{R"({"type":"react","room":"demo","message":"m1","reaction":"heartheartheartheartheartheartheart"})",
                 "too_long"},
         }) {
        CAPTURE(frame);
        CHECK(outcome_of(frame) == code);
    }
    auto const long_id = R"({"type":"react","room":"demo","message":")" + std::string(65, 'm') +
                         R"(","reaction":"heart"})";
    CHECK(outcome_of(long_id) == "too_long");
}

TEST_CASE("the reactions event counts only what was given, and a message carries its counts once it has any")
{
    p::reaction_counts counts{};
    counts[static_cast<std::size_t>(p::reaction::heart)] = 2;
    counts[static_cast<std::size_t>(p::reaction::thank_you)] = 1;
    auto const event = json::parse(p::write_reactions("demo", "m3", counts, std::nullopt)).as_object();
    CHECK(event == json::object{{"type", "reactions"},
                                {"room", "demo"},
                                {"message", "m3"},
                                {"counts", json::object{{"heart", 2}, {"thank_you", 1}}}});
    auto const none = json::parse(p::write_reactions("demo", "m3", {}, "r1")).as_object();
    CHECK(none.at("counts") == json::object{});
    CHECK(none.at("ref") == "r1");

    p::message_frame message{"demo", 3, "m3", {"amal", "Amal", "participant"}, "hi", 1, std::nullopt, &counts, {}};
    auto const with = json::parse(p::write_message(message)).as_object();
    CHECK(with.at("reactions") == json::object{{"heart", 2}, {"thank_you", 1}});
    p::reaction_counts const zero{};
    message.reactions = &zero;
    CHECK_FALSE(json::parse(p::write_message(message)).as_object().contains("reactions"));
}

TEST_CASE("hand is parsed with up, and with the member a moderator lowers")
{
    auto const up = message_of<p::hand>(R"({"type":"hand","room":"demo","up":true})");
    CHECK(up.room == "demo");
    CHECK(up.up);
    CHECK_FALSE(up.member.has_value());
    auto const lowered = message_of<p::hand>(R"({"type":"hand","room":"demo","up":false,"member":"badr"})");
    CHECK_FALSE(lowered.up);
    CHECK(lowered.member == "badr");
    for (auto const& [frame, code] : {
             std::pair<std::string_view, std::string_view>{R"({"type":"hand","room":"demo"})", "missing_field"},
             {R"({"type":"hand","up":true})", "missing_field"},
             {R"({"type":"hand","room":"demo","up":"yes"})", "bad_field"},
             {R"({"type":"hand","room":"demo","up":1})", "bad_field"},
             {R"({"type":"hand","room":"demo","up":false,"member":3})", "bad_field"},
             {R"({"type":"hand","room":"no such","up":true})", "bad_field"},
         }) {
        CAPTURE(frame);
        CHECK(outcome_of(frame) == code);
    }
    CHECK(outcome_of(R"({"type":"hand","room":"demo","up":false,"member":")" + std::string(65, 'x') + R"("})") ==
          "too_long");
}

TEST_CASE("the hand and hands events")
{
    CHECK(json::parse(p::write_hand("demo", "badr", true, std::nullopt, std::nullopt)) ==
          json::object{{"type", "hand"}, {"room", "demo"}, {"member", "badr"}, {"up", true}});
    CHECK(json::parse(p::write_hand("demo", "badr", false, "sara", "h1")) ==
          json::object{{"type", "hand"}, {"room", "demo"}, {"member", "badr"}, {"up", false}, {"by", "sara"},
                       {"ref", "h1"}});
    std::vector<std::string> const queue{"chen", "amal"};
    CHECK(json::parse(p::write_hands("demo", queue)) ==
          json::object{{"type", "hands"}, {"room", "demo"}, {"queue", json::array{"chen", "amal"}}});
    CHECK(json::parse(p::write_hands("demo", {})).at("queue") == json::array{});
}

TEST_CASE("listening is parsed with on, which it needs")
{
    auto const on = message_of<p::listening>(R"({"type":"listening","room":"demo","on":true})");
    CHECK(on.room == "demo");
    CHECK(on.on);
    CHECK_FALSE(message_of<p::listening>(R"({"type":"listening","room":"demo","on":false})").on);
    CHECK(outcome_of(R"({"type":"listening","room":"demo"})") == "missing_field");
    CHECK(outcome_of(R"({"type":"listening","on":true})") == "missing_field");
    CHECK(outcome_of(R"({"type":"listening","room":"demo","on":"true"})") == "bad_field");
    CHECK(outcome_of(R"({"type":"listening","room":"demo","on":null})") == "bad_field");
    CHECK(outcome_of(R"({"type":"listening","room":"DEMO","on":true})") == "bad_field");
    CHECK(json::parse(p::write_listening("demo", "amal", true, "l1")) ==
          json::object{{"type", "listening"}, {"room", "demo"}, {"member", "amal"}, {"on", true}, {"ref", "l1"}});
}

TEST_CASE("whisper is parsed with a member and a text checked like say's")
{
    auto const w = message_of<p::whisper>(R"({"type":"whisper","room":"demo","member":"amal","text":"hello"})");
    CHECK(w.room == "demo");
    CHECK(w.member == "amal");
    CHECK(w.text == "hello");
    CHECK(message_of<p::whisper>(R"({"type":"whisper","room":"demo","member":"amal","text":"two\nlines"})").text ==
          "two\nlines");
    CHECK(outcome_of(R"({"type":"whisper","member":"amal","text":"hi"})") == "missing_field");
    CHECK(outcome_of(R"({"type":"whisper","room":"demo","text":"hi"})") == "missing_field");
    CHECK(outcome_of(R"({"type":"whisper","room":"demo","member":"amal"})") == "missing_field");
    CHECK(outcome_of(R"({"type":"whisper","room":"DEMO","member":"amal","text":"hi"})") == "bad_field");
    CHECK(outcome_of(R"({"type":"whisper","room":"demo","member":7,"text":"hi"})") == "bad_field");
    CHECK(outcome_of(R"({"type":"whisper","room":"demo","member":"amal","text":7})") == "bad_field");
    CHECK(outcome_of(R"({"type":"whisper","room":"demo","member":"amal","text":"  "})") == "bad_text");
    CHECK(outcome_of(R"({"type":"whisper","room":"demo","member":"amal","text":"a\u0007b"})") == "bad_text");
    auto const long_text = "{\"type\":\"whisper\",\"room\":\"demo\",\"member\":\"amal\",\"text\":\"" +
                           std::string(2001, 'a') + "\"}";
    CHECK(outcome_of(long_text) == "too_long");
    auto const long_member = "{\"type\":\"whisper\",\"room\":\"demo\",\"member\":\"" + std::string(65, 'a') +
                             "\",\"text\":\"hi\"}";
    CHECK(outcome_of(long_member) == "too_long");
    CHECK(json::parse(p::write_whisper({"demo", "w1", {"sara", "Sara", "moderator"}, {"amal", "Amal", "participant"},
                                        "hi", 5, "r1"})) ==
          json::object{{"type", "whisper"},
                       {"room", "demo"},
                       {"id", "w1"},
                       {"from", {{"id", "sara"}, {"name", "Sara"}, {"role", "moderator"}}},
                       {"to", {{"id", "amal"}, {"name", "Amal"}, {"role", "participant"}}},
                       {"text", "hi"},
                       {"ts", 5},
                       {"ref", "r1"}});
}

TEST_CASE("mod_say is parsed with a text checked like say's")
{
    auto const m = message_of<p::mod_say>(R"({"type":"mod_say","room":"demo","text":"handing over"})");
    CHECK(m.room == "demo");
    CHECK(m.text == "handing over");
    CHECK(outcome_of(R"({"type":"mod_say","text":"hi"})") == "missing_field");
    CHECK(outcome_of(R"({"type":"mod_say","room":"demo"})") == "missing_field");
    CHECK(outcome_of(R"({"type":"mod_say","room":"a b","text":"hi"})") == "bad_field");
    CHECK(outcome_of(R"({"type":"mod_say","room":"demo","text":false})") == "bad_field");
    CHECK(outcome_of(R"({"type":"mod_say","room":"demo","text":"\n\t "})") == "bad_text");
    CHECK(outcome_of(R"({"type":"mod_say","room":"demo","text":"a\u001bb"})") == "bad_text");
    CHECK(outcome_of("{\"type\":\"mod_say\",\"room\":\"demo\",\"text\":\"" + std::string(2001, 'a') + "\"}") ==
          "too_long");
    CHECK(json::parse(p::write_mod_message({"demo", "d1", {"sara", "Sara", "moderator"}, "hi", 5, std::nullopt})) ==
          json::object{{"type", "mod_message"},
                       {"room", "demo"},
                       {"id", "d1"},
                       {"from", {{"id", "sara"}, {"name", "Sara"}, {"role", "moderator"}}},
                       {"text", "hi"},
                       {"ts", 5}});
}

TEST_CASE("nudge is parsed with an optional item from 1 to 50 and optional words")
{
    auto const n = message_of<p::nudge>(R"({"type":"nudge","room":"demo","member":"amal","item":50,"text":"gently"})");
    CHECK(n.member == "amal");
    CHECK(n.item == 50);
    CHECK(n.text == "gently");
    auto const bare = message_of<p::nudge>(R"({"type":"nudge","room":"demo","member":"amal"})");
    CHECK_FALSE(bare.item);
    CHECK_FALSE(bare.text);
    CHECK(outcome_of(R"({"type":"nudge","room":"demo"})") == "missing_field");
    CHECK(outcome_of(R"({"type":"nudge","member":"amal"})") == "missing_field");
    CHECK(outcome_of(R"({"type":"nudge","room":"demo","member":"amal","item":0})") == "bad_field");
    CHECK(outcome_of(R"({"type":"nudge","room":"demo","member":"amal","item":51})") == "bad_field");
    CHECK(outcome_of(R"({"type":"nudge","room":"demo","member":"amal","item":2.5})") == "bad_field");
    CHECK(outcome_of(R"({"type":"nudge","room":"demo","member":"amal","item":"3"})") == "bad_field");
    CHECK(outcome_of(R"({"type":"nudge","room":"demo","member":"amal","text":" "})") == "bad_text");
    CHECK(outcome_of(R"({"type":"nudge","room":"demo","member":"amal","text":"a\u0000b"})") == "bad_text");
    CHECK(outcome_of("{\"type\":\"nudge\",\"room\":\"demo\",\"member\":\"amal\",\"text\":\"" + std::string(501, 'a') +
                     "\"}") == "too_long");
}

TEST_CASE("pause is parsed with seconds 0 or from 5 to 600 and an optional calming line")
{
    auto const pause = message_of<p::pause>(R"({"type":"pause","room":"demo","seconds":600,"text":"breathe"})");
    CHECK(pause.seconds == 600);
    CHECK(pause.text == "breathe");
    CHECK(message_of<p::pause>(R"({"type":"pause","room":"demo","seconds":0})").seconds == 0);
    CHECK(message_of<p::pause>(R"({"type":"pause","room":"demo","seconds":5})").seconds == 5);
    CHECK(outcome_of(R"({"type":"pause","room":"demo"})") == "missing_field");
    CHECK(outcome_of(R"({"type":"pause","seconds":60})") == "missing_field");
    CHECK(outcome_of(R"({"type":"pause","room":"demo","seconds":4})") == "bad_field");
    CHECK(outcome_of(R"({"type":"pause","room":"demo","seconds":601})") == "bad_field");
    CHECK(outcome_of(R"({"type":"pause","room":"demo","seconds":-1})") == "bad_field");
    CHECK(outcome_of(R"({"type":"pause","room":"demo","seconds":"60"})") == "bad_field");
    CHECK(outcome_of(R"({"type":"pause","room":"demo","seconds":60,"text":" "})") == "bad_text");
    CHECK(outcome_of(R"({"type":"pause","room":"demo","seconds":60,"text":"a\u0007"})") == "bad_text");
}
