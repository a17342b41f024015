#pragma once

#include "net/client_link.hpp"
#include "session/client.hpp"
#include "session/server_context.hpp"

#include <kring/protocol/client_messages.hpp>

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string_view>

namespace kring {

// One client's session: each frame its transport reads is parsed with
// protocol/ and handed to the handler of its kind (chat, staff login,
// moderation, reports); every failure becomes an `error` frame. What the
// client is lives in `client`, which its handlers share.
class client_session : public frame_handler {
public:
    client_session(server_context& context, std::shared_ptr<client_link> link, connection_info const& connection);

    boost::asio::awaitable<void> on_frame(std::string_view frame, bool binary) override;
    void on_closed() override;

private:
    boost::asio::awaitable<void> dispatch(protocol::client_message message, reply_ref ref);

    std::shared_ptr<client> client_;
};

} // namespace kring
