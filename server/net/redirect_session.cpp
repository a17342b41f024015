#include "net/redirect_session.hpp"

#include "log.hpp"
#include "net/address_mark.hpp"
#include "net/origin_policy.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/message_generator.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

namespace kring {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

constexpr std::string_view challenge_prefix = "/.well-known/acme-challenge/";

http::message_generator plain(http::status status, std::string body, unsigned version)
{
    http::response<http::string_body> res{status, version};
    res.set(http::field::server, "kring");
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.keep_alive(false);
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

// An ACME token is base64url (RFC 8555, 8.3): nothing else names a file,
// so no dot, no slash, no way out of the folder.
bool is_token(std::string_view token)
{
    return !token.empty() && token.size() <= 256 && std::all_of(token.begin(), token.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

http::message_generator challenge(std::filesystem::path const& webroot, std::string_view token, unsigned version)
{
    if (!is_token(token))
        return plain(http::status::not_found, "not found\n", version);
    auto const file = webroot / ".well-known" / "acme-challenge" / std::string{token};
    std::error_code regular_ec;
    if (!std::filesystem::is_regular_file(file, regular_ec))
        return plain(http::status::not_found, "not found\n", version);
    http::file_body::value_type body;
    beast::error_code ec;
    body.open(file.c_str(), beast::file_mode::scan, ec);
    if (ec)
        return plain(http::status::not_found, "not found\n", version);
    http::response<http::file_body> res{std::piecewise_construct, std::make_tuple(std::move(body)),
                                        std::make_tuple(http::status::ok, version)};
    res.set(http::field::server, "kring");
    res.set(http::field::content_type, "application/octet-stream");
    res.set(http::field::cache_control, "no-store");
    res.keep_alive(false);
    res.prepare_payload();
    return res;
}

// The name in a Host header, without its port ("[::1]" keeps its brackets).
std::string_view name_of(std::string_view host)
{
    if (host.starts_with('['))
        return host.substr(0, host.find(']') + 1);
    return host.substr(0, host.find(':'));
}

// 301 to the same path on the HTTPS listener, for a name this server
// answers to only (never an open redirect); 400 for anything else.
http::message_generator redirect(http::request<http::string_body> const& req, host_rules const& hosts)
{
    auto const target = std::string_view{req.target()};
    auto const name = std::string{name_of(req[http::field::host])};
    auto const port = hosts.listen_port;
    if (req.count(http::field::host) != 1 || name.empty() || !target.starts_with('/') ||
        !host_allowed(name + ":" + std::to_string(port), hosts))
        return plain(http::status::bad_request, "this server speaks https only\n", req.version());
    http::response<http::string_body> res{http::status::moved_permanently, req.version()};
    res.set(http::field::server, "kring");
    res.set(http::field::location,
            "https://" + name + (port == 443 ? "" : ":" + std::to_string(port)) + std::string{target});
    res.keep_alive(false);
    res.prepare_payload();
    return res;
}

} // namespace

redirect_session::redirect_session(network_socket socket, http_context const& context)
    : stream_(std::move(socket))
    , context_(context)
{
}

void redirect_session::admit(network_socket socket, http_context const& context)
{
    auto const session = std::make_shared<redirect_session>(std::move(socket), context);
    if (!session->start()) {
        beast::error_code ignored;
        session->stream_.socket().close(ignored);
    }
}

bool redirect_session::start()
{
    number_ = context_.connections.add(weak_from_this(), address_mark_of(context_.address_key, stream_.socket()));
    if (number_ == 0)
        return false;
    asio::co_spawn(stream_.get_executor(), [self = shared_from_this()] { return self->run(); },
                   log::on_exception("redirect session"));
    return true;
}

void redirect_session::shut_down()
{
    asio::post(stream_.get_executor(), [self = shared_from_this()] { self->stream_.cancel(); });
}

asio::awaitable<void> redirect_session::run()
{
    http::request_parser<http::string_body> parser;
    parser.header_limit(8 * 1024);
    parser.body_limit(1024);
    stream_.expires_after(context_.settings.http_timeout);
    auto const [ec, bytes] = co_await http::async_read(stream_, buffer_, parser, asio::as_tuple(asio::use_awaitable));
    if (!ec) {
        auto const req = parser.release();
        auto const target = std::string_view{req.target()};
        auto const& webroot = context_.settings.acme_webroot;
        auto response = webroot && target.starts_with(challenge_prefix)
                            ? challenge(*webroot, target.substr(challenge_prefix.size()), req.version())
                            : redirect(req, context_.hosts);
        co_await beast::async_write(stream_, std::move(response), asio::as_tuple(asio::use_awaitable));
    } else if (ec.category() == beast::http::make_error_code(http::error::bad_target).category() &&
               ec != http::error::end_of_stream) {
        // Not HTTP: say so, as the chat's listener does.
        co_await beast::async_write(stream_, plain(http::status::bad_request, "bad request\n", 11),
                                    asio::as_tuple(asio::use_awaitable));
    }
    context_.connections.remove(number_);
    beast::error_code ignored;
    stream_.socket().shutdown(asio::socket_base::shutdown_send, ignored);
}

} // namespace kring
