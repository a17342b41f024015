#pragma once

#include "circle/participant.hpp"
#include "circle/rate_limit.hpp"
#include "circle/room.hpp"
#include "token_bucket.hpp"
#include "circle/verdict.hpp"
#include "identity.hpp"
#include "net/client_link.hpp"
#include "session/server_context.hpp"
#include "store/records.hpp"

#include <kring/protocol/error_code.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>

// A note on g++ 12 for every coroutine in session/: it frees temporaries in
// a co_await's arguments too early, and miscompiles coroutine lambdas that
// capture. So an argument to a co_await is always a named local, moved in,
// and work handed to another thread is a plain (non-coroutine) function.
namespace kring {

using reply_ref = std::optional<std::string>;

// One client, as its request handlers share it: who it is, its login, its
// budgets. The identity's connection (frame_sink) is this object. Touched
// only on its connection's network thread, except send and close_replaced.
class client : public frame_sink, public std::enable_shared_from_this<client> {
public:
    client(server_context& context, std::shared_ptr<client_link> link, connection_info connection);

    server_context& context;
    connection_info const connection;
    std::shared_ptr<participant> who;  // from hello on
    token_bucket message_budget; // messages that reach others (flood_control)
    bool closing = false; // a close was asked for: nothing more is acted on
    bool ended = false;   // the connection is gone

    // What few connections ever need, made at the first use: the budgets
    // for reports, wrong access codes and refusals for sending too fast, and
    // a moderator's login. A quiet participant's connection holds none of it.
    struct rare_state {
        std::set<std::string> reported{}; // message ids this connection reported
        rate_limit report_budget{5, std::chrono::minutes{1}};
        rate_limit code_budget{5, std::chrono::minutes{1}}; // wrong access codes
        rate_limit flood_refusals; // `rate_limited` answers in the last minute: settings.flood_refusals
        std::optional<digest> login_token{}; // see login_token()
        // A login with a one-time password, waiting for `set_password`: who,
        // and the hash the password matched. It gives no rights at all.
        std::unique_ptr<staff_credentials> password_pending{};
        std::unique_ptr<boost::asio::steady_timer> login_watch{}; // made at the first login
    };
    rare_state& rare();

    // The digest of this connection's moderator token, if logged in.
    std::optional<digest> login_token() const { return rare_ ? rare_->login_token : std::nullopt; }
    void set_login_token(std::optional<digest> token);
    staff_credentials const* password_pending() const { return rare_ ? rare_->password_pending.get() : nullptr; }
    void forget_password_pending()
    {
        if (rare_)
            rare_->password_pending.reset();
    }
    boost::asio::steady_timer* login_watch() const { return rare_ ? rare_->login_watch.get() : nullptr; }

    void send(shared_frame frame) override;
    void close_replaced() override;
    void close(std::uint16_t code, std::string reason, close_mode mode);

    void reply_ok(reply_ref const& ref);
    void reply_error(protocol::error_code code, std::string_view detail, reply_ref const& ref);
    // A refused display name: the error says which rule it broke.
    void reply_name_error(protocol::error_code code, protocol::name_refusal why, reply_ref const& ref);
    void reply_refusal(refusal const& refused, reply_ref const& ref);
    // Done: `ok`; refused: the error.
    void reply(verdict const& answer, reply_ref const& ref);

    // "c=12" for the log: the connection, never a name or an address.
    std::string tag() const;
    // The connection's network thread: where everything of this client runs.
    boost::asio::any_io_executor executor() const { return link_->executor(); }

private:
    std::shared_ptr<client_link> link_;
    std::unique_ptr<rare_state> rare_;
};

// The circle `slug`, as the store has it now, so that `kring room
// add|edit|archive` take effect while the server runs.
boost::asio::awaitable<std::shared_ptr<room>> find_room(client& c, std::string slug);

// A circle as the store keeps it, with its own agreement, or else the deployment's.
room_settings settings_of(room_record const& record,
                          std::shared_ptr<std::vector<protocol::agreement_text> const> const& deployment_agreement);

} // namespace kring
