// Moderators and admins log in over the same WebSocket as everyone else.
// Audit entries are built as named locals before each co_await: g++ 12
// frees braced temporaries in a co_await's arguments wrongly.
#include "websocket_session.hpp"

#include "clock.hpp"
#include "log.hpp"
#include "store_calls.hpp"

#include <kring/protocol/server_messages.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace kring {

namespace asio = boost::asio;
using protocol::error_code;

namespace {

constexpr std::uint16_t close_login_ended = 4003;
constexpr auto login_check_interval = std::chrono::seconds{15};

} // namespace

asio::awaitable<void> websocket_session::dispatch_login(protocol::login login, std::optional<std::string> ref)
{
    if (participant_->room_count() > 0)
        co_return reply_error(error_code::forbidden, "leave your circles before logging in", ref);
    auto const now = now_ms();
    if (context_.logins.throttled(login.user, address_mark_, now)) {
        reply_refusal(refusal{error_code::throttled, 60}, ref);
        co_return;
    }
    if (!context_.logins.begin_hash()) {
        reply_refusal(refusal{error_code::throttled, 5}, ref);
        co_return;
    }

    std::optional<staff_credentials> credentials;
    bool matches = false;
    try {
        credentials = co_await store_calls::find_staff(context_, login.user);
        std::string hash = credentials && !credentials->staff.disabled ? credentials->password_hash : std::string{};
        matches = co_await store_calls::verify_password(context_, std::move(hash), std::move(login.password));
    } catch (...) {
        context_.logins.end_hash();
        throw;
    }
    context_.logins.end_hash();

    if (!matches) {
        context_.logins.failed(login.user, address_mark_, now);
        // An unknown name is not written down: it may be a password typed in the wrong field.
        audit_entry failure{now, "", "login_failed", "", credentials ? credentials->staff.name : "(unknown name)", ""};
        co_await store_calls::audit(context_, std::move(failure));
        log::info("login failed c=" + std::to_string(number_));
        co_return reply_error(error_code::auth_failed, {}, ref);
    }
    context_.logins.succeeded(login.user);

    auto const& staff = credentials->staff;
    auto const token = random_token();
    auto const expires =
        now + std::chrono::duration_cast<std::chrono::milliseconds>(context_.settings.login_lifetime).count();
    auto const token_digest = sha256(token);
    audit_entry success{now, staff.name, "login", "", staff.name, ""};
    co_await store_calls::add_login_token(context_, token_digest, staff.id, expires, std::move(success));
    start_staff(staff, token_digest);
    log::info("login c=" + std::to_string(number_) + " id=" + participant_->id() + " role=" +
              std::string{participant_->role()});
    send(make_frame(protocol::write_logged_in(participant_->role(), staff.rooms, token, staff.name, expires)));
}

void websocket_session::start_staff(staff_record const& staff, digest const& token)
{
    login_token_ = token;
    participant_->grant({staff.role == staff_role::admin, staff.name, staff.rooms, token});
    spawn_login_watch();
}

void websocket_session::spawn_login_watch()
{
    asio::co_spawn(ws_.get_executor(), [self = shared_from_this()] { return self->watch_login(); },
                   [](std::exception_ptr e) {
                       if (e)
                           log::warn("the login check stopped on an error; the next action checks again");
                   });
}

// A login can end while its connection is open: logged out elsewhere, the
// moderator disabled, the password reset, the token expired. Check now and then.
asio::awaitable<void> websocket_session::watch_login()
{
    while (login_token_ && !finished_) {
        login_watch_.expires_after(login_check_interval);
        auto const [ec] = co_await login_watch_.async_wait(asio::as_tuple(asio::use_awaitable));
        if (ec || !login_token_ || finished_)
            co_return;
        auto const staff = co_await store_calls::staff_for_token(context_, *login_token_, now_ms());
        if (!staff && !finished_) {
            log::info("login ended c=" + std::to_string(number_));
            end_staff_identity();
            close_with(close_login_ended, "login ended");
            co_return;
        }
        if (staff)
            participant_->grant({staff->role == staff_role::admin, staff->name, staff->rooms, login_token_});
    }
}

// A moderator's identity must not outlive its login, not even by a resume.
void websocket_session::end_staff_identity()
{
    login_token_.reset();
    participant_->revoke_staff();
    context_.participants.forget(participant_);
}

// For staff: the login still holds (its rooms refreshed); otherwise answers
// `auth_failed`, ends the identity and closes the connection.
asio::awaitable<bool> websocket_session::still_logged_in(std::optional<std::string> const& ref)
{
    if (!login_token_)
        co_return true;
    auto const staff = co_await store_calls::staff_for_token(context_, *login_token_, now_ms());
    if (staff) {
        participant_->grant({staff->role == staff_role::admin, staff->name, staff->rooms, login_token_});
        co_return true;
    }
    reply_error(error_code::auth_failed, "your login has ended; log in again", ref);
    end_staff_identity();
    close_after_sending(close_login_ended, "login ended");
    co_return false;
}

asio::awaitable<void> websocket_session::dispatch_logout(std::optional<std::string> ref)
{
    if (!login_token_)
        co_return reply_error(error_code::forbidden, "this connection is not logged in", ref);
    auto entry = audit_of("logout", "", participant_->display_name());
    co_await store_calls::revoke_token(context_, *login_token_, std::move(entry));
    end_staff_identity();
    send(make_frame(protocol::write_logged_out()));
    close_after_sending(static_cast<std::uint16_t>(boost::beast::websocket::close_code::normal), "logged out");
}

} // namespace kring
