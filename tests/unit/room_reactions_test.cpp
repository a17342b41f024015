#include "circle_people.hpp"

#include <boost/json/value.hpp>

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>

namespace json = boost::json;
using kring::shared_frame;
using kring::protocol::reaction;
using namespace kring::test;

namespace {

std::string react(std::shared_ptr<kring::room> const& r, person const& p, std::string const& message, reaction what,
                  bool on = true, std::optional<std::string_view> ref = std::nullopt)
{
    return outcome(r->react(*p.who, message, what, on, ref, 1000));
}

json::object counts_in(shared_frame const& frame)
{
    auto const event = parsed(frame);
    REQUIRE(text(event, "type") == "reactions");
    CHECK(text(event, "room") == "demo");
    return event.at("counts").as_object();
}

// The id of the message `who` says now.
std::string said(std::shared_ptr<kring::room> const& r, person const& who, std::string const& words)
{
    REQUIRE(r->say(*who.who, words, std::nullopt, 1000).done());
    return text(parsed(who.last()), "id");
}

} // namespace

TEST_CASE("a reaction reaches everyone as counts, one of each per member per message")
{
    auto const circle = make_session_room();
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    auto const chen = make_person("chen");
    seat(circle, {&amal, &badr, &chen});
    auto const id = said(circle, amal, "It was a hard week");
    auto const before = counts({&amal, &badr, &chen});

    REQUIRE(react(circle, badr, id, reaction::hug) == "done");
    CHECK(counts({&amal, &badr, &chen}) == one_more_each(before));
    CHECK(amal.last().get() == chen.last().get()); // written once, shared
    CHECK(text(parsed(amal.last()), "message") == id);
    CHECK(counts_in(amal.last()) == json::object{{"hug", 1}});

    REQUIRE(react(circle, chen, id, reaction::hug) == "done");
    REQUIRE(react(circle, chen, id, reaction::hear_you) == "done");
    CHECK(counts_in(amal.last()) == json::object{{"hug", 2}, {"hear_you", 1}});

    SUBCASE("the same reaction again changes nothing and only the reactor hears the counts")
    {
        auto const now = counts({&amal, &badr, &chen});
        REQUIRE(react(circle, badr, id, reaction::hug) == "done");
        CHECK(counts({&amal, &chen}) == std::vector<std::size_t>{now[0], now[2]});
        CHECK(badr.received() == now[1] + 1);
        CHECK(counts_in(badr.last()) == json::object{{"hug", 2}, {"hear_you", 1}});
    }
    SUBCASE("on: false takes it back; taking back what was not given changes nothing")
    {
        REQUIRE(react(circle, chen, id, reaction::hug, false) == "done");
        CHECK(counts_in(amal.last()) == json::object{{"hug", 1}, {"hear_you", 1}});
        auto const now = amal.received();
        REQUIRE(react(circle, chen, id, reaction::hug, false) == "done");
        CHECK(amal.received() == now);
        REQUIRE(react(circle, chen, id, reaction::hear_you, false) == "done");
        REQUIRE(react(circle, badr, id, reaction::hug, false) == "done");
        CHECK(counts_in(amal.last()) == json::object{});
    }
    SUBCASE("the reactor's copy carries its ref; the others' do not")
    {
        REQUIRE(react(circle, amal, id, reaction::thank_you, true, "r9") == "done");
        CHECK(text(parsed(amal.last()), "ref") == "r9");
        CHECK_FALSE(parsed(badr.last()).contains("ref"));
        CHECK(counts_in(badr.last()) == counts_in(amal.last()));
    }
    SUBCASE("a newcomer sees the counts in joined.history")
    {
        auto const dana = make_person("dana");
        seat(circle, {&dana});
        auto const history = parsed(dana.last()).at("history").as_array();
        REQUIRE(history.size() == 1);
        CHECK(history[0].as_object().at("reactions") == json::object{{"hug", 2}, {"hear_you", 1}});
        CHECK(history[0].as_object().at("text") == "It was a hard week");
        CHECK(history[0].as_object().at("from").as_object().at("id") == "amal");
    }
}

