#include "token_bucket.hpp"

#include <doctest/doctest.h>

using kring::token_bucket;

namespace {

// Takes a token if there is one; 0 when it did, like network_table::take_message.
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
