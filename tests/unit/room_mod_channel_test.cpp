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

std::string mod_say(std::shared_ptr<kring::room> const& r, person const& from, std::string_view text = "handing over",
                    std::optional<std::string_view> ref = std::nullopt)
{
    return outcome(r->mod_say(*from.who, text, ref, 7000));
}

// The texts in the mod_history of the joined frame `p` got last.
std::vector<std::string> mod_history_seen_by(person const& p)
{
    auto const joined = parsed(p.last());
    REQUIRE(text(joined, "type") == "joined");
    std::vector<std::string> out;
    if (joined.contains("mod_history"))
        for (auto const& m : joined.at("mod_history").as_array())
            out.push_back(text(m.as_object(), "text"));
    return out;
}

using texts = std::vector<std::string>;

} // namespace

TEST_CASE("the moderators' channel reaches the moderators present, and no one else")
{
    auto const circle = make_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const mona = make_moderator("mona", "Mona", {"demo"});
    auto const boss = make_admin("boss", "Boss");
    auto const omar = make_moderator("omar", "Omar", {"other"}); // visiting
    auto const amal = make_person("amal");
    seat(circle, {&sara, &mona, &boss, &omar, &amal});
    auto const before = counts({&sara, &mona, &boss, &omar, &amal});

    REQUIRE(mod_say(circle, sara, "Amal seems low tonight", "d1") == "done");
    CHECK(counts({&sara, &mona, &boss, &omar, &amal}) ==
          std::vector<std::size_t>{before[0] + 1, before[1] + 1, before[2] + 1, before[3], before[4]});
    auto const got = parsed(mona.last());
    CHECK(text(got, "type") == "mod_message");
    CHECK(text(got, "room") == "demo");
    CHECK(text(got, "text") == "Amal seems low tonight");
    CHECK(number(got, "ts") == 7000);
    CHECK(got.at("from") == json::object{{"id", "sara"}, {"name", "Sara"}, {"role", "moderator"}});
    CHECK_FALSE(got.contains("ref"));
    CHECK(boss.last().get() == mona.last().get()); // written once, shared
    auto mine = parsed(sara.last());
    CHECK(text(mine, "ref") == "d1");
    mine.erase("ref");
    CHECK(mine == got);
}

TEST_CASE("only a moderator of the circle, in it, speaks on its channel")
{
    auto const circle = make_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const omar = make_moderator("omar", "Omar", {"other"});
    auto const amal = make_person("amal");
    seat(circle, {&sara, &omar, &amal});
    auto const before = counts({&sara, &omar, &amal});
    CHECK(mod_say(circle, amal) == "forbidden");
    CHECK(mod_say(circle, omar) == "forbidden");
    CHECK(mod_say(circle, make_moderator("lena", "Lena", {"demo"})) == "not_in_room");
    CHECK(counts({&sara, &omar, &amal}) == before);
}

TEST_CASE("a moderator who comes later sees the recent words in joined; a participant never")
{
    auto const circle = make_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const amal = make_person("amal");
    seat(circle, {&sara, &amal});
    REQUIRE(mod_say(circle, sara, "first") == "done");
    REQUIRE(mod_say(circle, sara, "second") == "done");

    auto const mona = make_moderator("mona", "Mona", {"demo"});
    seat(circle, {&mona});
    CHECK(mod_history_seen_by(mona) == texts{"first", "second"});
    auto const badr = make_person("badr");
    seat(circle, {&badr});
    CHECK_FALSE(parsed(badr.last()).contains("mod_history"));
    CHECK(history_seqs(parsed(badr.last())).empty());

    SUBCASE("a moderator who resumes sees them again")
    {
        auto const generation = sara.who->detach(sara.sink.get());
        circle->member_dropped(*sara.who, generation);
        sara.who->attach(sara.sink);
        circle->resume(*sara.who, 2);
        CHECK(mod_history_seen_by(sara) == texts{"first", "second"});
    }
    SUBCASE("ending the circle wipes them")
    {
        REQUIRE(circle->end(*sara.who).done());
        seat(circle, {&sara});
        CHECK(mod_history_seen_by(sara).empty());
    }
}

TEST_CASE("the channel keeps only the last fifty, and nothing when the server keeps no history")
{
    auto const circle = make_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    seat(circle, {&sara});
    for (int i = 1; i <= 60; ++i)
        REQUIRE(mod_say(circle, sara, "note " + std::to_string(i)) == "done");
    auto const mona = make_moderator("mona", "Mona", {"demo"});
    seat(circle, {&mona});
    auto const seen = mod_history_seen_by(mona);
    REQUIRE(seen.size() == 50);
    CHECK(seen.front() == "note 11");
    CHECK(seen.back() == "note 60");

    auto const forgetful = make_room(12, 0);
    seat(forgetful, {&sara});
    REQUIRE(mod_say(forgetful, sara) == "done");
    CHECK(type_of(sara.last()) == "mod_message");
    seat(forgetful, {&mona});
    CHECK(mod_history_seen_by(mona).empty());
}
