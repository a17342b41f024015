#pragma once

#include "net/http_session.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <memory>

namespace kring {

// Accepts connections and gives each one its own strand and http_session.
class listener : public std::enable_shared_from_this<listener> {
public:
    listener(boost::asio::io_context& ioc, boost::asio::ip::tcp::endpoint endpoint, http_context const& context);

    unsigned short port() const;
    void start();
    void stop();

private:
    boost::asio::awaitable<void> accept_loop();

    boost::asio::io_context& ioc_;
    boost::asio::ip::tcp::acceptor acceptor_;
    http_context const& context_;
};

} // namespace kring
