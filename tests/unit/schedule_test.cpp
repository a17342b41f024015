#include "circle/schedule.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <variant>

using kring::next_session;
using kring::open_session;
using kring::parse_weekly_session;
using kring::schedule;
using kring::session_time;
using kring::weekly_session;

namespace {

// UTC milliseconds of a date and time, for readable cases.
std::int64_t utc_ms(int y, unsigned mo, unsigned d, unsigned h, unsigned mi)
{
    using namespace std::chrono;
    auto const midnight = sys_days{year{y} / month{mo} / day{d}};
    return duration_cast<milliseconds>((midnight + hours{h} + minutes{mi}).time_since_epoch()).count();
}

weekly_session session_of(std::string const& text)
{
    auto parsed = parse_weekly_session(text);
    REQUIRE(std::holds_alternative<weekly_session>(parsed));
    return std::get<weekly_session>(parsed);
}

std::string parse_error(std::string const& text)
{
    auto parsed = parse_weekly_session(text);
    REQUIRE(std::holds_alternative<std::string>(parsed));
    return std::get<std::string>(parsed);
}

schedule tuesday_evenings()
{
    return {"Europe/Brussels", {session_of("tue 19:00-20:30")}, 10};
}

constexpr std::int64_t minute = 60'000;

} // namespace

TEST_CASE("a weekly session is a weekday and local hours")
{
    CHECK(session_of("tue 19:00-20:30") == weekly_session{2, 19 * 60, 20 * 60 + 30});
    CHECK(session_of("sun 00:00-24:00") == weekly_session{0, 0, 24 * 60});
    CHECK(kring::to_string(session_of("sat 09:05-10:00")) == "sat 09:05-10:00");
    CHECK(parse_error("tue 20:30-19:00") == "a session must end after it starts, on the same day");
    CHECK(parse_error("tue 19:00-19:00") == "a session must end after it starts, on the same day");
    CHECK(parse_error("tis 19:00-20:30") == "the weekday must be one of sun, mon, tue, wed, thu, fri, sat");
    for (auto const* bad : {"tue 7pm-9pm", "tue 19:60-20:00", "tue 25:00-26:00", "tue 24:30-24:45", "tuesday",
                            "tue 19:00 20:30", ""})
        CHECK(parse_error(bad) == "a session is a weekday and local hours, like \"tue 19:00-20:30\"");
}

TEST_CASE("time zones are the system's")
{
    CHECK(kring::is_known_zone("Europe/Brussels"));
    CHECK(kring::is_known_zone("Asia/Kabul"));
    CHECK_FALSE(kring::is_known_zone("Europe/Atlantis"));
    CHECK_FALSE(kring::is_known_zone(""));
}

TEST_CASE("Tuesday 19:00 in Brussels is 18:00 UTC in winter and 17:00 UTC in summer, across both changes")
{
    auto const s = tuesday_evenings();
    // The last Sunday of March 2026 is the 29th: the clocks go forward.
    auto const before_spring = next_session(s, utc_ms(2026, 3, 24, 12, 0));
    REQUIRE(before_spring);
    CHECK(before_spring->start == utc_ms(2026, 3, 24, 18, 0));
    CHECK(before_spring->end == utc_ms(2026, 3, 24, 19, 30));
    CHECK(before_spring->opens == utc_ms(2026, 3, 24, 17, 50));
    auto const after_spring = next_session(s, utc_ms(2026, 3, 25, 0, 0));
    REQUIRE(after_spring);
    CHECK(after_spring->start == utc_ms(2026, 3, 31, 17, 0));
    // The last Sunday of October 2026 is the 25th: the clocks go back.
    CHECK(next_session(s, utc_ms(2026, 10, 21, 0, 0))->start == utc_ms(2026, 10, 27, 18, 0));
    CHECK(next_session(s, utc_ms(2026, 10, 14, 0, 0))->start == utc_ms(2026, 10, 20, 17, 0));
}

TEST_CASE("a local hour the clocks skip or pass twice still makes one session")
{
    // 02:30 does not exist on 2026-03-29 in Brussels: the session starts at the jump.
    schedule const skipped{"Europe/Brussels", {session_of("sun 02:30-04:00")}, 0};
    auto const spring = next_session(skipped, utc_ms(2026, 3, 28, 12, 0));
    REQUIRE(spring);
    CHECK(spring->start == utc_ms(2026, 3, 29, 1, 0));
    CHECK(spring->end == utc_ms(2026, 3, 29, 2, 0));
    // 02:30 comes twice on 2026-10-25: the first.
    schedule const twice{"Europe/Brussels", {session_of("sun 02:30-03:30")}, 0};
    auto const autumn = next_session(twice, utc_ms(2026, 10, 24, 12, 0));
    REQUIRE(autumn);
    CHECK(autumn->start == utc_ms(2026, 10, 25, 0, 30));
}

TEST_CASE("a circle is open from its lobby to the end of its session, and says when it opens next")
{
    auto const s = tuesday_evenings();
    auto const start = utc_ms(2026, 12, 1, 18, 0); // Tuesday 1 December, 19:00 in Brussels
    CHECK_FALSE(open_session(s, start - 11 * minute));
    auto const lobby = open_session(s, start - 10 * minute);
    REQUIRE(lobby);
    CHECK(*lobby == session_time{start - 10 * minute, start, start + 90 * minute});
    CHECK(open_session(s, start + 89 * minute) == lobby);
    CHECK_FALSE(open_session(s, start + 90 * minute));
    // While one is open, the next is the week after.
    CHECK(next_session(s, start)->start == utc_ms(2026, 12, 8, 18, 0));
    // Two sessions a week, the nearer first.
    schedule const twice{"Europe/Brussels", {session_of("thu 10:00-11:30"), session_of("tue 19:00-20:30")}, 10};
    CHECK(next_session(twice, start + 90 * minute)->start == utc_ms(2026, 12, 3, 9, 0));
    CHECK_FALSE(next_session(schedule{"Europe/Brussels", {}, 10}, start));
    CHECK_FALSE(next_session(schedule{"Europe/Atlantis", {session_of("tue 19:00-20:30")}, 10}, start));
}
