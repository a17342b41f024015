#pragma once

#include "session/client.hpp"

#include <kring/protocol/client_messages.hpp>

#include <boost/asio/awaitable.hpp>

// The moderators' actions on a circle. The room enforces each one, the
// moderation service (circle/moderation) says what to audit, and the audit
// row is on disk before `ok`.
namespace kring::moderation_requests {

using boost::asio::awaitable;

awaitable<void> handle(client& c, protocol::member_action action, reply_ref ref);
awaitable<void> handle(client& c, protocol::ban ban, reply_ref ref);
awaitable<void> handle(client& c, protocol::delete_message request, reply_ref ref);
awaitable<void> handle(client& c, protocol::pin request, reply_ref ref);
awaitable<void> handle(client& c, protocol::nudge request, reply_ref ref);
awaitable<void> handle(client& c, protocol::pause request, reply_ref ref);
awaitable<void> handle(client& c, protocol::room_action action, reply_ref ref);
awaitable<void> handle(client& c, protocol::room_set set, reply_ref ref);

} // namespace kring::moderation_requests
