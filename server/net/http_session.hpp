#pragma once

#include "net/http_context.hpp"
#include "net/network_threads.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message_generator.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <memory>
#include <optional>
#include <type_traits>

namespace kring {

// The two kinds of connection: plain TCP, and TLS over it (--tls-cert).
using plain_stream = network_stream;
using tls_stream = boost::beast::ssl_stream<network_stream>;

// One HTTP connection: serves the web client's files and /healthz, and hands
// an allowed upgrade at /ws to a websocket_transport. Over TLS it first
// completes the TLS handshake. Instantiated for both streams in
// http_session.cpp only.
template <class Stream>
class http_session : public std::enable_shared_from_this<http_session<Stream>>, public connection {
public:
    http_session(Stream stream, http_context const& context);

    // Takes a place among the open connections and serves it; false when
    // the limits leave none.
    bool start();
    // For a connection start() found no place for: 503 (once its request is
    // read, see busy_answer in the .cpp), and closed. Over
    // TLS it is only closed: a handshake would spend on a refused client
    // the time the limits are there to save.
    void answer_busy();
    void shut_down() override;

private:
    using request = boost::beast::http::request<boost::beast::http::string_body>;

    static constexpr bool is_tls = std::is_same_v<Stream, tls_stream>;

    boost::asio::awaitable<void> run();
    void log_network() const; // log-networks: this connection's network, cut short
    boost::asio::awaitable<bool> handshake();
    boost::asio::awaitable<void> finish();
    bool follow_proxy(request const& req);
    boost::beast::http::message_generator respond(request const& req) const;
    struct upgrade_refused {
        boost::beast::http::status status;
        char const* why; // for the log
    };
    std::optional<upgrade_refused> upgrade_refusal(request const& req) const;

    Stream stream_;
    boost::beast::flat_buffer buffer_;
    http_context const& context_;
    std::optional<digest> network_; // keyed hash of the client's network
    std::optional<boost::asio::ip::address> proxy_; // the peer, when it is a trusted proxy
    bool proxied_https_ = false;    // that proxy says the client's page is https
    std::uint64_t number_ = 0;
    bool stopping_ = false;
};

} // namespace kring
