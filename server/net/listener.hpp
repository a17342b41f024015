#pragma once

#include "log.hpp"
#include "net/http_context.hpp"
#include "net/network_threads.hpp"
#include "net/tls_context.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <memory>

namespace kring {

// Accepts connections, gives each one to a network thread's loop in turn
// and serves it with an http_session there,
// over TLS with the certificate `tls` holds at the time when it is given.
// When the process has no file descriptor left, accept() fails at once for
// as long as connections wait: the loop then pauses (100 ms, doubling to
// 1 s while it lasts) instead of spinning, and says so once a second.
class listener : public std::enable_shared_from_this<listener> {
public:
    // What to do with each accepted connection, on the loop it was given to.
    using admit_function = std::function<void(network_socket)>;

    // Serves the web client, its WebSocket and /healthz with `context`, over
    // TLS when `tls` is given.
    listener(network_threads& network, boost::asio::ip::tcp::endpoint endpoint, http_context const& context,
             tls_context const* tls = nullptr);
    // Hands each connection to `admit` (the metrics listener).
    listener(network_threads& network, boost::asio::ip::tcp::endpoint endpoint, admit_function admit);

    unsigned short port() const;
    void start();
    void stop();

private:
    boost::asio::awaitable<void> accept_loop();
    boost::asio::awaitable<std::chrono::milliseconds> pause_accepting(boost::system::error_code ec,
                                                                      std::chrono::milliseconds pause);
    void serve_http(network_socket socket, http_context const& context, tls_context const* tls);
    template <class Session>
    void serve(std::shared_ptr<Session> const& session, bool tls);

    network_threads& network_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::steady_timer pause_timer_;
    admit_function admit_;
    log::throttle accept_failures_{std::chrono::seconds{1}};
    log::throttle refusals_{std::chrono::seconds{1}}; // connections past the limits
};

} // namespace kring
