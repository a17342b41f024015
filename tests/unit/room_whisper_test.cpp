#include "circle_people.hpp"

#include <boost/json/value.hpp>

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace json = boost::json;
using namespace kring::test;

namespace {

std::string whisper(std::shared_ptr<kring::room> const& r, person const& from, std::string const& to,
                    std::string_view text = "are you all right?", std::optional<std::string_view> ref = std::nullopt)
{
    return outcome(r->whisper(*from.who, to, text, ref, 5000));
}

} // namespace

TEST_CASE("a moderator's whisper reaches only the member it is for, and the moderator")
{
    auto const circle = make_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    seat(circle, {&sara, &amal, &badr});
    auto const before = counts({&sara, &amal, &badr});

    REQUIRE(whisper(circle, sara, "amal", "how are you tonight?", "w1") == "done");
    CHECK(counts({&sara, &amal, &badr}) == std::vector<std::size_t>{before[0] + 1, before[1] + 1, before[2]});
    auto const got = parsed(amal.last());
    CHECK(text(got, "type") == "whisper");
    CHECK(text(got, "room") == "demo");
    CHECK(text(got, "text") == "how are you tonight?");
    CHECK(number(got, "ts") == 5000);
    CHECK(got.at("from") == json::object{{"id", "sara"}, {"name", "Sara"}, {"role", "moderator"}});
    CHECK(text(got.at("to").as_object(), "id") == "amal");
    CHECK_FALSE(got.contains("ref"));
    CHECK(text(got, "id").front() == 'w');
    auto mine = parsed(sara.last());
    CHECK(text(mine, "ref") == "w1");
    mine.erase("ref");
    CHECK(mine == got);

    SUBCASE("the member answers, and only the two hear it")
    {
        auto const now = counts({&sara, &amal, &badr});
        REQUIRE(whisper(circle, amal, "sara", "better, thank you") == "done");
        CHECK(counts({&sara, &amal, &badr}) == std::vector<std::size_t>{now[0] + 1, now[1] + 1, now[2]});
        CHECK(amal.last().get() == sara.last().get()); // no ref: one frame for both
        CHECK(text(parsed(sara.last()), "text") == "better, thank you");
    }
    SUBCASE("it is not kept: a newcomer's history and a resume do not hold it")
    {
        auto const chen = make_person("chen");
        seat(circle, {&chen});
        CHECK(history_seqs(parsed(chen.last())).empty());
        auto const generation = amal.who->detach(amal.sink.get());
        circle->member_dropped(*amal.who, generation);
        amal.who->attach(amal.sink);
        circle->resume(*amal.who, 0);
        CHECK(history_seqs(parsed(amal.last())).empty());
        CHECK(number(parsed(amal.last()), "seq") == 0);
    }
    SUBCASE("each whisper has an id of its own")
    {
        REQUIRE(whisper(circle, sara, "badr") == "done");
        CHECK(text(parsed(badr.last()), "id") != text(got, "id"));
    }
}

TEST_CASE("a participant may whisper to any moderator present, even one who did not write first")
{
    auto const circle = make_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const boss = make_admin("boss", "Boss");
    auto const amal = make_person("amal");
    seat(circle, {&sara, &boss, &amal});
    CHECK(whisper(circle, amal, "sara", "can we talk?") == "done");
    CHECK(type_of(sara.last()) == "whisper");
    CHECK(whisper(circle, amal, "boss", "can we talk?") == "done");
    CHECK(type_of(boss.last()) == "whisper");
    CHECK(whisper(circle, boss, "amal", "of course") == "done");
}

TEST_CASE("participants never whisper to each other, nor staff to staff")
{
    auto const circle = make_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const mona = make_moderator("mona", "Mona", {"demo"});
    auto const omar = make_moderator("omar", "Omar", {"other"}); // a moderator of another circle, visiting
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    seat(circle, {&sara, &mona, &omar, &amal, &badr});
    auto const before = counts({&sara, &mona, &omar, &amal, &badr});

    CHECK(whisper(circle, amal, "badr") == "whisper_not_allowed");
    CHECK(whisper(circle, sara, "mona") == "whisper_not_allowed");
    CHECK(whisper(circle, amal, "omar") == "whisper_not_allowed");
    CHECK(whisper(circle, omar, "amal") == "whisper_not_allowed");
    CHECK(whisper(circle, sara, "omar") == "whisper_not_allowed");
    CHECK(counts({&sara, &mona, &omar, &amal, &badr}) == before);
}

TEST_CASE("a whisper needs both ends in the circle, and the other one connected")
{
    auto const circle = make_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const amal = make_person("amal");
    seat(circle, {&sara, &amal});

    CHECK(whisper(circle, make_person("stranger"), "sara") == "not_in_room");
    CHECK(whisper(circle, make_moderator("lena", "Lena", {"demo"}), "amal") == "not_in_room");
    CHECK(whisper(circle, sara, "nobody") == "no_such_member");
    CHECK(whisper(circle, sara, "sara") == "no_such_member");
    CHECK(whisper(circle, amal, "amal") == "whisper_not_allowed"); // a participant writes to moderators only

    SUBCASE("to a member who is away it is refused, not lost")
    {
        auto const generation = amal.who->detach(amal.sink.get());
        circle->member_dropped(*amal.who, generation);
        CHECK(whisper(circle, sara, "amal") == "member_away");
    }
    SUBCASE("after leaving, no more")
    {
        REQUIRE(circle->leave(*amal.who).done());
        CHECK(whisper(circle, sara, "amal") == "no_such_member");
        CHECK(whisper(circle, amal, "sara") == "not_in_room");
    }
}

TEST_CASE("the room's rules are about the room: a muted member may still ask a moderator why")
{
    auto const circle = make_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const amal = make_person("amal");
    seat(circle, {&sara, &amal});
    REQUIRE(circle->mute(*sara.who, "amal", std::nullopt, 0).done());
    REQUIRE(circle->configure(*sara.who, std::nullopt, 60, true).done());
    CHECK(whisper(circle, amal, "sara", "why am I muted?") == "done");
    CHECK(whisper(circle, amal, "sara", "and again") == "done");
    CHECK(text(parsed(sara.last()), "text") == "and again");
}

TEST_CASE("a participant learns nothing from a whisper of whether another participant is still there")
{
    auto const circle = make_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    seat(circle, {&sara, &amal, &badr});
    CHECK(whisper(circle, amal, "badr") == "whisper_not_allowed");
    REQUIRE(circle->leave(*badr.who).done());
    CHECK(whisper(circle, amal, "badr") == "whisper_not_allowed"); // the same answer once gone
    CHECK(whisper(circle, amal, "nobody") == "whisper_not_allowed");
    CHECK(whisper(circle, amal, "sara") == "done");
}
