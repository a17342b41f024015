#include "circle_people.hpp"
#include "circle/moderation.hpp"

#include <boost/json/value.hpp>

#include <doctest/doctest.h>

#include <optional>
#include <string>

namespace json = boost::json;
using namespace kring::test;
using kring::protocol::reaction;

TEST_CASE("a pause freezes the participants' input until its end, and everyone is told")
{
    auto const circle = make_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    seat(circle, {&sara, &amal, &badr});
    REQUIRE(circle->say(*badr.who, "hello", std::nullopt, 1000).done());
    auto const message = text(parsed(badr.last()), "id");
    auto const before = counts({&sara, &amal, &badr});

    REQUIRE(circle->pause(*sara.who, 61'000, std::string{"Let us breathe together"}, 1000).done());
    CHECK(counts({&sara, &amal, &badr}) == one_more_each(before));
    CHECK(parsed(amal.last()) ==
          json::object{{"type", "paused"}, {"room", "demo"}, {"until", 61'000}, {"text", "Let us breathe together"}});
    CHECK(sara.last().get() == amal.last().get());

    auto const refused = circle->say(*amal.who, "but", std::nullopt, 2000);
    REQUIRE_FALSE(refused.done());
    CHECK(refused.refused().code == kring::protocol::error_code::paused);
    CHECK(refused.refused().until_ms == 61'000);
    CHECK(outcome(circle->react(*amal.who, message, reaction::hug, true, std::nullopt, 2000)) == "paused");
    CHECK(outcome(circle->hand(*amal.who, std::nullopt, true, std::nullopt, 2000)) == "paused");
    CHECK(circle->paused_until(2000) == 61'000);

    SUBCASE("a moderator still speaks")
    {
        CHECK(circle->say(*sara.who, "I am here", std::nullopt, 2000).done());
    }
    SUBCASE("past its end the room lets people speak, even before the timer says so")
    {
        CHECK(circle->say(*amal.who, "thank you", std::nullopt, 61'000).done());
        CHECK(circle->paused_until(61'000) == std::nullopt);
    }
    SUBCASE("its timer tells everyone it is over")
    {
        auto const at_end = counts({&sara, &amal, &badr});
        circle->pause_elapsed(61'000);
        CHECK(counts({&sara, &amal, &badr}) == one_more_each(at_end));
        CHECK(parsed(badr.last()) == json::object{{"type", "unpaused"}, {"room", "demo"}});
        CHECK(circle->say(*amal.who, "thank you", std::nullopt, 3000).done());
    }
    SUBCASE("ending it early tells everyone, and the old timer then changes nothing")
    {
        auto const at_end = counts({&sara, &amal, &badr});
        REQUIRE(circle->pause(*sara.who, std::nullopt, std::nullopt, 3000).done());
        CHECK(counts({&sara, &amal, &badr}) == one_more_each(at_end));
        CHECK(parsed(amal.last()) == json::object{{"type", "unpaused"}, {"room", "demo"}});
        circle->pause_elapsed(61'000);
        REQUIRE(circle->pause(*sara.who, std::nullopt, std::nullopt, 3000).done());
        CHECK(counts({&sara, &amal, &badr}) == one_more_each(at_end)); // ending none sends nothing
    }
    SUBCASE("a new pause replaces the old one, and the old timer does not end it")
    {
        REQUIRE(circle->pause(*sara.who, 90'000, std::nullopt, 3000).done());
        CHECK(parsed(amal.last()) == json::object{{"type", "paused"}, {"room", "demo"}, {"until", 90'000}});
        auto const replaced = counts({&sara, &amal, &badr});
        circle->pause_elapsed(61'000);
        CHECK(counts({&sara, &amal, &badr}) == replaced);
        CHECK(circle->paused_until(70'000) == 90'000);
    }
    SUBCASE("one who joins during it finds it in joined")
    {
        auto const chen = make_person("chen");
        join(circle, chen, "Chen");
        auto const joined = parsed(chen.sink->frames.front());
        CHECK(joined.at("pause") == json::object{{"until", 61'000}, {"text", "Let us breathe together"}});
    }
}

TEST_CASE("only a moderator in the circle pauses it, and the audit keeps no words")
{
    auto const circle = make_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const lena = make_moderator("lena", "Lena", {"elsewhere"});
    auto const amal = make_person("amal");
    seat(circle, {&sara, &amal});
    CHECK(outcome(circle->pause(*amal.who, 60'000, std::nullopt, 1000)) == "forbidden");
    CHECK(outcome(circle->pause(*lena.who, 60'000, std::nullopt, 1000)) == "forbidden");
    auto const other = make_moderator("omar", "Omar", {"demo"});
    CHECK(outcome(circle->pause(*other.who, 60'000, std::nullopt, 1000)) == "not_in_room");

    auto const decision =
        kring::moderation::carry_out(*circle, *sara.who, kring::protocol::pause{"demo", 30, "calm words"}, 1000);
    REQUIRE(decision.answer.done());
    CHECK(decision.entry.action == "pause");
    CHECK(decision.entry.detail == "seconds=30");
    CHECK(decision.entry.detail.find("calm") == std::string::npos);
    CHECK(circle->paused_until(1000) == 31'000);
}
