#pragma once

#include "config.hpp"
#include "frame.hpp"
#include "identity.hpp"
#include "net/batch_stream.hpp"
#include "net/client_link.hpp"
#include "net/connection_registry.hpp"
#include "net/send_queue.hpp"
#include "small_ring.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <cstdint>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace kring {

// One WebSocket connection, and nothing but the connection: the upgrade, a
// reader that hands each message to a frame_handler, a writer that drains a
// bounded send queue, the close handshake, timeouts and pings. It knows
// nothing of what the frames mean. Everything runs on the connection's
// strand: one read at a time, one write in flight. Frames sent from other
// threads wait in an inbox, and one pass of the strand takes them all; the
// writer then hands every queued frame to one gathered write (batch_stream).
// `Stream` is plain TCP or TLS over it; defined in
// websocket_transport_impl.hpp, instantiated for each in a source of its own.
template <class Stream>
class websocket_transport : public std::enable_shared_from_this<websocket_transport<Stream>>,
                            public client_link,
                            public connection {
public:
    using upgrade_request = boost::beast::http::request<boost::beast::http::string_body>;

    websocket_transport(Stream stream, config const& settings, connection_registry& connections);

    // Takes over the place among the open connections that the HTTP session
    // held as `number`, makes the handler and runs the connection to its end.
    void start(upgrade_request request, std::uint64_t number, std::optional<digest> network,
               handler_factory const& make_handler);

    void send(shared_frame frame) override;
    void close(std::uint16_t code, std::string reason, close_mode mode) override;
    void shut_down() override;

private:
    // Where the connection is in its life; it only moves forward.
    enum class phase {
        handshake,  // upgrading: a close drops the socket
        open,       // frames flow both ways
        closing,    // a close was asked: the queue drains, then the close frame
        close_sent, // waiting for the client's close frame or the deadline
        ended,      // the reader has stopped
    };

    boost::asio::awaitable<void> run(upgrade_request request);
    void take_inbox();
    void enqueue(shared_frame frame);
    void begin_close(std::uint16_t code, std::string_view reason, close_mode mode);
    void write_pending();
    void send_close_frame();
    void drop();
    void clear_queue(); // and the queued-bytes gauge with it
    void end();

    // Without permessage-deflate (`false`): frames are framed once for all
    // their recipients (frame.hpp), compression next to secrets over TLS
    // leaks their length, and Beast then compiles none of its zlib code.
    boost::beast::websocket::stream<batch_stream<Stream>, false> ws_;
    config const& settings_;
    connection_registry& connections_;
    std::uint64_t number_ = 0;
    std::shared_ptr<frame_handler> handler_; // until the connection ends
    phase phase_ = phase::handshake;
    send_queue queue_;
    std::chrono::steady_clock::time_point upgrade_asked_; // for the handshake histogram

    // Frames sent since the strand last took them, from any thread.
    std::mutex inbox_mutex_;
    small_ring<shared_frame, 8> inbox_;
    bool inbox_posted_ = false; // a pass of the strand will take the inbox
    bool inbox_shut_ = false;   // a close was asked: later frames are not sent

    boost::beast::websocket::close_reason close_reason_;
    boost::asio::steady_timer close_deadline_;
};

} // namespace kring
