#pragma once

#include "net/network_threads.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace kring {

// What the metrics listener's connections share.
struct metrics_endpoints {
    std::function<std::string()> text; // the body of GET /metrics
    std::function<bool()> ready;       // whether GET /readyz says 200
    std::chrono::seconds timeout;      // to read one request
    std::size_t max_connections = 8;   // open at once (metrics-connections); past it, closed at once
    // Sessions open now; shared, as the last sessions may end after these endpoints.
    std::shared_ptr<std::atomic<std::size_t>> open = std::make_shared<std::atomic<std::size_t>>(0);
};

// One connection to the metrics listener: plain HTTP, GET or HEAD of
// /metrics, /healthz or /readyz, nothing else. Never upgraded, never served
// files, and not counted among the chat connections.
class metrics_session : public std::enable_shared_from_this<metrics_session> {
public:
    metrics_session(network_socket socket, metrics_endpoints& endpoints);
    ~metrics_session();

    // Serves the connection, or closes it when max_connections are open.
    static void admit(network_socket socket, metrics_endpoints& endpoints);

private:
    boost::asio::awaitable<void> run();

    network_stream stream_;
    boost::beast::flat_buffer buffer_;
    metrics_endpoints& endpoints_;
    std::shared_ptr<std::atomic<std::size_t>> open_;
};

} // namespace kring
