#include "session_harness.hpp"

#include <doctest/doctest.h>

using kring::password_kind;
using kring::staff_role;
using kring::session_test::inner;
using kring::session_test::kinds;
using kring::session_test::number;
using kring::session_test::session_harness;
using kring::session_test::staff_password;
using kring::session_test::strings;
using kring::session_test::test_client;
using kring::session_test::text;

namespace json = boost::json;

namespace {

std::string const her_own = "a passphrase of her own";

json::object set_password(std::string const& password, std::optional<std::string> const& current = std::nullopt)
{
    json::object out{{"type", "set_password"}, {"password", password}, {"ref", "p1"}};
    if (current)
        out["current"] = *current;
    return out;
}

std::vector<std::string> actions(session_harness& h)
{
    std::vector<std::string> out;
    for (auto const& row : h.audit_rows())
        out.push_back(row.action);
    return out;
}

// Sara, whose password the command line handed over, logged in with it on one connection.
struct handed_over {
    session_harness h;
    test_client& sara;

    handed_over()
        : sara(h.hello())
    {
        h.add_staff("sara", staff_role::moderator, {"demo"}, password_kind::one_time);
        h.try_login(sara, "sara", staff_password);
    }

    // The reason of the `bad_password` that answered a new password.
    std::string refusal_of(std::string const& password)
    {
        h.send(sara, set_password(password));
        auto const got = sara.take();
        REQUIRE(kinds(got) == strings{"error bad_password"});
        CHECK(text(got[0], "ref") == "p1");
        CHECK(number(got[0], "min_length") == static_cast<std::int64_t>(h.settings.min_password_length));
        CHECK(number(got[0], "max_length") == static_cast<std::int64_t>(h.settings.max_password_length));
        return text(got[0], "reason");
    }

    // Sara can still do nothing but choose.
    void still_waits()
    {
        h.send(sara, {{"type", "join"}, {"room", "demo"}});
        CHECK(kinds(sara.take()) == strings{"error password_change_required"});
    }
};

} // namespace

TEST_CASE("a login with a one-time password only asks for a new one: no rights, no token")
{
    handed_over t;
    auto const got = t.sara.take();
    REQUIRE(kinds(got) == strings{"choose_password"});
    CHECK(text(got[0], "name") == "sara");
    CHECK(number(got[0], "min_length") == 12);
    CHECK(number(got[0], "max_length") == 256);
    CHECK(actions(t.h) == strings{"login_one_time_password"}); // no "login": no token was stored

    // Nothing but set_password, logout and ping is acted on meanwhile.
    std::vector<json::object> const refused{
        {{"type", "join"}, {"room", "demo"}},
        {{"type", "reports"}},
        {{"type", "lock"}, {"room", "demo"}},
        {{"type", "login"}, {"user", "sara"}, {"password", staff_password}},
        {{"type", "say"}, {"room", "demo"}, {"text", "hello"}},
    };
    for (auto const& message : refused) {
        t.h.send(t.sara, message);
        CHECK(kinds(t.sara.take()) == strings{"error password_change_required"});
    }
    t.h.send(t.sara, {{"type", "ping"}});
    CHECK(kinds(t.sara.take()) == strings{"pong"});
    CHECK(actions(t.h) == strings{"login_one_time_password"});
    CHECK_FALSE(t.h.participants.staff_token_of(t.sara.token).has_value()); // a participant, still
}

TEST_CASE("set_password after a one-time password makes it a login, and only the new password works after")
{
    handed_over t;
    t.sara.take();
    t.h.send(t.sara, set_password(her_own));
    auto const got = t.sara.take();
    REQUIRE(kinds(got) == strings{"logged_in"});
    CHECK(text(got[0], "role") == "moderator");
    CHECK(text(got[0], "name") == "sara");
    auto const token = text(got[0], "token");
    CHECK(t.h.database.staff_for_token(kring::sha256(token), kring::now_ms()).has_value());
    CHECK(t.h.database.find_staff("sara")->kind == password_kind::chosen);
    CHECK(actions(t.h) == strings{"login_one_time_password", "password_change", "login"});
    auto const change = t.h.audit_rows()[1];
    CHECK(change.actor == "sara");
    CHECK(change.target == "sara");
    CHECK(change.detail == "one_time_password");

    t.h.send(t.sara, {{"type", "join"}, {"room", "demo"}});
    auto const joined = t.sara.take();
    REQUIRE(kinds(joined) == strings{"joined"});
    CHECK(text(inner(joined[0], "you"), "role") == "moderator");

    auto& again = t.h.hello();
    t.h.try_login(again, "sara", staff_password);
    CHECK(kinds(again.take()) == strings{"error auth_failed"});
    t.h.try_login(again, "sara", her_own);
    CHECK(kinds(again.take()) == strings{"logged_in"}); // a chosen password: no question this time
}

