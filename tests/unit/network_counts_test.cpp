#include "network_counts.hpp"

#include <doctest/doctest.h>

using kring::digest;
using kring::network_counts;

namespace {

digest network(unsigned char n)
{
    digest d{};
    d[0] = n;
    return d;
}

} // namespace

TEST_CASE("a network is counted while anything from it is, and forgotten when nothing is")
{
    network_counts counts;
    auto const first = counts.count_in(network(1));
    auto const second = counts.count_in(network(1));
    CHECK(first == second); // one entry for the network, shared
    CHECK(counts.count(network(1)) == 2);
    CHECK(counts.count(network(2)) == 0);
    counts.count_out(first);
    CHECK(counts.count(network(1)) == 1);
    counts.count_out(second);
    CHECK(counts.count(network(1)) == 0);
    auto const again = counts.count_in(network(1)); // a new entry, counting from one
    CHECK(counts.count(network(1)) == 1);
    counts.count_out(again);
    counts.count_out(nullptr); // what came from no known network: nothing to do
    CHECK(counts.count(network(1)) == 0);
}

TEST_CASE("a handle stays good while other networks come and go")
{
    network_counts counts;
    auto const kept = counts.count_in(network(7));
    for (unsigned char n = 10; n < 200; ++n)
        counts.count_in(network(n));
    for (unsigned char n = 10; n < 200; ++n)
        counts.count_out(counts.count_in(network(n)) /* the same entry */);
    CHECK(kept->first == network(7));
    CHECK(kept->second == 1);
    counts.count_out(kept);
    CHECK(counts.count(network(7)) == 0);
    CHECK(counts.count(network(10)) == 1);
}
