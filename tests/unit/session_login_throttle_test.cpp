#include "session_harness.hpp"

#include <doctest/doctest.h>

using kring::staff_role;
using kring::session_test::kinds;
using kring::session_test::session_harness;
using kring::session_test::strings;
using kring::session_test::test_client;

TEST_CASE("wrong passwords for a moderator's name from one network do not keep her out from another")
{
    session_harness h;
    h.add_staff("sara", staff_role::moderator, {"demo"});
    auto& stranger = h.hello(); // each connection of the harness has a network of its own
    for (int i = 0; i < 3; ++i)
        h.try_login(stranger, "sara", "guess " + std::to_string(i));
    CHECK(kinds(stranger.take()) == strings(3, "error auth_failed"));
    h.try_login(stranger, "sara", kring::session_test::staff_password);
    CHECK(kinds(stranger.take()) == strings{"error throttled"}); // the guesser's network waits

    auto& sara = h.hello();
    h.try_login(sara, "sara", kring::session_test::staff_password);
    CHECK(kinds(sara.take()) == strings{"logged_in"});
}

TEST_CASE("guessing spread over many networks throttles the name everywhere, but never a login token")
{
    session_harness h;
    h.add_staff("sara", staff_role::moderator, {"demo"});
    auto& first = h.hello();
    auto const token = h.log_in(first, "sara");

    for (int n = 0; n < 10; ++n) { // 10 networks, 3 each: the 30 a minute for one name
        auto& stranger = h.hello();
        for (int i = 0; i < 3; ++i)
            h.try_login(stranger, "sara", "guess " + std::to_string(i));
        CHECK(kinds(stranger.take()) == strings(3, "error auth_failed"));
    }
    auto& sara = h.hello();
    h.try_login(sara, "sara", kring::session_test::staff_password);
    CHECK(kinds(sara.take()) == strings{"error throttled"});

    auto& returning = h.connect();
    h.send(returning, {{"type", "hello"}, {"v", 1}, {"auth", token}});
    auto const got = returning.take();
    REQUIRE(kinds(got) == strings{"welcome"});
    CHECK(kring::session_test::text(got[0], "role") == "moderator");
}
