#include "circle/login_guard.hpp"

#include <doctest/doctest.h>

using kring::digest;
using kring::login_guard;

namespace {

digest network(unsigned char n)
{
    digest d{};
    d[0] = n;
    return d;
}

constexpr std::int64_t minute = 60'000;

// The ceilings of `kring serve` by default: 3 for a name from one network,
// 3 from one network, 30 for a name from all networks.
login_guard defaults()
{
    return login_guard{{.per_name_and_network = 3, .per_name = 30, .per_network = 3}, 16};
}

} // namespace

TEST_CASE("three failures for a name from one network throttle that network, and only it")
{
    auto guard = defaults();
    std::int64_t const t = 1'000'000;
    for (int i = 0; i < 2; ++i)
        guard.failed("sara", network(1), t + i);
    CHECK_FALSE(guard.throttled("sara", network(1), t + 2));
    guard.failed("Sara", network(1), t + 2); // names are compared without case
    CHECK(guard.throttled("sara", network(1), t + 3));
    CHECK(guard.throttled("omar", network(1), t + 3)); // the network's own ceiling
    CHECK_FALSE(guard.throttled("sara", network(2), t + 3)); // sara from elsewhere
    CHECK_FALSE(guard.throttled("sara", network(1), t + 2 + minute)); // a minute later
}

TEST_CASE("the per-name-and-network ceiling holds when the network's own is higher")
{
    login_guard guard{{.per_name_and_network = 3, .per_name = 30, .per_network = 100}, 16};
    for (int i = 0; i < 3; ++i)
        guard.failed("sara", network(1), 1000 + i);
    CHECK(guard.throttled("sara", network(1), 1010));
    CHECK_FALSE(guard.throttled("omar", network(1), 1010)); // a colleague on the same Wi-Fi
}

TEST_CASE("failures for a name spread over many networks throttle it everywhere at the per-name ceiling")
{
    login_guard guard{{.per_name_and_network = 3, .per_name = 30, .per_network = 3}, 16};
    std::int64_t const t = 1'000'000;
    for (unsigned char n = 0; n < 29; ++n)
        guard.failed("sara", network(n), t);
    CHECK_FALSE(guard.throttled("sara", network(200), t + 1));
    guard.failed("sara", network(29), t);
    CHECK(guard.throttled("sara", network(200), t + 1)); // the 30th: from anywhere
    CHECK_FALSE(guard.throttled("omar", network(200), t + 1));
    CHECK_FALSE(guard.throttled("sara", network(200), t + minute));
}

TEST_CASE("a success forgets that name's failures from that network, not from others")
{
    login_guard guard{{.per_name_and_network = 2, .per_name = 4, .per_network = 100}, 16};
    guard.failed("sara", network(1), 1000);
    guard.failed("sara", network(2), 1000);
    guard.succeeded("sara", network(1));
    guard.failed("sara", network(1), 1001);
    CHECK_FALSE(guard.throttled("sara", network(1), 1002)); // 1 from network 1 since the success
    guard.failed("sara", network(3), 1002);
    CHECK(guard.throttled("sara", network(1), 1003)); // 4 for the name, whatever the success
}

TEST_CASE("a connection without a network mark is counted by name alone")
{
    auto guard = defaults();
    for (int i = 0; i < 3; ++i)
        guard.failed("sara", std::nullopt, 1000);
    CHECK(guard.throttled("sara", std::nullopt, 1001));
    CHECK_FALSE(guard.throttled("sara", network(1), 1001));
}

TEST_CASE("only max_pending hashes run at once")
{
    auto guard = login_guard{{3, 30, 3}, 2};
    CHECK(guard.begin_hash());
    CHECK(guard.begin_hash());
    CHECK_FALSE(guard.begin_hash());
    guard.end_hash();
    CHECK(guard.begin_hash());
}
