#include "network_table.hpp"

#include <doctest/doctest.h>

#include <vector>

using kring::digest;
using kring::network_table;

namespace {

digest network(unsigned char n)
{
    digest d{};
    d[0] = n;
    return d;
}

constexpr std::int64_t t0 = 5'000'000;

// Messages: 20 a second in bursts of 4; connections: 60 a minute, one a second back.
network_table small_table(std::size_t max_networks = 100)
{
    return network_table{{.connections_a_minute = 60, .messages = {.per_second = 20, .burst = 4}}, max_networks};
}

} // namespace

TEST_CASE("a network's message budget is shared by whoever asks for that network, and networks are apart")
{
    auto networks = small_table();
    for (int i = 0; i < 4; ++i)
        CHECK(networks.take_message(network(1), t0) == 0);
    CHECK(networks.take_message(network(1), t0) == 50);
    CHECK(networks.take_message(network(2), t0) == 0);
    CHECK(networks.take_message(network(1), t0 + 50) == 0);
    CHECK(networks.tracked() == 2);
}

TEST_CASE("an idle network is forgotten within a minute once its budgets are full again")
{
    auto networks = small_table();
    networks.take_message(network(1), t0);
    networks.take_message(network(2), t0);
    CHECK(networks.tracked() == 2);
    networks.take_message(network(3), t0 + 60'000); // the sweep of the minute
    CHECK(networks.tracked() == 1);
}

TEST_CASE("at its bound a network that is only budgeted is not held until room is made, and is let through meanwhile")
{
    network_table networks{{.connections_a_minute = 60, .messages = {.per_second = 1, .burst = 2}}, 2};
    networks.take_message(network(1), t0);
    networks.take_message(network(2), t0);
    for (int i = 0; i < 3; ++i)
        CHECK(networks.take_message(network(3), t0 + 500) == 0); // not counted: its connections' budgets hold
    CHECK(networks.tracked() == 2);
    CHECK(networks.take_message(network(3), t0 + 1000) == 0); // 1 and 2 are full again: forgotten
    CHECK(networks.tracked() == 1);
    CHECK(networks.take_message(network(3), t0 + 1000) == 0);
    CHECK(networks.take_message(network(3), t0 + 1000) == 1000);
}

TEST_CASE("connections, identities and both budgets of a network share one record")
{
    auto networks = small_table();
    auto const connection = networks.connect(network(1), 10, t0);
    auto const identity = networks.add_identity(network(1));
    REQUIRE(connection != nullptr);
    CHECK(connection == identity);
    CHECK(networks.take_message(network(1), t0) == 0);
    CHECK(networks.tracked() == 1);
    CHECK(network_table::network_of(connection) == network(1));
    CHECK(networks.connections(network(1)) == 1);
    CHECK(networks.identities(network(1)) == 1);
    CHECK(networks.connections(network(2)) == 0);
    CHECK(networks.identities(network(2)) == 0);
}

TEST_CASE("a network may have only `limit` connections open, and closing one makes room")
{
    auto networks = small_table();
    auto const first = networks.connect(network(1), 2, t0);
    auto const second = networks.connect(network(1), 2, t0);
    CHECK(first != nullptr);
    CHECK(second != nullptr);
    CHECK(networks.connect(network(1), 2, t0) == nullptr);
    CHECK(networks.connections(network(1)) == 2); // the refused one is not counted
    CHECK(networks.connect(network(2), 2, t0) != nullptr);
    networks.disconnect(first);
    CHECK(networks.connections(network(1)) == 1);
    CHECK(networks.connect(network(1), 2, t0) != nullptr);
    networks.disconnect(nullptr); // what came from no known network: nothing to do
}

TEST_CASE("a network's connections arrive at its rate, in a burst of a minute's worth")
{
    auto networks = small_table();
    for (int i = 0; i < 60; ++i)
        networks.disconnect(networks.connect(network(1), 1000, t0));
    CHECK(networks.connect(network(1), 1000, t0) == nullptr); // closing gave no arrivals back
    CHECK(networks.connect(network(2), 1000, t0) != nullptr); // another network has its own
    CHECK(networks.connect(network(1), 1000, t0 + 999) == nullptr);
    CHECK(networks.connect(network(1), 1000, t0 + 1000) != nullptr); // one a second comes back
}

TEST_CASE("a network is held while it counts anything, and forgotten by the sweep once it counts nothing")
{
    auto networks = small_table();
    auto const connection = networks.connect(network(1), 10, t0);
    auto const identity = networks.add_identity(network(2));
    networks.take_message(network(3), t0 + 120'000); // a sweep: budgets are full again, counts are not zero
    CHECK(networks.tracked() == 3);
    networks.disconnect(connection);
    networks.remove_identity(identity);
    CHECK(networks.connections(network(1)) == 0);
    CHECK(networks.identities(network(2)) == 0);
    networks.take_message(network(4), t0 + 180'000);
    CHECK(networks.tracked() == 1); // only the one that just spent a message
}

TEST_CASE("a handle stays good while other networks come and go")
{
    auto networks = small_table(1000);
    auto const kept = networks.add_identity(network(7));
    for (unsigned char n = 10; n < 200; ++n)
        networks.remove_identity(networks.add_identity(network(n)));
    networks.take_message(network(5), t0 + 120'000); // the sweep forgets 10 to 199
    CHECK(networks.tracked() == 2);
    CHECK(network_table::network_of(kept) == network(7));
    CHECK(networks.identities(network(7)) == 1);
    networks.remove_identity(kept);
    CHECK(networks.identities(network(7)) == 0);
}

TEST_CASE("past its bound a new network's connections are still counted, but spend no budget that would keep them")
{
    auto networks = small_table(2);
    networks.take_message(network(1), t0);
    networks.take_message(network(2), t0);
    auto const connection = networks.connect(network(3), 1, t0); // the table is full: counted all the same
    REQUIRE(connection != nullptr);
    CHECK(networks.connect(network(3), 1, t0) == nullptr); // and its limit holds
    networks.disconnect(connection);
    networks.take_message(network(1), t0 + 60'000); // the sweep: network 3 spent nothing, so it goes
    CHECK(networks.connections(network(3)) == 0);
    CHECK(networks.tracked() == 1);
}

TEST_CASE("handles stay good while the table grows, and marks that share their first eight bytes are apart")
{
    network_table networks{{.connections_a_minute = 60, .messages = {.per_second = 20, .burst = 4}}, 10'000};
    auto mark = [](int n, int tail) {
        digest d{};
        d[0] = static_cast<unsigned char>(n & 0xff);
        d[1] = static_cast<unsigned char>(n >> 8);
        d[31] = static_cast<unsigned char>(tail); // beyond the hash: these two land in one bucket
        return d;
    };
    std::vector<network_table::handle> handles;
    for (int n = 0; n < 2000; ++n)
        for (int tail : {0, 1}) {
            handles.push_back(networks.connect(mark(n, tail), 5, t0));
            REQUIRE(handles.back() != nullptr);
        }
    CHECK(networks.tracked() == 4000);
    // Each handle still names its own network, counted once.
    for (int n = 0; n < 2000; ++n)
        for (int tail : {0, 1}) {
            auto const h = handles[static_cast<std::size_t>(2 * n + tail)];
            CHECK(network_table::network_of(h) == mark(n, tail));
            CHECK(networks.connections(mark(n, tail)) == 1);
        }
    // One of a pair spends its message budget; the other keeps its own.
    for (int i = 0; i < 4; ++i)
        CHECK(networks.take_message(mark(7, 0), t0) == 0);
    CHECK(networks.take_message(mark(7, 0), t0) == 50);
    CHECK(networks.take_message(mark(7, 1), t0) == 0);
    for (auto h : handles)
        networks.disconnect(h);
    CHECK(networks.connections(mark(7, 0)) == 0);
    CHECK(networks.connections(mark(1999, 1)) == 0);
}
