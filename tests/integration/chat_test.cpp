#include "kring_process.hpp"
#include "ws_client.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <string>
#include <vector>

using namespace kring::test;
namespace json = boost::json;

namespace {

std::string text_of(json::object const& message) { return std::string{message.at("text").as_string()}; }
std::uint64_t seq_of(json::object const& message) { return message.at("seq").to_number<std::uint64_t>(); }

} // namespace

TEST_CASE("two members see each other's messages once and in order")
{
    kring_process server;
    ws_client amal{server.port()};
    ws_client bo{server.port()};
    auto const amal_id = amal.hello().at("id").as_string();
    auto const bo_id = bo.hello().at("id").as_string();
    amal.join("demo", "Amal");
    bo.join("demo");
    amal.expect("member_joined");

    // Each line is seen by both members before the other one speaks, so the
    // room's order is the order of speaking.
    constexpr int rounds = 20;
    for (int i = 0; i < rounds; ++i) {
        bool const amal_speaks = i % 2 == 0;
        (amal_speaks ? amal : bo).say("demo", "line " + std::to_string(i), "r" + std::to_string(i));
        for (auto* reader : {&amal, &bo}) {
            auto const message = reader->expect("message");
            CHECK(text_of(message) == "line " + std::to_string(i));
            CHECK(seq_of(message) == static_cast<std::uint64_t>(i + 1));
            CHECK(message.at("from").at("id").as_string() == (amal_speaks ? amal_id : bo_id));
            bool const own = amal_speaks == (reader == &amal);
            CHECK(message.contains("ref") == own);
            if (own)
                CHECK(message.at("ref").as_string() == "r" + std::to_string(i));
        }
    }
    CHECK_FALSE(amal.receive_for(200ms)); // nothing twice
    CHECK_FALSE(bo.receive_for(200ms));
}

TEST_CASE("messages sent at once by several members reach everyone in one order")
{
    kring_process server;
    ws_client amal{server.port()};
    ws_client bo{server.port()};
    amal.hello();
    bo.hello();
    amal.join("demo");
    bo.join("demo");
    amal.expect("member_joined");
    constexpr int each = 50;
    for (int i = 0; i < each; ++i) {
        amal.say("demo", "a" + std::to_string(i));
        bo.say("demo", "b" + std::to_string(i));
    }
    std::vector<std::string> seen_by_amal;
    std::vector<std::string> seen_by_bo;
    for (int i = 0; i < 2 * each; ++i) {
        auto const a = amal.expect("message");
        auto const b = bo.expect("message");
        CHECK(seq_of(a) == static_cast<std::uint64_t>(i + 1));
        CHECK(seq_of(b) == static_cast<std::uint64_t>(i + 1));
        seen_by_amal.push_back(text_of(a));
        seen_by_bo.push_back(text_of(b));
    }
    CHECK(seen_by_amal == seen_by_bo);
    // Each member's own lines keep the order they were sent in.
    int next_a = 0;
    int next_b = 0;
    for (auto const& text : seen_by_amal) {
        if (text[0] == 'a')
            CHECK(text == "a" + std::to_string(next_a++));
        else
            CHECK(text == "b" + std::to_string(next_b++));
    }
}


TEST_CASE("a late joiner gets the recent messages as history")
{
    kring_process server{{"--history", "3"}};
    ws_client amal{server.port()};
    amal.hello();
    amal.join("demo");
    for (int i = 1; i <= 5; ++i)
        amal.say("demo", "message " + std::to_string(i));
    for (int i = 1; i <= 5; ++i)
        amal.expect("message");

    ws_client late{server.port()};
    late.hello();
    auto const joined = late.join("demo");
    auto const& history = joined.at("history").as_array();
    REQUIRE(history.size() == 3);
    CHECK(text_of(history[0].as_object()) == "message 3");
    CHECK(text_of(history[2].as_object()) == "message 5");
    CHECK(joined.at("seq").to_number<int>() == 5);
    CHECK(joined.at("members").as_array().size() == 2);
}

TEST_CASE("a member who leaves is seen leaving by the others")
{
    kring_process server;
    ws_client amal{server.port()};
    ws_client bo{server.port()};
    amal.hello();
    auto const bo_id = bo.hello().at("id").as_string();
    amal.join("demo");
    bo.join("demo", "Bo");
    auto const announced = amal.expect("member_joined");
    CHECK(announced.at("member").at("name").as_string() == "Bo");
    CHECK(announced.at("member").at("role").as_string() == "participant");

    bo.send(R"({"type":"leave","room":"demo"})");
    CHECK(bo.expect("left").at("room").as_string() == "demo");
    auto const left = amal.expect("member_left");
    CHECK(left.at("id").as_string() == bo_id);

    bo.say("demo", "still here?", "x");
    auto const error = bo.expect("error");
    CHECK(error.at("code").as_string() == "not_in_room");
    CHECK(error.at("ref").as_string() == "x");
}
