#include "session/client_session.hpp"

#include "log.hpp"
#include "session/chat_requests.hpp"
#include "session/flood_control.hpp"
#include "session/help_requests.hpp"
#include "session/moderation_requests.hpp"
#include "session/password_change.hpp"
#include "session/report_requests.hpp"
#include "session/staff_login.hpp"
#include "store/store.hpp"

#include <variant>

namespace kring {

namespace asio = boost::asio;
using protocol::error_code;

namespace {

template <class... Handlers>
struct overloaded : Handlers... {
    using Handlers::operator()...;
};
template <class... Handlers>
overloaded(Handlers...) -> overloaded<Handlers...>;

} // namespace

client_session::client_session(server_context& context, std::shared_ptr<client_link> link,
                               connection_info const& connection)
    : client_(std::make_shared<client>(context, std::move(link), connection))
{
}

asio::awaitable<void> client_session::on_frame(std::string_view frame, bool binary)
{
    auto& c = *client_;
    if (c.closing)
        co_return; // closing: nothing more is acted on
    if (binary)
        co_return c.reply_error(error_code::binary_frame, {}, std::nullopt);
    auto parsed = protocol::parse_client_message(frame, c.context.input_limits);
    if (auto const* refused = std::get_if<protocol::request_error>(&parsed)) {
        if (refused->name_reason != protocol::name_refusal::none)
            co_return c.reply_name_error(refused->code, refused->name_reason, refused->ref);
        co_return c.reply_error(refused->code, refused->detail, refused->ref);
    }
    auto& request = std::get<protocol::request>(parsed);
    if (!c.who && !std::holds_alternative<protocol::hello>(request.message))
        co_return c.reply_error(error_code::hello_required, {}, request.ref);
    if (c.password_pending() && !password_change::allowed_while_pending(request.message))
        co_return c.reply_error(error_code::password_change_required, {}, request.ref);
    if (flood_control::reaches_others(request.message) && !flood_control::admit(c, request.ref))
        co_return;
    auto const ref = request.ref;
    try {
        co_await dispatch(std::move(request.message), request.ref);
    } catch (store_unavailable const& e) {
        log::error("request failed " + c.tag() + ": " + e.what());
        c.reply_error(error_code::database_unavailable, {}, ref);
    } catch (std::exception const& e) {
        log::error("request failed " + c.tag() + ": " + e.what());
        c.reply_error(error_code::internal, {}, ref);
    }
}

// Every client message has its handler here. std::visit over the protocol's
// variant does not compile while one alternative has no handler, so a new
// message type cannot be forgotten.
asio::awaitable<void> client_session::dispatch(protocol::client_message message, reply_ref ref)
{
    auto& c = *client_;
    namespace chat = chat_requests;
    namespace staff = staff_login;
    namespace moderation = moderation_requests;
    namespace reports = report_requests;
    return std::visit(
        overloaded{
            [&](protocol::hello& m) { return chat::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::join& m) { return chat::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::say& m) { return chat::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::leave& m) { return chat::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::ping& m) { return chat::handle(c, m, std::move(ref)); },
            [&](protocol::resources& m) { return chat::handle(c, m, std::move(ref)); },
            [&](protocol::login& m) { return staff::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::logout& m) { return staff::handle(c, m, std::move(ref)); },
            [&](protocol::set_password& m) { return password_change::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::member_action& m) { return moderation::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::ban& m) { return moderation::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::delete_message& m) { return moderation::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::pin& m) { return moderation::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::room_action& m) { return moderation::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::room_set& m) { return moderation::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::report& m) { return reports::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::list_reports& m) { return reports::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::resolve& m) { return reports::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::react& m) { return chat::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::hand& m) { return chat::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::listening& m) { return chat::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::whisper& m) { return chat::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::mod_say& m) { return chat::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::help& m) { return help_requests::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::round_start& m) { return chat::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::round_move& m) { return chat::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::round_give& m) { return chat::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::nudge& m) { return moderation::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::pause& m) { return moderation::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::read_agreement& m) { return chat::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::point_agreement& m) { return chat::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::translate& m) { return chat::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::set_phase& m) { return chat::handle(c, std::move(m), std::move(ref)); },
            [&](protocol::give_floor& m) { return chat::handle(c, std::move(m), std::move(ref)); },
        },
        message);
}

void client_session::on_closed()
{
    auto& c = *client_;
    staff_login::connection_ended(c);
    if (!c.who)
        return;
    if (auto const generation = c.who->detach(client_.get()))
        c.context.participants.disconnected(c.who, generation);
}

} // namespace kring
