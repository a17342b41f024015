#pragma once

// websocket_transport's definitions, for the two sources that instantiate
// it: websocket_transport_plain.cpp and websocket_transport_tls.cpp. Each
// stream's transport is the largest piece of code Kring compiles; in two
// sources, two cores compile them at once.
#include "net/websocket_transport.hpp"

#include "log.hpp"
#include "metrics.hpp"

#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/defer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/basic_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <type_traits>

namespace kring {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {

constexpr std::uint16_t close_too_slow = 4001;

// A control frame's payload is at most 125 bytes: a code and 123 of reason.
constexpr std::size_t max_close_reason = 123;

template <class Stream>
constexpr bool tls_stream = !std::is_same_v<Stream, network_socket>;

// The TCP socket under the stream: the stream itself for plain TCP.
template <class Stream>
network_socket& socket_of(Stream& stream)
{
    if constexpr (tls_stream<Stream>)
        return beast::get_lowest_layer(stream).socket();
    else
        return stream;
}

// What TLS decrypts into, per connection.
constexpr std::size_t tls_read_bytes = 4096;

// What a plain connection reads into: one buffer for every connection the
// thread serves, as a read takes what the socket has and is done with it
// before the next connection's.
thread_local char thread_buffer[16384];

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
    : stream_(std::move(stream))
    , settings_(settings)
    , connections_(connections)
    , queue_(settings.max_send_queue_bytes)
    , reader_(settings.max_frame_bytes)
{
}

template <class Stream>
void websocket_transport<Stream>::start(upgrade_request request, std::uint64_t number, std::optional<digest> network,
                                handler_factory const& make_handler)
{
    number_ = number;
    auto const asked_at = std::chrono::steady_clock::now();
    connections_.hand_over(number_, this->weak_from_this());
    auto circle = websocket_circle({request.target().data(), request.target().size()}).value_or("");
    handler_ = make_handler(this->shared_from_this(), {number_, network, std::move(circle)});
    accept(std::move(request), asked_at);
}

// Beast answers the upgrade (its checks of the request, its refusals), with
// a websocket::stream over this connection's that lives only as long.
template <class Stream>
void websocket_transport<Stream>::accept(upgrade_request request, std::chrono::steady_clock::time_point asked_at)
{
    struct upgrade {
        upgrade(upgrade_request asked, Stream& stream)
            : request(std::move(asked))
            , ws(stream)
        {
        }
        upgrade_request request;
        websocket::stream<Stream&, false> ws;
    };
    if constexpr (tls_stream<Stream>)
        beast::get_lowest_layer(stream_).expires_never(); // the HTTP session's timeout
    auto up = std::make_shared<upgrade>(std::move(request), stream_);
    up->ws.set_option(websocket::stream_base::timeout{settings_.handshake_timeout, websocket::stream_base::none(), false});
    up->ws.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& response) { response.set(beast::http::field::server, "kring"); }));
    auto& ws = up->ws;
    auto& asked = up->request;
    ws.async_accept(asked, [self = this->shared_from_this(), up = std::move(up), asked_at](beast::error_code ec) mutable {
        // The upgrade request (every header the browser sent) and Beast's
        // stream are let go once answered, not kept for the connection's life.
        up.reset();
        if (ec) {
            log::info("websocket handshake failed c=" + std::to_string(self->number_) + ": " + ec.message());
            return self->end();
        }
        self->opened(asked_at);
    });
}

template <class Stream>
void websocket_transport<Stream>::opened(std::chrono::steady_clock::time_point asked_at)
{
    if (phase_ != phase::handshake)
        return end(); // closed while upgrading: the socket is gone
    phase_ = phase::open;
    server_metrics().handshake.observe(std::chrono::steady_clock::now() - asked_at);
    log::info("websocket open c=" + std::to_string(number_));
    if constexpr (!tls_stream<Stream>)
        stream_.non_blocking(true);
    heard_.store(true, std::memory_order_relaxed); // the keep-alive counts from here, not from the upgrade
    read_more();
    write_pending(); // what was sent while upgrading
}

