// Who may moderate a room, the rules moderators set on it (lock, the waiting
// room, slow and moderated modes, end), and the speech and name rules every
// join and say passes through. What the verbs on members and messages do is
// in room_moderation_test.cpp.
#include "circle_people.hpp"

#include <boost/json/value.hpp>

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

namespace json = boost::json;
using namespace kring::test;

namespace {

// The rule a refused display name broke, or what became of the join.
std::string name_refusal_of(std::shared_ptr<kring::room> const& r, person const& p, std::string name)
{
    auto const result = r->join(p.who, std::move(name));
    if (auto const* refused = std::get_if<kring::refusal>(&result))
        return std::string{kring::protocol::to_string(refused->name_reason)};
    return "admitted";
}

} // namespace

TEST_CASE("a participant or a moderator of another room may not moderate: forbidden, and nothing changes")
{
    auto const circle = make_room();
    auto mona = make_moderator("mona", "Mona", {"demo"});
    auto omar = make_moderator("omar", "Omar", {"other"});
    auto amal = make_person("amal");
    auto badr = make_person("badr");
    auto wafa = make_person("wafa");
    seat(circle, {&mona, &omar, &amal, &badr});
    REQUIRE(circle->say(*badr.who, "a message", std::nullopt, 1).done());
    auto const message = text(parsed(badr.last()), "id");
    REQUIRE(circle->configure(*mona.who, true, std::nullopt, std::nullopt).done());
    REQUIRE(join(circle, wafa, "Wafa") == "waiting");

    person const* actor = nullptr;
    SUBCASE("a participant of the room") { actor = &amal; }
    SUBCASE("a moderator of another room, seated here") { actor = &omar; }
    REQUIRE(actor != nullptr);
    auto const& who = *actor->who;
    auto const before = counts({&mona, &omar, &amal, &badr, &wafa});

    CHECK(outcome(circle->mute(who, "badr", std::nullopt, 2)) == "forbidden");
    CHECK(outcome(circle->unmute(who, "badr")) == "forbidden");
    CHECK(outcome(circle->remove(who, "badr", std::string{"spam"})) == "forbidden");
    CHECK(outcome(circle->ban_target_of(who, "badr")) == "forbidden");
    CHECK(outcome(circle->delete_message(who, message)) == "forbidden");
    CHECK(outcome(circle->pin(who, message, std::nullopt)) == "forbidden");
    CHECK(outcome(circle->pin(who, std::nullopt, std::string{"a prompt"})) == "forbidden");
    CHECK(outcome(circle->set_locked(who, true)) == "forbidden");
    CHECK(outcome(circle->configure(who, false, 30, true)) == "forbidden");
    CHECK(outcome(circle->admit(who, "wafa")) == "forbidden");
    CHECK(outcome(circle->deny(who, "wafa")) == "forbidden");
    CHECK(outcome(circle->end(who)) == "forbidden");

    CHECK(counts({&mona, &omar, &amal, &badr, &wafa}) == before);
    CHECK(circle->member_count() == 4);
    CHECK(wafa.who->waiting_count() == 1);
    CHECK(outcome(circle->find_reportable(*amal.who, message)) == "done");
    CHECK(circle->say(*badr.who, "still here", std::nullopt, 3).done());

    auto ada = make_admin("ada", "Ada");
    REQUIRE(join(circle, ada, "Ada") == "joined");
    auto const joined = parsed(ada.sink->frames.front());
    CHECK(joined.at("room") == joined_room({.waiting = true}));
    CHECK(history_seqs(joined) == seqs{1, 2});
}

