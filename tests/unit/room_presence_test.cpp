#include "circle_people.hpp"

#include <kring/protocol/names.hpp>

#include <boost/json/value.hpp>

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace json = boost::json;
using kring::room;
using namespace kring::test;

namespace {

using types = std::vector<std::string>;

std::shared_ptr<room> quiet_room()
{
    auto settings = kring::test::demo_settings(12, true);
    return std::make_shared<room>(std::move(settings), 200);
}

// "joined" or the code, for a join that names itself or leaves it to the server.
std::string join_as(std::shared_ptr<room> const& r, person const& p, std::string name, bool chosen)
{
    auto const result = r->join(p.who, std::move(name), chosen);
    if (auto const* refused = std::get_if<kring::refusal>(&result))
        return std::string{kring::protocol::to_string(refused->code)};
    return "joined";
}

} // namespace

TEST_CASE("a member whose connection dropped is away for the others at once, and back when it resumes")
{
    auto const circle = make_room();
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    seat(circle, {&amal, &badr});
    auto const before = badr.received();

    drop(circle, amal);
    REQUIRE(badr.received() == before + 1);
    auto const away = parsed(badr.last());
    CHECK(away == json::object{{"type", "member_away"}, {"room", "demo"}, {"id", "amal"}});
    CHECK(circle->member_count() == 2);

    SUBCASE("a newcomer sees it away in joined.members")
    {
        auto const chen = make_person("chen");
        seat(circle, {&chen});
        auto const joined = parsed(chen.last());
        CHECK(member_of(joined, "amal").at("away") == true);
        CHECK_FALSE(member_of(joined, "badr").contains("away"));
        CHECK_FALSE(member_of(joined, "chen").contains("away"));
    }
    SUBCASE("resuming tells the others it is back, and its own joined shows it present")
    {
        come_back(circle, amal);
        REQUIRE(badr.received() == before + 2);
        CHECK(parsed(badr.last()) == json::object{{"type", "member_back"}, {"room", "demo"}, {"id", "amal"}});
        auto const joined = parsed(amal.last());
        CHECK(text(joined, "type") == "joined");
        CHECK_FALSE(member_of(joined, "amal").contains("away"));
    }
    SUBCASE("after the grace period it leaves as before")
    {
        circle->expire(*amal.who);
        CHECK(parsed(badr.last()) == json::object{{"type", "member_left"}, {"room", "demo"}, {"id", "amal"}});
        CHECK(badr.received() == before + 2);
    }
}

TEST_CASE("a drop reported after the member came back says nothing")
{
    auto const circle = make_room();
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    seat(circle, {&amal, &badr});
    auto const before = badr.received();
    auto const generation = amal.who->detach(amal.sink.get());
    come_back(circle, amal); // the new connection won the race
    circle->member_dropped(*amal.who, generation);
    CHECK(badr.received() == before);
    auto const chen = make_person("chen");
    seat(circle, {&chen});
    CHECK_FALSE(member_of(parsed(chen.last()), "amal").contains("away"));
}

TEST_CASE("a resume on another connection while still connected is no return")
{
    auto const circle = make_room();
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    seat(circle, {&amal, &badr});
    auto const before = badr.received();
    come_back(circle, amal);
    CHECK(badr.received() == before);
}

