#pragma once

#include <boost/asio/basic_stream_socket.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/basic_stream.hpp>

#include <atomic>
#include <cstddef>
#include <memory>
#include <vector>

namespace kring {

// Where a connection's handlers run: one of the network threads' loops.
// A concrete type, not any_io_executor: a socket holding it is 48 bytes
// smaller, and its pending wait for data 104 (Boost 1.81), on every quiet
// connection.
using network_executor = boost::asio::io_context::executor_type;
using network_socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, network_executor>;
// The socket with Beast's timeouts, for HTTP and under TLS.
using network_stream = boost::beast::basic_stream<boost::asio::ip::tcp, network_executor>;

// The wait for a quiet plain socket to become readable, as the WebSocket
// transport starts it: 104 bytes with Boost 1.81. The transport keeps that
// much room for it (handler_memory.hpp); a unit test checks that it fits.
inline constexpr std::size_t socket_wait_bytes = 104;

// The network threads: one loop (io_context) each, run by that thread
// alone. A connection is given to one loop when it is accepted and lives
// on it to its end, so its handlers run one at a time, as on a strand,
// without a strand's queue and lock. What connections share (circles,
// identities, the registry) is guarded as between threads. The first loop
// also runs the listeners, the signals and the server's timers.
class network_threads {
public:
    explicit network_threads(unsigned count);
    network_threads(network_threads const&) = delete;
    network_threads& operator=(network_threads const&) = delete;

    boost::asio::io_context& first() { return *loops_.front(); }
    unsigned size() const { return static_cast<unsigned>(loops_.size()); }
    // The loop for the next connection: each in turn. From any thread.
    network_executor next();

    // Runs every loop, the first on this thread, until stop().
    void run();
    // From any thread: every loop returns, leaving what is still pending.
    void stop();

private:
    std::vector<std::unique_ptr<boost::asio::io_context>> loops_;
    // The loops beside the first wait for connections even while they have none.
    std::vector<boost::asio::executor_work_guard<network_executor>> waiting_;
    std::atomic<unsigned> turn_{0};
};

} // namespace kring
