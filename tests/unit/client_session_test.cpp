#include "session_harness.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using kring::close_mode;
using kring::staff_role;
using kring::session_test::flag;
using kring::session_test::inner;
using kring::session_test::kinds;
using kring::session_test::number;
using kring::session_test::session_harness;
using kring::session_test::strings;
using kring::session_test::text;
namespace json = boost::json;

namespace {

strings member_ids(json::object const& joined)
{
    strings out;
    for (auto const& m : joined.at("members").as_array())
        out.push_back(text(m.as_object(), "id"));
    return out;
}

std::vector<std::int64_t> history_seqs(json::object const& joined)
{
    std::vector<std::int64_t> out;
    for (auto const& m : joined.at("history").as_array())
        out.push_back(number(m.as_object(), "seq"));
    return out;
}

bool has_action(std::vector<kring::audit_entry> const& rows, std::string const& action)
{
    return std::any_of(rows.begin(), rows.end(), [&](auto const& row) { return row.action == action; });
}

} // namespace

TEST_CASE("before hello every message gets hello_required, and frames that are not JSON text are refused")
{
    session_harness h;
    auto& amal = h.connect();

    SUBCASE("a join, a say and a ping get hello_required, with their ref")
    {
        h.send(amal, {{"type", "join"}, {"room", "demo"}, {"ref", "j1"}});
        h.send(amal, {{"type", "say"}, {"room", "demo"}, {"text", "hi"}});
        h.send(amal, {{"type", "ping"}, {"ref", "p1"}});
        auto const got = amal.take();
        CHECK(kinds(got) == strings{"error hello_required", "error hello_required", "error hello_required"});
        CHECK(text(got[0], "ref") == "j1");
        CHECK(text(got[2], "ref") == "p1");
        CHECK(h.rooms.find("demo") == nullptr); // nothing reached a room
    }
    SUBCASE("a binary frame gets binary_frame")
    {
        h.send_raw(amal, R"({"type":"hello","v":1})", true);
        CHECK(kinds(amal.take()) == strings{"error binary_frame"});
    }
    SUBCASE("bad JSON gets bad_json and the session goes on")
    {
        h.send_raw(amal, R"({"type":"hello",)");
        CHECK(kinds(amal.take()) == strings{"error bad_json"});
        h.send(amal, {{"type", "hello"}, {"v", 1}});
        CHECK(kinds(amal.take()) == strings{"welcome"});
    }
    CHECK(amal.link->closes.empty());
}

TEST_CASE("hello is answered by a welcome with a new identity, once")
{
    session_harness h;
    auto& amal = h.connect();

    SUBCASE("the welcome has an id, a name, a token, the participant role and resumed false")
    {
        h.send(amal, {{"type", "hello"}, {"v", 1}});
        auto const got = amal.take();
        REQUIRE(kinds(got) == strings{"welcome"});
        auto const& welcome = got[0];
        CHECK(number(welcome, "v") == 1);
        CHECK(text(welcome, "id").size() == 15);
        CHECK_FALSE(text(welcome, "name").empty());
        CHECK(text(welcome, "token").size() == 43);
        CHECK_FALSE(flag(welcome, "resumed"));
        CHECK(text(welcome, "role") == "participant");
        CHECK(number(inner(welcome, "limits"), "rooms") == 8);
        CHECK(h.participants.size() == 1);
    }
    SUBCASE("a second hello gets already_welcomed and keeps the identity")
    {
        h.send(amal, {{"type", "hello"}, {"v", 1}});
        amal.take();
        h.send(amal, {{"type", "hello"}, {"v", 1}, {"ref", "h2"}});
        auto const second = amal.take();
        REQUIRE(kinds(second) == strings{"error already_welcomed"});
        CHECK(text(second[0], "ref") == "h2");
        CHECK(h.participants.size() == 1);
    }
    SUBCASE("version 2 gets unsupported_version and no identity")
    {
        h.send(amal, {{"type", "hello"}, {"v", 2}});
        CHECK(kinds(amal.take()) == strings{"error unsupported_version"});
        CHECK(h.participants.size() == 0);
        h.send(amal, {{"type", "ping"}});
        CHECK(kinds(amal.take()) == strings{"error hello_required"});
    }
}