TEST_CASE("display names are unique in a circle, whatever their case, once in NFC")
{
    auto const circle = make_room();
    auto const amal = make_person("amal");
    REQUIRE(join(circle, amal, "Amal") == "joined");
    auto const other = make_person("other");

    CHECK(join(circle, other, "Amal") == "name_taken");
    CHECK(join(circle, other, "AMAL") == "name_taken");
    CHECK(join(circle, other, "amal") == "name_taken");
    CHECK(other.received() == 0);
    CHECK(circle->member_count() == 1);
    CHECK(join(circle, other, "Amal B") == "joined");

    SUBCASE("composed and decomposed accents, and case folding beyond ASCII")
    {
        auto const zoe = make_person("zoe");
        REQUIRE(join(circle, zoe, "Zo\u00eb") == "joined");
        CHECK(kring::protocol::name_key("ZOE\u0308") == kring::protocol::name_key("zo\u00eb"));
        CHECK(join(circle, make_person("z2"), "ZO\u00cb") == "name_taken");
        auto const strasse = make_person("strasse");
        REQUIRE(join(circle, strasse, "Stra\u00dfe") == "joined");
        CHECK(join(circle, make_person("s2"), "STRASSE") == "name_taken");
        CHECK(join(circle, make_person("s3"), "Strasse 2") == "joined");
    }
    SUBCASE("a name that only looks alike is not taken")
    {
        CHECK(join(circle, make_person("a2"), "Amai") == "joined");
    }
    SUBCASE("a member who is away keeps its name; one who left gives it up")
    {
        drop(circle, amal);
        CHECK(join(circle, make_person("a3"), "amal") == "name_taken");
        circle->expire(*amal.who);
        CHECK(join(circle, make_person("a4"), "amal") == "joined");
    }
    SUBCASE("a joiner waiting at the door holds its name too")
    {
        auto const sara = make_moderator("sara", "Sara", {"demo"});
        seat(circle, {&sara});
        REQUIRE(circle->configure(*sara.who, true, std::nullopt, std::nullopt).done());
        REQUIRE(join(circle, make_person("w1"), "Waiting Willow") == "waiting");
        CHECK(join(circle, make_person("w2"), "waiting willow") == "name_taken");
    }
    SUBCASE("the same name in another circle is no matter")
    {
        CHECK(join(make_room(), make_person("a5"), "Amal") == "joined");
    }
}

TEST_CASE("a name the server gave is never refused for being taken: it gets a number")
{
    auto const circle = make_room();
    auto const first = make_person("first");
    REQUIRE(join(circle, first, "Gentle Heron 27") == "joined");
    auto const second = make_person("second");
    REQUIRE(join_as(circle, second, "Gentle Heron 27", false) == "joined");
    CHECK(text(parsed(second.last()).at("you").as_object(), "name") == "Gentle Heron 27 (2)");
    auto const third = make_person("third");
    REQUIRE(join_as(circle, third, "gentle heron 27", false) == "joined");
    CHECK(text(parsed(third.last()).at("you").as_object(), "name") == "gentle heron 27 (3)");
    CHECK(join(circle, make_person("fourth"), "Gentle Heron 27 (2)") == "name_taken");
}

TEST_CASE("a circle with quiet arrivals tells who comes and goes to its moderators only")
{
    auto const circle = quiet_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const amal = make_person("amal");
    seat(circle, {&sara, &amal});
    CHECK(parsed(sara.last()).at("member").as_object().at("id") == "amal");
    CHECK(parsed(amal.last()).at("room").as_object().at("quiet_arrivals") == true);
    CHECK(member_ids(parsed(amal.last())) == ids{"sara", "amal"}); // staff are always seen

    auto const badr = make_person("badr");
    auto const amal_before = amal.received();
    auto const sara_before = sara.received();
    seat(circle, {&badr});
    CHECK(amal.received() == amal_before);
    CHECK(types_since(sara, sara_before) == types{"member_joined"});
    CHECK(member_ids(parsed(badr.last())) == ids{"sara", "badr"});

    drop(circle, badr);
    come_back(circle, badr);
    REQUIRE(circle->leave(*badr.who).done());
    CHECK(amal.received() == amal_before);
    CHECK(types_since(sara, sara_before) == types{"member_joined", "member_away", "member_back", "member_left"});

    SUBCASE("a moderator's own arrival is never quiet")
    {
        auto const omar = make_moderator("omar", "Omar", {"demo"});
        seat(circle, {&omar});
        CHECK(types_since(amal, amal_before) == types{"member_joined"});
        CHECK(member_ids(parsed(omar.last())) == ids{"sara", "amal", "omar"});
    }
    SUBCASE("speech is not quiet")
    {
        REQUIRE(circle->say(*amal.who, "hello", std::nullopt, 1).done());
        CHECK(type_of(sara.last()) == "message");
    }
}

TEST_CASE("quiet arrivals can be turned on and off from the store while the circle runs")
{
    auto const circle = make_room();
    auto const amal = make_person("amal");
    seat(circle, {&amal});
    circle->update(demo_settings(12, true));
    auto const before = amal.received();
    auto const badr = make_person("badr");
    seat(circle, {&badr});
    CHECK(amal.received() == before);
    circle->update(demo_settings(12, false));
    auto const chen = make_person("chen");
    seat(circle, {&chen});
    CHECK(types_since(amal, before) == types{"member_joined"});
}
