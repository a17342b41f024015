#include "websocket_session.hpp"

#include "address_mark.hpp"
#include "clock.hpp"
#include "log.hpp"
#include "store_calls.hpp"

#include <kring/protocol/server_messages.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/error.hpp>

#include <chrono>

namespace kring {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using protocol::error_code;

namespace {

constexpr std::uint16_t close_too_slow = 4001;
constexpr std::uint16_t close_resumed_elsewhere = 4002;


std::optional<std::uint64_t> since_for(protocol::hello const& hello, std::string const& slug)
{
    for (auto const& entry : hello.since)
        if (entry.room == slug)
            return entry.seq;
    return std::nullopt;
}

} // namespace

websocket_session::websocket_session(beast::tcp_stream stream, server_context& context)
    : ws_(std::move(stream))
    , context_(context)
    , queue_(context.settings.max_send_queue_bytes)
    , close_deadline_(ws_.get_executor())
    , login_watch_(ws_.get_executor())
{
}

void websocket_session::start(upgrade_request request)
{
    address_mark_ = address_mark_of(context_.server_secret, beast::get_lowest_layer(ws_).socket());
    number_ = context_.connections.add(weak_from_this(), address_mark_);
    if (number_ == 0) {
        log::warn("connection refused: the connection limit is reached");
        beast::get_lowest_layer(ws_).close();
        return;
    }
    asio::co_spawn(
        ws_.get_executor(),
        [self = shared_from_this(), request = std::move(request)]() mutable { return self->run(std::move(request)); },
        [](std::exception_ptr e) {
            if (!e)
                return;
            try {
                std::rethrow_exception(e);
            } catch (std::exception const& ex) {
                log::error(std::string{"websocket session failed: "} + ex.what());
            }
        });
}

asio::awaitable<void> websocket_session::run(upgrade_request request)
{
    auto const& settings = context_.settings;
    beast::get_lowest_layer(ws_).expires_never();
    ws_.set_option(websocket::stream_base::timeout{settings.handshake_timeout, settings.idle_timeout, true});
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& response) { response.set(beast::http::field::server, "kring"); }));
    ws_.read_message_max(settings.max_frame_bytes);

    auto const [accept_error] = co_await ws_.async_accept(request, asio::as_tuple(asio::use_awaitable));
    if (accept_error) {
        log::info("websocket handshake failed c=" + std::to_string(number_) + ": " + accept_error.message());
        finish();
        co_return;
    }
    log::info("websocket open c=" + std::to_string(number_));

    beast::flat_buffer buffer;
    for (;;) {
        auto const [read_error, bytes] = co_await ws_.async_read(buffer, asio::as_tuple(asio::use_awaitable));
        if (read_error) {
            log::info("websocket closed c=" + std::to_string(number_) + ": " + read_error.message());
            break;
        }
        std::string_view const frame{static_cast<char const*>(buffer.data().data()), buffer.size()};
        co_await handle(frame, !ws_.got_text());
        buffer.consume(buffer.size());
    }
    finish();
}

asio::awaitable<void> websocket_session::handle(std::string_view frame, bool binary)
{
    if (close_reason_ || finished_)
        co_return; // closing: nothing more is acted on
    if (binary) {
        reply_error(error_code::binary_frame, {}, std::nullopt);
        co_return;
    }
    auto parsed = protocol::parse_client_message(frame, context_.input_limits);
    if (auto const* refused = std::get_if<protocol::request_error>(&parsed)) {
        reply_error(refused->code, refused->detail, refused->ref);
        co_return;
    }
    auto& request = std::get<protocol::request>(parsed);
    auto const& ref = request.ref;
    if (!participant_ && !std::holds_alternative<protocol::hello>(request.message)) {
        reply_error(error_code::hello_required, {}, ref);
        co_return;
    }
    try {
        if (auto* hello = std::get_if<protocol::hello>(&request.message))
            co_await dispatch_hello(std::move(*hello), ref);
        else if (auto* join = std::get_if<protocol::join>(&request.message))
            co_await dispatch_join(std::move(*join), ref);
        else if (auto const* say = std::get_if<protocol::say>(&request.message))
            dispatch_say(*say, ref);
        else if (auto const* leave = std::get_if<protocol::leave>(&request.message))
            dispatch_leave(*leave, ref);
        else if (std::holds_alternative<protocol::ping>(request.message))
            send(make_frame(protocol::write_pong(ref)));
        else
            co_await dispatch_moderation(std::move(request.message), ref);
    } catch (std::exception const& e) {
        log::error("request failed c=" + std::to_string(number_) + ": " + e.what());
        reply_error(error_code::internal, {}, ref);
    }
}