TEST_CASE("join seats the client with the room and its members, and tells the others")
{
    session_harness h;
    auto& amal = h.hello();
    auto& badr = h.hello();
    h.join(amal, "demo");

    h.send(badr, {{"type", "join"}, {"room", "demo"}, {"name", "Badr"}});
    auto const got = badr.take();
    REQUIRE(kinds(got) == strings{"joined"});
    auto const& joined = got[0];
    CHECK(text(inner(joined, "room"), "slug") == "demo");
    CHECK(text(inner(joined, "room"), "title") == "Demo circle");
    CHECK(number(inner(joined, "room"), "capacity") == 12);
    CHECK(text(inner(joined, "you"), "id") == badr.id);
    CHECK(text(inner(joined, "you"), "name") == "Badr");
    CHECK(text(inner(joined, "you"), "role") == "participant");
    CHECK(member_ids(joined) == strings{amal.id, badr.id});
    CHECK(number(joined, "seq") == 0);

    auto const seen = amal.take();
    REQUIRE(kinds(seen) == strings{"member_joined"});
    CHECK(text(inner(seen[0], "member"), "id") == badr.id);
    CHECK(text(inner(seen[0], "member"), "name") == "Badr");
}

TEST_CASE("join of a slug the store lacks gets no_such_room")
{
    session_harness h;
    auto& amal = h.hello();
    h.send(amal, {{"type", "join"}, {"room", "nowhere"}, {"ref", "j1"}});
    auto const got = amal.take();
    REQUIRE(kinds(got) == strings{"error no_such_room"});
    CHECK(text(got[0], "ref") == "j1");
    CHECK(h.rooms.find("nowhere") == nullptr);
}

TEST_CASE("a room with an access code refuses a wrong code with bad_code and admits the right one")
{
    session_harness h;
    h.add_room("quiet", "blue door");
    auto& amal = h.hello();

    h.send(amal, {{"type", "join"}, {"room", "quiet"}});
    h.send(amal, {{"type", "join"}, {"room", "quiet"}, {"code", "red door"}});
    CHECK(kinds(amal.take()) == strings{"error bad_code", "error bad_code"});
    h.send(amal, {{"type", "join"}, {"room", "quiet"}, {"code", "blue door"}});
    auto const got = amal.take();
    REQUIRE(kinds(got) == strings{"joined"});
    CHECK(text(inner(got[0], "room"), "slug") == "quiet");
}

TEST_CASE("a device banned from a room gets banned when it joins that room")
{
    session_harness h;
    h.add_room("garden");
    std::string const device = "banned-device-key-01";
    kring::ban_record ban;
    ban.room = "demo";
    ban.device = kring::keyed_hash(h.database.server_secret(), device);
    ban.by = "sara";
    ban.created_at_ms = kring::now_ms();
    h.database.add_ban(ban, {ban.created_at_ms, "sara", "ban", "demo", "p-1", "scope=room"});
    h.reload_bans();

    auto& banned = h.hello(device);
    h.send(banned, {{"type", "join"}, {"room", "demo"}, {"ref", "j1"}});
    auto const got = banned.take();
    REQUIRE(kinds(got) == strings{"error banned"});
    CHECK(text(got[0], "ref") == "j1");
    CHECK(h.rooms.find("demo")->member_count() == 0);

    h.send(banned, {{"type", "join"}, {"room", "garden"}});
    CHECK(kinds(banned.take()) == strings{"joined"}); // a room ban holds in its room only

    auto& other = h.hello("another-device-key-2");
    h.send(other, {{"type", "join"}, {"room", "demo"}});
    CHECK(kinds(other.take()) == strings{"joined"});
}

TEST_CASE("a join past max_rooms gets too_many_rooms")
{
    session_harness h;
    h.settings.max_rooms = 2;
    h.add_room("garden");
    h.add_room("harbour");
    auto& amal = h.hello();
    h.join(amal, "demo");
    h.join(amal, "garden");

    h.send(amal, {{"type", "join"}, {"room", "harbour"}, {"ref", "j3"}});
    auto const got = amal.take();
    REQUIRE(kinds(got) == strings{"error too_many_rooms"});
    CHECK(text(got[0], "ref") == "j3");
    CHECK(h.rooms.find("harbour") == nullptr);
}