TEST_CASE("a new password that breaks a rule gets bad_password with its reason, and she still has to choose")
{
    handed_over t;
    t.sara.take();
    SUBCASE("shorter than the minimum, counted in characters")
    {
        CHECK(t.refusal_of(std::string(11, 'x')) == "too_short");
        std::string eleven_accented;
        for (int i = 0; i < 11; ++i)
            eleven_accented += "\xC3\xA9"; // 22 bytes, 11 characters
        CHECK(t.refusal_of(eleven_accented) == "too_short");
    }
    SUBCASE("longer than the maximum")
    {
        CHECK(t.refusal_of(std::string(257, 'x')) == "too_long");
    }
    SUBCASE("her name in it, in any case")
    {
        CHECK(t.refusal_of("my name is SaRa, hello") == "contains_name");
    }
    SUBCASE("the one-time password again")
    {
        CHECK(t.refusal_of(staff_password) == "unchanged");
    }
    SUBCASE("past even the protocol's limit for a password")
    {
        t.h.send(t.sara, set_password(std::string(1025, 'x')));
        CHECK(kinds(t.sara.take()) == strings{"error too_long"});
    }
    t.still_waits();
    CHECK(t.h.database.find_staff("sara")->kind == password_kind::one_time);
    CHECK(actions(t.h) == strings{"login_one_time_password"});
}

TEST_CASE("the shortest and longest new password are the server's settings")
{
    handed_over t;
    t.h.settings.min_password_length = 16;
    t.h.settings.max_password_length = 64;
    t.sara.take();
    CHECK(t.refusal_of(std::string(15, 'x')) == "too_short");
    CHECK(t.refusal_of(std::string(65, 'x')) == "too_long");
    t.h.send(t.sara, set_password(std::string(16, 'x')));
    CHECK(kinds(t.sara.take()) == strings{"logged_in"});

    auto& omar_connection = t.h.hello();
    t.h.add_staff("omar", staff_role::moderator, {}, password_kind::one_time);
    t.h.send(omar_connection, {{"type", "login"}, {"user", "omar"}, {"password", staff_password}});
    auto const asked = omar_connection.take();
    REQUIRE(kinds(asked) == strings{"choose_password"});
    CHECK(number(asked[0], "min_length") == 16);
    CHECK(number(asked[0], "max_length") == 64);
    t.h.send(omar_connection, set_password(std::string(64, 'y')));
    CHECK(kinds(omar_connection.take()) == strings{"logged_in"});
}

TEST_CASE("a name of one or two letters is not looked for in a password")
{
    session_harness h;
    h.add_staff("bo", staff_role::moderator, {}, password_kind::one_time);
    auto& bo = h.hello();
    h.send(bo, {{"type", "login"}, {"user", "bo"}, {"password", staff_password}});
    REQUIRE(kinds(bo.take()) == strings{"choose_password"});
    h.send(bo, set_password("about a boat on the lake"));
    CHECK(kinds(bo.take()) == strings{"logged_in"});
}

TEST_CASE("logout while choosing a new password goes back to the start")
{
    handed_over t;
    t.sara.take();
    t.h.send(t.sara, {{"type", "logout"}});
    CHECK(kinds(t.sara.take()) == strings{"logged_out"});
    REQUIRE(t.sara.link->closes.size() == 1);
    CHECK(t.sara.link->closes[0].code == 1000);
    CHECK(t.h.database.find_staff("sara")->kind == password_kind::one_time);

    auto& again = t.h.hello();
    t.h.try_login(again, "sara", staff_password);
    CHECK(kinds(again.take()) == strings{"choose_password"}); // still one-time, still only that
}

TEST_CASE("a password reset from the command line while she chooses wins, and her choice is refused")
{
    handed_over t;
    t.sara.take();
    REQUIRE(t.h.database.set_password("sara", kring::hash_password("a newer one-time password"),
                                      password_kind::one_time));
    t.h.send(t.sara, set_password(her_own));
    CHECK(kinds(t.sara.take()) == strings{"error auth_failed"});
    REQUIRE(t.sara.link->closes.size() == 1);
    CHECK(t.sara.link->closes[0].code == 4003);
    CHECK(t.h.database.find_staff("sara")->kind == password_kind::one_time);
    CHECK(kring::verify_password(t.h.database.find_staff("sara")->password_hash, "a newer one-time password"));
}

TEST_CASE("set_password without a login is forbidden")
{
    session_harness h;
    h.add_staff("sara", staff_role::moderator, {"demo"});
    auto& someone = h.hello();
    h.send(someone, set_password(her_own, staff_password));
    auto const got = someone.take();
    REQUIRE(kinds(got) == strings{"error forbidden"});
    CHECK(text(got[0], "ref") == "p1");
    CHECK(kring::verify_password(h.database.find_staff("sara")->password_hash, staff_password));
}

