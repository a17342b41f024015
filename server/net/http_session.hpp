#pragma once

#include "config.hpp"
#include "identity.hpp"
#include "net/connection_registry.hpp"
#include "net/client_link.hpp"
#include "net/origin_policy.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message_generator.hpp>
#include <boost/beast/http/string_body.hpp>

#include <filesystem>
#include <optional>
#include <memory>

namespace kring {

// What every HTTP connection shares.
struct http_context {
    config const& settings;
    connection_registry& connections;
    digest address_key;             // keys the hashes of client networks
    std::filesystem::path web_root; // the web client's files
    handler_factory open_session;   // speaks with each upgraded connection
    host_rules hosts;               // the names an upgrade may be addressed to
};

// One HTTP connection: serves the web client's files and /healthz, and hands
// an allowed upgrade at /ws to a websocket_transport.
class http_session : public std::enable_shared_from_this<http_session>, public connection {
public:
    http_session(boost::asio::ip::tcp::socket socket, http_context const& context);

    // Takes a place among the open connections and serves it; false when
    // the limits leave none.
    bool start();
    // For a connection start() found no place for: 503, and closed.
    void answer_busy();
    void shut_down() override;

private:
    using request = boost::beast::http::request<boost::beast::http::string_body>;

    boost::asio::awaitable<void> run();
    void log_network() const; // log-networks: this connection's network, cut short
    boost::beast::http::message_generator respond(request const& req) const;
    struct upgrade_refused {
        boost::beast::http::status status;
        char const* why; // for the log
    };
    std::optional<upgrade_refused> upgrade_refusal(request const& req) const;

    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    http_context const& context_;
    std::optional<digest> network_; // keyed hash of the client's network
    std::uint64_t number_ = 0;
    bool stopping_ = false;
};

} // namespace kring