// A quiet plain connection waits with no buffer: the socket says when it is
// readable, and what came is read into the thread's buffer. TLS reads into
// the connection's own, as the bytes must be decrypted first.
template <class Stream>
void websocket_transport<Stream>::read_more()
{
    if constexpr (tls_stream<Stream>) {
        if (!tls_buffer_)
            tls_buffer_ = std::make_unique<char[]>(tls_read_bytes);
        stream_.async_read_some(asio::buffer(tls_buffer_.get(), tls_read_bytes),
                                [self = this->shared_from_this()](beast::error_code ec, std::size_t bytes) {
                                    self->took(ec, bytes);
                                });
    } else {
        stream_.async_wait(asio::socket_base::wait_read,
                           asio::bind_allocator(wait_allocator{wait_memory_},
                                                [self = this->shared_from_this()](beast::error_code ec) {
                                                    self->readable(ec);
                                                }));
    }
}

template <class Stream>
void websocket_transport<Stream>::readable(beast::error_code ec)
{
    if constexpr (!tls_stream<Stream>) {
        if (ec)
            return read_ended(ec);
        // Read until the socket has no more for now, unless a message goes to
        // the handler first.
        for (;;) {
            auto const bytes = stream_.read_some(asio::buffer(thread_buffer, sizeof thread_buffer), ec);
            if (ec == asio::error::would_block)
                return read_more();
            if (ec)
                return read_ended(ec);
            if (!take(thread_buffer, bytes))
                return;
            if (bytes < sizeof thread_buffer)
                return read_more();
        }
    }
}

template <class Stream>
void websocket_transport<Stream>::took(beast::error_code ec, std::size_t bytes)
{
    if (ec)
        return read_ended(ec);
    if (take(tls_buffer_.get(), bytes))
        read_more();
}

// What came: read every whole frame in it, after what was held; keep the
// rest. False when reading is to wait (for the handler) or has ended.
template <class Stream>
bool websocket_transport<Stream>::take(char* bytes, std::size_t size)
{
    heard_.store(true, std::memory_order_relaxed);
    if (phase_ == phase::ended)
        return false;
    if (broken_ || client_closed_)
        return true; // after its close, or once it broke the protocol, what a client sends is dropped
    if (!held_) {
        auto const used = read_frames({bytes, size});
        if (used < size)
            held_ = std::make_unique<std::string>(bytes + used, size - used);
    } else {
        held_->append(bytes, size);
        read_held();
    }
    return !handling_;
}

// Reads the frames in what was held, and gives back what no longer is: a
// quiet connection holds no bytes.
template <class Stream>
void websocket_transport<Stream>::read_held()
{
    held_->erase(0, read_frames(*held_));
    if (held_->empty())
        held_.reset();
}

// Reads frames from `input` until one is in pieces, a message goes to the
// handler, or the connection is closing; says how many bytes it took.
template <class Stream>
std::size_t websocket_transport<Stream>::read_frames(std::span<char> input)
{
    std::size_t used = 0;
    while (!handling_ && !broken_ && !client_closed_) {
        auto const r = reader_.read(input.subspan(used));
        used += r.used;
        switch (r.kind) {
        case frame_reader::what::more:
            if (r.used == 0)
                return used;
            break;
        case frame_reader::what::message:
            handle_message();
            break;
        case frame_reader::what::ping:
            if (phase_ == phase::open && enqueue(std::make_shared<frame const>(r.payload, frame::pong_frame)))
                write_pending();
            break;
        case frame_reader::what::pong:
            break;
        case frame_reader::what::close:
            client_closed(r.code);
            break;
        case frame_reader::what::fail:
            log::info("websocket protocol error c=" + std::to_string(number_) + ": " + std::string{r.why});
            broken_ = true;
            begin_close(r.code, r.why, close_mode::drop_queued);
            break;
        }
    }
    return used;
}

