#pragma once

#include "log.hpp"
#include "net/http_session.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
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
    void admit(boost::asio::ip::tcp::socket socket);

    boost::asio::io_context& ioc_;
    boost::asio::ip::tcp::acceptor acceptor_;
    http_context const& context_;
    log::throttle refusals_{std::chrono::seconds{1}}; // connections past the limits
};

} // namespace kring
