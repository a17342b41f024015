#include "net/http_session.hpp"

#include "net/address_mark.hpp"
#include "net/websocket_transport.hpp"
#include "log.hpp"
#include "metrics.hpp"
#include "net/origin_policy.hpp"
#include "net/static_files.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/file_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/asio/ssl/error.hpp>

#include <array>
#include <atomic>
#include <chrono>

namespace kring {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

// Hands the connection to a WebSocket transport over `stream`, which runs it from here on.
template <class Stream>
void open_websocket(Stream stream, http::request<http::string_body> request, std::uint64_t number,
                    std::optional<digest> network, http_context const& context)
{
    auto transport = std::make_shared<websocket_transport<Stream>>(std::move(stream), context.settings,
                                                                   context.connections);
    transport->start(std::move(request), number, std::move(network), context.open_session);
}

constexpr std::size_t max_header_bytes = 8 * 1024;
constexpr std::size_t max_body_bytes = 1024; // Kring takes no uploads

template <class Body>
void add_common_headers(http::response<Body>& res);

// The directory's answer: public, readable from other sites' pages too (an
// organisation may show its circles on its own site), and never cached long.
http::message_generator api_response(http_answer answer, http::request<http::string_body> const& req)
{
    http::response<http::string_body> res{static_cast<http::status>(answer.status), req.version()};
    add_common_headers(res);
    res.set(http::field::content_type, answer.content_type);
    res.set(http::field::cache_control, "no-cache");
    res.set(http::field::access_control_allow_origin, "*");
    res.keep_alive(req.keep_alive());
    res.body() = std::move(answer.body);
    res.prepare_payload();
    if (req.method() == http::verb::head) {
        http::response<http::empty_body> head{res.base()};
        return head;
    }
    return res;
}

template <class Body>
void add_common_headers(http::response<Body>& res)
{
    res.set(http::field::server, "kring");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Referrer-Policy", "no-referrer");
    res.set("X-Frame-Options", "DENY");
    res.set("Content-Security-Policy",
            "default-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; "
            "frame-ancestors 'none'; form-action 'none'");
}

http::message_generator text_response(http::status status, std::string body, unsigned version, bool keep_alive)
{
    http::response<http::string_body> res{status, version};
    add_common_headers(res);
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.keep_alive(keep_alive);
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

constexpr std::string_view busy_reply = "HTTP/1.1 503 Service Unavailable\r\n"
                                       "Server: kring\r\n"
                                       "Content-Type: text/plain; charset=utf-8\r\n"
                                       "Content-Length: 12\r\n"
                                       "Cache-Control: no-store\r\n"
                                       "Connection: close\r\n"
                                       "\r\n"
                                       "server busy\n";

// How many refused connections may be answered at once, and within what
// time: each is a socket, a timer and a small buffer. Past the cap a refusal
// is answered at once (answer_busy_now); past the time it is closed.
constexpr int max_refusals_waiting = 64;
constexpr auto refusal_time = std::chrono::seconds(2);
std::atomic<int> refusals_waiting{0};

// Answers a refused connection as HTTP wants it answered: its request is
// read first (only up to the end of its header), then the 503, and what the
// client still sends is read and dropped until it closes. Answered before
// its request, a client can take the 503 for a reply to nothing (Go's HTTP
// client, inside Caddy, does, and tells its own client 502); closed with
// the request unread, the connection is reset, and the reset can overtake
// the 503.
class busy_answer : public std::enable_shared_from_this<busy_answer> {
public:
    explicit busy_answer(network_socket socket)
        : socket_(std::move(socket))
        , timer_(socket_.get_executor())
    {
    }
    ~busy_answer() { --refusals_waiting; }

    void start()
    {
        timer_.expires_after(refusal_time);
        timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
            if (!ec)
                self->socket_.close(ec);
        });
        read_request();
    }

private:
    void read_request()
    {
        socket_.async_read_some(asio::buffer(buffer_), [self = shared_from_this()](beast::error_code ec,
                                                                                 std::size_t bytes) {
            if (ec)
                return self->finish();
            self->read_ += bytes;
            if (self->saw_header_end(bytes) || self->read_ > max_header_bytes)
                return self->answer();
            self->read_request();
        });
    }

    // Whether "\r\n\r\n" ends within the bytes just read, counting what
    // the last reads ended with.
    bool saw_header_end(std::size_t bytes)
    {
        static constexpr std::string_view end = "\r\n\r\n";
        for (std::size_t i = 0; i < bytes && matched_ < end.size(); ++i)
            matched_ = buffer_[i] == end[matched_] ? matched_ + 1 : (buffer_[i] == '\r' ? 1 : 0);
        return matched_ == end.size();
    }

