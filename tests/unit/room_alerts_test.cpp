#include "circle_people.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <variant>

using kring::alert_outcome;
using namespace kring::test;

namespace {

alert_outcome ask(std::shared_ptr<kring::room> const& r, person const& p, std::int64_t now_ms)
{
    auto const asked = r->ask_for_help(*p.who, now_ms);
    REQUIRE(std::holds_alternative<alert_outcome>(asked));
    return std::get<alert_outcome>(asked);
}

} // namespace

TEST_CASE("an alert reaches the moderators there, once a minute, and no one else")
{
    auto const circle = make_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    seat(circle, {&sara, &amal, &badr});
    auto const badr_before = badr.received();
    auto const first = ask(circle, amal, 1'000);
    CHECK((first.raised && first.reached));
    CHECK(type_of(sara.last()) == "alert");
    CHECK(text(parsed(sara.last()), "member") == "amal");
    auto const again = ask(circle, amal, 30'000);
    CHECK((!again.raised && again.reached));
    auto const later = ask(circle, amal, 61'001);
    CHECK(later.raised);
    CHECK(badr.received() == badr_before);
    CHECK(circle->waiting_alerts() == 0);
}

TEST_CASE("a moderator whose connection is gone, though not yet marked away, is not reached")
{
    auto const circle = make_room();
    auto const sara = make_moderator("sara", "Sara", {"demo"});
    auto const amal = make_person("amal");
    seat(circle, {&sara, &amal});
    REQUIRE(sara.who->detach(sara.sink.get()) != 0); // the room has not heard yet
    auto const outcome_now = ask(circle, amal, 1'000);
    CHECK((outcome_now.raised && !outcome_now.reached));
    CHECK(circle->waiting_alerts() == 1);
    // Asked again within the minute: still not reached, still waiting.
    CHECK_FALSE(ask(circle, amal, 2'000).reached);
    come_back(circle, sara);
    CHECK(type_of(sara.last()) == "alert");
    CHECK(circle->waiting_alerts() == 0);
}

TEST_CASE("an alert waits no longer than its member stays, and not for its own moderator")
{
    auto const circle = make_room();
    auto const amal = make_person("amal");
    seat(circle, {&amal});
    CHECK_FALSE(ask(circle, amal, 1'000).reached);
    CHECK(circle->waiting_alerts() == 1);
    REQUIRE(outcome(circle->leave(*amal.who)) == "done");
    CHECK(circle->waiting_alerts() == 0);

    auto const sara = make_moderator("sara", "Sara", {"demo"});
    seat(circle, {&sara});
    CHECK_FALSE(ask(circle, sara, 5'000).reached); // no other moderator there
    auto const omar = make_moderator("omar", "Omar", {"demo"});
    seat(circle, {&omar});
    CHECK(type_of(omar.last()) == "alert");
}