TEST_CASE("a logged-in moderator changes her password with the current one")
{
    session_harness h;
    h.add_staff("sara", staff_role::moderator, {"demo"});
    auto& sara = h.hello();
    auto const old_token = h.log_in(sara, "sara");

    h.send(sara, set_password(her_own));
    CHECK(kinds(sara.take()) == strings{"error missing_field"});
    h.send(sara, set_password(her_own, "not my password"));
    CHECK(kinds(sara.take()) == strings{"error auth_failed"});
    CHECK(sara.link->closes.empty()); // a wrong current password is no reason to end her login
    h.send(sara, set_password(staff_password, staff_password));
    CHECK(kinds(sara.take()) == strings{"error bad_password"});
    h.send(sara, set_password("sara's own passphrase", staff_password));
    CHECK(kinds(sara.take()) == strings{"error bad_password"});

    h.send(sara, set_password(her_own, staff_password));
    auto const got = sara.take();
    REQUIRE(kinds(got) == strings{"logged_in"});
    auto const new_token = text(got[0], "token");
    CHECK(new_token != old_token);
    CHECK_FALSE(h.database.staff_for_token(kring::sha256(old_token), kring::now_ms()));
    CHECK(h.database.staff_for_token(kring::sha256(new_token), kring::now_ms()));
    CHECK(sara.link->closes.empty());
    CHECK(actions(h) == strings{"login", "password_change_failed", "password_change", "login"});

    // Still her login here, with its rights, and still watched.
    h.join(sara, "demo");
    h.send(sara, {{"type", "lock"}, {"room", "demo"}, {"ref", "k"}});
    CHECK(kinds(sara.take()) == strings{"room_state", "ok"});
    CHECK_FALSE(h.run_while_not([&] { return !sara.link->closes.empty(); }, std::chrono::milliseconds{1500}));

    auto& later = h.hello();
    h.try_login(later, "sara", staff_password);
    CHECK(kinds(later.take()) == strings{"error auth_failed"});
    h.try_login(later, "sara", her_own);
    CHECK(kinds(later.take()) == strings{"logged_in"});
}

TEST_CASE("a new password ends every other login of hers at once, with 4003")
{
    session_harness h;
    h.add_staff("sara", staff_role::moderator, {"demo"});
    auto& sara = h.hello();
    auto const token = h.log_in(sara, "sara");
    auto& phone = h.hello();
    h.log_in(phone, "sara"); // a login of its own
    auto& tab = h.connect();
    h.send(tab, {{"type", "hello"}, {"v", 1}, {"auth", token}}); // the same login as `sara`
    REQUIRE(kinds(tab.take()) == strings{"welcome"});

    h.send(sara, set_password(her_own, staff_password));
    REQUIRE(kinds(sara.take()) == strings{"logged_in"});
    // No timer is needed: the others are told to close right away.
    REQUIRE(h.run_while_not([&] { return !phone.link->closes.empty() && !tab.link->closes.empty(); },
                            std::chrono::milliseconds{0}));
    CHECK(phone.link->closes[0].code == 4003);
    CHECK(tab.link->closes[0].code == 4003);
    CHECK(sara.link->closes.empty());
}

TEST_CASE("wrong current passwords count as failed logins and are throttled")
{
    session_harness h;
    h.add_staff("sara", staff_role::moderator, {"demo"});
    auto& sara = h.hello();
    h.log_in(sara, "sara");
    for (int i = 0; i < 3; ++i)
        h.send(sara, set_password(her_own, "guess " + std::to_string(i)));
    CHECK(kinds(sara.take()) == strings(3, "error auth_failed"));
    h.send(sara, set_password(her_own, staff_password));
    auto const got = sara.take();
    REQUIRE(kinds(got) == strings{"error throttled"});
    CHECK(number(got[0], "seconds") == 60);
    CHECK(kring::verify_password(h.database.find_staff("sara")->password_hash, staff_password));
}

TEST_CASE("no password reaches the audit log")
{
    handed_over t;
    t.h.send(t.sara, set_password(her_own));
    auto& sara = t.sara;
    sara.take();
    t.h.send(sara, set_password("yet another passphrase", "a wrong current one"));
    for (auto const& row : t.h.audit_rows()) {
        CAPTURE(row.action);
        for (auto const& field : {row.actor, row.action, row.room, row.target, row.detail}) {
            CHECK(field.find(her_own) == std::string::npos);
            CHECK(field.find(staff_password) == std::string::npos);
            CHECK(field.find("passphrase") == std::string::npos);
            CHECK(field.find("wrong current") == std::string::npos);
        }
    }
}