template <class Stream>
void websocket_transport<Stream>::handle_message()
{
    // Once a close is under way, nothing more the client says is acted on.
    if (phase_ != phase::open)
        return reader_.message_taken();
    handling_ = true;
    asio::co_spawn(stream_.get_executor(), handler_->on_frame(reader_.message(), reader_.binary()),
                   [self = this->shared_from_this()](std::exception_ptr error) {
                       if (error) {
                           log::on_exception("websocket connection")(error);
                           self->drop();
                       }
                       self->handled();
                   });
}

template <class Stream>
void websocket_transport<Stream>::handled()
{
    handling_ = false;
    reader_.message_taken();
    if (phase_ == phase::ended)
        return;
    if (held_) {
        read_held();
        if (handling_)
            return;
    }
    read_more();
}

template <class Stream>
void websocket_transport<Stream>::read_ended(beast::error_code ec)
{
    if (ec != asio::error::operation_aborted)
        log::info("websocket closed c=" + std::to_string(number_) + ": " + ec.message());
    drop();
    end();
}

// The client's close frame: answered with Kring's (its code echoed, unless
// Kring had begun to close), after which the connection is torn down.
template <class Stream>
void websocket_transport<Stream>::client_closed(std::uint16_t code)
{
    client_closed_ = true;
    if (phase_ == phase::open)
        begin_close(code == 1005 ? 0 : code, "", close_mode::drop_queued);
    else if (phase_ == phase::closing)
        clear_queue(); // the client reads no more: Kring's close frame goes now
    write_pending();
    tear_down_when_done();
}

// From any thread. A room's message reaches each member through here: the
// first frame since its thread last looked posts one pass, which takes every
// frame sent until it runs, so a busy connection costs one post and one
// system call per pass, not per frame. On the connection's own thread, with
// nothing from another thread waiting in the inbox ahead of it, a frame goes
// straight to the send queue, in the same order, without a slot in the inbox.
template <class Stream>
void websocket_transport<Stream>::send(shared_frame frame)
{
    {
        std::lock_guard lock{inbox_mutex_};
        if (inbox_shut_)
            return;
        if (inbox_.empty() && stream_.get_executor().running_in_this_thread()) {
            if (enqueue(std::move(frame)))
                server_metrics().deliveries.add();
        } else {
            inbox_.push_back(std::move(frame));
        }
        if (inbox_posted_)
            return;
        inbox_posted_ = true;
    }
    // Deferred: after the handler that sends, when that runs on this
    // connection's thread, and without a lock on its queue.
    asio::defer(stream_.get_executor(), [self = this->shared_from_this()] { self->take_inbox(); });
}

template <class Stream>
void websocket_transport<Stream>::take_inbox()
{
    {
        // The inbox keeps its few slots for the next pass.
        std::lock_guard lock{inbox_mutex_};
        for (; !inbox_.empty(); inbox_.pop_front())
            if (enqueue(std::move(inbox_.front())))
                server_metrics().deliveries.add();
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
    asio::post(stream_.get_executor(), [self = this->shared_from_this(), code, reason = std::move(reason), mode] {
        self->begin_close(code, reason, mode);
    });
}

template <class Stream>
void websocket_transport<Stream>::shut_down()
{
    close(static_cast<std::uint16_t>(websocket::close_code::going_away), "server shutting down",
          close_mode::drop_queued);
}

// Queues one frame for the writer; false when the client reads too slowly,
// which closes the connection.
template <class Stream>
bool websocket_transport<Stream>::enqueue(shared_frame frame)
{
    if (phase_ != phase::open)
        return false;
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
        return false;
    }
    count_queue_change(before, queue_.bytes());
    return true;
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
    if (mode == close_mode::drop_queued)
        clear_queue();
    log::info("closing c=" + std::to_string(number_) + " code=" + std::to_string(code));
    // The close frame goes once the queue ahead of it has: a code (none for
    // 0) and a reason cut to what a control frame holds.
    std::string payload;
    if (code != 0) {
        payload.push_back(static_cast<char>(code >> 8));
        payload.push_back(static_cast<char>(code & 0xff));
        payload.append(reason.substr(0, max_close_reason));
    }
    close_frame_ = std::make_shared<frame const>(payload, frame::close_frame);
    // A client that stops reading never lets the close frame out, and one
    // that never answers it keeps the socket: drop it then.
    close_timer_ = std::make_unique<asio::steady_timer>(stream_.get_executor(), settings_.shutdown_timeout);
    close_timer_->async_wait([self = this->shared_from_this()](beast::error_code ec) {
        if (!ec)
            self->drop();
    });
    write_pending();
}