TEST_CASE("hello with another connection's token resumes the identity there and closes the first with 4002")
{
    session_harness h;
    auto& amal = h.hello();
    auto& badr = h.hello();
    h.join(amal, "demo");
    h.join(badr, "demo");
    h.send(amal, {{"type", "say"}, {"room", "demo"}, {"text", "first"}});
    h.send(badr, {{"type", "say"}, {"room", "demo"}, {"text", "second"}});
    h.send(badr, {{"type", "say"}, {"room", "demo"}, {"text", "third"}});
    amal.take();
    badr.take();

    auto& again = h.connect();
    h.send(again, {{"type", "hello"}, {"v", 1}, {"resume", amal.token}, {"since", json::object{{"demo", 1}}}});
    auto const got = again.take();
    REQUIRE(kinds(got) == strings{"welcome", "joined"});
    CHECK(flag(got[0], "resumed"));
    CHECK(text(got[0], "id") == amal.id);
    CHECK(text(got[0], "name") == amal.name);
    CHECK(text(got[0], "token") == amal.token);
    auto const& joined = got[1];
    CHECK(text(inner(joined, "room"), "slug") == "demo");
    CHECK(text(inner(joined, "you"), "id") == amal.id);
    CHECK(member_ids(joined) == strings{amal.id, badr.id});
    CHECK(history_seqs(joined) == std::vector<std::int64_t>{2, 3});
    CHECK(number(joined, "seq") == 3);
    CHECK_FALSE(joined.contains("gap"));

    REQUIRE(amal.link->closes.size() == 1);
    CHECK(amal.link->closes[0].code == 4002);
    CHECK(amal.link->closes[0].mode == close_mode::drop_queued);
    CHECK(badr.take().empty()); // the room sees no leave and no join

    SUBCASE("the room's messages go to the new connection only")
    {
        h.send(badr, {{"type", "say"}, {"room", "demo"}, {"text", "fourth"}});
        CHECK(kinds(again.take()) == strings{"message"});
        CHECK(amal.take().empty());
    }
    SUBCASE("the first connection's end does not end the identity")
    {
        h.hang_up(amal);
        h.send(badr, {{"type", "say"}, {"room", "demo"}, {"text", "fifth"}});
        CHECK(kinds(badr.take()) == strings{"message"});
        CHECK(kinds(again.take()) == strings{"message"});
        CHECK(h.rooms.find("demo")->member_count() == 2);
    }
}

TEST_CASE("login with the right password gives logged_in, an audit row and a token in the store")
{
    session_harness h;
    h.add_staff("sara", staff_role::moderator, {"demo"});
    auto& sara = h.hello();

    h.send(sara, {{"type", "login"}, {"user", "sara"}, {"password", kring::session_test::staff_password}});
    auto const got = sara.take();
    REQUIRE(kinds(got) == strings{"logged_in"});
    auto const& logged_in = got[0];
    CHECK(text(logged_in, "role") == "moderator");
    CHECK(text(logged_in, "name") == "sara");
    CHECK(json::serialize(logged_in.at("rooms")) == R"(["demo"])");
    CHECK(number(logged_in, "expires") > kring::now_ms());

    auto const staff = h.database.staff_for_token(kring::sha256(text(logged_in, "token")), kring::now_ms());
    REQUIRE(staff);
    CHECK(staff->name == "sara");
    auto const rows = h.audit_rows();
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].action == "login");
    CHECK(rows[0].actor == "sara");
    CHECK(rows[0].target == "sara");

    h.send(sara, {{"type", "join"}, {"room", "demo"}});
    auto const joined = sara.take();
    REQUIRE(kinds(joined) == strings{"joined"});
    CHECK(text(inner(joined[0], "you"), "role") == "moderator");
    CHECK(text(inner(joined[0], "you"), "name") == "sara");
}

