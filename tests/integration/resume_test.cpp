#include "kring_process.hpp"
#include "ws_client.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <thread>

using namespace kring::test;
namespace json = boost::json;

namespace {

std::string resume_hello(json::object const& welcome, std::uint64_t since)
{
    return json::serialize(json::object{{"type", "hello"},
                                        {"v", 1},
                                        {"resume", welcome.at("token")},
                                        {"since", json::object{{"demo", since}}}});
}

} // namespace

TEST_CASE("a dropped member resumes and gets exactly the messages it missed")
{
    kring_process server{{"--history", "50"}};
    auto amal = std::make_unique<ws_client>(server.port());
    ws_client bo{server.port()};
    auto const welcome = amal->hello();
    bo.hello();
    amal->join("demo", "Amal");
    bo.join("demo");
    amal->expect("member_joined");
    bo.say("demo", "before the drop");
    CHECK(amal->expect("message").at("seq").to_number<int>() == 1);
    bo.expect("message");

    amal->abort();
    for (int i = 0; i < 3; ++i)
        bo.say("demo", "missed " + std::to_string(i));
    for (int i = 0; i < 3; ++i)
        bo.expect("message");

    ws_client again{server.port()};
    again.send(resume_hello(welcome, 1));
    auto const resumed = again.expect("welcome");
    CHECK(resumed.at("resumed").as_bool());
    CHECK(resumed.at("id") == welcome.at("id"));
    CHECK(resumed.at("name") == welcome.at("name"));
    auto const joined = again.expect("joined");
    CHECK(joined.at("you").at("name").as_string() == "Amal");
    auto const& history = joined.at("history").as_array();
    REQUIRE(history.size() == 3);
    CHECK(history[0].at("text").as_string() == "missed 0");
    CHECK(history[2].at("text").as_string() == "missed 2");
    CHECK_FALSE(joined.contains("gap"));

    // The others saw no leave and no join, and the resumed member talks on.
    CHECK_FALSE(bo.receive_for(300ms));
    again.say("demo", "I am back");
    CHECK(bo.expect("message").at("text").as_string() == "I am back");
}

TEST_CASE("a resume that missed more than the ring holds is told of the gap")
{
    kring_process server{{"--history", "2"}};
    auto amal = std::make_unique<ws_client>(server.port());
    ws_client bo{server.port()};
    auto const welcome = amal->hello();
    bo.hello();
    amal->join("demo");
    bo.join("demo");
    amal->abort();
    for (int i = 0; i < 5; ++i)
        bo.say("demo", "m" + std::to_string(i));
    for (int i = 0; i < 5; ++i)
        bo.expect("message");

    ws_client again{server.port()};
    again.send(resume_hello(welcome, 0));
    again.expect("welcome");
    auto const joined = again.expect("joined");
    CHECK(joined.at("gap").as_bool());
    CHECK(joined.at("history").as_array().size() == 2);
}

TEST_CASE("after the grace period a dropped member is gone")
{
    kring_process server{{"--resume-grace", "1"}};
    auto amal = std::make_unique<ws_client>(server.port());
    ws_client bo{server.port()};
    auto const welcome = amal->hello();
    bo.hello();
    amal->join("demo");
    bo.join("demo");
    amal->abort();

    auto const left = bo.expect("member_left", 4s);
    CHECK(left.at("id") == welcome.at("id"));

    ws_client again{server.port()};
    again.send(resume_hello(welcome, 0));
    auto const fresh = again.expect("welcome");
    CHECK_FALSE(fresh.at("resumed").as_bool());
    CHECK(fresh.at("id") != welcome.at("id"));
    CHECK_FALSE(again.receive_for(300ms)); // no rooms to rejoin
}

TEST_CASE("resuming on a second connection closes the first with 4002")
{
    kring_process server;
    ws_client first{server.port()};
    auto const welcome = first.hello();
    first.join("demo");
    ws_client second{server.port()};
    second.send(resume_hello(welcome, 0));
    CHECK(second.expect("welcome").at("resumed").as_bool());
    second.expect("joined");
    CHECK(first.read_until_closed(5s).close_code == 4002);
}
