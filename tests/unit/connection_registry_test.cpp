#include "identity.hpp"
#include "net/connection_registry.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <thread>

using kring::connection_registry;
using kring::network_table;

namespace {

kring::digest const wifi = kring::sha256("a centre's network");
kring::digest const phone = kring::sha256("a phone's network");

} // namespace

TEST_CASE("one network may open only so many connections a minute, in a burst of as many")
{
    network_table networks{{.connections_a_minute = 3}, 1000};
    connection_registry connections{100, 100, networks};
    for (int i = 0; i < 3; ++i)
        CHECK(connections.add({}, wifi) != 0);
    CHECK(connections.add({}, wifi) == 0);
    CHECK(connections.add({}, phone) != 0);   // another network has its own
    CHECK(connections.add({}, std::nullopt) != 0); // a socket with no address is not counted

    SUBCASE("closing connections gives no arrivals back")
    {
        connections.remove(1);
        connections.remove(2);
        CHECK(connections.add({}, wifi) == 0);
        CHECK(connections.size() == 3);
    }
}

TEST_CASE("the connection rate of a network fills again over the minute")
{
    network_table networks{{.connections_a_minute = 600}, 1000}; // ten a second
    connection_registry connections{1000, 1000, networks};
    for (int i = 0; i < 600; ++i)
        REQUIRE(connections.add({}, wifi) != 0);
    REQUIRE(connections.add({}, wifi) == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds{250}); // at least two come back
    CHECK(connections.add({}, wifi) != 0);
}

TEST_CASE("a proxied connection counts for the network its proxy names")
{
    network_table networks{{.connections_a_minute = 100}, 1000};
    connection_registry connections{100, 2, networks};
    auto const first = connections.add({}, std::nullopt); // from a trusted proxy: counted when a request names its client
    auto const second = connections.add({}, std::nullopt);
    auto const third = connections.add({}, std::nullopt);
    CHECK(connections.move_to(first, wifi));
    CHECK(connections.move_to(second, wifi));
    CHECK_FALSE(connections.move_to(third, wifi)); // the centre's share is spent
    CHECK(connections.move_to(third, phone));      // another network has its own
    CHECK(connections.move_to(first, wifi));       // the same client again: nothing changes

    SUBCASE("a connection that moves on frees its place in the old network")
    {
        CHECK(connections.move_to(second, phone));
        auto const fourth = connections.add({}, std::nullopt);
        CHECK(connections.move_to(fourth, wifi));
    }
    SUBCASE("a closed connection can't be moved")
    {
        connections.remove(first);
        CHECK_FALSE(connections.move_to(first, phone));
    }
}