TEST_CASE("login with a wrong password or an unknown name gets auth_failed and a login_failed row")
{
    session_harness h;
    h.add_staff("sara", staff_role::moderator, {"demo"});
    auto& sara = h.hello();

    SUBCASE("a wrong password")
    {
        h.send(sara, {{"type", "login"}, {"user", "sara"}, {"password", "guess"}, {"ref", "l1"}});
        auto const got = sara.take();
        REQUIRE(kinds(got) == strings{"error auth_failed"});
        CHECK(text(got[0], "ref") == "l1");
        auto const rows = h.audit_rows();
        REQUIRE(rows.size() == 1);
        CHECK(rows[0].action == "login_failed");
        CHECK(rows[0].target == "sara");
    }
    SUBCASE("an unknown name, which is not written down")
    {
        h.send(sara, {{"type", "login"}, {"user", "nobody"}, {"password", "guess"}});
        CHECK(kinds(sara.take()) == strings{"error auth_failed"});
        auto const rows = h.audit_rows();
        REQUIRE(rows.size() == 1);
        CHECK(rows[0].action == "login_failed");
        CHECK(rows[0].target == "(unknown name)");
    }
    h.send(sara, {{"type", "join"}, {"room", "demo"}});
    auto const joined = sara.take();
    REQUIRE(kinds(joined) == strings{"joined"});
    CHECK(text(inner(joined[0], "you"), "role") == "participant");
}

TEST_CASE("login while in a room is forbidden")
{
    session_harness h;
    h.add_staff("sara", staff_role::moderator, {"demo"});
    auto& sara = h.hello();
    h.join(sara, "demo");

    h.send(sara, {{"type", "login"}, {"user", "sara"}, {"password", kring::session_test::staff_password}, {"ref", "l1"}});
    auto const got = sara.take();
    REQUIRE(kinds(got) == strings{"error forbidden"});
    CHECK(text(got[0], "ref") == "l1");
    CHECK(h.audit_rows().empty());
}

TEST_CASE("hello with a login token logs in while the token holds, and gets auth_failed once it is revoked")
{
    session_harness h;
    h.add_staff("sara", staff_role::moderator, {"demo"});
    auto const token = h.log_in(h.hello(), "sara");

    auto& later = h.connect();
    h.send(later, {{"type", "hello"}, {"v", 1}, {"auth", token}});
    auto const welcomed = later.take();
    REQUIRE(kinds(welcomed) == strings{"welcome"});
    CHECK(text(welcomed[0], "role") == "moderator");

    h.database.revoke_token(kring::sha256(token), {kring::now_ms(), "cli", "logout", "", "sara", ""});
    auto& revoked = h.connect();
    h.send(revoked, {{"type", "hello"}, {"v", 1}, {"auth", token}, {"ref", "h1"}});
    auto const got = revoked.take();
    REQUIRE(kinds(got) == strings{"error auth_failed"});
    CHECK(text(got[0], "ref") == "h1");
    h.send(revoked, {{"type", "ping"}});
    CHECK(kinds(revoked.take()) == strings{"error hello_required"}); // no identity at all
}

TEST_CASE("logout gives logged_out, revokes the token and closes with 1000 after the queued frames")
{
    session_harness h;
    h.add_staff("sara", staff_role::moderator, {"demo"});
    auto& sara = h.hello();
    auto const token = h.log_in(sara, "sara");

    h.send(sara, {{"type", "logout"}, {"ref", "o1"}});
    CHECK(kinds(sara.take()) == strings{"logged_out"});
    REQUIRE(sara.link->closes.size() == 1);
    CHECK(sara.link->closes[0].code == 1000);
    CHECK(sara.link->closes[0].mode == close_mode::after_queued);
    CHECK(sara.link->closes[0].frames_before == sara.link->frames.size());
    CHECK_FALSE(h.database.staff_for_token(kring::sha256(token), kring::now_ms()));
    CHECK(has_action(h.audit_rows(), "logout"));

    h.send(sara, {{"type", "ping"}});
    CHECK(sara.take().empty()); // closing: nothing more is acted on
}
