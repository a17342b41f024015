#include "session_harness.hpp"

#include <doctest/doctest.h>

using kring::close_mode;
using kring::staff_role;
using kring::session_test::flag;
using kring::session_test::inner;
using kring::session_test::kinds;
using kring::session_test::number;
using kring::session_test::session_harness;
using kring::session_test::strings;
using kring::session_test::test_client;
using kring::session_test::text;
namespace json = boost::json;

namespace {

std::string const amal_device = "amal-device-key-0001";

// A moderator of `demo` (sara) and two participants (amal with a device
// key, badr) in it, with everything they were sent so far taken.
struct circle {
    session_harness h;
    test_client& sara;
    test_client& amal;
    test_client& badr;
    std::string sara_token;

    circle()
        : sara(h.hello())
        , amal(h.hello(amal_device))
        , badr(h.hello())
    {
        h.add_staff("sara", staff_role::moderator, {"demo"});
        sara_token = h.log_in(sara, "sara");
        h.join(sara, "demo");
        h.join(amal, "demo");
        h.join(badr, "demo");
        take_all();
    }

    void take_all()
    {
        for (auto* c : {&sara, &amal, &badr})
            c->take();
    }

    // What `who` says in demo; returns the message's id.
    std::string say(test_client& who, std::string const& words)
    {
        h.send(who, {{"type", "say"}, {"room", "demo"}, {"text", words}});
        auto const got = who.take();
        REQUIRE(kinds(got) == strings{"message"});
        take_all();
        return text(got[0], "id");
    }
};

// The last frame is the `ok` that answers `ref`.
void check_ok(std::vector<json::object> const& got, std::string const& ref)
{
    REQUIRE_FALSE(got.empty());
    CHECK(text(got.back(), "type") == "ok");
    CHECK(text(got.back(), "ref") == ref);
}

// The one frame the member got, of `type`, about demo.
json::object only_event(test_client& member, std::string const& type)
{
    auto const got = member.take();
    REQUIRE(kinds(got) == strings{type});
    CHECK(text(got[0], "room") == "demo");
    return got[0];
}

kring::audit_entry last_row(session_harness& h)
{
    auto const rows = h.audit_rows();
    REQUIRE_FALSE(rows.empty());
    return rows.back();
}

} // namespace

