#include "log.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>

using namespace std::chrono_literals;
using kring::log::throttle;

TEST_CASE("a throttled log lets one line through per interval and counts the ones it held back")
{
    throttle lines{1s};
    auto const start = throttle::clock::time_point{} + 100h;

    CHECK(lines.pass("accept paused", start) == std::optional<std::string>{"accept paused"});
    for (int i = 1; i <= 40; ++i)
        CHECK_FALSE(lines.pass("accept paused", start + i * 20ms).has_value()); // 800 ms of repeats
    CHECK_FALSE(lines.pass("accept paused", start + 999ms).has_value());

    SUBCASE("the next line after the interval says how many were held back")
    {
        CHECK(lines.pass("accept paused", start + 1s) ==
              std::optional<std::string>{"accept paused (41 more like it held back)"});
        SUBCASE("and the count starts again from there")
        {
            CHECK_FALSE(lines.pass("accept paused", start + 1500ms).has_value());
            CHECK(lines.pass("accept paused", start + 2s) ==
                  std::optional<std::string>{"accept paused (1 more like it held back)"});
        }
    }
    SUBCASE("after a quiet spell a line goes through with nothing to add")
    {
        CHECK(lines.pass("x", start + 1s).has_value());
        CHECK(lines.pass("x", start + 10s) == std::optional<std::string>{"x"});
    }
}
