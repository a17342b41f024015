// A circle's phases and its schedule: closed outside its hours, opened by
// its first member in them or by its moderator early, moved on by those
// running it, and closed at its end like `end`.
#include "circle_people.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/json/value.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>

namespace json = boost::json;
using kring::protocol::circle_phase;
using namespace kring::test;

namespace {

// Tuesday 1 December 2026, 19:00 in Brussels (18:00 UTC).
constexpr std::int64_t tuesday_start = 1'796'148'000'000;
constexpr std::int64_t phase_minute = 60'000;

std::shared_ptr<kring::room> tuesday_room()
{
    auto settings = demo_settings();
    settings.schedule = kring::schedule{"Europe/Brussels", {{2, 19 * 60, 20 * 60 + 30}}, 10};
    return std::make_shared<kring::room>(std::move(settings), 200);
}

std::string join_at(std::shared_ptr<kring::room> const& r, person const& p, std::int64_t now_ms)
{
    return outcome(r->join(p.who, p.who->display_name(), false, false, "en", now_ms));
}

std::string move_to(std::shared_ptr<kring::room> const& r, person const& p, circle_phase phase, std::int64_t now_ms)
{
    return outcome(r->set_phase(*p.who, phase, std::nullopt, now_ms));
}

} // namespace

TEST_CASE("the schedule's moment is what the tests take it for")
{
    using namespace std::chrono;
    auto const t = sys_days{year{2026} / December / 1} + hours{18};
    CHECK(duration_cast<milliseconds>(t.time_since_epoch()).count() == tuesday_start);
}

TEST_CASE("a scheduled circle refuses participants outside its hours and opens with its lobby")
{
    auto const circle = tuesday_room();
    auto const amal = make_person("amal");
    CHECK(join_at(circle, amal, tuesday_start - 11 * phase_minute) == "closed");
    auto const next = circle->next_session_at(tuesday_start - 11 * phase_minute);
    REQUIRE(next);
    CHECK(next->start == tuesday_start);
    CHECK(circle->schedule_zone() == "Europe/Brussels");
    CHECK(join_at(circle, amal, tuesday_start - 10 * phase_minute) == "done");
    auto const joined = parsed(amal.last());
    CHECK(joined.at("phase") == "lobby");
    CHECK(joined.at("session") == json::object{{"opens", tuesday_start - 10 * phase_minute},
                                               {"start", tuesday_start},
                                               {"end", tuesday_start + 90 * phase_minute},
                                               {"zone", "Europe/Brussels"}});
    CHECK(circle->session_end() == tuesday_start + 90 * phase_minute);
    // A round waits for the circle to begin.
    auto const mona = make_moderator("mona", "Mona", {"demo"});
    REQUIRE(join_at(circle, mona, tuesday_start) == "done");
    CHECK(outcome(circle->start_round(*mona.who, std::nullopt, std::nullopt, std::nullopt)) == "wrong_phase");
}