// The one place frames leave. Each pass writes every queued frame, up to
// `batch_frames`, in one gathered write of their shared bytes, framed once
// for all recipients; the close frame goes once the queue is empty during a
// close, and nothing after it.
template <class Stream>
void websocket_transport<Stream>::write_pending()
{
    if (writing_ || phase_ == phase::handshake || phase_ == phase::ended || close_queued_)
        return;
    if (queue_.empty()) {
        if (phase_ != phase::closing)
            return;
        phase_ = phase::close_sent;
        close_queued_ = true;
        queue_.push(std::move(close_frame_));
    }
    writing_ = true;
    auto const before = queue_.bytes();
    auto const batch = queue_.start_writing(batch_frames);
    count_queue_change(before, queue_.bytes());
    auto done = [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->written(ec); };
    asio::async_write(stream_, batch, std::move(done));
}

template <class Stream>
void websocket_transport<Stream>::written(beast::error_code ec)
{
    writing_ = false;
    queue_.written();
    if (ec)
        return drop(); // the reader sees it and ends the connection
    if (close_queued_ && queue_.empty()) {
        close_written_ = true;
        return tear_down_when_done();
    }
    write_pending();
}

// The close handshake is done once Kring's close frame has gone and the
// client's has come (or the client broke the protocol, so that its close
// cannot be read): Kring ends its side, and the reader ends the connection
// when the client ends its own.
template <class Stream>
void websocket_transport<Stream>::tear_down_when_done()
{
    if (!close_written_ || !(client_closed_ || broken_))
        return;
    beast::error_code ignored;
    socket_of(stream_).shutdown(asio::socket_base::shutdown_send, ignored);
}

// Every half idle timeout, from the registry's tick on any thread: a client
// heard from since the last tick is fine; one that was not is pinged, and
// dropped if still silent at the next. Only those go to its thread.
template <class Stream>
void websocket_transport<Stream>::check_idle()
{
    if (heard_.exchange(false, std::memory_order_relaxed)) {
        pinged_ = false;
        return;
    }
    bool const silent_after_ping = pinged_;
    pinged_ = true;
    asio::post(stream_.get_executor(),
               [self = this->shared_from_this(), silent_after_ping] { self->idle(silent_after_ping); });
}

template <class Stream>
void websocket_transport<Stream>::idle(bool silent_after_ping)
{
    if (phase_ != phase::open)
        return; // upgrading (Beast's handshake timeout holds), or closing (the close deadline holds)
    if (!silent_after_ping) {
        if (enqueue(std::make_shared<frame const>(std::string_view{}, frame::ping_frame)))
            write_pending();
        return;
    }
    if (heard_.load(std::memory_order_relaxed))
        return; // it spoke after all, since the tick
    log::info("websocket idle c=" + std::to_string(number_));
    drop();
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
    beast::error_code ignored;
    socket_of(stream_).close(ignored);
}

template <class Stream>
void websocket_transport<Stream>::end()
{
    if (phase_ == phase::ended)
        return;
    phase_ = phase::ended;
    clear_queue();
    if (close_timer_)
        close_timer_->cancel();
    connections_.remove(number_);
    if (auto const handler = std::move(handler_))
        handler->on_closed();
}

} // namespace kring
