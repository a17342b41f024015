#include "circle_people.hpp"

#include <boost/json/value.hpp>

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>

namespace json = boost::json;
using namespace kring::test;

namespace {

std::string listen(std::shared_ptr<kring::room> const& r, person const& p, bool on,
                   std::optional<std::string_view> ref = std::nullopt)
{
    return outcome(r->set_listening(*p.who, on, ref));
}

} // namespace

TEST_CASE("a member who is just listening is shown so to everyone, and in joined.members")
{
    auto const circle = make_room();
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    seat(circle, {&amal, &badr});
    auto const before = counts({&amal, &badr});

    REQUIRE(listen(circle, badr, true) == "done");
    CHECK(counts({&amal, &badr}) == one_more_each(before));
    CHECK(amal.last().get() == badr.last().get());
    CHECK(parsed(amal.last()) ==
          json::object{{"type", "listening"}, {"room", "demo"}, {"member", "badr"}, {"on", true}});
    auto const chen = make_person("chen");
    seat(circle, {&chen});
    CHECK(member_of(parsed(chen.last()), "badr").at("listening") == true);
    CHECK_FALSE(member_of(parsed(chen.last()), "amal").contains("listening"));

    SUBCASE("saying it again tells only the sender, with its ref")
    {
        auto const now = counts({&amal, &badr, &chen});
        REQUIRE(listen(circle, badr, true, "l2") == "done");
        CHECK(counts({&amal, &chen}) == std::vector<std::size_t>{now[0], now[2]});
        CHECK(text(parsed(badr.last()), "ref") == "l2");
    }
    SUBCASE("off again, and the others hear it")
    {
        REQUIRE(listen(circle, badr, false, "l3") == "done");
        CHECK(parsed(amal.last()).at("on") == false);
        CHECK_FALSE(parsed(amal.last()).contains("ref"));
        CHECK(text(parsed(badr.last()), "ref") == "l3");
    }
    SUBCASE("it lasts while away, and ends with leaving")
    {
        auto const generation = badr.who->detach(badr.sink.get());
        circle->member_dropped(*badr.who, generation);
        badr.who->attach(badr.sink);
        circle->resume(*badr.who, std::nullopt);
        CHECK(member_of(parsed(badr.last()), "badr").at("listening") == true);
        REQUIRE(circle->leave(*badr.who).done());
        seat(circle, {&badr});
        CHECK_FALSE(member_of(parsed(badr.last()), "badr").contains("listening"));
    }
    SUBCASE("speaking does not end it: it is the member's to say")
    {
        REQUIRE(circle->say(*badr.who, "just one thing", std::nullopt, 1).done());
        auto const dana = make_person("dana");
        seat(circle, {&dana});
        CHECK(member_of(parsed(dana.last()), "badr").at("listening") == true);
    }
}

TEST_CASE("only a member says it is listening; a muted one may")
{
    auto const circle = make_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const amal = make_person("amal");
    seat(circle, {&sara, &amal});
    CHECK(listen(circle, make_person("stranger"), true) == "not_in_room");
    REQUIRE(circle->mute(*sara.who, "amal", std::nullopt, 0).done());
    CHECK(listen(circle, amal, true) == "done");
}