TEST_CASE("a moderator's verb on someone who is not there gives no_such_member")
{
    auto const circle = make_room();
    auto mona = make_moderator("mona", "Mona", {"demo"});
    auto amal = make_person("amal");
    auto badr = make_person("badr");
    seat(circle, {&mona, &amal, &badr});
    REQUIRE(circle->leave(*badr.who).done());
    auto const before = counts({&mona, &amal, &badr});

    for (std::string const id : {"nobody", "badr"}) {
        CAPTURE(id);
        CHECK(outcome(circle->mute(*mona.who, id, std::nullopt, 1)) == "no_such_member");
        CHECK(outcome(circle->unmute(*mona.who, id)) == "no_such_member");
        CHECK(outcome(circle->remove(*mona.who, id, std::nullopt)) == "no_such_member");
        CHECK(outcome(circle->ban_target_of(*mona.who, id)) == "no_such_member");
        CHECK(outcome(circle->admit(*mona.who, id)) == "no_such_member");
        CHECK(outcome(circle->deny(*mona.who, id)) == "no_such_member");
    }
    // Only the waiting room can be admitted from or denied.
    CHECK(outcome(circle->admit(*mona.who, "amal")) == "no_such_member");
    CHECK(outcome(circle->deny(*mona.who, "amal")) == "no_such_member");
    CHECK(counts({&mona, &amal, &badr}) == before);
    CHECK(circle->member_count() == 2);
}

TEST_CASE("a moderator may not mute, remove or ban a moderator or an admin: forbidden")
{
    auto const circle = make_room();
    auto mona = make_moderator("mona", "Mona", {"demo"});
    auto nour = make_moderator("nour", "Nour", {"demo"});
    auto omar = make_moderator("omar", "Omar", {"other"});
    auto ada = make_admin("ada", "Ada");
    auto amal = make_person("amal");
    seat(circle, {&mona, &nour, &omar, &ada, &amal});
    auto const before = counts({&mona, &nour, &omar, &ada, &amal});

    for (std::string const target : {"nour", "omar", "ada", "mona"}) {
        CAPTURE(target);
        CHECK(outcome(circle->mute(*mona.who, target, std::nullopt, 1)) == "forbidden");
        CHECK(outcome(circle->remove(*mona.who, target, std::nullopt)) == "forbidden");
        CHECK(outcome(circle->ban_target_of(*mona.who, target)) == "forbidden");
    }
    SUBCASE("not even an admin")
    {
        CHECK(outcome(circle->mute(*ada.who, "mona", std::nullopt, 1)) == "forbidden");
        CHECK(outcome(circle->remove(*ada.who, "mona", std::nullopt)) == "forbidden");
        CHECK(outcome(circle->ban_target_of(*ada.who, "mona")) == "forbidden");
    }
    CHECK(counts({&mona, &nour, &omar, &ada, &amal}) == before);
    CHECK(circle->member_count() == 5);
}

TEST_CASE("a locked room refuses a participant's join with locked but seats its moderators")
{
    auto const circle = make_room();
    auto mona = make_moderator("mona", "Mona", {"demo"});
    auto amal = make_person("amal");
    auto chen = make_person("chen");
    REQUIRE(join(circle, mona, "Mona") == "joined");
    REQUIRE(join(circle, amal, "Amal") == "joined");

    REQUIRE(circle->set_locked(*mona.who, true).done());
    CHECK(mona.last().get() == amal.last().get());
    CHECK(parsed(amal.last()) == room_state({.locked = true}));
    CHECK(join(circle, chen, "Chen") == "locked");
    CHECK(chen.received() == 0);
    auto nour = make_moderator("nour", "Nour", {"demo"});
    auto ada = make_admin("ada", "Ada");
    CHECK(join(circle, nour, "Nour") == "joined");
    CHECK(join(circle, ada, "Ada") == "joined");
    CHECK(parsed(ada.last()).at("room") == joined_room({.locked = true}));
    CHECK(circle->member_count() == 4);
    CHECK(circle->say(*amal.who, "those inside still speak", std::nullopt, 1).done());

    SUBCASE("unlocking, by an admin too, lets participants in again")
    {
        REQUIRE(circle->set_locked(*ada.who, false).done());
        CHECK(parsed(amal.last()) == room_state({}));
        CHECK(join(circle, chen, "Chen") == "joined");
    }
}

