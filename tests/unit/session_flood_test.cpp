#include "session_harness.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using kring::staff_role;
using kring::session_test::kinds;
using kring::session_test::number;
using kring::session_test::session_harness;
using kring::session_test::strings;
using kring::session_test::test_client;
using kring::session_test::text;
using namespace std::chrono_literals;

// The budgets of `kring serve` by default: 10 at once and 5 a second per
// connection, 40 at once and 20 a second per network. The harness's clock
// for them stands still until a test advances it.
namespace {

std::string const shared_wifi = "203.0.113.9";

void say(session_harness& h, test_client& who, std::string const& words)
{
    h.send(who, {{"type", "say"}, {"room", "demo"}, {"text", words}, {"ref", words}});
}

// `count` says; what the sender got back, by kind.
strings say_many(session_harness& h, test_client& who, int count)
{
    for (int i = 0; i < count; ++i)
        say(h, who, "m" + std::to_string(i));
    return kinds(who.take());
}

// Amal and Badr in demo, everything taken: Amal's join spent one of her 10.
struct pair_in_demo {
    session_harness h;
    test_client& amal;
    test_client& badr;

    pair_in_demo()
        : amal(h.hello())
        , badr(h.hello())
    {
        h.join(amal, "demo");
        h.join(badr, "demo");
        amal.take();
    }
};

} // namespace

TEST_CASE("a connection may send its burst at once; the next message gets rate_limited and reaches no one")
{
    pair_in_demo p;
    CHECK(say_many(p.h, p.amal, 9) == strings(9, "message"));
    CHECK(kinds(p.badr.take()) == strings(9, "message"));

    say(p.h, p.amal, "one too many");
    auto const refused = p.amal.take();
    REQUIRE(kinds(refused) == strings{"error rate_limited"});
    CHECK(text(refused[0], "ref") == "one too many");
    CHECK(number(refused[0], "seconds") == 1); // the next token comes within the second
    CHECK(p.badr.take().empty());
    CHECK(p.amal.link->closes.empty());
}

TEST_CASE("the budget refills at its rate: one message per 200 ms at 5 a second, the whole burst after 2 s")
{
    pair_in_demo p;
    say_many(p.h, p.amal, 9);
    p.h.advance(199ms);
    CHECK(say_many(p.h, p.amal, 1) == strings{"error rate_limited"});
    p.h.advance(1ms);
    CHECK(say_many(p.h, p.amal, 2) == strings{"message", "error rate_limited"});
    p.h.advance(60s); // it never holds more than the burst
    CHECK(say_many(p.h, p.amal, 11) == [] {
        strings burst(10, "message");
        burst.push_back("error rate_limited");
        return burst;
    }());
}

TEST_CASE("a connection that keeps sending while limited is closed with 1008 after 20 refusals a minute")
{
    pair_in_demo p;
    say_many(p.h, p.amal, 9);
    CHECK(say_many(p.h, p.amal, 20) == strings(20, "error rate_limited"));
    CHECK(p.amal.link->closes.empty());

    say(p.h, p.amal, "the 21st while limited");
    CHECK(p.amal.take().empty()); // the close says it all
    REQUIRE(p.amal.link->closes.size() == 1);
    CHECK(p.amal.link->closes[0].code == 1008);
    CHECK(p.amal.link->closes[0].mode == kring::close_mode::after_queued); // the refusals reach it first

    p.h.advance(60s);
    say(p.h, p.amal, "after the close");
    CHECK(p.amal.take().empty()); // nothing is acted on any more
    CHECK(p.badr.take().size() == 9);
}

TEST_CASE("refusals spread over more than a minute do not close the connection")
{
    pair_in_demo p;
    say_many(p.h, p.amal, 9);
    for (int round = 0; round < 3; ++round) {
        CHECK(say_many(p.h, p.amal, 19) == strings(19, "error rate_limited"));
        p.h.advance(61s);
        CHECK(say_many(p.h, p.amal, 10) == strings(10, "message"));
    }
    CHECK(p.amal.link->closes.empty());
}