TEST_CASE("a moderator's action is answered ok with its ref, announced to the room, and audited")
{
    circle c;
    auto& h = c.h;

    SUBCASE("mute: the member's say gets muted, and only the member and the moderators are told")
    {
        h.send(c.sara, {{"type", "mute"}, {"room", "demo"}, {"member", c.amal.id}, {"minutes", 10}, {"ref", "m1"}});
        auto const got = c.sara.take();
        CHECK(kinds(got) == strings{"muted", "ok"});
        check_ok(got, "m1");
        CHECK(c.badr.take().empty());
        auto const event = only_event(c.amal, "muted");
        CHECK(text(event, "member") == c.amal.id);
        CHECK(number(event, "until") > kring::now_ms() + 9 * 60'000);
        auto const row = last_row(h);
        CHECK(row.action == "mute");
        CHECK(row.actor == "sara");
        CHECK(row.room == "demo");
        CHECK(row.target == c.amal.id);
        CHECK(row.detail == "minutes=10");

        h.send(c.amal, {{"type", "say"}, {"room", "demo"}, {"text", "but"}});
        CHECK(kinds(c.amal.take()) == strings{"error muted"});
    }
    SUBCASE("remove: the member is out of the room and may come back")
    {
        h.send(c.sara,
               {{"type", "remove"}, {"room", "demo"}, {"member", c.amal.id}, {"reason", "a break"}, {"ref", "r1"}});
        auto const got = c.sara.take();
        CHECK(kinds(got) == strings{"removed", "ok"});
        check_ok(got, "r1");
        auto const event = only_event(c.badr, "removed");
        CHECK(text(event, "member") == c.amal.id);
        CHECK(text(event, "reason") == "a break");
        CHECK(kinds(c.amal.take()) == strings{"removed"});
        auto const row = last_row(h);
        CHECK(row.action == "remove");
        CHECK(row.target == c.amal.id);
        CHECK(row.detail == "a break");

        h.send(c.amal, {{"type", "say"}, {"room", "demo"}, {"text", "hello?"}});
        CHECK(kinds(c.amal.take()) == strings{"error not_in_room"});
        h.send(c.amal, {{"type", "join"}, {"room", "demo"}});
        CHECK(kinds(c.amal.take()) == strings{"joined"});
    }
    SUBCASE("delete: the message is gone for later joiners too")
    {
        auto const message = c.say(c.badr, "something unkind");
        h.send(c.sara, {{"type", "delete"}, {"room", "demo"}, {"message", message}, {"ref", "d1"}});
        auto const got = c.sara.take();
        CHECK(kinds(got) == strings{"deleted", "ok"});
        check_ok(got, "d1");
        CHECK(text(only_event(c.amal, "deleted"), "message") == message);
        auto const row = last_row(h);
        CHECK(row.action == "delete");
        CHECK(row.target == message);

        auto& late = h.hello();
        h.send(late, {{"type", "join"}, {"room", "demo"}});
        auto const joined = late.take();
        REQUIRE(kinds(joined) == strings{"joined"});
        CHECK(joined[0].at("history").as_array().empty());
    }
    SUBCASE("pin: the room sees the pinned message and who pinned it")
    {
        auto const message = c.say(c.badr, "Welcome, everyone");
        h.send(c.sara, {{"type", "pin"}, {"room", "demo"}, {"message", message}, {"ref", "p1"}});
        auto const got = c.sara.take();
        CHECK(kinds(got) == strings{"pinned", "ok"});
        check_ok(got, "p1");
        auto const event = only_event(c.amal, "pinned");
        CHECK(text(event, "message") == message);
        CHECK(text(event, "text") == "Welcome, everyone");
        CHECK(text(event, "by") == "sara");
        auto const row = last_row(h);
        CHECK(row.action == "pin");
        CHECK(row.target == message);
    }
    SUBCASE("lock: a newcomer's join gets locked")
    {
        h.send(c.sara, {{"type", "lock"}, {"room", "demo"}, {"ref", "k1"}});
        auto const got = c.sara.take();
        CHECK(kinds(got) == strings{"room_state", "ok"});
        check_ok(got, "k1");
        CHECK(flag(only_event(c.badr, "room_state"), "locked"));
        CHECK(last_row(h).action == "lock");

        auto& late = h.hello();
        h.send(late, {{"type", "join"}, {"room", "demo"}});
        CHECK(kinds(late.take()) == strings{"error locked"});
    }
    SUBCASE("room_set slow: a participant's second message waits")
    {
        h.send(c.sara, {{"type", "room_set"}, {"room", "demo"}, {"slow", 30}, {"ref", "s1"}});
        auto const got = c.sara.take();
        CHECK(kinds(got) == strings{"room_state", "ok"});
        check_ok(got, "s1");
        CHECK(number(only_event(c.badr, "room_state"), "slow") == 30);
        auto const row = last_row(h);
        CHECK(row.action == "room_set");
        CHECK(row.detail.starts_with("slow=30"));

        c.say(c.badr, "one");
        h.send(c.badr, {{"type", "say"}, {"room", "demo"}, {"text", "two"}});
        auto const refused = c.badr.take();
        REQUIRE(kinds(refused) == strings{"error slow_mode"});
        CHECK(number(refused[0], "seconds") > 0);
        CHECK(number(refused[0], "seconds") <= 30);
    }
    SUBCASE("ban: a durable ban on the device's keyed hash, and the member removed")
    {
        h.send(c.sara, {{"type", "ban"}, {"room", "demo"}, {"member", c.amal.id}, {"scope", "room"},
                        {"reason", "threats"}, {"ref", "b1"}});
        auto const got = c.sara.take();
        CHECK(kinds(got) == strings{"banned", "ok"});
        check_ok(got, "b1");
        auto const event = only_event(c.badr, "banned");
        CHECK(text(event, "member") == c.amal.id);
        CHECK(text(event, "scope") == "room");
        CHECK(kinds(c.amal.take()) == strings{"banned"});

        auto const stored = h.database.active_bans(kring::now_ms());
        REQUIRE(stored.size() == 1);
        CHECK(stored[0].room == "demo");
        CHECK(stored[0].device == kring::keyed_hash(h.database.server_secret(), amal_device));
        CHECK_FALSE(stored[0].address);
        CHECK_FALSE(stored[0].expires_at_ms);
        CHECK(stored[0].reason == "threats");
        CHECK(stored[0].by == "sara");
        auto const row = last_row(h);
        CHECK(row.action == "ban");
        CHECK(row.target == c.amal.id);
        CHECK(row.detail == "scope=room");

        CHECK(h.rooms.find("demo")->member_count() == 2);
        h.send(c.amal, {{"type", "join"}, {"room", "demo"}});
        CHECK(kinds(c.amal.take()) == strings{"error banned"});
        auto& same_device = h.hello(amal_device);
        h.send(same_device, {{"type", "join"}, {"room", "demo"}});
        CHECK(kinds(same_device.take()) == strings{"error banned"});
    }
}

TEST_CASE("an admin can still act in a circle archived while people are in it")
{
    circle c;
    auto& h = c.h;
    h.add_staff("ada", staff_role::admin);
    auto& ada = h.hello();
    h.log_in(ada, "ada");
    REQUIRE(h.database.archive_room("demo"));

    h.send(ada, {{"type", "mute"}, {"room", "demo"}, {"member", c.amal.id}, {"ref", "m1"}});
    check_ok(ada.take(), "m1");
    CHECK(text(only_event(c.amal, "muted"), "member") == c.amal.id);
    CHECK(last_row(h).action == "mute");
    c.take_all();

    SUBCASE("a ban")
    {
        h.send(ada, {{"type", "ban"}, {"room", "demo"}, {"member", c.badr.id}, {"scope", "room"}, {"ref", "b1"}});
        auto const answer = ada.take();
        CAPTURE(kinds(answer));
        check_ok(answer, "b1");
        CHECK(last_row(h).action == "ban");
        CHECK(kinds(c.badr.take()) == strings{"banned"});
    }
    SUBCASE("ending it, after which nobody joins it again")
    {
        h.send(ada, {{"type", "end"}, {"room", "demo"}, {"ref", "e1"}});
        check_ok(ada.take(), "e1");
        CHECK(kinds(c.amal.take()) == strings{"ended"});
        h.send(c.amal, {{"type", "join"}, {"room", "demo"}, {"ref", "j1"}});
        CHECK(kinds(c.amal.take()) == strings{"error no_such_room"});
    }
}

TEST_CASE("a participant's moderation request is forbidden and audits nothing")
{
    circle c;
    auto& h = c.h;
    auto const rows_before = h.audit_rows().size();

    h.send(c.badr, {{"type", "mute"}, {"room", "demo"}, {"member", c.amal.id}, {"ref", "m1"}});
    auto const got = c.badr.take();
    REQUIRE(kinds(got) == strings{"error forbidden"});
    CHECK(text(got[0], "ref") == "m1");
    CHECK(h.audit_rows().size() == rows_before);
    CHECK(c.amal.take().empty());
    CHECK(c.sara.take().empty());
    c.say(c.amal, "still speaking");
}

TEST_CASE("a moderator may not ban in a room they do not keep, nor from the whole server")
{
    circle c;
    auto& h = c.h;
    json::object ban{{"type", "ban"}, {"room", "demo"}, {"member", c.amal.id}, {"scope", "room"}, {"ref", "b1"}};
    auto const nothing_happened = [&] {
        CHECK(h.database.active_bans(kring::now_ms()).empty());
        CHECK(last_row(h).action == "login"); // the last thing audited: no ban
        CHECK(c.amal.take().empty());
        CHECK(h.rooms.find("demo")->member_count() == 3);
    };

    SUBCASE("a room ban by a moderator of another room")
    {
        h.add_room("garden");
        h.add_staff("omar", staff_role::moderator, {"garden"});
        auto& omar = h.hello();
        h.log_in(omar, "omar");
        h.send(omar, ban);
        CHECK(kinds(omar.take()) == strings{"error forbidden"});
        nothing_happened();
    }
    SUBCASE("a server-wide ban by a moderator")
    {
        ban["scope"] = "server";
        h.send(c.sara, ban);
        CHECK(kinds(c.sara.take()) == strings{"error forbidden"});
        nothing_happened();
    }
    SUBCASE("an admin's server-wide ban is ok, and bans from every room")
    {
        h.add_staff("root", staff_role::admin);
        auto& root = h.hello();
        h.log_in(root, "root");
        ban["scope"] = "server";
        h.send(root, ban);
        CHECK(kinds(root.take()) == strings{"ok"});
        auto const stored = h.database.active_bans(kring::now_ms());
        REQUIRE(stored.size() == 1);
        CHECK_FALSE(stored[0].room);
        CHECK(text(only_event(c.badr, "banned"), "scope") == "server");
    }
}

TEST_CASE("a moderator whose login was revoked meanwhile gets auth_failed on the next action and is closed with 4003")
{
    circle c;
    auto& h = c.h;
    h.database.revoke_token(kring::sha256(c.sara_token), {kring::now_ms(), "sara", "logout", "", "sara", ""});
    auto const rows_before = h.audit_rows().size();

    h.send(c.sara, {{"type", "mute"}, {"room", "demo"}, {"member", c.amal.id}, {"ref", "m1"}});
    auto const got = c.sara.take();
    REQUIRE(kinds(got) == strings{"error auth_failed"});
    CHECK(text(got[0], "ref") == "m1");
    REQUIRE(c.sara.link->closes.size() == 1);
    CHECK(c.sara.link->closes[0].code == 4003);
    CHECK(c.sara.link->closes[0].mode == close_mode::after_queued);
    CHECK(h.audit_rows().size() == rows_before);

    auto const left = only_event(c.badr, "member_left");
    CHECK(text(left, "id") == c.sara.id);
    c.amal.take();
    c.say(c.amal, "not muted");

    h.send(c.sara, {{"type", "ping"}});
    CHECK(c.sara.take().empty()); // closing: nothing more is acted on
}

TEST_CASE("a report reaches the room's moderator and the store, once per message")
{
    circle c;
    auto& h = c.h;
    auto const message = c.say(c.badr, "you are worthless");

    h.send(c.amal,
           {{"type", "report"}, {"room", "demo"}, {"message", message}, {"reason", "insulting"}, {"ref", "r1"}});
    auto const got = c.amal.take();
    REQUIRE(kinds(got) == strings{"ok"});
    CHECK(text(got[0], "ref") == "r1");

    auto const alert = c.sara.take();
    REQUIRE(kinds(alert) == strings{"report"});
    auto const& report = inner(alert[0], "report");
    CHECK(text(report, "room") == "demo");
    CHECK(text(report, "message") == message);
    CHECK(text(report, "text") == "you are worthless");
    CHECK(text(report, "author") == c.badr.id);
    CHECK(text(report, "author_name") == c.badr.name);
    CHECK(text(report, "reason") == "insulting");
    CHECK(c.badr.take().empty());

    auto const stored = h.database.open_reports("demo");
    REQUIRE(stored.size() == 1);
    CHECK(stored[0].id == number(report, "id"));
    CHECK(stored[0].message_text == "you are worthless");
    CHECK(stored[0].reporter_id == c.amal.id);
    CHECK(stored[0].author_id == c.badr.id);
    auto const row = last_row(h);
    CHECK(row.action == "report");
    CHECK(row.target == std::to_string(stored[0].id));

    SUBCASE("a second report of the same message is ok and not stored again")
    {
        h.send(c.amal, {{"type", "report"}, {"room", "demo"}, {"message", message}, {"ref", "r2"}});
        auto const again = c.amal.take();
        REQUIRE(kinds(again) == strings{"ok"});
        CHECK(text(again[0], "ref") == "r2");
        CHECK(h.database.open_reports("demo").size() == 1);
        CHECK(c.sara.take().empty());
    }
}
