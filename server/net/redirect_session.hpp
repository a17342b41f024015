#pragma once

#include "net/connection_registry.hpp"
#include "net/http_context.hpp"
#include "net/network_threads.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <cstdint>
#include <memory>

namespace kring {

// One connection to the plain-HTTP listener beside native TLS
// (redirect-listen): a request is sent on to the same path on https:// with
// 301, but for certbot's HTTP-01 files under /.well-known/acme-challenge/,
// which are served from acme-webroot. One request, then the connection
// closes. It counts among the chat's connections, so that the same limits
// hold on this port.
class redirect_session : public std::enable_shared_from_this<redirect_session>, public connection {
public:
    redirect_session(network_socket socket, http_context const& context);

    // Serves the connection, or closes it when the limits leave no place.
    static void admit(network_socket socket, http_context const& context);
    void shut_down() override;

private:
    bool start();
    boost::asio::awaitable<void> run();

    network_stream stream_;
    boost::beast::flat_buffer buffer_;
    http_context const& context_;
    std::uint64_t number_ = 0;
};

} // namespace kring
