#include "circle/room.hpp"
#include "circle_people.hpp"
#include "identity.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>

using kring::room;
using kring::test::come_back;
using kring::test::drop;
using kring::test::join;
using kring::test::make_moderator;
using kring::test::make_person;
using kring::test::parsed;
using kring::test::person;
using kring::test::text;
using kring::test::type_of;

namespace {

kring::digest const centre_wifi = kring::sha256("the centre's network");
kring::digest const phone = kring::sha256("a phone's network");

person from(std::string const& id, kring::digest const& network)
{
    auto p = make_person(id);
    p.who->set_marks({std::nullopt, network});
    return p;
}

std::shared_ptr<room> circle_of(std::size_t capacity, std::size_t held_seats)
{
    auto settings = kring::test::demo_settings(capacity);
    return std::make_shared<room>(std::move(settings), 200, held_seats);
}

} // namespace

TEST_CASE("a dropped member's seat does not keep a newcomer out, and it comes back to its own seat")
{
    auto const r = circle_of(2, 3);
    auto const amal = from("amal", phone);
    auto const badr = from("badr", centre_wifi);
    auto const chen = from("chen", centre_wifi);
    REQUIRE(join(r, amal, "Amal") == "joined");
    REQUIRE(join(r, badr, "Badr") == "joined");
    CHECK(join(r, chen, "Chen") == "room_full");

    drop(r, badr);
    CHECK(r->member_count() == 2); // badr's seat is held
    REQUIRE(join(r, chen, "Chen") == "joined");
    CHECK(join(r, make_person("dana"), "Dana") == "room_full"); // two are connected

    come_back(r, badr);
    CHECK(r->member_count() == 3);
    CHECK(type_of(badr.last()) == "joined");
    CHECK(badr.who->room_count() == 1);
}

TEST_CASE("one network holds only so many seats of dropped members; the one dropped longest ago gives way")
{
    auto const r = circle_of(12, 2);
    auto const stays = from("stays", phone);
    REQUIRE(join(r, stays, "Stays") == "joined");
    auto const first = from("first", centre_wifi);
    auto const second = from("second", centre_wifi);
    auto const third = from("third", centre_wifi);
    auto const elsewhere = from("elsewhere", phone);
    for (auto const* p : {&first, &second, &third, &elsewhere})
        REQUIRE(join(r, *p, p->who->id()) == "joined");

    drop(r, first);
    drop(r, elsewhere);
    drop(r, second);
    CHECK(r->member_count() == 5); // two of the centre's, one of the phone's: all held

    auto const before = stays.received();
    drop(r, third);
    CHECK(r->member_count() == 4);
    CHECK(types_since(stays, before) == std::vector<std::string>{"member_away", "member_left"});
    auto const left = parsed(stays.last());
    CHECK(text(left, "type") == "member_left");
    CHECK(text(left, "id") == "first");
    CHECK(first.who->room_count() == 0);
    CHECK(second.who->room_count() == 1);
    CHECK(elsewhere.who->room_count() == 1);

    // The seat it gave up is not given back by a resume.
    come_back(r, first);
    CHECK(r->member_count() == 4);
}

TEST_CASE("a moderator's held seat never gives way to a network's limit")
{
    auto const r = circle_of(12, 0);
    auto sara = make_moderator("sara", "Sara", {"demo"});
    sara.who->set_marks({std::nullopt, centre_wifi});
    REQUIRE(join(r, sara, "Sara") == "joined");
    auto const amal = from("amal", centre_wifi);
    REQUIRE(join(r, amal, "Amal") == "joined");

    drop(r, sara);
    CHECK(sara.who->room_count() == 1);
    drop(r, amal); // with no held seats allowed, a participant's seat goes at once
    CHECK(amal.who->room_count() == 0);
    CHECK(r->member_count() == 1);
}