TEST_CASE("reactions are refused outside the circle, on messages not kept, and to the muted")
{
    auto const circle = make_room(12, 2);
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    seat(circle, {&amal, &badr, &sara});
    auto const first = said(circle, amal, "one");

    CHECK(react(circle, make_person("stranger"), first, reaction::heart) == "not_in_room");
    CHECK(react(circle, badr, "m-none", reaction::heart) == "no_such_message");

    SUBCASE("a message that fell out of the ring")
    {
        said(circle, amal, "two");
        said(circle, amal, "three");
        CHECK(react(circle, badr, first, reaction::heart) == "no_such_message");
    }
    SUBCASE("a deleted message takes its reactions with it")
    {
        REQUIRE(react(circle, badr, first, reaction::heart) == "done");
        REQUIRE(circle->delete_message(*sara.who, first).done());
        CHECK(react(circle, badr, first, reaction::heart) == "no_such_message");
        CHECK(react(circle, badr, first, reaction::heart, false) == "no_such_message");
        auto const dana = make_person("dana");
        seat(circle, {&dana});
        CHECK(parsed(dana.last()).at("history").as_array().empty());
    }
    SUBCASE("a muted member cannot react")
    {
        REQUIRE(circle->mute(*sara.who, "badr", std::nullopt, 0).done());
        CHECK(react(circle, badr, first, reaction::heart) == "muted");
        CHECK(react(circle, sara, first, reaction::heart) == "done");
    }
    SUBCASE("reactions are not speech: moderated and slow modes let them through")
    {
        REQUIRE(circle->configure(*sara.who, std::nullopt, 60, true).done());
        CHECK(react(circle, badr, first, reaction::strength) == "done");
        CHECK(react(circle, badr, first, reaction::me_too) == "done");
    }
    SUBCASE("ending the circle ends its reactions")
    {
        REQUIRE(react(circle, badr, first, reaction::heart) == "done");
        REQUIRE(circle->end(*sara.who).done());
        seat(circle, {&badr});
        CHECK(react(circle, badr, first, reaction::heart) == "no_such_message");
    }
}

TEST_CASE("a member who leaves leaves its reactions where they were given")
{
    auto const circle = make_session_room();
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    seat(circle, {&amal, &badr});
    auto const id = said(circle, amal, "thank you all");
    REQUIRE(react(circle, badr, id, reaction::heart) == "done");
    REQUIRE(circle->leave(*badr.who).done());
    auto const chen = make_person("chen");
    seat(circle, {&chen});
    CHECK(parsed(chen.last()).at("history").as_array()[0].as_object().at("reactions") == json::object{{"heart", 1}});
}

TEST_CASE("a message holds six reactions for each seat of its circle, however many come and go")
{
    auto const circle = kring::test::make_session_room(2);
    auto const amal = make_person("amal");
    seat(circle, {&amal});
    auto const id = said(circle, amal, "I made it through the week");
    std::vector<reaction> const all{reaction::heart,  reaction::hug,      reaction::hear_you,
                                    reaction::me_too, reaction::strength, reaction::thank_you};
    for (auto const what : all)
        REQUIRE(react(circle, amal, id, what) == "done");
    auto const badr = make_person("badr");
    seat(circle, {&badr});
    for (auto const what : all)
        REQUIRE(react(circle, badr, id, what) == "done");
    REQUIRE(circle->leave(*badr.who).done());
    auto const chen = make_person("chen");
    seat(circle, {&chen});
    CHECK(react(circle, chen, id, reaction::heart) == "reactions_full");
    CHECK(react(circle, amal, id, reaction::heart, false) == "done"); // taking one back makes room
    CHECK(react(circle, chen, id, reaction::heart) == "done");
}
