#include "net/listener.hpp"

#include "net/http_session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace kring {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

namespace {

constexpr auto first_pause = 100ms;
constexpr auto longest_pause = 1000ms;

// Failures that last until some descriptor or buffer is freed: retrying
// at once would fail again, as fast as the loop can go.
bool out_of_resources(boost::system::error_code const& ec)
{
    namespace errc = boost::system::errc;
    return ec == errc::too_many_files_open || ec == errc::too_many_files_open_in_system ||
           ec == errc::no_buffer_space || ec == errc::not_enough_memory;
}

} // namespace

listener::listener(network_threads& network, tcp::endpoint endpoint, http_context const& context,
                   tls_context const* tls)
    : listener(network, std::move(endpoint), admit_function{})
{
    admit_ = [this, &context, tls](network_socket socket) { serve_http(std::move(socket), context, tls); };
}

listener::listener(network_threads& network, tcp::endpoint endpoint, admit_function admit)
    : network_(network)
    , acceptor_(network.first().get_executor())
    , pause_timer_(acceptor_.get_executor())
    , admit_(std::move(admit))
{
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
}

unsigned short listener::port() const
{
    return acceptor_.local_endpoint().port();
}

void listener::start()
{
    asio::co_spawn(acceptor_.get_executor(), [self = shared_from_this()] { return self->accept_loop(); },
                   log::on_exception("the accept loop"));
}

void listener::stop()
{
    asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
        boost::system::error_code ignored;
        self->acceptor_.close(ignored);
        self->pause_timer_.cancel();
    });
}

asio::awaitable<void> listener::accept_loop()
{
    auto pause = std::chrono::milliseconds{first_pause};
    while (acceptor_.is_open()) {
        // The connection lives on the loop it is accepted onto: its handlers
        // never run at once, as that loop has one thread.
        auto [ec, socket] = co_await acceptor_.async_accept(network_.next(), asio::as_tuple(asio::use_awaitable));
        if (ec == asio::error::operation_aborted || !acceptor_.is_open())
            break;
        if (!ec) {
            pause = first_pause;
            admit_(std::move(socket));
        } else if (out_of_resources(ec)) {
            pause = co_await pause_accepting(ec, pause);
        } else {
            accept_failures_.warn("accept failed: " + ec.message());
        }
    }
}

// Waits before the next accept; returns how long the next wait is, should
// the shortage last.
asio::awaitable<std::chrono::milliseconds> listener::pause_accepting(boost::system::error_code ec,
                                                                     std::chrono::milliseconds pause)
{
    accept_failures_.warn("accept paused " + std::to_string(pause.count()) + " ms: " + ec.message());
    pause_timer_.expires_after(pause);
    co_await pause_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
    co_return std::min(pause * 2, std::chrono::milliseconds{longest_pause});
}

void listener::serve_http(network_socket socket, http_context const& context, tls_context const* tls)
{
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    if (tls) {
        auto const current = tls->current();
        serve(std::make_shared<http_session<tls_stream>>(tls_stream{std::move(socket), *current}, context), true);
    } else {
        serve(std::make_shared<http_session<plain_stream>>(plain_stream{std::move(socket)}, context), false);
    }
}

template <class Session>
void listener::serve(std::shared_ptr<Session> const& session, bool tls)
{
    if (session->start())
        return;
    // Logged first: by the time the client reads its 503, the log has it.
    refusals_.warn(tls ? "connection refused (closed before the TLS handshake): the connection limit, or one "
                          "network's share or rate of it, is reached"
                        : "connection refused with 503: the connection limit, or one network's share or rate "
                          "of it, is reached");
    session->answer_busy();
}

} // namespace kring
