#include "kring_process.hpp"
#include "ws_client.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <string>
#include <thread>
#include <vector>

using namespace kring::test;
namespace json = boost::json;

namespace {

// The connection still answers after a refused request.
void check_alive(ws_client& client)
{
    client.send(R"({"type":"ping","ref":"alive"})");
    CHECK(client.expect("pong").at("ref").as_string() == "alive");
}

} // namespace

TEST_CASE("permessage-deflate is not negotiated")
{
    kring_process server;
    auto const response = ws_client::upgrade_offering_deflate(server.port());
    CHECK(response.result_int() == 101);
    CHECK(response.find(boost::beast::http::field::sec_websocket_extensions) == response.end());
}

TEST_CASE("a member that never reads is dropped while the others keep receiving")
{
    // The speaker floods on purpose, far past the message budgets of a person.
    // The stalled member has megabytes to read through a 4 kB window before
    // the close frame reaches it: on a busy machine that takes more than a
    // second, so the closing handshake gets five.
    kring_process server{{"--max-send-queue-bytes", "65536", "--shutdown-timeout", "5", "--message-rate", "100000",
                          "--message-burst", "100000", "--network-message-rate", "1000000",
                          "--network-message-burst", "1000000"}};
    ws_client stalled{server.port(), {.receive_buffer_bytes = 4096}};
    ws_client speaker{server.port()};
    ws_client listener{server.port()};
    auto const welcome = stalled.hello();
    stalled.join("demo");
    for (auto* c : {&speaker, &listener}) {
        c->hello();
        c->join("demo");
    }
    speaker.expect("member_joined");
    stalled.send(R"({"type":"ping"})"); // the stalled one is connected and then stops reading

    // Up to ~6 MB, far past the queue and the socket buffers, until the server
    // gives up on the stalled member and the room's history (200) has moved
    // past what it saw; then it reads again, so that the close frame reaches
    // it before the server's closing handshake times out.
    std::string const text(1900, 'z');
    constexpr int most_messages = 3000;
    constexpr int past_the_history = 400;
    int messages = 0;
    while (messages < most_messages &&
           (messages < past_the_history || server.log().find("send queue full") == std::string::npos)) {
        speaker.say("demo", text);
        ++messages;
        CHECK(speaker.expect("message").at("seq").to_number<int>() == messages);
        CHECK(listener.expect("message").at("seq").to_number<int>() == messages);
    }
    REQUIRE(server.log().find("send queue full") != std::string::npos);
    auto const ending = stalled.read_until_closed(10s);
    CHECK(ending.close_code == 4001);
    CHECK(ending.frames_before < messages);

    // The others see it away, talk on and see no one leave: two frames
    // each, the away one and the message, in either order.
    auto const stalled_id = welcome.at("id").as_string();
    speaker.say("demo", "flood over");
    for (auto* c : {&speaker, &listener}) {
        bool away = false;
        bool message = false;
        for (int i = 0; i < 2; ++i) {
            auto const frame = c->receive();
            auto const type = frame.at("type").as_string();
            if (type == "member_away") {
                away = true;
                CHECK(frame.at("id").as_string() == stalled_id);
            } else {
                message = true;
                CHECK(type == "message");
                CHECK(frame.at("text").as_string() == "flood over");
            }
        }
        CHECK(away);
        CHECK(message);
    }

    // The dropped identity can be resumed, and learns that it missed more
    // than the room still holds.
    ws_client again{server.port()};
    again.send(json::serialize(json::object{{"type", "hello"},
                                            {"v", 1},
                                            {"resume", welcome.at("token")},
                                            {"since", json::object{{"demo", 0}}}}));
    CHECK(again.expect("welcome").at("resumed").as_bool());
    auto const joined = again.expect("joined");
    CHECK(joined.at("gap").as_bool());

    ws_client newcomer{server.port()};
    newcomer.hello();
}

TEST_CASE("one network cannot take more than its share of connections")
{
    kring_process server{{"--max-connections-per-network", "3"}};
    std::vector<std::unique_ptr<ws_client>> open;
    for (int i = 0; i < 3; ++i) {
        open.push_back(std::make_unique<ws_client>(server.port()));
        open.back()->hello();
    }
    CHECK_THROWS(ws_client{server.port()}); // answered 503 and closed, before the handshake
    CHECK(server.log().find("connection limit") != std::string::npos);
    for (auto& c : open) // the three already open keep working
        check_alive(*c);

    open.pop_back(); // one leaves: its place is free again
    bool reconnected = false;
    for (int attempt = 0; attempt < 50 && !reconnected; ++attempt) {
        try {
            ws_client again{server.port()};
            again.hello();
            reconnected = true;
        } catch (std::exception const&) {
            std::this_thread::sleep_for(20ms);
        }
    }
    CHECK(reconnected);
}