asio::awaitable<void> websocket_session::dispatch_hello(protocol::hello hello, std::optional<std::string> ref)
{
    if (participant_)
        co_return reply_error(error_code::already_welcomed, {}, ref);
    if (hello.version != 1)
        co_return reply_error(error_code::unsupported_version, "this server speaks version 1", ref);

    std::optional<staff_record> staff;
    if (hello.auth) {
        auto const token = sha256(*hello.auth);
        staff = co_await store_calls::staff_for_token(context_, token, now_ms());
        if (!staff)
            co_return reply_error(error_code::auth_failed, "this login is not valid any more; log in again", ref);
        login_token_ = token;
    }

    // A login makes a moderator's identity, never a participant's seats into
    // a moderator's: with `auth`, only that login's own identity resumes.
    if (staff && hello.resume && context_.participants.staff_token_of(*hello.resume) != login_token_)
        hello.resume.reset();

    bool resumed = false;
    if (hello.resume) {
        auto claimed = context_.participants.claim(*hello.resume, shared_from_this());
        if (claimed.who) {
            participant_ = std::move(claimed.who);
            resumed = true;
            if (claimed.replaced)
                claimed.replaced->close_replaced();
        }
    }
    if (!participant_) {
        participant_ = context_.participants.create();
        participant_->attach(shared_from_this());
    }
    if (resumed && !staff && participant_->staff_token()) {
        // A moderator's identity resumes only while its login holds.
        auto const still = co_await store_calls::staff_for_token(context_, *participant_->staff_token(), now_ms());
        if (!still) {
            context_.participants.forget(participant_);
            participant_ = context_.participants.create();
            participant_->attach(shared_from_this());
            resumed = false;
        } else {
            login_token_ = participant_->staff_token();
        }
    }
    if (staff)
        start_staff(*staff, *login_token_);
    else if (login_token_)
        spawn_login_watch();
    ban_marks marks{std::nullopt, address_mark_};
    if (hello.device)
        marks.device = keyed_hash(context_.server_secret, *hello.device);
    participant_->set_marks(marks);

    send(make_frame(protocol::write_welcome({participant_->id(), participant_->display_name(), participant_->token(),
                                             resumed, context_.announced_limits, participant_->role()})));
    log::info("hello c=" + std::to_string(number_) + " id=" + participant_->id() + " role=" +
              std::string{participant_->role()} + (resumed ? " resumed" : " new"));
    if (resumed) {
        for (auto const& r : participant_->rooms())
            r->resume(*participant_, since_for(hello, r->slug()));
        for (auto const& r : participant_->waiting_rooms())
            send(make_frame(protocol::write_waiting(r->slug())));
    }
}

asio::awaitable<void> websocket_session::dispatch_join(protocol::join join, std::optional<std::string> ref)
{
    if (participant_->room_count() + participant_->waiting_count() >= context_.settings.max_rooms)
        co_return reply_error(error_code::too_many_rooms, {}, ref);
    if (!co_await still_logged_in(ref))
        co_return;
    auto const r = co_await find_room(join.room);
    if (!r)
        co_return reply_error(error_code::no_such_room, {}, ref);
    if (r->has_code() && !participant_->may_moderate(r->slug())) {
        // Guessing a short code must be slow: a few tries a minute per
        // connection, and per network across connections. While throttled,
        // even the right code waits, or the throttle would tell it.
        auto const now = now_ms();
        auto const guesser = r->slug() + ':' + (address_mark_ ? to_hex(*address_mark_) : std::string{});
        if (context_.code_guesses.throttled(guesser, std::nullopt, now) || !code_budget_.allow(now))
            co_return reply_refusal(refusal{error_code::throttled, 60}, ref);
        if (!r->code_matches(join.code)) {
            context_.code_guesses.failed(guesser, std::nullopt, now);
            co_return reply_error(error_code::bad_code, {}, ref);
        }
    }
    if (context_.bans.holds(r->slug(), participant_->id(), participant_->marks(), now_ms()))
        co_return reply_error(error_code::banned, {}, ref);
    auto const result = r->join(participant_, join.name.value_or(participant_->display_name()));
    if (auto const* refused = std::get_if<refusal>(&result))
        co_return reply_refusal(*refused, ref);
    bool const waiting = std::get<room::admission>(result) == room::admission::waiting;
    log::info(std::string{waiting ? "waiting" : "join"} + " c=" + std::to_string(number_) +
              " id=" + participant_->id() + " room=" + r->slug());
}

asio::awaitable<std::shared_ptr<room>> websocket_session::find_room(std::string slug)
{
    // The store has the last word, so that `kring room add|edit|archive`
    // take effect while the server runs; it is read on the store's thread.
    auto record = co_await store_calls::find_room(context_, slug);
    if (!record)
        co_return nullptr;
    room_settings settings{record->slug, record->title, record->capacity, record->code_digest};
    if (auto r = context_.rooms.find(slug)) {
        r->update(std::move(settings));
        co_return r;
    }
    co_return context_.rooms.add(std::move(settings));
}