    void answer()
    {
        asio::async_write(socket_, asio::buffer(busy_reply),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (ec)
                                  return self->finish();
                              self->socket_.shutdown(asio::socket_base::shutdown_send, ec);
                              self->drain();
                          });
    }

    void drain()
    {
        socket_.async_read_some(asio::buffer(buffer_), [self = shared_from_this()](beast::error_code ec,
                                                                                 std::size_t) {
            if (ec)
                return self->finish();
            self->drain();
        });
    }

    void finish()
    {
        beast::error_code ignored;
        timer_.cancel();
        socket_.close(ignored);
    }

    network_socket socket_;
    asio::steady_timer timer_;
    std::array<char, 512> buffer_;
    std::size_t read_ = 0;
    std::size_t matched_ = 0;
};

// When too many refusals wait already: answered without waiting on the
// connection. The socket is fresh, so its empty send buffer takes the few
// bytes at once; what of the request is there already is read first.
void answer_busy_now(network_socket& socket)
{
    beast::error_code ec;
    socket.non_blocking(true, ec);
    std::array<char, 4096> discarded;
    for (std::size_t read = 0; !ec && read <= max_header_bytes;)
        read += socket.read_some(asio::buffer(discarded), ec);
    socket.write_some(asio::buffer(busy_reply), ec);
    socket.shutdown(asio::socket_base::shutdown_send, ec);
    socket.close(ec);
}

void say_busy(network_socket& socket)
{
    if (++refusals_waiting > max_refusals_waiting) {
        --refusals_waiting;
        return answer_busy_now(socket);
    }
    std::make_shared<busy_answer>(std::move(socket))->start();
}

bool out_of_descriptors(beast::error_code const& ec)
{
    return ec == boost::system::errc::too_many_files_open || ec == boost::system::errc::too_many_files_open_in_system;
}

// A cheap validator: the file changes, its size or time changes.
std::string entity_tag(std::filesystem::path const& file, std::string_view coding)
{
    std::error_code ec;
    auto const size = std::filesystem::file_size(file, ec);
    auto const time = std::filesystem::last_write_time(file, ec).time_since_epoch().count();
    auto const suffix = coding.empty() ? std::string{} : "-" + std::string{coding};
    return "\"" + std::to_string(size) + "-" + std::to_string(time) + suffix + "\"";
}

} // namespace

template <class Stream>
http_session<Stream>::http_session(Stream stream, http_context const& context)
    : stream_(std::move(stream))
    , context_(context)
{
}

template <class Stream>
bool http_session<Stream>::start()
{
    auto const& socket = beast::get_lowest_layer(stream_).socket();
    beast::error_code ec;
    auto const peer = socket.remote_endpoint(ec);
    if (!ec && is_trusted(peer.address(), context_.trusted_proxies))
        proxy_ = peer.address(); // counted by its clients' networks, request by request
    else
        network_ = address_mark_of(context_.address_key, socket);
    number_ = context_.connections.add(this->weak_from_this(), network_);
    if (number_ == 0)
        return false;
    if (context_.settings.log_networks)
        log_network();
    asio::co_spawn(stream_.get_executor(), [self = this->shared_from_this()] { return self->run(); },
                   log::on_exception("http session"));
    return true;
}

template <class Stream>
void http_session<Stream>::log_network() const
{
    boost::system::error_code ec;
    auto const remote = beast::get_lowest_layer(stream_).socket().remote_endpoint(ec);
    if (!ec)
        log::info("connection c=" + std::to_string(number_) + " net=" + truncated_network(remote.address()) +
                  (proxy_ ? " (a trusted proxy)" : ""));
}

template <class Stream>
void http_session<Stream>::answer_busy()
{
    auto& socket = beast::get_lowest_layer(stream_).socket();
    if constexpr (is_tls) {
        beast::error_code ignored;
        socket.close(ignored);
    } else {
        say_busy(socket);
    }
}

template <class Stream>
void http_session<Stream>::shut_down()
{
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] {
        self->stopping_ = true;
        beast::get_lowest_layer(self->stream_).cancel();
    });
}

// Over TLS, the handshake comes first, within the time of one request.
template <class Stream>
asio::awaitable<bool> http_session<Stream>::handshake()
{
    if constexpr (is_tls) {
        beast::get_lowest_layer(stream_).expires_after(context_.settings.http_timeout);
        auto const [ec] = co_await stream_.async_handshake(asio::ssl::stream_base::server,
                                                           asio::as_tuple(asio::use_awaitable));
        if (ec)
            log::info("tls handshake failed c=" + std::to_string(number_) + ": " + ec.message());
        co_return !ec;
    }
    co_return true;
}

