#pragma once

// websocket_transport's definitions, for the two sources that instantiate
// it: websocket_transport_plain.cpp and websocket_transport_tls.cpp. Each
// stream's transport is the largest piece of code Kring compiles; in two
// sources, two cores compile them at once.
#include "net/websocket_transport.hpp"

#include "log.hpp"
#include "metrics.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/defer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/ssl.hpp>

namespace kring {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {

constexpr std::uint16_t close_too_slow = 4001;

// Frames handed to one gathered write: as many as one `writev` takes
// (Asio passes at most 64 buffers to one system call).
constexpr std::size_t batch_frames = 64;

// Keeps the queued-bytes gauge in step with one queue's change.
void count_queue_change(std::size_t before, std::size_t after)
{
    server_metrics().queue_bytes.add(static_cast<std::int64_t>(after) - static_cast<std::int64_t>(before));
}

} // namespace

template <class Stream>
websocket_transport<Stream>::websocket_transport(Stream stream, config const& settings,
                                                 connection_registry& connections)
    : ws_(std::move(stream))
    , settings_(settings)
    , connections_(connections)
    , queue_(settings.max_send_queue_bytes)
    , close_deadline_(ws_.get_executor())
{
}

template <class Stream>
void websocket_transport<Stream>::start(upgrade_request request, std::uint64_t number, std::optional<digest> network,
                                handler_factory const& make_handler)
{
    number_ = number;
    upgrade_asked_ = std::chrono::steady_clock::now();
    ws_.next_layer().attach(this->weak_from_this(), [this] { write_pending(); });
    connections_.hand_over(number_, this->weak_from_this());
    auto circle = websocket_circle({request.target().data(), request.target().size()}).value_or("");
    handler_ = make_handler(this->shared_from_this(), {number_, network, ws_.get_executor(), std::move(circle)});
    asio::co_spawn(
        ws_.get_executor(),
        [self = this->shared_from_this(), request = std::move(request)]() mutable { return self->run(std::move(request)); },
        log::on_exception("websocket connection"));
}

template <class Stream>
asio::awaitable<void> websocket_transport<Stream>::run(upgrade_request request)
{
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout{settings_.handshake_timeout, settings_.idle_timeout, true});
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& response) { response.set(beast::http::field::server, "kring"); }));
    ws_.read_message_max(settings_.max_frame_bytes);

    auto const [accept_error] = co_await ws_.async_accept(request, asio::as_tuple(asio::use_awaitable));
    // The upgrade request (every header the browser sent) is let go once
    // answered, not kept for the life of the connection.
    request = upgrade_request{};
    if (accept_error) {
        log::info("websocket handshake failed c=" + std::to_string(number_) + ": " + accept_error.message());
        co_return end();
    }
    if (phase_ == phase::handshake)
        phase_ = phase::open;
    server_metrics().handshake.observe(std::chrono::steady_clock::now() - upgrade_asked_);
    log::info("websocket open c=" + std::to_string(number_));

    auto const handler = handler_;
    beast::flat_buffer buffer;
    for (;;) {
        auto const [read_error, bytes] = co_await ws_.async_read(buffer, asio::as_tuple(asio::use_awaitable));
        if (read_error) {
            log::info("websocket closed c=" + std::to_string(number_) + ": " + read_error.message());
            break;
        }
        // Once a close is under way, nothing more the client says is acted on.
        if (phase_ == phase::open) {
            std::string_view const frame{static_cast<char const*>(buffer.data().data()), buffer.size()};
            co_await handler->on_frame(frame, !ws_.got_text());
        }
        buffer.consume(buffer.size());
    }
    end();
}

// From any thread. A room's message reaches each member through here: the
// first frame since the strand last looked posts one pass, which takes every
// frame sent until it runs, so a busy connection costs one post and one
// system call per pass, not per frame.
template <class Stream>
void websocket_transport<Stream>::send(shared_frame frame)
{
    {
        std::lock_guard lock{inbox_mutex_};
        if (inbox_shut_)
            return;
        inbox_.push_back(std::move(frame));
        if (inbox_posted_)
            return;
        inbox_posted_ = true;
    }
    // Deferred: after the handler that sends, when that runs on this
    // connection's thread, and without a lock on its queue.
    asio::defer(ws_.get_executor(), [self = this->shared_from_this()] { self->take_inbox(); });
}

