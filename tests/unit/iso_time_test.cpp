#include "admin/iso_time.hpp"

#include <doctest/doctest.h>

using kring::format_iso_utc;
using kring::parse_time;

TEST_CASE("times are written in ISO 8601 UTC with milliseconds")
{
    CHECK(format_iso_utc(0) == "1970-01-01T00:00:00.000Z");
    CHECK(format_iso_utc(1'795'701'600'123) == "2026-11-26T14:00:00.123Z");
    CHECK(format_iso_utc(951'782'399'999) == "2000-02-28T23:59:59.999Z");
    CHECK(format_iso_utc(951'868'800'000) == "2000-03-01T00:00:00.000Z");
    CHECK(format_iso_utc(-1) == "1969-12-31T23:59:59.999Z");
}

TEST_CASE("a date, a UTC date and time, or milliseconds are read as milliseconds since the epoch")
{
    CHECK(parse_time("2026-11-26") == 1'795'651'200'000);
    CHECK(parse_time("2026-11-26T14:00:00Z") == 1'795'701'600'000);
    CHECK(parse_time("2026-11-26T14:00:00.123Z") == 1'795'701'600'123);
    CHECK(parse_time("1795701600000") == 1'795'701'600'000);
    CHECK(parse_time("0") == 0);
    CHECK(parse_time("2024-02-29") == 1'709'164'800'000);
    CHECK(parse_time(format_iso_utc(1'234'567'890'123)) == 1'234'567'890'123);
}

TEST_CASE("anything else is not a time")
{
    for (auto const text : {"", "yesterday", "2026-11-26T14:00:00", "2026-11-26 14:00:00Z", "2026-11-26T14:00Z",
                            "2026-11-26T24:00:00Z", "2026-11-26T14:60:00Z", "2026-11-26T14:00:60Z",
                            "2026-02-29", "2026-13-01", "2026-00-10", "2026-1-5", "26-11-26", "2026-11-26Z",
                            "2026-11-26T14:00:00.12Z", "2026-11-26T14:00:00+01:00", "2026-11-26T14:00:00zz",
                            "-5", "12abc", "99999999999999999999999"}) {
        CAPTURE(text);
        CHECK_FALSE(parse_time(text).has_value());
    }
}