template <class Stream>
asio::awaitable<void> http_session<Stream>::run()
{
    bool const ready = co_await handshake();
    for (bool more = ready && !stopping_; more;) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(max_header_bytes);
        parser.body_limit(max_body_bytes);
        beast::get_lowest_layer(stream_).expires_after(context_.settings.http_timeout);
        auto const [ec, bytes] =
            co_await http::async_read(stream_, buffer_, parser, asio::as_tuple(asio::use_awaitable));
        if (ec || stopping_)
            break;
        auto req = parser.release();
        if (!follow_proxy(req)) {
            auto busy = text_response(http::status::service_unavailable, "server busy\n", req.version(), false);
            co_await beast::async_write(stream_, std::move(busy), asio::as_tuple(asio::use_awaitable));
            break;
        }
        bool const is_upgrade = beast::websocket::is_upgrade(req);
        auto const refusal = is_upgrade ? upgrade_refusal(req) : std::nullopt;
        if (is_upgrade && !refusal) {
            // Plain TCP hands over the bare socket: the tcp_stream's timers were for HTTP.
            if constexpr (std::is_same_v<Stream, plain_stream>)
                open_websocket(stream_.release_socket(), std::move(req), number_, network_, context_);
            else
                open_websocket(std::move(stream_), std::move(req), number_, network_, context_);
            co_return; // the transport owns the connection, and its place among the open ones, now
        }
        bool const keep_alive = req.keep_alive() && !is_upgrade;
        if (refusal)
            log::info("upgrade refused c=" + std::to_string(number_) + " status=" +
                      std::to_string(static_cast<unsigned>(refusal->status)) + ": " + refusal->why);
        std::optional<http_answer> api_answer;
        std::string_view const target{req.target().data(), req.target().size()};
        bool const reads = req.method() == http::verb::get || req.method() == http::verb::head;
        if (!is_upgrade && reads && context_.api && target.starts_with("/api/")) {
            std::string asked{target}; // named: g++ 12 mishandles temporaries in co_await's arguments
            api_answer = co_await context_.api(std::move(asked));
        }
        auto response = refusal      ? text_response(refusal->status, "upgrade refused\n", req.version(), false)
                        : api_answer ? api_response(std::move(*api_answer), req)
                                     : respond(req);
        auto const [write_error, written] =
            co_await beast::async_write(stream_, std::move(response), asio::as_tuple(asio::use_awaitable));
        more = !write_error && keep_alive && !stopping_;
    }
    context_.connections.remove(number_);
    co_await finish();
}

// Behind a trusted proxy, each request names its client (a proxy may carry
// many clients' requests one after another): the connection counts for
// that client's network from now on. False when that network's share or
// rate is spent.
template <class Stream>
bool http_session<Stream>::follow_proxy(request const& req)
{
    if (!proxy_)
        return true;
    bool const rfc7239 = context_.forwarded == forwarded_header::forwarded;
    std::vector<std::string_view> values;
    std::string_view const header = rfc7239 ? "Forwarded" : "X-Forwarded-For";
    for (auto [at, end] = req.equal_range(header); at != end; ++at)
        values.push_back(at->value());
    auto const client = client_address(*proxy_, forwarded_chain(values, context_.forwarded), context_.trusted_proxies);
    auto const network = address_mark(context_.address_key, client);
    if (!context_.connections.move_to(number_, network)) {
        static log::throttle refusals{std::chrono::seconds{1}};
        refusals.warn("request refused with 503: its client's network has its share or rate of connections");
        return false;
    }
    network_ = network;
    proxied_https_ = rfc7239 ? forwarded_proto(values) == "https" : req["X-Forwarded-Proto"] == "https";
    return true;
}

// The end of a connection that served HTTP: TLS says close_notify (briefly:
// a client that never answers it is not waited for), then TCP says FIN.
template <class Stream>
asio::awaitable<void> http_session<Stream>::finish()
{
    auto& socket = beast::get_lowest_layer(stream_).socket();
    beast::error_code ignored;
    if constexpr (is_tls) {
        beast::get_lowest_layer(stream_).expires_after(context_.settings.shutdown_timeout);
        co_await stream_.async_shutdown(asio::as_tuple(asio::use_awaitable));
        socket.close(ignored);
        co_return;
    }
    socket.shutdown(asio::socket_base::shutdown_send, ignored);
}

