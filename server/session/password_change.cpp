#include "session/password_change.hpp"

#include "clock.hpp"
#include "log.hpp"
#include "password.hpp"
#include "session/run_elsewhere.hpp"
#include "session/staff_login.hpp"

#include <kring/protocol/password_rules.hpp>
#include <kring/protocol/server_messages.hpp>

#include <boost/asio/use_awaitable.hpp>

namespace kring::password_change {

namespace asio = boost::asio;
using protocol::error_code;
using protocol::password_refusal;

namespace {

protocol::password_limits limits_of(config const& settings)
{
    return {settings.min_password_length, settings.max_password_length};
}

// What the hashing threads found: the new hash, or why there is none.
struct hashed {
    enum class outcome { ok, wrong_current, unchanged } result = outcome::ok;
    std::string hash;
};

// With `current` (a logged-in change) it must match the stored hash; without
// it (after a one-time password) this connection proved that already. The new
// password must differ from the old one either way.
hashed hash_new_password(std::string const& old_hash, std::optional<std::string> const& current,
                         std::string const& next)
{
    if (current && !verify_password(old_hash, *current))
        return {hashed::outcome::wrong_current, {}};
    if (current ? *current == next : verify_password(old_hash, next))
        return {hashed::outcome::unchanged, {}};
    return {hashed::outcome::ok, hash_password(next)};
}

// Runs Argon2id on the hashing threads, not the network or store threads.
awaitable<hashed> on_hashing_threads(client& c, std::string old_hash, std::optional<std::string> current,
                                     std::string next)
{
    return run_elsewhere<hashed>(
        c.context.hashing_executor,
        [old_hash = std::move(old_hash), current = std::move(current), next = std::move(next)] {
            return hash_new_password(old_hash, current, next);
        },
        asio::use_awaitable);
}

// The same, holding one of the few places for a hash while it runs.
awaitable<hashed> hash_elsewhere(client& c, std::string old_hash, std::optional<std::string> current,
                                 std::string next)
{
    auto& guard = c.context.logins;
    hashed out;
    try {
        out = co_await on_hashing_threads(c, std::move(old_hash), std::move(current), std::move(next));
    } catch (...) {
        guard.end_hash();
        throw;
    }
    guard.end_hash();
    co_return out;
}

void refuse(client& c, password_refusal reason, reply_ref const& ref)
{
    log::info("error " + c.tag() + " code=bad_password reason=" + std::string{to_string(reason)});
    c.send(make_frame(protocol::write_password_refused(reason, limits_of(c.context.settings), ref)));
}

// Whose password changes: the pending login's, or the logged-in moderator's
// as the store has it now. Nothing (and the answer sent) when neither.
awaitable<std::optional<staff_credentials>> holder_of(client& c, protocol::set_password const& request,
                                                      reply_ref const& ref)
{
    if (auto const* pending = c.password_pending())
        co_return *pending;
    if (!c.login_token()) {
        c.reply_error(error_code::forbidden, "log in first", ref);
        co_return std::nullopt;
    }
    if (!request.current) {
        c.reply_error(error_code::missing_field, "current is required to change your password", ref);
        co_return std::nullopt;
    }
    if (!co_await staff_login::still_logged_in(c, ref))
        co_return std::nullopt;
    auto name = c.who->display_name();
    auto credentials = co_await c.context.database.find_staff(std::move(name));
    if (!credentials || credentials->staff.disabled) {
        staff_login::end_here(c, "your login has ended; log in again", ref);
        co_return std::nullopt;
    }
    co_return credentials;
}

// A wrong current password counts as a failed login, with its throttle.
awaitable<void> wrong_current(client& c, std::string const& name, std::int64_t now, reply_ref const& ref)
{
    c.context.logins.failed(name, c.connection.network, now);
    audit_entry failure{now, "", "password_change_failed", "", name, ""};
    co_await c.context.database.audit(std::move(failure));
    c.reply_error(error_code::auth_failed, "the current password is not right", ref);
}

// Stores the new hash (with its audit row), ends her other logins and logs this connection in anew.
awaitable<void> store_new_password(client& c, staff_credentials holder, std::string new_hash, reply_ref const& ref)
{
    bool const first = c.password_pending() != nullptr;
    auto const& name = holder.staff.name;
    audit_entry entry{now_ms(), name, "password_change", "", name, first ? "one_time_password" : ""};
    bool const changed = co_await c.context.database.change_password(holder.staff.id, holder.password_hash,
                                                                     std::move(new_hash), std::move(entry));
    if (!changed)
        co_return staff_login::end_here(c, "your password was reset or your login disabled; log in again", ref);
    log::info("password changed " + c.tag());
    c.forget_password_pending();
    staff_login::end_other_logins(c, holder.staff.id);
    co_await staff_login::finish_login(c, std::move(holder.staff));
}

} // namespace

awaitable<void> ask_for_new_password(client& c, staff_credentials credentials)
{
    auto const name = credentials.staff.name;
    audit_entry entry{now_ms(), name, "login_one_time_password", "", name, ""};
    co_await c.context.database.audit(std::move(entry));
    c.rare().password_pending = std::make_unique<staff_credentials>(std::move(credentials));
    log::info("login waits for a new password " + c.tag());
    c.send(make_frame(protocol::write_choose_password(name, limits_of(c.context.settings))));
}

bool allowed_while_pending(protocol::client_message const& message)
{
    return std::holds_alternative<protocol::set_password>(message) ||
           std::holds_alternative<protocol::logout>(message) || std::holds_alternative<protocol::ping>(message);
}

awaitable<void> handle(client& c, protocol::set_password request, reply_ref ref)
{
    auto holder = co_await holder_of(c, request, ref);
    if (!holder)
        co_return;
    auto const name = holder->staff.name;
    if (auto const refused = protocol::check_new_password(request.password, name, limits_of(c.context.settings)))
        co_return refuse(c, *refused, ref);

    auto const now = now_ms();
    auto& guard = c.context.logins;
    if (request.current && guard.throttled(name, c.connection.network, now))
        co_return c.reply_refusal(refusal{error_code::throttled, 60}, ref);
    if (!guard.begin_hash())
        co_return c.reply_refusal(refusal{error_code::throttled, 5}, ref);
    auto old_hash = holder->password_hash;
    auto const found = co_await hash_elsewhere(c, std::move(old_hash), std::move(request.current),
                                               std::move(request.password));
    switch (found.result) {
    case hashed::outcome::wrong_current: co_return co_await wrong_current(c, name, now, ref);
    case hashed::outcome::unchanged: co_return refuse(c, password_refusal::unchanged, ref);
    case hashed::outcome::ok: break;
    }
    auto new_hash = found.hash;
    co_await store_new_password(c, std::move(*holder), std::move(new_hash), ref);
}

} // namespace kring::password_change
