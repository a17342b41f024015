#pragma once

#include "config.hpp"
#include "frame.hpp"
#include "identity.hpp"
#include "net/client_link.hpp"
#include "net/connection_registry.hpp"
#include "net/frame_reader.hpp"
#include "net/handler_memory.hpp"
#include "net/network_threads.hpp"
#include "net/send_queue.hpp"
#include "small_mutex.hpp"
#include "small_ring.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <atomic>
#include <cstdint>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kring {

// One WebSocket connection, and nothing but the connection: the upgrade, a
// reader that hands each message to a frame_handler, a writer that drains a
// bounded send queue, the close handshake, timeouts and pings. It knows
// nothing of what the frames mean. Everything runs on the network thread the
// connection was given to: one message handled at a time, one write in
// flight. Frames sent from other threads wait in an inbox, and one pass
// takes them all; the writer then hands every queued frame to one gathered
// write.
//
// Beast answers the upgrade; from then on the connection is Kring's own: a
// quiet one waits for the socket to be readable with no buffer of its own
// (plain TCP), its frames are read by frame_reader from a buffer the thread
// shares, and every frame it writes, pings, pongs and the close frame with
// them, leaves through the one queue.
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
    boost::asio::any_io_executor executor() override { return stream_.get_executor(); }
    void shut_down() override;
    void check_idle() override;

private:
    // Where the connection is in its life; it only moves forward.
    enum class phase {
        handshake,  // upgrading: a close drops the socket
        open,       // frames flow both ways
        closing,    // a close was asked: the queue drains, then the close frame
        close_sent, // the close frame is queued: waiting for the client's
        ended,      // the reader has stopped
    };

    // `asked_at`: when the upgrade was asked for, for the handshake histogram.
    void accept(upgrade_request request, std::chrono::steady_clock::time_point asked_at);
    void opened(std::chrono::steady_clock::time_point asked_at);

    // Reading: wait, take what came, hand a whole message to the handler
    // and wait for it before reading on.
    void read_more();
    void readable(boost::beast::error_code ec);
    void took(boost::beast::error_code ec, std::size_t bytes); // TLS
    bool take(char* bytes, std::size_t size); // false: stop reading for now
    std::size_t read_frames(std::span<char> input);
    void read_held();
    void handle_message();
    void handled();
    void read_ended(boost::beast::error_code ec);
    void client_closed(std::uint16_t code);

    void take_inbox();
    bool enqueue(shared_frame frame);
    void begin_close(std::uint16_t code, std::string_view reason, close_mode mode);
    void write_pending();
    void written(boost::beast::error_code ec);
    void tear_down_when_done();
    void idle(bool silent_after_ping);
    void drop();
    void clear_queue(); // and the queued-bytes gauge with it
    void end();

    Stream stream_;
    config const& settings_;
    connection_registry& connections_;
    std::uint64_t number_ = 0;
    std::shared_ptr<frame_handler> handler_; // until the connection ends
    send_queue queue_;
    shared_frame close_frame_; // Kring's, once a close was asked
    frame_reader reader_;
    // Bytes come but not yet read: a frame in pieces, or those after a
    // message being handled. None on a quiet connection.
    std::unique_ptr<std::string> held_;
    std::unique_ptr<char[]> tls_buffer_; // what TLS decrypts into (plain TCP reads into the thread's)

    phase phase_ = phase::handshake;
    bool handling_ = false;      // a message is with the handler: reading waits
    bool writing_ = false;       // a gathered write is on its way
    bool close_queued_ = false;  // Kring's close frame is in the queue
    bool close_written_ = false; // ... and has left
    bool client_closed_ = false; // the client's close frame came
    bool broken_ = false;        // the client broke the protocol: what it sends is dropped
    // Something came since the last keep-alive tick: set here, read and
    // cleared by the tick, which comes from the registry on any thread.
    std::atomic<bool> heard_{true};
    bool pinged_ = false; // the last tick found it silent (the ticks alone touch it, one at a time)
    bool inbox_posted_ = false; // a pass will take the inbox (under the inbox's lock)
    bool inbox_shut_ = false;   // a close was asked: later frames are not sent (the same)

    // Frames sent since the last pass took them, from any thread; it keeps
    // no slots once taken, as the send queue does.
    small_mutex inbox_mutex_;
    small_ring<shared_frame, 0> inbox_;

    // The wait for the socket to be readable lives here (plain TCP), not on
    // the heap: it is pending as long as the connection is quiet. Were it
    // larger than socket_wait_bytes, it would take the heap.
    using wait_allocator = handler_allocator<char, socket_wait_bytes>;
    handler_memory<socket_wait_bytes> wait_memory_;

    // The deadline for the close handshake, made when a close begins: a
    // connection's keep-alive needs no timer of its own (check_idle).
    std::unique_ptr<boost::asio::steady_timer> close_timer_;
};

} // namespace kring
