#include "session/staff_login.hpp"

#include "clock.hpp"
#include "log.hpp"
#include "password.hpp"
#include "session/password_change.hpp"
#include "session/run_elsewhere.hpp"

#include <kring/protocol/server_messages.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

namespace kring::staff_login {

namespace asio = boost::asio;
using protocol::error_code;

namespace {

constexpr std::uint16_t close_login_ended = 4003;
constexpr auto login_check_interval = std::chrono::seconds{1};

staff_grant grant_of(staff_record const& staff, std::optional<digest> const& token)
{
    return {staff.role == staff_role::admin, staff.name, staff.rooms, staff.facilitates, staff.interprets, token};
}

// Runs Argon2id on the hashing threads, not the network or store threads.
// An unknown name (an empty hash) costs the same hash as a wrong password,
// so timing does not tell which names exist.
awaitable<bool> password_matches(client& c, std::string encoded_hash, std::string password)
{
    return run_elsewhere<bool>(
        c.context.hashing_executor,
        [encoded_hash = std::move(encoded_hash), password = std::move(password)] {
            static std::string const no_such_user = hash_password(random_token());
            if (encoded_hash.empty())
                return verify_password(no_such_user, password) && false;
            return verify_password(encoded_hash, password);
        },
        asio::use_awaitable);
}

// The stored credentials for `user` and whether `password` matches them,
// holding one of the few places for a hash while it runs.
awaitable<std::pair<std::optional<staff_credentials>, bool>> check_password(client& c, protocol::login login)
{
    auto& guard = c.context.logins;
    std::optional<staff_credentials> credentials;
    bool matches = false;
    try {
        credentials = co_await c.context.database.find_staff(login.user);
        std::string hash = credentials && !credentials->staff.disabled ? credentials->password_hash : std::string{};
        matches = co_await password_matches(c, std::move(hash), std::move(login.password));
    } catch (...) {
        guard.end_hash();
        throw;
    }
    guard.end_hash();
    co_return std::pair{std::move(credentials), matches};
}

// A moderator's identity must not outlive its login, not even by a resume.
void end_staff_identity(client& c)
{
    if (c.login_token())
        c.context.open_logins.remove(*c.login_token(), &c);
    c.set_login_token(std::nullopt);
    // Forgotten first, while still staff: in a circle with quiet arrivals the
    // participants saw a moderator arrive, so they see the moderator go.
    c.context.participants.forget(c.who);
    c.who->revoke_staff();
}

void open_login(client& c, std::int64_t staff_id, digest const& token)
{
    c.set_login_token(token);
    c.context.open_logins.add(token, staff_id, c.weak_from_this());
}

// Ends the login `token` on the connection `other`, on its own thread.
void end_login_on(std::shared_ptr<client> other, digest const& token)
{
    auto const thread = other->executor();
    asio::post(thread, [other = std::move(other), token] {
        if (other->ended || other->login_token() != token)
            return;
        log::info("login ended " + other->tag());
        end_staff_identity(*other);
        other->close(close_login_ended, "login ended", close_mode::drop_queued);
    });
}

// Ends the login `token` on every other connection it is open on.
void end_elsewhere(client& c, digest const& token)
{
    for (auto& other : c.context.open_logins.holders(token, &c))
        end_login_on(std::move(other), token);
}

awaitable<void> watch_login(std::shared_ptr<client> self)
{
    auto& c = *self;
    while (c.login_token() && !c.ended) {
        c.login_watch()->expires_after(login_check_interval);
        auto const [ec] = co_await c.login_watch()->async_wait(asio::as_tuple(asio::use_awaitable));
        if (ec || !c.login_token() || c.ended)
            co_return;
        auto const asked = *c.login_token();
        auto const staff = co_await c.context.database.staff_for_token(asked, now_ms());
        if (c.login_token() != asked)
            continue; // a new password renewed this login meanwhile
        if (!staff && !c.ended) {
            log::info("login ended " + c.tag());
            end_staff_identity(c);
            c.close(close_login_ended, "login ended", close_mode::drop_queued);
            co_return;
        }
        if (staff)
            c.who->grant(grant_of(*staff, c.login_token()));
    }
}

void watch(client& c)
{
    if (!c.login_watch())
        c.rare().login_watch = std::make_unique<asio::steady_timer>(c.executor());
    asio::co_spawn(c.executor(), watch_login(c.shared_from_this()), log::on_exception("the login check"));
}

} // namespace

awaitable<void> handle(client& c, protocol::login login, reply_ref ref)
{
    if (c.who->room_count() > 0)
        co_return c.reply_error(error_code::forbidden, "leave your circles before logging in", ref);
    auto const now = now_ms();
    auto& guard = c.context.logins;
    if (guard.throttled(login.user, c.connection.network, now))
        co_return c.reply_refusal(refusal{error_code::throttled, 60}, ref);
    if (!guard.begin_hash())
        co_return c.reply_refusal(refusal{error_code::throttled, 5}, ref);

    auto const user = login.user;
    auto [credentials, matches] = co_await check_password(c, std::move(login));
    if (!matches) {
        guard.failed(user, c.connection.network, now);
        // An unknown name is not written down: it may be a password typed in the wrong field.
        audit_entry failure{now, "", "login_failed", "", credentials ? credentials->staff.name : "(unknown name)", ""};
        co_await c.context.database.audit(std::move(failure));
        log::info("login failed " + c.tag());
        co_return c.reply_error(error_code::auth_failed, {}, ref);
    }
    guard.succeeded(user, c.connection.network);
    if (credentials->kind == password_kind::one_time)
        co_return co_await password_change::ask_for_new_password(c, std::move(*credentials));
    co_await finish_login(c, std::move(credentials->staff));
}

awaitable<void> finish_login(client& c, staff_record staff)
{
    auto const now = now_ms();
    auto const token = random_token();
    auto const lifetime = std::chrono::duration_cast<std::chrono::milliseconds>(c.context.settings.login_lifetime);
    auto const expires = now + lifetime.count();
    auto const token_digest = sha256(token);
    audit_entry success{now, staff.name, "login", "", staff.name, ""};
    co_await c.context.database.add_login_token(token_digest, staff.id, expires, std::move(success));
    // A login renewed on this connection (a new password) keeps its watch.
    bool const watched = c.login_token().has_value();
    if (c.login_token())
        c.context.open_logins.remove(*c.login_token(), &c);
    open_login(c, staff.id, token_digest);
    c.who->grant(grant_of(staff, token_digest));
    if (!watched)
        watch(c);
    log::info("login " + c.tag() + " id=" + c.who->id() + " role=" + std::string{c.who->role()});
    c.send(make_frame(
        protocol::write_logged_in(c.who->role(), staff.rooms, token, staff.name, expires, staff.facilitates, staff.interprets)));
}

awaitable<void> handle(client& c, protocol::logout, reply_ref ref)
{
    if (c.password_pending()) {
        // Not a login yet: going back from "choose a new password".
        c.forget_password_pending();
        c.send(make_frame(protocol::write_logged_out()));
        co_return c.close(static_cast<std::uint16_t>(boost::beast::websocket::close_code::normal), "logged out",
                          close_mode::after_queued);
    }
    if (!c.login_token())
        co_return c.reply_error(error_code::forbidden, "this connection is not logged in", ref);
    audit_entry entry{now_ms(), c.who->display_name(), "logout", "", c.who->display_name(), ""};
    auto const token = *c.login_token();
    co_await c.context.database.revoke_token(token, std::move(entry));
    end_elsewhere(c, token);
    end_staff_identity(c);
    c.send(make_frame(protocol::write_logged_out()));
    c.close(static_cast<std::uint16_t>(boost::beast::websocket::close_code::normal), "logged out",
            close_mode::after_queued);
}

void start_staff(client& c, staff_record const& staff, digest const& token)
{
    open_login(c, staff.id, token);
    c.who->grant(grant_of(staff, token));
    watch(c);
}

void resume_login(client& c, staff_record const& staff, digest const& token)
{
    open_login(c, staff.id, token);
    watch(c);
}

void end_other_logins(client& c, std::int64_t staff_id)
{
    for (auto& [token, other] : c.context.open_logins.holders_of(staff_id, &c))
        end_login_on(std::move(other), token);
}

void connection_ended(client& c)
{
    c.ended = true;
    if (auto* const watch = c.login_watch())
        watch->cancel();
    if (c.login_token())
        c.context.open_logins.remove(*c.login_token(), &c);
}

awaitable<bool> still_logged_in(client& c, reply_ref const& ref)
{
    if (!c.login_token())
        co_return true;
    auto const staff = co_await c.context.database.staff_for_token(*c.login_token(), now_ms());
    if (staff) {
        c.who->grant(grant_of(*staff, c.login_token()));
        co_return true;
    }
    end_here(c, "your login has ended; log in again", ref);
    co_return false;
}

void end_here(client& c, std::string_view why, reply_ref const& ref)
{
    c.reply_error(error_code::auth_failed, why, ref);
    c.forget_password_pending();
    end_staff_identity(c);
    c.close(close_login_ended, "login ended", close_mode::after_queued);
}

} // namespace kring::staff_login
