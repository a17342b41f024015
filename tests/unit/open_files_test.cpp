#include "open_files.hpp"

#include <doctest/doctest.h>

#include <sys/resource.h>

#include <cstddef>
#include <limits>

using kring::connections_that_fit;

TEST_CASE("connections fit in the open-file limit after the reserve, or are lowered to fit")
{
    CHECK(connections_that_fit(10000, 1048576, 32) == 10000);
    CHECK(connections_that_fit(10000, 10032, 32) == 10000);
    CHECK(connections_that_fit(10000, 10031, 32) == 9999);
    CHECK(connections_that_fit(10000, 1024, 32) == 992);
    CHECK(connections_that_fit(10000, 128, 32) == 96);
    CHECK(connections_that_fit(50, 128, 32) == 50);
    CHECK(connections_that_fit(10000, 64, 0) == 64);
    CHECK(connections_that_fit(10000, std::numeric_limits<std::size_t>::max(), 32) == 10000);
    SUBCASE("a limit no bigger than the reserve leaves room for none")
    {
        CHECK(connections_that_fit(10000, 32, 32) == 0);
        CHECK(connections_that_fit(10000, 20, 32) == 0);
    }
}

TEST_CASE("the soft limit on open files is raised to the hard limit")
{
    rlimit before{};
    REQUIRE(getrlimit(RLIMIT_NOFILE, &before) == 0);
    auto const limit = kring::raise_open_file_limit();
    rlimit after{};
    REQUIRE(getrlimit(RLIMIT_NOFILE, &after) == 0);
    CHECK(after.rlim_max == before.rlim_max);
    CHECK(after.rlim_cur >= before.rlim_cur);
    if (after.rlim_cur != RLIM_INFINITY)
        CHECK(limit == after.rlim_cur);
    if (before.rlim_max != RLIM_INFINITY)
        CHECK(after.rlim_cur == before.rlim_max);
}
