#pragma once

#include "connection_registry.hpp"
#include "participant.hpp"
#include "rate_limit.hpp"
#include "room.hpp"
#include "store.hpp"
#include "send_queue.hpp"
#include "server_context.hpp"

#include <kring/protocol/client_messages.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <memory>
#include <optional>
#include <set>

namespace kring {

// One WebSocket client. Everything here runs on the connection's strand:
// one read at a time, one write in flight, the rest in a bounded queue.
class websocket_session : public std::enable_shared_from_this<websocket_session>,
                          public frame_sink,
                          public connection {
public:
    using upgrade_request = boost::beast::http::request<boost::beast::http::string_body>;

    websocket_session(boost::beast::tcp_stream stream, server_context& context);

    void start(upgrade_request request);

    void send(shared_frame frame) override;
    void close_replaced() override;
    void shut_down() override;

private:
    boost::asio::awaitable<void> run(upgrade_request request);
    boost::asio::awaitable<void> handle(std::string_view frame, bool binary);
    boost::asio::awaitable<void> dispatch_hello(protocol::hello hello, std::optional<std::string> ref);
    boost::asio::awaitable<void> dispatch_moderation(protocol::client_message message, std::optional<std::string> ref);
    boost::asio::awaitable<void> dispatch_login(protocol::login login, std::optional<std::string> ref);
    boost::asio::awaitable<void> dispatch_logout(std::optional<std::string> ref);
    boost::asio::awaitable<void> dispatch_member_action(protocol::member_action action, std::optional<std::string> ref);
    boost::asio::awaitable<void> dispatch_ban(protocol::ban ban, std::optional<std::string> ref);
    boost::asio::awaitable<void> dispatch_report(protocol::report report, std::optional<std::string> ref);
    boost::asio::awaitable<void> dispatch_reports(protocol::list_reports list, std::optional<std::string> ref);
    boost::asio::awaitable<void> dispatch_resolve(protocol::resolve resolve, std::optional<std::string> ref);
    // Answers a room's verdict: an error, or the audit row and then `ok`.
    boost::asio::awaitable<void> conclude(room::outcome outcome, audit_entry entry, std::optional<std::string> ref);
    audit_entry audit_of(std::string action, std::string room, std::string target, std::string detail = {}) const;
    void reply_refusal(refusal const& refused, std::optional<std::string> const& ref);
    boost::asio::awaitable<void> dispatch_join(protocol::join join, std::optional<std::string> ref);
    void dispatch_say(protocol::say const& say, std::optional<std::string> const& ref);
    void dispatch_leave(protocol::leave const& leave, std::optional<std::string> const& ref);
    boost::asio::awaitable<std::shared_ptr<room>> find_room(std::string slug);

    void reply_error(protocol::error_code code, std::string_view detail, std::optional<std::string> const& ref);
    void enqueue(shared_frame frame);
    void write_next();
    void close_with(std::uint16_t code, std::string_view reason);
    // Closes once every frame queued before it is written.
    void close_after_sending(std::uint16_t code, std::string reason);
    void start_staff(staff_record const& staff, digest const& token);
    void spawn_login_watch();
    boost::asio::awaitable<void> watch_login();
    void end_staff_identity();
    boost::asio::awaitable<bool> still_logged_in(std::optional<std::string> const& ref);
    void send_close();
    void finish();

    boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
    server_context& context_;
    std::uint64_t number_ = 0;
    send_queue queue_;
    shared_frame in_flight_;
    std::optional<boost::beast::websocket::close_reason> close_reason_;
    bool close_sent_ = false;
    bool finished_ = false;
    bool keep_queue_on_close_ = false;
    boost::asio::steady_timer close_deadline_;
    boost::asio::steady_timer login_watch_;
    std::shared_ptr<participant> participant_;
    std::optional<digest> address_mark_;      // keyed hash of the client's network (/32 or /64)
    std::optional<digest> login_token_;       // digest of this connection's moderator token
    std::set<std::string> reported_;          // message ids this connection reported
    rate_limit report_budget_{5, std::chrono::minutes{1}};
    rate_limit code_budget_{5, std::chrono::minutes{1}}; // wrong access codes
};

} // namespace kring
