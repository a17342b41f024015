#include "network_buckets.hpp"
#include "token_bucket.hpp"

#include <doctest/doctest.h>

using kring::digest;
using kring::network_buckets;
using kring::token_bucket;

namespace {

digest network(unsigned char n)
{
    digest d{};
    d[0] = n;
    return d;
}

// Takes a token if there is one; 0 when it did, like network_buckets::take.
std::int64_t take(token_bucket& bucket, std::int64_t now_ms)
{
    auto const wait = bucket.wait_ms(now_ms);
    if (wait == 0)
        bucket.take();
    return wait;
}

constexpr std::int64_t t0 = 5'000'000;

} // namespace

TEST_CASE("a token bucket gives its burst at once, then one token per 1/rate seconds")
{
    token_bucket bucket{{.per_second = 5, .burst = 3}, t0};
    CHECK(bucket.full(t0));
    for (int i = 0; i < 3; ++i)
        CHECK(take(bucket, t0) == 0);
    CHECK_FALSE(bucket.full(t0));
    CHECK(take(bucket, t0) == 200);       // 5 a second: one per 200 ms
    CHECK(take(bucket, t0 + 150) == 50);  // nothing is taken while waiting
    CHECK(take(bucket, t0 + 200) == 0);
    CHECK(take(bucket, t0 + 200) == 200);
    CHECK(bucket.full(t0 + 200 + 600));
}

TEST_CASE("a token bucket never holds more than its burst, and a clock that goes back refills nothing")
{
    token_bucket bucket{{.per_second = 1, .burst = 2}, t0};
    CHECK(take(bucket, t0 + 3'600'000) == 0);
    CHECK(take(bucket, t0 + 3'600'000) == 0);
    CHECK(take(bucket, t0 + 3'600'000) == 1000);
    CHECK(take(bucket, t0) == 1000);
}

TEST_CASE("a network's bucket is shared by whoever asks for that network, and networks are apart")
{
    network_buckets buckets{{.per_second = 20, .burst = 4}, 100};
    for (int i = 0; i < 4; ++i)
        CHECK(buckets.take(network(1), t0) == 0);
    CHECK(buckets.take(network(1), t0) == 50);
    CHECK(buckets.take(network(2), t0) == 0);
    CHECK(buckets.take(network(1), t0 + 50) == 0);
    CHECK(buckets.tracked() == 2);
}

TEST_CASE("an idle network is forgotten within a minute once its bucket is full again")
{
    network_buckets buckets{{.per_second = 20, .burst = 4}, 100};
    buckets.take(network(1), t0);
    buckets.take(network(2), t0);
    CHECK(buckets.tracked() == 2);
    buckets.take(network(3), t0 + 60'000); // the sweep of the minute
    CHECK(buckets.tracked() == 1);
}

TEST_CASE("at its bound a new network is not held until room is made, and is let through meanwhile")
{
    network_buckets buckets{{.per_second = 1, .burst = 2}, 2};
    buckets.take(network(1), t0);
    buckets.take(network(2), t0);
    for (int i = 0; i < 3; ++i)
        CHECK(buckets.take(network(3), t0 + 500) == 0); // not counted: its connections' budgets hold
    CHECK(buckets.tracked() == 2);
    CHECK(buckets.take(network(3), t0 + 1000) == 0); // 1 and 2 are full again: forgotten
    CHECK(buckets.tracked() == 1);
    CHECK(buckets.take(network(3), t0 + 1000) == 0);
    CHECK(buckets.take(network(3), t0 + 1000) == 1000);
}