TEST_CASE("those running a circle move it on, never back, and everyone sees each phase")
{
    auto const circle = tuesday_room();
    auto const mona = make_moderator("mona", "Mona", {"demo"});
    auto const fay = make_facilitator("fay", "Fay", "demo");
    auto const amal = make_person("amal");
    REQUIRE(join_at(circle, amal, tuesday_start) == "done");
    REQUIRE(join_at(circle, mona, tuesday_start) == "done");
    REQUIRE(join_at(circle, fay, tuesday_start) == "done");
    CHECK(move_to(circle, mona, circle_phase::check_in, tuesday_start + phase_minute) == "done");
    CHECK(parsed(amal.last()) ==
          json::object{{"type", "phase"}, {"room", "demo"}, {"phase", "check_in"}, {"by", "Mona"}});
    CHECK(outcome(circle->start_round(*mona.who, std::nullopt, "How do you arrive?", std::nullopt)) == "done");
    CHECK(outcome(circle->move_round(*mona.who, kring::protocol::round_step::end, std::nullopt)) == "done");
    CHECK(move_to(circle, fay, circle_phase::sharing, tuesday_start + 20 * phase_minute) == "done");
    CHECK(text(parsed(amal.last()), "phase") == "sharing");
    CHECK(move_to(circle, mona, circle_phase::check_in, tuesday_start + 21 * phase_minute) == "wrong_phase");
    CHECK(move_to(circle, mona, circle_phase::sharing, tuesday_start + 21 * phase_minute) == "wrong_phase");
    CHECK(move_to(circle, amal, circle_phase::check_out, tuesday_start + 21 * phase_minute) == "forbidden");
    CHECK(move_to(circle, fay, circle_phase::check_out, tuesday_start + 80 * phase_minute) == "done");
    // A newcomer sees where the circle is.
    auto const badr = make_person("badr");
    REQUIRE(join_at(circle, badr, tuesday_start + 81 * phase_minute) == "done");
    CHECK(parsed(badr.last()).at("phase") == "check_out");
    REQUIRE(outcome(circle->say(*amal.who, "thank you all", std::nullopt, tuesday_start + 82 * phase_minute)) ==
            "done");
    // Closing sends everyone away, as end does: not a facilitator's in a
    // circle its moderators lead.
    CHECK(move_to(circle, fay, circle_phase::closed, tuesday_start + 85 * phase_minute) == "forbidden");
    auto const before = badr.received();
    CHECK(move_to(circle, mona, circle_phase::closed, tuesday_start + 85 * phase_minute) == "done");
    CHECK(types_since(badr, before) == std::vector<std::string>{"phase", "ended"});
    CHECK(text(parsed(badr.sink->frames[before]), "phase") == "closed");
    CHECK(circle->member_count() == 0);
    CHECK_FALSE(circle->session_end());
    // Still in its hours, it stays closed to participants: closed by hand is closed.
    CHECK(join_at(circle, badr, tuesday_start + 86 * phase_minute) == "closed");
    // Its moderator may open it again; then it starts empty.
    REQUIRE(join_at(circle, mona, tuesday_start + 87 * phase_minute) == "done");
    REQUIRE(move_to(circle, mona, circle_phase::lobby, tuesday_start + 87 * phase_minute) == "done");
    REQUIRE(join_at(circle, badr, tuesday_start + 88 * phase_minute) == "done");
    CHECK(parsed(badr.last()).at("history").as_array().empty());
    CHECK(parsed(badr.last()).at("phase") == "lobby");
}

TEST_CASE("the scheduled end closes the circle like end, unless it was closed since")
{
    auto const circle = tuesday_room();
    auto const amal = make_person("amal");
    REQUIRE(join_at(circle, amal, tuesday_start) == "done");
    auto const end = *circle->session_end();
    circle->session_over(end - 1); // not this session's end: nothing happens
    CHECK(circle->member_count() == 1);
    auto const before = amal.received();
    circle->session_over(end);
    CHECK(types_since(amal, before) == std::vector<std::string>{"phase", "ended"});
    CHECK(circle->member_count() == 0);
    // A join after the end (its timer lost) finds it closed.
    CHECK(join_at(circle, amal, end + phase_minute) == "closed");
}

TEST_CASE("a moderator opens a scheduled circle early, for its next session")
{
    auto const circle = tuesday_room();
    auto const mona = make_moderator("mona", "Mona", {"demo"});
    auto const amal = make_person("amal");
    auto const early = tuesday_start - 60 * phase_minute;
    REQUIRE(join_at(circle, mona, early) == "done"); // she may come in closed
    CHECK(join_at(circle, amal, early) == "closed");
    CHECK(move_to(circle, mona, circle_phase::closed, early) == "wrong_phase"); // nothing open to close
    CHECK(move_to(circle, mona, circle_phase::lobby, early) == "done");
    CHECK(circle->session_end() == tuesday_start + 90 * phase_minute);
    CHECK(join_at(circle, amal, early) == "done");
    CHECK(parsed(amal.last()).at("phase") == "lobby");
}

TEST_CASE("the facilitator of a peer-led circle closes it")
{
    auto settings = demo_settings();
    settings.peer_led = true;
    auto const circle = std::make_shared<kring::room>(std::move(settings), 200);
    auto const fay = make_facilitator("fay", "Fay", "demo");
    auto const amal = make_person("amal");
    seat(circle, {&fay, &amal});
    REQUIRE(move_to(circle, fay, circle_phase::sharing, 1000) == "done");
    CHECK(move_to(circle, fay, circle_phase::closed, 2000) == "done");
    CHECK(circle->member_count() == 0);
}

