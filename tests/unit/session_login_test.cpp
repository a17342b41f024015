#include "session_harness.hpp"

#include <doctest/doctest.h>

using kring::staff_role;
using kring::session_test::kinds;
using kring::session_test::session_harness;
using kring::session_test::strings;
using kring::session_test::test_client;
using kring::session_test::text;

namespace {

// Sara logged in on one connection, and the same login opened on a second
// one with hello's `auth`; both in demo.
struct two_connections {
    session_harness h;
    test_client& first;
    test_client* second = nullptr;
    std::string token;

    two_connections()
        : first(h.hello())
    {
        h.add_staff("sara", staff_role::moderator, {"demo"});
        token = h.log_in(first, "sara");
        auto& other = h.connect();
        h.send(other, {{"type", "hello"}, {"v", 1}, {"auth", token}});
        REQUIRE(text(other.take().at(0), "role") == "moderator");
        second = &other;
        h.join(first, "demo");
        h.join(other, "demo");
    }
};

} // namespace

TEST_CASE("a logout ends that login on every connection at once")
{
    two_connections t;
    auto& second = *t.second;
    t.first.take();
    t.h.send(t.first, {{"type", "logout"}, {"ref", "out"}});
    CHECK(kinds(t.first.take()) == strings{"logged_out"});
    REQUIRE(t.first.link->closes.size() == 1);
    CHECK(t.first.link->closes[0].code == 1000);

    // No timer is needed: the other connection is told to close right away.
    REQUIRE(t.h.run_while_not([&] { return !second.link->closes.empty(); }, std::chrono::milliseconds{0}));
    CHECK(second.link->closes[0].code == 4003);
    CHECK(second.link->closes[0].mode == kring::close_mode::drop_queued);

    // Its identity is no moderator's any more, and has left the circle.
    auto& badr = t.h.hello();
    t.h.join(badr, "demo");
    t.h.send(badr, {{"type", "say"}, {"room", "demo"}, {"text", "hello"}});
    CHECK(kinds(badr.take()) == strings{"message"});
    CHECK(t.h.database.staff_for_token(kring::sha256(t.token), kring::now_ms()) == std::nullopt);
}

TEST_CASE("a login ended in the store is found on an open connection within two seconds")
{
    two_connections t;
    auto& second = *t.second;
    t.first.take();
    // What `kring moderator disable` does: the store revokes the login.
    REQUIRE(t.h.database.set_staff_disabled("sara", true));

    bool const closed = t.h.run_while_not(
        [&] { return !t.first.link->closes.empty() && !second.link->closes.empty(); }, std::chrono::seconds{2});
    CHECK(closed);
    REQUIRE_FALSE(t.first.link->closes.empty());
    CHECK(t.first.link->closes[0].code == 4003);
    REQUIRE_FALSE(second.link->closes.empty());
    CHECK(second.link->closes[0].code == 4003);
}

TEST_CASE("a connection that ends stops holding its login")
{
    two_connections t;
    t.h.hang_up(*t.second);
    CHECK(t.h.open_logins.holders(kring::sha256(t.token), nullptr).size() == 1);
    t.h.send(t.first, {{"type", "logout"}});
    CHECK(t.h.open_logins.holders(kring::sha256(t.token), nullptr).empty());
    CHECK(t.second->link->closes.empty()); // an ended connection is not closed again
}
