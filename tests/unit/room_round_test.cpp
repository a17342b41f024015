#include "circle_people.hpp"

#include <boost/json/value.hpp>

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace json = boost::json;
using kring::protocol::round_step;
using namespace kring::test;

namespace {

std::string start(std::shared_ptr<kring::room> const& r, person const& p,
                  std::optional<std::vector<std::string>> order = std::nullopt,
                  std::optional<std::string> prompt = std::nullopt)
{
    return outcome(r->start_round(*p.who, order, std::move(prompt), std::nullopt));
}

std::string step(std::shared_ptr<kring::room> const& r, person const& p, round_step s)
{
    return outcome(r->move_round(*p.who, s, std::nullopt));
}

std::string say(std::shared_ptr<kring::room> const& r, person const& p)
{
    return outcome(r->say(*p.who, "a few words", std::nullopt, 1000));
}

// The last `round` or `round_ended` event `p` got.
json::object last_round_event(person const& p)
{
    for (auto it = p.sink->frames.rbegin(); it != p.sink->frames.rend(); ++it)
        if (type_of(*it) == "round" || type_of(*it) == "round_ended")
            return parsed(*it);
    FAIL("no round event");
    return {};
}

std::string holder_seen_by(person const& p)
{
    auto const event = last_round_event(p);
    REQUIRE(text(event, "type") == "round");
    return text(event, "holder");
}

ids list_of(json::object const& event, std::string_view key)
{
    ids out;
    for (auto const& id : event.at(key).as_array())
        out.emplace_back(id.as_string());
    return out;
}

} // namespace

TEST_CASE("the piece goes round the participants in the order they came, and only its holder speaks")
{
    auto const circle = make_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    auto const chen = make_person("chen");
    seat(circle, {&amal, &sara, &badr, &chen});

    REQUIRE(start(circle, sara, std::nullopt, "One word for how you arrive tonight") == "done");
    auto const begun = last_round_event(chen);
    CHECK(list_of(begun, "order") == ids{"amal", "badr", "chen"}); // the moderator leads; she is not in it
    CHECK(text(begun, "holder") == "amal");
    CHECK(text(begun, "prompt") == "One word for how you arrive tonight");
    CHECK(parsed(amal.last()) == parsed(sara.last())); // everyone sees the same

    CHECK(say(circle, badr) == "not_your_turn");
    CHECK(say(circle, amal) == "done");
    CHECK(say(circle, sara) == "done"); // a moderator may always speak
    CHECK(step(circle, badr, round_step::done) == "not_your_turn");
    CHECK(start(circle, sara) == "round_running");

    REQUIRE(step(circle, amal, round_step::done) == "done");
    CHECK(holder_seen_by(chen) == "badr");
    CHECK(say(circle, amal) == "not_your_turn");
    REQUIRE(step(circle, badr, round_step::pass) == "done");
    CHECK(list_of(last_round_event(amal), "passed") == ids{"badr"});
    CHECK(holder_seen_by(amal) == "chen");
    REQUIRE(step(circle, chen, round_step::done) == "done");
    auto const ended = last_round_event(badr);
    CHECK(ended == json::object{{"type", "round_ended"}, {"room", "demo"}, {"complete", true}});
    CHECK(say(circle, badr) == "done"); // open sharing again
    CHECK(step(circle, badr, round_step::done) == "no_round");
}

TEST_CASE("the piece goes past those away or just listening; a newcomer joins the end of the order")
{
    auto const circle = make_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    auto const chen = make_person("chen");
    seat(circle, {&sara, &amal, &badr, &chen});
    REQUIRE(outcome(circle->set_listening(*badr.who, true, std::nullopt)) == "done");
    drop(circle, chen);

    REQUIRE(start(circle, sara) == "done");
    CHECK(holder_seen_by(sara) == "amal");
    auto const late = make_person("dina");
    seat(circle, {&late});
    CHECK(list_of(last_round_event(sara), "order") == ids{"amal", "badr", "chen", "dina"});
    CHECK(holder_seen_by(late) == "amal"); // the newcomer sees the round it came into

    REQUIRE(step(circle, amal, round_step::done) == "done");
    auto const moved = last_round_event(sara);
    CHECK(text(moved, "holder") == "dina");
    CHECK(list_of(moved, "skipped") == ids{"badr", "chen"});
}

TEST_CASE("a dropped holder keeps the piece until it leaves; then the next one holds it")
{
    auto const circle = make_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    seat(circle, {&sara, &amal, &badr});
    REQUIRE(start(circle, sara) == "done");
    drop(circle, amal);
    CHECK(holder_seen_by(sara) == "amal");
    come_back(circle, amal);
    auto const& joined = amal.last();
    CHECK(text(parsed(joined).at("round").as_object(), "holder") == "amal");
    CHECK(say(circle, amal) == "done");

    drop(circle, amal);
    circle->expire(*amal.who); // the resume grace ran out
    CHECK(holder_seen_by(sara) == "badr");
    CHECK(list_of(last_round_event(sara), "order") == ids{"badr"});
    REQUIRE(outcome(circle->leave(*badr.who)) == "done");
    CHECK(text(last_round_event(sara), "type") == "round_ended");
}