template <class Stream>
void websocket_transport<Stream>::take_inbox()
{
    {
        // The inbox keeps its few slots for the next pass.
        std::lock_guard lock{inbox_mutex_};
        for (; !inbox_.empty(); inbox_.pop_front())
            enqueue(std::move(inbox_.front()));
        inbox_posted_ = false;
    }
    write_pending();
}

template <class Stream>
void websocket_transport<Stream>::close(std::uint16_t code, std::string reason, close_mode mode)
{
    // Frames sent before this go first: a pass that takes them was posted
    // before this one. Frames sent after it are not sent at all.
    {
        std::lock_guard lock{inbox_mutex_};
        inbox_shut_ = true;
    }
    asio::post(ws_.get_executor(), [self = this->shared_from_this(), code, reason = std::move(reason), mode] {
        self->begin_close(code, reason, mode);
    });
}

template <class Stream>
void websocket_transport<Stream>::shut_down()
{
    close(static_cast<std::uint16_t>(websocket::close_code::going_away), "server shutting down",
          close_mode::drop_queued);
}

template <class Stream>
void websocket_transport<Stream>::enqueue(shared_frame frame)
{
    if (phase_ != phase::open)
        return;
    auto const before = queue_.bytes();
    // The bound is on frames waiting for the writer. One that does not fit
    // still goes if the writer is free to take what waits first: a `welcome`
    // and a large `joined` may come in one pass.
    bool fits = queue_.push(frame);
    if (!fits) {
        write_pending();
        fits = queue_.push(frame);
    }
    if (!fits) {
        log::warn("send queue full c=" + std::to_string(number_) + " bytes=" + std::to_string(queue_.bytes()));
        server_metrics().slow_clients_closed.add();
        begin_close(close_too_slow, "too slow", close_mode::drop_queued);
        return;
    }
    count_queue_change(before, queue_.bytes());
    server_metrics().deliveries.add();
}

template <class Stream>
void websocket_transport<Stream>::begin_close(std::uint16_t code, std::string_view reason, close_mode mode)
{
    if (phase_ == phase::handshake) {
        phase_ = phase::closing;
        drop();
        return;
    }
    if (phase_ != phase::open)
        return;
    phase_ = phase::closing;
    close_reason_ = websocket::close_reason{static_cast<websocket::close_code>(code), reason};
    if (mode == close_mode::drop_queued)
        clear_queue();
    log::info("closing c=" + std::to_string(number_) + " code=" + std::to_string(code));
    // A client that stops reading never lets the close frame out: drop it then.
    close_deadline_.expires_after(settings_.shutdown_timeout);
    close_deadline_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
        if (!ec)
            self->drop();
    });
    write_pending();
}

// The one place Kring's frames leave. Each pass writes every queued frame, up
// to `batch_frames`, in one gathered write of their shared bytes, framed once
// for all recipients; the close frame goes once the queue is empty during a
// close. Beast's own frames (pings, pongs, its answer to a client's close)
// take their turn between two passes (batch_stream).
template <class Stream>
void websocket_transport<Stream>::write_pending()
{
    if (queue_.writing() || !ws_.next_layer().free())
        return; // the write side calls this again once it is free
    // Once a close frame has gone either way, nothing may follow it (and
    // before the upgrade nothing is queued).
    if (!ws_.is_open())
        return clear_queue();
    if (queue_.empty()) {
        if (phase_ == phase::closing)
            send_close_frame();
        return;
    }
    auto const before = queue_.bytes();
    auto const batch = queue_.start_writing(batch_frames);
    count_queue_change(before, queue_.bytes());
    ws_.next_layer().async_write_batch(batch, [self = this->shared_from_this()](beast::error_code ec) {
        self->queue_.written();
        if (ec)
            return self->drop();
        self->write_pending();
    });
}

template <class Stream>
void websocket_transport<Stream>::send_close_frame()
{
    phase_ = phase::close_sent;
    ws_.async_close(close_reason_, [self = this->shared_from_this()](beast::error_code) {});
}

template <class Stream>
void websocket_transport<Stream>::clear_queue()
{
    // Frames being written stay until the write is done with their bytes.
    auto const before = queue_.bytes();
    queue_.clear();
    count_queue_change(before, queue_.bytes());
}

template <class Stream>
void websocket_transport<Stream>::drop()
{
    beast::get_lowest_layer(ws_).close();
}

template <class Stream>
void websocket_transport<Stream>::end()
{
    phase_ = phase::ended;
    clear_queue();
    close_deadline_.cancel();
    connections_.remove(number_);
    if (auto const handler = std::move(handler_))
        handler->on_closed();
}

} // namespace kring