template <class Stream>
std::optional<typename http_session<Stream>::upgrade_refused>
http_session<Stream>::upgrade_refusal(request const& req) const
{
    if (!websocket_circle({req.target().data(), req.target().size()}))
        return upgrade_refused{http::status::not_found, "not /ws or /ws/c/SLUG"};
    // A client must wait for 101 before it sends more (RFC 6455, 4.1). What
    // came early sits in this session's buffer, where the WebSocket would
    // never see it: the client would wait for an answer until a timeout.
    if (buffer_.size() != 0)
        return upgrade_refused{http::status::bad_request, "data sent before the upgrade was answered"};
    // Two of either could be read one way by a proxy and another way here.
    if (req.count(http::field::origin) > 1 || req.count(http::field::host) > 1)
        return upgrade_refused{http::status::forbidden, "two Origin or Host headers"};
    if (!host_allowed(req[http::field::host], context_.hosts))
        return upgrade_refused{http::status::forbidden, "Host is not a name of this server"};
    auto const origin = req.find(http::field::origin);
    std::optional<std::string_view> origin_value;
    if (origin != req.end())
        origin_value = origin->value();
    if (!origin_allowed(origin_value, req[http::field::host], context_.settings.allowed_origins,
                        is_tls || proxied_https_ ? "https" : "http"))
        return upgrade_refused{http::status::forbidden, "origin not allowed"};
    return std::nullopt;
}

template <class Stream>
http::message_generator http_session<Stream>::respond(request const& req) const
{
    bool const keep_alive = req.keep_alive();
    if (req.method() != http::verb::get && req.method() != http::verb::head)
        return text_response(http::status::method_not_allowed, "method not allowed\n", req.version(), keep_alive);
    if (req.target() == "/healthz")
        return text_response(http::status::ok, "ok\n", req.version(), keep_alive);
    if (req.target() == "/readyz")
        return server_metrics().ready ? text_response(http::status::ok, "ready\n", req.version(), keep_alive)
                                      : text_response(http::status::service_unavailable, "not ready\n",
                                                      req.version(), keep_alive);

    auto const file = resolve_static_path(context_.web_root, req.target());
    if (!file)
        return text_response(http::status::not_found, "not found\n", req.version(), keep_alive);

    // The gzipped copy an install made beside the file (cmake --install),
    // to a browser that takes gzip: a cheap phone's first load is a third
    // of the bytes. Each has its own entity tag.
    auto const gzipped = accepts_gzip(req[http::field::accept_encoding])
                             ? gzipped_copy(context_.web_root, req.target(), *file)
                             : std::nullopt;
    auto const& served = gzipped ? *gzipped : *file;
    auto const tag = entity_tag(served, gzipped ? "gzip" : "");
    auto const content_type = content_type_for(*file);
    if (req[http::field::if_none_match] == tag) {
        http::response<http::empty_body> res{http::status::not_modified, req.version()};
        add_common_headers(res);
        res.set(http::field::etag, tag);
        res.set(http::field::vary, "Accept-Encoding");
        res.keep_alive(keep_alive);
        return res;
    }

    http::file_body::value_type body;
    beast::error_code ec;
    body.open(served.c_str(), beast::file_mode::scan, ec);
    if (out_of_descriptors(ec))
        return text_response(http::status::service_unavailable, "server busy\n", req.version(), keep_alive);
    if (ec)
        return text_response(http::status::not_found, "not found\n", req.version(), keep_alive);

    http::response<http::file_body> res{std::piecewise_construct, std::make_tuple(std::move(body)),
                                        std::make_tuple(http::status::ok, req.version())};
    add_common_headers(res);
    res.set(http::field::content_type, content_type);
    // A bundle named by its content (an install's app-3FFH6JNU.js) never
    // changes: a phone keeps it a year. Everything else is checked again on
    // each visit, which costs a 304 when nothing changed.
    res.set(http::field::cache_control, named_by_content(*file) ? "public, max-age=31536000, immutable" : "no-cache");
    res.set(http::field::etag, tag);
    res.set(http::field::vary, "Accept-Encoding");
    if (gzipped)
        res.set(http::field::content_encoding, "gzip");
    res.keep_alive(keep_alive);
    res.prepare_payload();
    if (req.method() == http::verb::head) {
        http::response<http::empty_body> head{res.base()};
        return head;
    }
    return res;
}

template class http_session<plain_stream>;
template class http_session<tls_stream>;

} // namespace kring