TEST_CASE("with the waiting room on, a joiner waits until a moderator admits or denies it")
{
    auto const circle = make_room();
    auto mona = make_moderator("mona", "Mona", {"demo"});
    auto amal = make_person("amal");
    auto wafa = make_person("wafa");
    REQUIRE(join(circle, mona, "Mona") == "joined");
    REQUIRE(join(circle, amal, "Amal") == "joined");
    REQUIRE(circle->configure(*mona.who, true, std::nullopt, std::nullopt).done());
    CHECK(parsed(amal.last()) == room_state({.waiting = true}));
    auto const before = counts({&mona, &amal});

    REQUIRE(join(circle, wafa, "Wafa") == "waiting");
    REQUIRE(wafa.received() == 1);
    CHECK(parsed(wafa.last()) == json::object{{"type", "waiting"}, {"room", "demo"}});
    CHECK(counts({&mona, &amal}) == std::vector<std::size_t>{before[0] + 1, before[1]});
    auto const wafa_entry = json::object{{"id", "wafa"}, {"name", "Wafa"}, {"role", "participant"}};
    CHECK(parsed(mona.last()) == json::object{{"type", "knock"}, {"room", "demo"}, {"member", wafa_entry}});
    CHECK(circle->member_count() == 2);
    CHECK(wafa.who->waiting_count() == 1);
    CHECK(outcome(circle->say(*wafa.who, "hello?", std::nullopt, 1)) == "not_in_room");

    SUBCASE("a moderator who comes in later is seated at once and hears the knock")
    {
        auto nour = make_moderator("nour", "Nour", {"demo"});
        REQUIRE(join(circle, nour, "Nour") == "joined");
        CHECK(types_since(nour, 0) == ids{"joined", "knock"});
        CHECK(parsed(nour.last()).at("member") == wafa_entry);
    }
    SUBCASE("admit seats it: joined to it, member_joined to the others")
    {
        REQUIRE(circle->admit(*mona.who, "wafa").done());
        auto const joined = parsed(wafa.last());
        CHECK(text(joined, "type") == "joined");
        CHECK(text(joined.at("you").as_object(), "name") == "Wafa");
        CHECK(member_ids(joined) == ids{"mona", "amal", "wafa"});
        CHECK(types_since(amal, before[1]) == ids{"member_joined"});
        CHECK(parsed(amal.last()).at("member") == wafa_entry);
        CHECK(wafa.who->waiting_count() == 0);
        CHECK(circle->say(*wafa.who, "thank you", std::nullopt, 1).done());
        CHECK(outcome(circle->admit(*mona.who, "wafa")) == "no_such_member");
    }
    SUBCASE("deny turns it away with error denied and the room")
    {
        REQUIRE(circle->deny(*mona.who, "wafa").done());
        auto denied = parsed(wafa.last());
        CHECK_FALSE(text(denied, "message").empty());
        denied.erase("message"); // English for people; may change
        CHECK(denied == json::object{{"type", "error"}, {"code", "denied"}, {"room", "demo"}});
        CHECK(counts({&mona, &amal}) == std::vector<std::size_t>{before[0] + 1, before[1]});
        CHECK(wafa.who->waiting_count() == 0);
        CHECK(wafa.who->room_count() == 0);
        CHECK(circle->member_count() == 2);
        CHECK(outcome(circle->deny(*mona.who, "wafa")) == "no_such_member");
        CHECK(join(circle, wafa, "Wafa") == "waiting");
    }
    SUBCASE("turning it off seats whoever waited")
    {
        auto chen = make_person("chen");
        REQUIRE(join(circle, chen, "Chen") == "waiting");
        auto const amal_before = amal.received();
        auto const wafa_before = wafa.received();
        REQUIRE(circle->configure(*mona.who, false, std::nullopt, std::nullopt).done());
        CHECK(types_since(amal, amal_before) == ids{"room_state", "member_joined", "member_joined"});
        CHECK(parsed(amal.sink->frames[amal_before]) == room_state({}));
        CHECK(types_since(wafa, wafa_before) == ids{"joined", "member_joined"});
        CHECK(member_ids(parsed(chen.last())) == ids{"mona", "amal", "wafa", "chen"});
        CHECK(wafa.who->waiting_count() == 0);
        CHECK(circle->member_count() == 4);
    }
    SUBCASE("changing another setting leaves the door shut")
    {
        REQUIRE(circle->configure(*mona.who, std::nullopt, 10, std::nullopt).done());
        CHECK(wafa.who->waiting_count() == 1);
        CHECK(circle->member_count() == 2);
    }
}

