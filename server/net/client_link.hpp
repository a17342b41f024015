#pragma once

#include "frame.hpp"
#include "identity.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

// The seam between a connection and what speaks over it: the transport
// (net/websocket_transport) implements client_link and calls a
// frame_handler; a client session (session/) is the handler. Light on
// purpose: no Beast here, so sessions and their tests compile without it.
namespace kring {

// Whether a close waits for the frames already queued (a last answer to the
// client) or drops them (the client is too slow, or is being shut out).
enum class close_mode { drop_queued, after_queued };

// What the client on the other end may be sent. Safe from any thread: the
// transport posts the work to its connection's network thread.
class client_link {
public:
    virtual ~client_link() = default;
    virtual void send(shared_frame frame) = 0;
    virtual void close(std::uint16_t code, std::string reason, close_mode mode) = 0;
    // The loop of the network thread the connection lives on: where its
    // handler runs, one handler at a time, and where work of its own belongs.
    virtual boost::asio::any_io_executor executor() = 0;
};

// What a transport hands its frames to, on the connection's network thread.
class frame_handler {
public:
    virtual ~frame_handler() = default;
    // One whole message; the next is not read before this completes.
    virtual boost::asio::awaitable<void> on_frame(std::string_view frame, bool binary) = 0;
    // The connection has ended; no frame comes after this.
    virtual void on_closed() = 0;
};

// Who a new connection is, for the handler that speaks with it.
struct connection_info {
    std::uint64_t number = 0;       // for the logs
    std::optional<digest> network;  // keyed hash of the client's network (/32 or /64)
    // The circle the WebSocket was opened for (/ws/c/SLUG), so that a proxy
    // can route each circle to one node; empty: /ws, any circle.
    std::string circle = {};
};

// The circle a WebSocket's request target names: "" for /ws, SLUG for
// /ws/c/SLUG (1 to 64 of a-z, 0-9 and -, as slugs are), nothing for anything else.
std::optional<std::string> websocket_circle(std::string_view target);

using handler_factory =
    std::function<std::shared_ptr<frame_handler>(std::shared_ptr<client_link> link, connection_info const& info)>;

} // namespace kring
