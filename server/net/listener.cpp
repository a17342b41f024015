#include "net/listener.hpp"

#include "net/http_session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace kring {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

listener::listener(asio::io_context& ioc, tcp::endpoint endpoint, http_context const& context)
    : ioc_(ioc)
    , acceptor_(asio::make_strand(ioc))
    , context_(context)
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
    });
}

asio::awaitable<void> listener::accept_loop()
{
    while (acceptor_.is_open()) {
        // Each connection gets its own strand: its handlers never run at once.
        auto [ec, socket] = co_await acceptor_.async_accept(asio::make_strand(ioc_),
                                                            asio::as_tuple(asio::use_awaitable));
        if (ec == asio::error::operation_aborted || !acceptor_.is_open())
            break;
        if (ec) {
            log::warn("accept failed: " + ec.message());
            continue;
        }
        admit(std::move(socket));
    }
}

void listener::admit(tcp::socket socket)
{
    boost::system::error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    auto const session = std::make_shared<http_session>(std::move(socket), context_);
    if (session->start())
        return;
    // Logged first: by the time the client reads its 503, the log has it.
    refusals_.warn("connection refused with 503: the connection limit, or one network's share of it, is reached");
    session->answer_busy();
}

} // namespace kring
