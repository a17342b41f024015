#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace kring::test {

using namespace std::chrono_literals;

// A blocking WebSocket client for tests, built on Beast. Every wait has a
// time limit, so a broken server fails the test instead of hanging it.
struct ws_options {
    int receive_buffer_bytes = 0; // 0: the system's default
};

class ws_client {
public:
    explicit ws_client(unsigned short port, ws_options opts = {});
    ~ws_client();

    // The server's answer to an upgrade attempt that offers permessage-deflate.
    static boost::beast::websocket::response_type upgrade_offering_deflate(unsigned short port);

    void send(std::string const& text);

    // The next frame; throws if none comes in time or the connection ends.
    boost::json::object receive(std::chrono::milliseconds timeout = 5s);
    // The next frame, which must be of this type.
    boost::json::object expect(std::string const& type, std::chrono::milliseconds timeout = 5s);

    struct ending {
        int close_code; // 0: the connection ended without a close frame
        std::size_t frames_before;
    };
    // Reads (and counts) frames until the connection ends.
    ending read_until_closed(std::chrono::milliseconds timeout);

    // Protocol helpers.
    boost::json::object hello();
    boost::json::object join(std::string const& room, std::optional<std::string> name = {});
    void say(std::string const& room, std::string const& text, std::optional<std::string> ref = {});

private:
    bool run_until(bool const& done, std::chrono::milliseconds timeout);
    void start_read();

    boost::asio::io_context ioc_;
    boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
    boost::beast::flat_buffer buffer_;
    bool read_pending_ = false;
    bool read_done_ = false;
    boost::beast::error_code read_error_;
};

} // namespace kring::test