TEST_CASE("a session past its end is closed when someone running it moves it, and the mover told so")
{
    auto const circle = tuesday_room();
    auto const mona = make_moderator("mona", "Mona", {"demo"});
    auto const amal = make_person("amal");
    REQUIRE(join_at(circle, amal, tuesday_start) == "done");
    REQUIRE(join_at(circle, mona, tuesday_start) == "done");
    auto const end = *circle->session_end(); // its timer never came
    CHECK(move_to(circle, mona, circle_phase::check_out, end + phase_minute) == "not_in_room");
    CHECK(circle->member_count() == 0);
    CHECK(type_of(amal.last()) == "ended");
}

TEST_CASE("a circle without a schedule has phases only once someone running it starts them")
{
    auto const circle = make_room();
    auto const mona = make_moderator("mona", "Mona", {"demo"});
    auto const amal = make_person("amal");
    seat(circle, {&mona, &amal});
    CHECK_FALSE(parsed(amal.last()).contains("phase"));
    CHECK(outcome(circle->start_round(*mona.who, std::nullopt, std::nullopt, std::nullopt)) == "done");
    CHECK(outcome(circle->move_round(*mona.who, kring::protocol::round_step::end, std::nullopt)) == "done");
    CHECK(move_to(circle, mona, circle_phase::sharing, 1000) == "done");
    CHECK(text(parsed(amal.last()), "phase") == "sharing");
    CHECK_FALSE(circle->session_end());
}

TEST_CASE("a turn past the round's soft time brings its holder and those running the circle one reminder")
{
    boost::asio::io_context ioc;
    kring::circle_timers timers{ioc.get_executor()};
    auto const circle = std::make_shared<kring::room>(demo_settings(), 200, 3, &timers);
    auto const mona = make_moderator("mona", "Mona", {"demo"});
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    seat(circle, {&mona, &amal, &badr});
    REQUIRE(outcome(circle->start_round(*mona.who, std::nullopt, std::nullopt, std::nullopt, 60)) == "done");
    CHECK(parsed(badr.last()).at("turn_seconds") == 60);
    CHECK(timers.size() == 1); // the first turn's
    auto const before = counts({&mona, &amal, &badr});
    circle->turn_overdue(1); // the first holder's turn, as its timer would
    CHECK(parsed(amal.last()) ==
          json::object{{"type", "round_reminder"}, {"room", "demo"}, {"holder", "amal"}, {"seconds", 60}});
    CHECK(type_of(mona.last()) == "round_reminder");
    CHECK(counts({&mona, &amal, &badr}) == std::vector<std::size_t>{before[0] + 1, before[1] + 1, before[2]});
    // Amal may go on: nothing stops her.
    CHECK(outcome(circle->say(*amal.who, "one more thing", std::nullopt, 1000)) == "done");
    REQUIRE(outcome(circle->move_round(*amal.who, kring::protocol::round_step::done, std::nullopt)) == "done");
    auto const after = counts({&mona, &amal, &badr});
    circle->turn_overdue(1); // a timer of a turn that is over tells no one
    CHECK(counts({&mona, &amal, &badr}) == after);
    REQUIRE(outcome(circle->move_round(*mona.who, kring::protocol::round_step::end, std::nullopt)) == "done");
    CHECK(timers.size() == 0);
    timers.shutdown();
}

TEST_CASE("a closed circle tells the next opening across Brussels' changes of the clocks")
{
    auto const circle = tuesday_room();
    auto const amal = make_person("amal");
    // Wednesday 25 March 2026, noon UTC: the clocks go forward on Sunday the 29th.
    constexpr std::int64_t after_march = 1'774'440'000'000;
    CHECK(join_at(circle, amal, after_march) == "closed");
    CHECK(circle->next_session_at(after_march)->start == 1'774'976'400'000); // 31 March, 17:00 UTC = 19:00 CEST
    // Wednesday 21 October 2026, noon UTC: the clocks go back on Sunday the 25th.
    constexpr std::int64_t after_october = 1'792'584'000'000;
    CHECK(join_at(circle, amal, after_october) == "closed");
    CHECK(circle->next_session_at(after_october)->start == 1'793'124'000'000); // 27 October, 18:00 UTC = 19:00 CET
}