TEST_CASE("slow mode lets a participant speak once per its seconds and says how long to wait")
{
    auto const circle = make_room();
    auto mona = make_moderator("mona", "Mona", {"demo"});
    auto amal = make_person("amal");
    auto badr = make_person("badr");
    seat(circle, {&mona, &amal, &badr});
    REQUIRE(circle->configure(*mona.who, std::nullopt, 30, std::nullopt).done());
    CHECK(parsed(amal.last()) == room_state({.slow = 30}));

    REQUIRE(circle->say(*amal.who, "first", std::nullopt, 1'000).done());
    auto const before = counts({&mona, &amal, &badr});
    auto const early = circle->say(*amal.who, "second", std::nullopt, 2'000);
    CHECK(outcome(early) == "slow_mode");
    CHECK((early.done() ? 0 : early.refused().seconds) == 29);
    auto const almost = circle->say(*amal.who, "second", std::nullopt, 30'500);
    CHECK(outcome(almost) == "slow_mode");
    CHECK((almost.done() ? 0 : almost.refused().seconds) == 1);
    CHECK(counts({&mona, &amal, &badr}) == before);
    CHECK(circle->say(*badr.who, "each has its own clock", std::nullopt, 2'000).done());
    CHECK(circle->say(*amal.who, "second", std::nullopt, 31'000).done());

    SUBCASE("slow 0 turns it off")
    {
        REQUIRE(circle->configure(*mona.who, std::nullopt, 0, std::nullopt).done());
        CHECK(parsed(amal.last()) == room_state({}));
        CHECK(circle->say(*amal.who, "third", std::nullopt, 31'001).done());
    }
}

TEST_CASE("a circle keeps slow-mode clocks only while slow mode is on, and forgets those of people who left once "
          "their wait is over")
{
    auto const circle = make_room();
    auto mona = make_moderator("mona", "Mona", {"demo"});
    auto amal = make_person("amal");
    seat(circle, {&mona, &amal});
    // Visitors come, say one thing and leave, one a second.
    auto const visit = [&](int count, std::int64_t from_ms) {
        for (int i = 0; i < count; ++i) {
            auto visitor = make_person("visitor-" + std::to_string(i));
            REQUIRE(join(circle, visitor, "Visitor " + std::to_string(i)) == "joined");
            REQUIRE(circle->say(*visitor.who, "hello", std::nullopt, from_ms + i * 1'000).done());
            REQUIRE(circle->leave(*visitor.who).done());
        }
    };

    SUBCASE("without slow mode, no clock is kept")
    {
        visit(100, 1'000);
        CHECK(circle->slow_mode_clocks() == 0);
    }
    SUBCASE("with slow mode, a visitor's clock goes once it has run out")
    {
        REQUIRE(circle->configure(*mona.who, std::nullopt, 10, std::nullopt).done());
        visit(200, 1'000);
        CHECK(circle->slow_mode_clocks() <= 2 * circle->member_count() + 16);
        CHECK(circle->member_count() == 2);
    }
    SUBCASE("leaving and rejoining still skips no wait")
    {
        REQUIRE(circle->configure(*mona.who, std::nullopt, 30, std::nullopt).done());
        visit(100, 1'000); // enough to forget the clocks that ran out
        REQUIRE(circle->say(*amal.who, "first", std::nullopt, 101'000).done());
        REQUIRE(circle->leave(*amal.who).done());
        REQUIRE(join(circle, amal, "Amal") == "joined");
        CHECK(outcome(circle->say(*amal.who, "again", std::nullopt, 102'000)) == "slow_mode");
    }
    SUBCASE("turning slow mode off forgets every clock; back on, it starts afresh")
    {
        REQUIRE(circle->configure(*mona.who, std::nullopt, 30, std::nullopt).done());
        REQUIRE(circle->say(*amal.who, "first", std::nullopt, 1'000).done());
        CHECK(circle->slow_mode_clocks() == 1);
        REQUIRE(circle->configure(*mona.who, std::nullopt, 0, std::nullopt).done());
        CHECK(circle->slow_mode_clocks() == 0);
        REQUIRE(circle->configure(*mona.who, std::nullopt, 30, std::nullopt).done());
        CHECK(circle->say(*amal.who, "second", std::nullopt, 2'000).done());
    }
}

TEST_CASE("in moderated mode participants get moderated and staff still speak")
{
    auto const circle = make_room();
    auto mona = make_moderator("mona", "Mona", {"demo"});
    auto ada = make_admin("ada", "Ada");
    auto amal = make_person("amal");
    seat(circle, {&mona, &ada, &amal});
    REQUIRE(circle->configure(*mona.who, std::nullopt, std::nullopt, true).done());
    CHECK(parsed(amal.last()) == room_state({.mode = "moderated"}));

    auto const before = counts({&mona, &ada, &amal});
    CHECK(outcome(circle->say(*amal.who, "may I?", std::nullopt, 1)) == "moderated");
    CHECK(counts({&mona, &ada, &amal}) == before);
    CHECK(circle->say(*mona.who, "welcome", std::nullopt, 2).done());
    CHECK(circle->say(*ada.who, "hello", std::nullopt, 3).done());
    CHECK(text(parsed(amal.last()), "text") == "hello");

    SUBCASE("mode open lets everyone speak again")
    {
        REQUIRE(circle->configure(*mona.who, std::nullopt, std::nullopt, false).done());
        CHECK(parsed(amal.last()) == room_state({}));
        CHECK(circle->say(*amal.who, "thanks", std::nullopt, 4).done());
    }
}

TEST_CASE("end sends ended to everyone, waiting joiners too, and wipes the ring but keeps the settings")
{
    auto const circle = make_room();
    auto mona = make_moderator("mona", "Mona", {"demo"});
    auto amal = make_person("amal");
    auto badr = make_person("badr");
    auto wafa = make_person("wafa");
    seat(circle, {&mona, &amal, &badr});
    REQUIRE(circle->say(*amal.who, "one", std::nullopt, 1).done());
    REQUIRE(circle->pin(*mona.who, std::nullopt, std::string{"a prompt"}).done());
    REQUIRE(circle->configure(*mona.who, true, 5, std::nullopt).done());
    REQUIRE(join(circle, wafa, "Wafa") == "waiting");
    auto const before = counts({&mona, &amal, &badr, &wafa});

    REQUIRE(circle->end(*mona.who).done());
    CHECK(counts({&mona, &amal, &badr, &wafa}) == one_more_each(before));
    for (auto const* p : {&mona, &amal, &badr, &wafa})
        CHECK(parsed(p->last()) == json::object{{"type", "ended"}, {"room", "demo"}});
    CHECK(circle->member_count() == 0);
    CHECK(amal.who->room_count() == 0);
    CHECK(mona.who->room_count() == 0);
    CHECK(wafa.who->waiting_count() == 0);
    CHECK(outcome(circle->say(*amal.who, "hello?", std::nullopt, 2)) == "not_in_room");
    CHECK(outcome(circle->admit(*mona.who, "wafa")) == "no_such_member");

    REQUIRE(join(circle, mona, "Mona") == "joined");
    auto const joined = parsed(mona.last());
    CHECK(history_seqs(joined).empty());
    CHECK(member_ids(joined) == ids{"mona"});
    CHECK(joined.at("room") == joined_room({.waiting = true, .slow = 5}));
    CHECK(join(circle, amal, "Amal") == "waiting");
}

TEST_CASE("a mute holds the device: a new identity on the same device is muted too")
{
    auto const circle = make_room();
    auto mona = make_moderator("mona", "Mona", {"demo"});
    auto amal = make_person("amal");
    give_device(amal, "amal-phone");
    seat(circle, {&mona, &amal});
    REQUIRE(circle->mute(*mona.who, "amal", std::nullopt, 1).done());
    REQUIRE(circle->leave(*amal.who).done());

    auto again = make_person("amal-again");
    give_device(again, "amal-phone");
    REQUIRE(join(circle, again, "A new name") == "joined");
    CHECK(outcome(circle->say(*again.who, "it's me", std::nullopt, 2)) == "muted");
    auto chen = make_person("chen");
    auto dina = make_person("dina");
    give_device(chen, "chen-phone");
    seat(circle, {&chen, &dina});
    CHECK(circle->say(*chen.who, "another device", std::nullopt, 3).done());
    CHECK(circle->say(*dina.who, "no device at all", std::nullopt, 4).done());

    SUBCASE("unmuting the new identity frees the device")
    {
        REQUIRE(circle->unmute(*mona.who, "amal-again").done());
        CHECK(text(parsed(again.last()), "member") == "amal-again");
        CHECK(circle->say(*again.who, "thank you", std::nullopt, 5).done());
    }
    SUBCASE("a member without a device is muted alone")
    {
        REQUIRE(circle->mute(*mona.who, "dina", std::nullopt, 5).done());
        auto erin = make_person("erin");
        REQUIRE(join(circle, erin, "Erin") == "joined");
        CHECK(outcome(circle->say(*dina.who, "hm", std::nullopt, 6)) == "muted");
        CHECK(circle->say(*erin.who, "I can speak", std::nullopt, 6).done());
    }
}

TEST_CASE("the room's moderators and admins are never muted, slowed or held back by moderated mode")
{
    auto const circle = make_room();
    auto mona = make_moderator("mona", "Mona", {"demo"});
    auto ada = make_admin("ada", "Ada");
    auto amal = make_person("amal");
    // One tablet at a welcome centre, shared by everyone.
    for (auto* p : {&mona, &ada, &amal})
        give_device(*p, "shared-tablet");
    seat(circle, {&mona, &ada, &amal});
    REQUIRE(circle->mute(*mona.who, "amal", std::nullopt, 1).done());
    REQUIRE(circle->configure(*mona.who, std::nullopt, 60, true).done());
    REQUIRE(outcome(circle->say(*amal.who, "hello", std::nullopt, 2)) == "muted");

    for (auto const* staff : {&mona, &ada})
        for (std::int64_t t = 3; t <= 5; ++t)
            CHECK(circle->say(*staff->who, "turn " + std::to_string(t), std::nullopt, t).done());
    CHECK(text(parsed(amal.last()), "text") == "turn 5");
}

TEST_CASE("a participant may not take a name that passes for a staff member in the room")
{
    auto const circle = make_room();
    auto sara = make_moderator("sara", "Sara", {"demo"});
    auto amal = make_person("amal");
    auto chen = make_person("chen");
    REQUIRE(join(circle, sara, "Sara") == "joined");
    REQUIRE(join(circle, amal, "Amal") == "joined");
    auto const before = counts({&sara, &amal});

    for (std::string const name : {"Sara", "sara", "\xC5\x9A" "ARA", "S. a. r. a.", "\xD0\x85\xD0\xB0r\xD0\xB0"}) {
        CAPTURE(name);
        CHECK(join(circle, chen, name) == "bad_name");
        CHECK(name_refusal_of(circle, chen, name) == "imitates_staff");
    }
    CHECK(chen.received() == 0);
    CHECK(counts({&sara, &amal}) == before);
    CHECK(join(circle, chen, "Sarah") == "joined");

    SUBCASE("an admin's name, and a visiting moderator's, count too")
    {
        auto ada = make_admin("ada", "Ada");
        auto omar = make_moderator("omar", "Omar", {"other"});
        REQUIRE(join(circle, ada, "Ada") == "joined");
        REQUIRE(join(circle, omar, "Omar") == "joined");
        auto dina = make_person("dina");
        CHECK(join(circle, dina, "ADA") == "bad_name");
        CHECK(join(circle, dina, "0mar") == "bad_name");
    }
    SUBCASE("the name is free once that staff member left")
    {
        REQUIRE(circle->leave(*sara.who).done());
        auto dina = make_person("dina");
        CHECK(join(circle, dina, "Sara") == "joined");
    }
    SUBCASE("a participant's name is not protected from look-alikes, only from the same name")
    {
        auto dina = make_person("dina");
        CHECK(join(circle, dina, "amal") == "name_taken");
        CHECK(join(circle, dina, "Arnal") == "joined");
    }
}

TEST_CASE("a participant may not take a role's name; staff may")
{
    auto const circle = make_room();
    auto amal = make_person("amal");
    for (std::string const name : {"Moderador", "Y\xC3\xB6netici", "Staff", "admin"}) {
        CAPTURE(name);
        CHECK(join(circle, amal, name) == "bad_name");
        CHECK(name_refusal_of(circle, amal, name) == "reserved");
    }
    CHECK(amal.received() == 0);
    CHECK(circle->member_count() == 0);
    auto mona = make_moderator("mona", "Moderator Mona", {"demo"});
    CHECK(join(circle, mona, "Moderator Mona") == "joined");
    CHECK(join(circle, amal, "Amal") == "joined");
}
