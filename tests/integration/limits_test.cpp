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

std::string code_of(json::object const& error) { return std::string{error.at("code").as_string()}; }

// The connection still answers after a refused request.
void check_alive(ws_client& client)
{
    client.send(R"({"type":"ping","ref":"alive"})");
    CHECK(client.expect("pong").at("ref").as_string() == "alive");
}

} // namespace

TEST_CASE("a cross-origin upgrade is refused with 403")
{
    kring_process server;
    auto const own = "http://127.0.0.1:" + std::to_string(server.port());
    CHECK(ws_client::upgrade_status(server.port(), std::nullopt) == 101);
    CHECK(ws_client::upgrade_status(server.port(), own) == 101);
    for (auto const& origin : {std::string{"null"}, own + ".evil.example", "https://127.0.0.1:" + std::to_string(server.port()),
                               std::string{"http://evil.example"}, std::string{"http://127.0.0.1:1"}})
        CHECK_MESSAGE(ws_client::upgrade_status(server.port(), origin) == 403, origin);
}

TEST_CASE("permessage-deflate is not negotiated")
{
    kring_process server;
    auto const response = ws_client::upgrade(server.port(), std::nullopt, true);
    CHECK(response.result_int() == 101);
    CHECK(response.find(boost::beast::http::field::sec_websocket_extensions) == response.end());
}

TEST_CASE("an explicitly allowed origin is the only one accepted")
{
    kring_process server{{"--allow-origin", "https://kring.example.org"}};
    CHECK(ws_client::upgrade_status(server.port(), "https://kring.example.org") == 101);
    CHECK(ws_client::upgrade_status(server.port(), "http://127.0.0.1:" + std::to_string(server.port())) == 403);
}

TEST_CASE("a full room refuses the next joiner")
{
    kring_process server{{"--room-capacity", "2"}};
    std::vector<std::unique_ptr<ws_client>> members;
    for (int i = 0; i < 2; ++i) {
        members.push_back(std::make_unique<ws_client>(server.port()));
        members.back()->hello();
        members.back()->join("demo");
    }
    ws_client third{server.port()};
    third.hello();
    third.send(R"({"type":"join","room":"demo","ref":"j"})");
    auto const error = third.expect("error");
    CHECK(code_of(error) == "room_full");
    CHECK(error.at("ref").as_string() == "j");
    check_alive(third);
}

TEST_CASE("bad input gets its error code and the connection lives on")
{
    kring_process server;
    ws_client client{server.port()};

    struct bad_case {
        std::string frame;
        std::string code;
    };
    std::vector<bad_case> const before_hello{
        {"not json", "bad_json"},
        {"[1,2]", "not_object"},
        {std::string(40, '[') + std::string(40, ']'), "too_deep"},
        {"{}", "unknown_type"},
        {R"({"type":"fly"})", "unknown_type"},
        {R"({"type":"say","room":"demo","text":"hi"})", "hello_required"},
        {R"({"type":"hello","v":2})", "unsupported_version"},
        {R"({"type":"hello"})", "missing_field"},
    };
    for (auto const& c : before_hello) {
        client.send(c.frame);
        CHECK_MESSAGE(code_of(client.expect("error")) == c.code, c.frame);
    }
    client.hello();
    std::vector<bad_case> const after_hello{
        {R"({"type":"hello","v":1})", "already_welcomed"},
        {R"({"type":"join"})", "missing_field"},
        {R"({"type":"join","room":5})", "bad_field"},
        {R"({"type":"join","room":"Not A Slug"})", "bad_field"},
        {R"({"type":"join","room":"nowhere"})", "no_such_room"},
        {R"({"type":"join","room":"demo","name":"a\u202eb"})", "bad_name"},
        {R"({"type":"say","room":"demo","text":"hi"})", "not_in_room"},
    };
    for (auto const& c : after_hello) {
        client.send(c.frame);
        CHECK_MESSAGE(code_of(client.expect("error")) == c.code, c.frame);
    }
    client.join("demo");
    client.send(R"({"type":"join","room":"demo"})");
    CHECK(code_of(client.expect("error")) == "already_joined");
    client.send(R"({"type":"say","room":"demo","text":"   "})");
    CHECK(code_of(client.expect("error")) == "bad_text");

    std::string longest;
    for (int i = 0; i < 2000; ++i)
        longest += "é";
    client.say("demo", longest + "é");
    CHECK(code_of(client.expect("error")) == "too_long");
    client.say("demo", longest);
    CHECK(client.expect("message").at("text").as_string().size() == longest.size());

    client.send_binary(R"({"type":"ping"})");
    CHECK(code_of(client.expect("error")) == "binary_frame");
    check_alive(client);
}

TEST_CASE("an oversized frame closes that connection only")
{
    kring_process server{{"--max-frame-bytes", "4096"}};
    ws_client big{server.port()};
    ws_client other{server.port()};
    big.hello();
    other.hello();
    other.join("demo");
    big.send(R"({"type":"say","room":"demo","text":")" + std::string(5000, 'x') + R"("})");
    CHECK(big.read_until_closed(5s).close_code == 1009);
    check_alive(other);
    other.say("demo", "still talking");
    CHECK(other.expect("message").at("text").as_string() == "still talking");
}

TEST_CASE("a member that never reads is dropped while the others keep receiving")
{
    kring_process server{{"--max-send-queue-bytes", "65536", "--shutdown-timeout", "1"}};
    ws_client stalled{server.port(), {.origin = std::nullopt, .receive_buffer_bytes = 4096}};
    ws_client speaker{server.port()};
    ws_client listener{server.port()};
    for (auto* c : {&stalled, &speaker, &listener}) {
        c->hello();
        c->join("demo");
    }
    speaker.expect("member_joined");
    stalled.send(R"({"type":"ping"})"); // the stalled one is connected and then stops reading

    std::string const text(1900, 'z');
    constexpr int messages = 3000; // ~6 MB: far past the queue and the socket buffers
    for (int i = 0; i < messages; ++i) {
        speaker.say("demo", text);
        CHECK(speaker.expect("message").at("seq").to_number<int>() == i + 1);
        CHECK(listener.expect("message").at("seq").to_number<int>() == i + 1);
    }
    auto const ending = stalled.read_until_closed(10s);
    CHECK(ending.frames_before < messages);
    CHECK(server.log().find("send queue full") != std::string::npos);
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
    CHECK_THROWS(ws_client{server.port()}); // closed at once, before the handshake
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