TEST_CASE("a moderator gives the piece, skips its holder or ends the round")
{
    auto const circle = make_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    auto const chen = make_person("chen");
    seat(circle, {&sara, &amal, &badr, &chen});

    CHECK(start(circle, amal) == "forbidden");
    CHECK(outcome(circle->give_piece(*sara.who, "badr", std::nullopt)) == "no_round");
    CHECK(start(circle, sara, ids{"chen", "nobody"}) == "no_such_member");
    REQUIRE(start(circle, sara, ids{"chen", "amal"}) == "done");
    CHECK(holder_seen_by(amal) == "chen");

    // Given to badr, outside the order: it holds it now, chen has it back next.
    REQUIRE(outcome(circle->give_piece(*sara.who, "badr", std::nullopt)) == "done");
    CHECK(list_of(last_round_event(amal), "order") == ids{"badr", "chen", "amal"});
    CHECK(holder_seen_by(amal) == "badr");
    CHECK(outcome(circle->give_piece(*amal.who, "amal", std::nullopt)) == "forbidden");
    CHECK(outcome(circle->give_piece(*sara.who, "nobody", std::nullopt)) == "no_such_member");
    REQUIRE(step(circle, badr, round_step::done) == "done");
    CHECK(holder_seen_by(amal) == "chen");

    CHECK(step(circle, amal, round_step::skip) == "forbidden");
    REQUIRE(step(circle, sara, round_step::skip) == "done");
    CHECK(holder_seen_by(badr) == "amal");
    CHECK(list_of(last_round_event(badr), "skipped") == ids{"chen"});

    CHECK(step(circle, amal, round_step::end) == "forbidden");
    REQUIRE(step(circle, sara, round_step::end) == "done");
    CHECK(last_round_event(chen) == json::object{{"type", "round_ended"}, {"room", "demo"}, {"complete", false}});
    CHECK(say(circle, chen) == "done");
}

TEST_CASE("a round needs someone to hold the piece, and ending the circle ends it")
{
    auto const circle = make_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    seat(circle, {&sara});
    CHECK(start(circle, sara) == "empty_round");
    auto const amal = make_person("amal");
    seat(circle, {&amal});
    REQUIRE(outcome(circle->set_listening(*amal.who, true, std::nullopt)) == "done");
    CHECK(start(circle, sara) == "empty_round");
    REQUIRE(outcome(circle->set_listening(*amal.who, false, std::nullopt)) == "done");
    REQUIRE(start(circle, sara) == "done");
    REQUIRE(outcome(circle->end(*sara.who)) == "done");
    auto const again = make_person("badr");
    seat(circle, {&sara, &again});
    CHECK(say(circle, again) == "done");
    CHECK_FALSE(parsed(again.sink->frames.front()).contains("round"));
}

TEST_CASE("a moderator of another circle sitting in this one takes turns like a participant")
{
    auto const circle = make_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const omar = make_moderator("omar", "Omar", {"elsewhere"});
    auto const amal = make_person("amal");
    seat(circle, {&sara, &omar, &amal});
    REQUIRE(start(circle, sara) == "done");
    CHECK(list_of(last_round_event(sara), "order") == ids{"omar", "amal"});
    CHECK(say(circle, omar) == "done");
    CHECK(say(circle, amal) == "not_your_turn");
}

TEST_CASE("with quiet arrivals a participant's round names only itself, the staff and the holder")
{
    auto const circle =
        std::make_shared<kring::room>(kring::test::demo_settings(12, true), 200);
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    auto const chen = make_person("chen");
    seat(circle, {&sara, &amal, &badr, &chen});
    REQUIRE(start(circle, sara) == "done");
    CHECK(list_of(last_round_event(sara), "order") == ids{"amal", "badr", "chen"});
    CHECK(list_of(last_round_event(badr), "order") == ids{"amal", "badr"});
    CHECK(list_of(last_round_event(chen), "order") == ids{"amal", "chen"});

    // An arrival that moves no piece is news to the moderators only.
    auto const badr_before = badr.received();
    auto const dina = make_person("dina");
    seat(circle, {&dina});
    CHECK(badr.received() == badr_before);
    CHECK(list_of(last_round_event(sara), "order") == ids{"amal", "badr", "chen", "dina"});
    CHECK(list_of(parsed(dina.sink->frames.front()).at("round").as_object(), "order") == ids{"amal", "dina"});

    REQUIRE(step(circle, amal, round_step::pass) == "done");
    auto const seen = last_round_event(chen);
    CHECK(list_of(seen, "order") == ids{"badr", "chen"});
    CHECK(list_of(seen, "passed") == ids{}); // amal passed; chen may not hear of amal any more
    REQUIRE(outcome(circle->leave(*dina.who)) == "done");
    CHECK(list_of(last_round_event(sara), "order") == ids{"amal", "badr", "chen"});
    CHECK(list_of(last_round_event(chen), "order") == ids{"badr", "chen"});
}
