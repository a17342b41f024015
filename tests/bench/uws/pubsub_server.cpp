// The comparison server for tests/bench/side_by_side.sh: uWebSockets' own
// pub/sub, speaking just enough of Kring's protocol for load_gen (hello ->
// welcome, join -> joined and a subscription to the circle, say -> a
// message frame published to everyone in the circle, the sender too). No
// identities, no history, no checks: the floor of what a WebSocket fan-out
// costs on this machine. Built by build.sh against a uWebSockets checkout
// outside Kring's tree; never part of Kring.
//
//   pubsub_server PORT
#include "App.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

// The string value of "key" in a flat JSON object without escapes, as load_gen writes it.
std::string_view field(std::string_view json, std::string_view key)
{
    std::string const quoted = "\"" + std::string{key} + "\":\"";
    auto const at = json.find(quoted);
    if (at == std::string_view::npos)
        return {};
    auto const begin = at + quoted.size();
    return json.substr(begin, json.find('"', begin) - begin);
}

struct person {};

} // namespace

int main(int argc, char** argv)
{
    int const port = argc > 1 ? std::atoi(argv[1]) : 9001;
    uWS::App app;
    app.ws<person>("/ws", {.compression = uWS::DISABLED,
                           .maxPayloadLength = 64 * 1024,
                           .idleTimeout = 120,
                           .maxBackpressure = 1024 * 1024,
                           .message = [&app](auto* ws, std::string_view message, uWS::OpCode) {
                               if (message.starts_with(R"({"type":"say")")) {
                                   auto const room = field(message, "room");
                                   std::string frame = R"({"type":"message","room":")";
                                   frame.append(room).append(R"(","text":")").append(field(message, "text"));
                                   frame.append(R"("})");
                                   app.publish(room, frame, uWS::OpCode::TEXT);
                               } else if (message.starts_with(R"({"type":"join")")) {
                                   auto const room = field(message, "room");
                                   ws->subscribe(room);
                                   ws->send(R"({"type":"joined","room":")" + std::string{room} + R"("})",
                                            uWS::OpCode::TEXT);
                               } else if (message.starts_with(R"({"type":"hello")")) {
                                   ws->send(R"({"type":"welcome","v":1})", uWS::OpCode::TEXT);
                               }
                           }})
        .listen("127.0.0.1", port,
                [port](auto* token) {
                    if (!token) {
                        std::fprintf(stderr, "pubsub_server: cannot listen on %d\n", port);
                        std::exit(1);
                    }
                    std::printf("listening on 127.0.0.1:%d\n", port);
                    std::fflush(stdout);
                })
        .run();
}
