#pragma once

#include "connection_registry.hpp"
#include "server_context.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message_generator.hpp>
#include <boost/beast/http/string_body.hpp>

#include <filesystem>
#include <optional>
#include <memory>

namespace kring {

// One HTTP connection: serves the web client's files and /healthz, and hands
// an allowed upgrade at /ws to a websocket_session.
class http_session : public std::enable_shared_from_this<http_session>, public connection {
public:
    http_session(boost::asio::ip::tcp::socket socket, server_context& context,
                 std::filesystem::path const& web_root);

    void start();
    void shut_down() override;

private:
    using request = boost::beast::http::request<boost::beast::http::string_body>;

    boost::asio::awaitable<void> run();
    boost::beast::http::message_generator respond(request const& req) const;
    std::optional<boost::beast::http::status> upgrade_refusal(request const& req) const;

    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    server_context& context_;
    std::filesystem::path const& web_root_;
    std::uint64_t number_ = 0;
    bool stopping_ = false;
};

} // namespace kring
