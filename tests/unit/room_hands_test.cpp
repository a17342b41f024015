#include "circle_people.hpp"

#include <boost/json/value.hpp>

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace json = boost::json;
using kring::shared_frame;
using namespace kring::test;

namespace {

using types = std::vector<std::string>;

std::string hand(std::shared_ptr<kring::room> const& r, person const& p, bool up,
                 std::optional<std::string> member = std::nullopt, std::optional<std::string_view> ref = std::nullopt)
{
    return outcome(r->hand(*p.who, member, up, ref, 1000));
}

// The queue in the last `hands` event `p` got.
ids queue_seen_by(person const& p)
{
    for (auto it = p.sink->frames.rbegin(); it != p.sink->frames.rend(); ++it)
        if (type_of(*it) == "hands") {
            ids out;
            auto const event = parsed(*it);
            for (auto const& id : event.at("queue").as_array())
                out.emplace_back(id.as_string());
            return out;
        }
    FAIL("no hands event");
    return {};
}

} // namespace

TEST_CASE("everyone sees a hand go up and down; the moderators also see the queue, first raised first")
{
    auto const circle = make_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    seat(circle, {&sara, &amal, &badr});
    auto const sara_before = sara.received();
    auto const amal_before = amal.received();

    REQUIRE(hand(circle, badr, true) == "done");
    REQUIRE(hand(circle, amal, true) == "done");
    CHECK(parsed(badr.last()) == json::object{{"type", "hand"}, {"room", "demo"}, {"member", "amal"}, {"up", true}});
    CHECK(types_since(amal, amal_before) == types{"hand", "hand"});
    CHECK(types_since(sara, sara_before) == types{"hand", "hands", "hand", "hands"});
    CHECK(queue_seen_by(sara) == ids{"badr", "amal"});

    SUBCASE("a newcomer sees who has a hand up; a moderator who arrives gets the queue")
    {
        auto const chen = make_person("chen");
        seat(circle, {&chen});
        auto const joined = parsed(chen.last());
        CHECK(member_of(joined, "badr").at("hand") == true);
        CHECK_FALSE(member_of(joined, "sara").contains("hand"));
        auto const omar = make_moderator("omar", "Omar", {"demo"});
        seat(circle, {&omar});
        CHECK(type_of(omar.last()) == "hands");
        CHECK(queue_seen_by(omar) == ids{"badr", "amal"});
    }
    SUBCASE("raising it again keeps its place and tells only the raiser")
    {
        auto const before = counts({&sara, &amal, &badr});
        REQUIRE(hand(circle, badr, true, std::nullopt, "h2") == "done");
        CHECK(counts({&sara, &amal}) == std::vector<std::size_t>{before[0], before[1]});
        CHECK(text(parsed(badr.last()), "ref") == "h2");
        REQUIRE(hand(circle, badr, false) == "done");
        REQUIRE(hand(circle, badr, true) == "done");
        CHECK(queue_seen_by(sara) == ids{"amal", "badr"}); // lowering gave the place up
    }
    SUBCASE("a moderator lowers anyone's hand, and the event says who did")
    {
        REQUIRE(hand(circle, sara, false, std::string{"badr"}) == "done");
        auto const lowered = parsed(amal.last());
        CHECK(lowered == json::object{{"type", "hand"}, {"room", "demo"}, {"member", "badr"}, {"up", false},
                                      {"by", "sara"}});
        CHECK(queue_seen_by(sara) == ids{"amal"});
    }
    SUBCASE("a participant can't lower another's hand, and no one raises another's")
    {
        CHECK(hand(circle, amal, false, std::string{"badr"}) == "forbidden");
        CHECK(hand(circle, sara, true, std::string{"amal"}) == "forbidden");
        CHECK(hand(circle, sara, false, std::string{"nobody"}) == "no_such_member");
        CHECK(hand(circle, amal, false, std::string{"amal"}) == "done"); // naming oneself is fine
        CHECK(queue_seen_by(sara) == ids{"badr"});
    }
    SUBCASE("a hand goes down when its member leaves, in every way out")
    {
        REQUIRE(circle->leave(*badr.who).done());
        CHECK(types_since(amal, amal_before + 2) == types{"hand", "member_left"});
        CHECK(queue_seen_by(sara) == ids{"amal"});
        REQUIRE(circle->remove(*sara.who, "amal", std::nullopt).done());
        CHECK(queue_seen_by(sara) == ids{});
    }
    SUBCASE("away keeps the hand up; not coming back takes it down")
    {
        auto const generation = badr.who->detach(badr.sink.get());
        circle->member_dropped(*badr.who, generation);
        CHECK(queue_seen_by(sara) == ids{"badr", "amal"});
        circle->expire(*badr.who);
        CHECK(queue_seen_by(sara) == ids{"amal"});
    }
    SUBCASE("ending the circle lowers every hand")
    {
        REQUIRE(circle->end(*sara.who).done());
        seat(circle, {&amal, &sara});
        CHECK_FALSE(member_of(parsed(sara.last()), "amal").contains("hand"));
        CHECK(type_of(sara.last()) == "joined");
    }
}

TEST_CASE("a hand is raised only from inside the circle, and not by the muted")
{
    auto const circle = make_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const amal = make_person("amal");
    seat(circle, {&sara, &amal});
    CHECK(hand(circle, make_person("stranger"), true) == "not_in_room");
    CHECK(hand(circle, make_moderator("omar", "Omar", {"demo"}), false, std::string{"amal"}) == "not_in_room");
    REQUIRE(circle->mute(*sara.who, "amal", std::nullopt, 0).done());
    CHECK(hand(circle, amal, true) == "muted");
    CHECK(hand(circle, amal, false) == "done");
    REQUIRE(circle->configure(*sara.who, std::nullopt, std::nullopt, true).done());
    REQUIRE(circle->unmute(*sara.who, "amal").done());
    CHECK(hand(circle, amal, true) == "done"); // in moderated mode, a hand is how one asks to speak
}

TEST_CASE("in a circle with quiet arrivals, a hand that goes down because its member left tells only the moderators")
{
    auto const circle = std::make_shared<kring::room>(kring::test::demo_settings(12, true),
                                                      200);
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    seat(circle, {&sara, &amal, &badr});
    REQUIRE(hand(circle, badr, true) == "done");
    auto const amal_before = amal.received();
    auto const sara_before = sara.received();
    REQUIRE(circle->leave(*badr.who).done());
    CHECK(amal.received() == amal_before); // neither the leave nor the hand
    CHECK(types_since(sara, sara_before) == types{"hand", "hands", "member_left"});
    CHECK(queue_seen_by(sara).empty());
}

TEST_CASE("what a member says carries who said it, not whether a hand was up or it was listening")
{
    auto const circle = make_room();
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    seat(circle, {&amal, &badr});
    REQUIRE(hand(circle, amal, true) == "done");
    REQUIRE(outcome(circle->set_listening(*amal.who, true, std::nullopt)) == "done");
    REQUIRE(circle->say(*amal.who, "may I?", std::nullopt, 1000).done());
    auto const from = parsed(badr.last()).at("from").as_object();
    CHECK(from == json::object{{"id", "amal"}, {"name", text(from, "name")}, {"role", "participant"}});
}
