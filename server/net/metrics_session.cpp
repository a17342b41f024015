#include "net/metrics_session.hpp"

#include "log.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace kring {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

response answer(request const& req, metrics_endpoints const& endpoints)
{
    auto status = http::status::ok;
    std::string body;
    std::string type = "text/plain; charset=utf-8";
    if (req.method() != http::verb::get && req.method() != http::verb::head) {
        status = http::status::method_not_allowed;
        body = "method not allowed\n";
    } else if (req.target() == "/metrics") {
        body = endpoints.text();
        type = "text/plain; version=0.0.4; charset=utf-8";
    } else if (req.target() == "/healthz") {
        body = "ok\n";
    } else if (req.target() == "/readyz") {
        bool const ready = endpoints.ready();
        status = ready ? http::status::ok : http::status::service_unavailable;
        body = ready ? "ready\n" : "not ready\n";
    } else {
        status = http::status::not_found;
        body = "not found\n";
    }
    response res{status, req.version()};
    res.set(http::field::server, "kring");
    res.set(http::field::content_type, type);
    res.set(http::field::cache_control, "no-store");
    res.keep_alive(req.keep_alive());
    res.body() = std::move(body);
    auto const length = res.body().size();
    if (req.method() == http::verb::head)
        res.body().clear();
    res.content_length(length); // a HEAD's is that of the GET
    return res;
}

} // namespace

metrics_session::metrics_session(network_socket socket, metrics_endpoints& endpoints)
    : stream_(std::move(socket))
    , endpoints_(endpoints)
    , open_(endpoints.open)
{
    open_->fetch_add(1, std::memory_order_relaxed);
}

metrics_session::~metrics_session()
{
    open_->fetch_sub(1, std::memory_order_relaxed);
}

void metrics_session::admit(network_socket socket, metrics_endpoints& endpoints)
{
    if (endpoints.open->load(std::memory_order_relaxed) >= endpoints.max_connections) {
        boost::system::error_code ignored;
        socket.close(ignored);
        return;
    }
    auto const session = std::make_shared<metrics_session>(std::move(socket), endpoints);
    asio::co_spawn(session->stream_.get_executor(), [session] { return session->run(); },
                   log::on_exception("metrics connection"));
}

asio::awaitable<void> metrics_session::run()
{
    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(4096);
        parser.body_limit(0);
        stream_.expires_after(endpoints_.timeout);
        auto const [ec, bytes] =
            co_await http::async_read(stream_, buffer_, parser, asio::as_tuple(asio::use_awaitable));
        if (ec)
            break;
        auto const req = parser.release();
        auto res = answer(req, endpoints_);
        bool const keep_alive = res.keep_alive();
        auto const [write_error, written] =
            co_await http::async_write(stream_, res, asio::as_tuple(asio::use_awaitable));
        if (write_error || !keep_alive)
            break;
    }
    beast::error_code ignored;
    stream_.socket().shutdown(asio::socket_base::shutdown_send, ignored);
}

} // namespace kring