void websocket_session::dispatch_say(protocol::say const& say, std::optional<std::string> const& ref)
{
    auto const r = context_.rooms.find(say.room);
    auto const refused = r ? r->say(*participant_, say.text, ref, now_ms()) : refusal{error_code::not_in_room};
    if (refused)
        reply_refusal(*refused, ref);
}

void websocket_session::dispatch_leave(protocol::leave const& leave, std::optional<std::string> const& ref)
{
    auto const r = context_.rooms.find(leave.room);
    auto const refused = r ? r->leave(*participant_) : refusal{error_code::not_in_room};
    if (refused)
        return reply_refusal(*refused, ref);
    log::info("leave c=" + std::to_string(number_) + " id=" + participant_->id() + " room=" + leave.room);
}

void websocket_session::reply_error(error_code code, std::string_view detail, std::optional<std::string> const& ref)
{
    log::info("error c=" + std::to_string(number_) + " code=" + std::string{protocol::to_string(code)});
    auto const message = detail.empty() ? protocol::describe(code) : detail;
    send(make_frame(protocol::write_error(code, message, ref)));
}

void websocket_session::reply_refusal(refusal const& refused, std::optional<std::string> const& ref)
{
    if (refused.seconds <= 0)
        return reply_error(refused.code, {}, ref);
    log::info("error c=" + std::to_string(number_) + " code=" + std::string{protocol::to_string(refused.code)});
    send(make_frame(protocol::write_error_after(refused.code, protocol::describe(refused.code), refused.seconds, ref)));
}

void websocket_session::send(shared_frame frame)
{
    asio::post(ws_.get_executor(),
               [self = shared_from_this(), frame = std::move(frame)]() mutable { self->enqueue(std::move(frame)); });
}

void websocket_session::close_replaced()
{
    asio::post(ws_.get_executor(),
               [self = shared_from_this()] { self->close_with(close_resumed_elsewhere, "resumed elsewhere"); });
}

void websocket_session::shut_down()
{
    asio::post(ws_.get_executor(), [self = shared_from_this()] {
        self->close_with(static_cast<std::uint16_t>(websocket::close_code::going_away), "server shutting down");
    });
}

void websocket_session::enqueue(shared_frame frame)
{
    if (close_reason_ || !ws_.is_open())
        return;
    if (!queue_.push(std::move(frame))) {
        log::warn("send queue full c=" + std::to_string(number_) + " bytes=" + std::to_string(queue_.bytes()));
        close_with(close_too_slow, "too slow");
        return;
    }
    if (!in_flight_)
        write_next();
}

// One frame per async_write for now. The queue holds whole frames so that a
// later writer can frame several itself and hand them to one writev() call.
void websocket_session::write_next()
{
    if (queue_.empty())
        return;
    in_flight_ = queue_.front();
    queue_.pop();
    ws_.text(true);
    ws_.async_write(asio::buffer(*in_flight_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->in_flight_.reset();
        if (ec) {
            beast::get_lowest_layer(self->ws_).close();
            return;
        }
        if (self->close_reason_ && self->queue_.empty())
            self->send_close();
        else
            self->write_next();
    });
}

void websocket_session::close_after_sending(std::uint16_t code, std::string reason)
{
    // Posted, so that it comes after every frame already posted to the queue.
    asio::post(ws_.get_executor(), [self = shared_from_this(), code, reason = std::move(reason)] {
        self->keep_queue_on_close_ = true;
        self->close_with(code, reason);
    });
}

void websocket_session::close_with(std::uint16_t code, std::string_view reason)
{
    if (close_reason_ || finished_)
        return;
    close_reason_ = websocket::close_reason{static_cast<websocket::close_code>(code), reason};
    if (!keep_queue_on_close_)
        queue_.clear();
    log::info("closing c=" + std::to_string(number_) + " code=" + std::to_string(code));
    // A client that stops reading never lets the close frame out: drop it then.
    close_deadline_.expires_after(context_.settings.shutdown_timeout);
    close_deadline_.async_wait([self = shared_from_this()](beast::error_code ec) {
        if (!ec)
            beast::get_lowest_layer(self->ws_).close();
    });
    if (!ws_.is_open()) {
        beast::get_lowest_layer(ws_).close(); // still in the handshake
        return;
    }
    if (!in_flight_ && queue_.empty())
        send_close();
    else if (!in_flight_)
        write_next();
}

void websocket_session::send_close()
{
    if (close_sent_)
        return;
    close_sent_ = true;
    ws_.async_close(*close_reason_, [self = shared_from_this()](beast::error_code) {});
}

void websocket_session::finish()
{
    finished_ = true;
    close_deadline_.cancel();
    login_watch_.cancel();
    context_.connections.remove(number_);
    if (!participant_)
        return;
    if (auto const generation = participant_->detach(this))
        context_.participants.disconnected(participant_, generation);
}

} // namespace kring
