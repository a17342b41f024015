#include "circle_people.hpp"
#include "circle/moderation.hpp"

#include <boost/json/value.hpp>

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace json = boost::json;
using namespace kring::test;

TEST_CASE("a nudge reaches the member and the moderators, and no one else")
{
    auto const circle = make_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const mona = make_moderator("mona", "Mona", {"demo"});
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    seat(circle, {&sara, &mona, &amal, &badr});
    auto const before = counts({&sara, &mona, &amal, &badr});

    REQUIRE(circle->nudge(*sara.who, "amal", 3, std::string{"let others finish, please"}).done());
    CHECK(counts({&sara, &mona, &amal, &badr}) ==
          std::vector<std::size_t>{before[0] + 1, before[1] + 1, before[2] + 1, before[3]});
    CHECK(parsed(amal.last()) == json::object{{"type", "nudge"},
                                              {"room", "demo"},
                                              {"member", "amal"},
                                              {"by", "Sara"},
                                              {"item", 3},
                                              {"text", "let others finish, please"}});
    CHECK(sara.last().get() == amal.last().get());
    CHECK(mona.last().get() == amal.last().get());

    SUBCASE("with neither an item nor words, it is a gentle reminder all the same")
    {
        REQUIRE(circle->nudge(*sara.who, "badr", std::nullopt, std::nullopt).done());
        CHECK(parsed(badr.last()) ==
              json::object{{"type", "nudge"}, {"room", "demo"}, {"member", "badr"}, {"by", "Sara"}});
    }
}

TEST_CASE("only a moderator nudges, and only a participant who is here")
{
    auto const circle = make_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const mona = make_moderator("mona", "Mona", {"demo"});
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    seat(circle, {&sara, &mona, &amal, &badr});
    auto const before = counts({&sara, &mona, &amal, &badr});
    CHECK(outcome(circle->nudge(*amal.who, "badr", 1, std::nullopt)) == "forbidden");
    CHECK(outcome(circle->nudge(*sara.who, "mona", 1, std::nullopt)) == "forbidden");
    CHECK(outcome(circle->nudge(*sara.who, "nobody", 1, std::nullopt)) == "no_such_member");
    CHECK(counts({&sara, &mona, &amal, &badr}) == before);
    auto const generation = amal.who->detach(amal.sink.get());
    circle->member_dropped(*amal.who, generation);
    CHECK(outcome(circle->nudge(*sara.who, "amal", 1, std::nullopt)) == "member_away");
}

TEST_CASE("a nudge is audited with the item it cited, never with its words")
{
    auto const circle = make_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const amal = make_person("amal");
    seat(circle, {&sara, &amal});
    kring::protocol::nudge const request{"demo", "amal", 7, std::string{"a private word"}};
    auto const decision = kring::moderation::carry_out(*circle, *sara.who, request, 1234);
    REQUIRE(decision.answer.done());
    CHECK(decision.entry.action == "nudge");
    CHECK(decision.entry.room == "demo");
    CHECK(decision.entry.target == "amal");
    CHECK(decision.entry.detail == "item=7");
    CHECK(decision.entry.actor == "Sara");
    auto const plain = kring::moderation::carry_out(*circle, *sara.who, kring::protocol::nudge{"demo", "amal", {}, {}}, 1);
    CHECK(plain.entry.detail.empty());
}