TEST_CASE("the connections of one network share its budget of 40, and another network has its own")
{
    session_harness h;
    auto& amal = h.hello();
    h.join(amal, "demo");
    for (int n = 0; n < 5; ++n) { // 5 x (a join and 7 says) = 40 from one network
        auto& c = h.hello(std::nullopt, shared_wifi);
        h.join(c, "demo");
        CHECK(say_many(h, c, 7) == strings(7, "message"));
    }
    amal.take();

    auto& sixth = h.hello(std::nullopt, shared_wifi); // a hello is not counted
    h.send(sixth, {{"type", "join"}, {"room", "demo"}, {"ref", "j"}});
    auto const refused = sixth.take();
    REQUIRE(kinds(refused) == strings{"error rate_limited"}); // its own budget is untouched
    CHECK(number(refused[0], "seconds") == 1);
    CHECK(amal.take().empty()); // no member_joined

    auto& elsewhere = h.hello();
    h.join(elsewhere, "demo");
    h.advance(50ms); // 20 a second: one every 50 ms
    h.join(sixth, "demo");
}

TEST_CASE("a moderator is not counted in her network's budget, so a flood from her Wi-Fi cannot silence her")
{
    session_harness h;
    h.add_staff("sara", staff_role::moderator, {"demo"});
    auto& sara = h.hello(std::nullopt, shared_wifi);
    h.log_in(sara, "sara");
    h.join(sara, "demo");
    std::string flooder_id;
    for (int n = 0; n < 4; ++n) { // 4 x (a join and 9 says): the network's 40
        auto& c = h.hello(std::nullopt, shared_wifi);
        h.join(c, "demo");
        CHECK(say_many(h, c, 9) == strings(9, "message"));
        flooder_id = c.id;
    }
    auto& late = h.hello(std::nullopt, shared_wifi);
    h.send(late, {{"type", "join"}, {"room", "demo"}});
    REQUIRE(kinds(late.take()) == strings{"error rate_limited"}); // the network is spent
    sara.take();

    h.send(sara, {{"type", "mute"}, {"room", "demo"}, {"member", flooder_id}, {"ref", "m"}});
    auto answer = kinds(sara.take());
    std::sort(answer.begin(), answer.end());
    CHECK(answer == strings{"muted", "ok"});
    say(h, sara, "Let us take a breath.");
    CHECK(kinds(sara.take()) == strings{"message"});
}

TEST_CASE("what reaches no one is not counted; a leave, a join and a report are")
{
    pair_in_demo p;
    say(p.h, p.badr, "a message to report");
    auto const reported = text(p.amal.take().at(0), "id");
    say_many(p.h, p.amal, 9);

    p.h.send(p.amal, {{"type", "ping"}, {"ref", "p"}});
    CHECK(kinds(p.amal.take()) == strings{"pong"});
    p.h.send(p.amal, {{"type", "report"}, {"room", "demo"}, {"message", reported}});
    p.h.send(p.amal, {{"type", "leave"}, {"room", "demo"}});
    p.h.send(p.amal, {{"type", "join"}, {"room", "demo"}});
    CHECK(kinds(p.amal.take()) == strings(3, "error rate_limited"));
    CHECK(p.h.rooms.find("demo")->member_count() == 2);
}

TEST_CASE("slow mode stays on top of the budget, unchanged")
{
    session_harness h;
    h.add_staff("sara", staff_role::moderator, {"demo"});
    auto& sara = h.hello();
    h.log_in(sara, "sara");
    h.join(sara, "demo");
    auto& amal = h.hello();
    h.join(amal, "demo");
    h.send(sara, {{"type", "room_set"}, {"room", "demo"}, {"slow", 30}});
    amal.take();

    CHECK(say_many(h, amal, 2) == strings{"message", "error slow_mode"});
}

TEST_CASE("the budgets are options: a burst of 2 and 1 a second, 3 refusals before the close")
{
    session_harness h;
    h.settings.message_burst = 2;
    h.settings.message_rate = 1;
    h.settings.flood_refusals = 3;
    auto& amal = h.hello();
    h.join(amal, "demo");
    amal.take();
    CHECK(say_many(h, amal, 4) == strings{"message", "error rate_limited", "error rate_limited", "error rate_limited"});
    h.advance(1s);
    CHECK(say_many(h, amal, 1) == strings{"message"});
    say(h, amal, "the 4th refusal");
    REQUIRE(amal.link->closes.size() == 1);
    CHECK(amal.link->closes[0].code == 1008);
}
