#pragma once

#include "session/client.hpp"

#include <kring/protocol/client_messages.hpp>

#include <boost/asio/awaitable.hpp>

// What every participant asks: to be welcomed (new or resumed), to join a
// circle, to speak, to react, to raise a hand, to say they are just
// listening, to whisper with a moderator, the moderators' word among
// themselves, the talking piece, the agreement, an interpreter's
// translation, to leave, and whether the server is there.
namespace kring::chat_requests {

using boost::asio::awaitable;

awaitable<void> handle(client& c, protocol::hello hello, reply_ref ref);
awaitable<void> handle(client& c, protocol::join join, reply_ref ref);
awaitable<void> handle(client& c, protocol::say say, reply_ref ref);
awaitable<void> handle(client& c, protocol::react react, reply_ref ref);
awaitable<void> handle(client& c, protocol::hand hand, reply_ref ref);
awaitable<void> handle(client& c, protocol::listening listening, reply_ref ref);
awaitable<void> handle(client& c, protocol::whisper whisper, reply_ref ref);
awaitable<void> handle(client& c, protocol::mod_say say, reply_ref ref);
// The talking piece: not a sanction, so not in the audit log.
awaitable<void> handle(client& c, protocol::round_start start, reply_ref ref);
awaitable<void> handle(client& c, protocol::round_move move, reply_ref ref);
awaitable<void> handle(client& c, protocol::round_give give, reply_ref ref);
// The agreement: anyone may read a circle's; those running it point to an item.
awaitable<void> handle(client& c, protocol::read_agreement request, reply_ref ref);
awaitable<void> handle(client& c, protocol::point_agreement request, reply_ref ref);
// An interpreter's translation of a message: words, like say, never logged.
awaitable<void> handle(client& c, protocol::translate request, reply_ref ref);
// A moderator or facilitator moves the circle on to its next phase.
awaitable<void> handle(client& c, protocol::set_phase request, reply_ref ref);
awaitable<void> handle(client& c, protocol::give_floor request, reply_ref ref);
awaitable<void> handle(client& c, protocol::leave leave, reply_ref ref);
awaitable<void> handle(client& c, protocol::ping ping, reply_ref ref);
awaitable<void> handle(client& c, protocol::resources request, reply_ref ref);

} // namespace kring::chat_requests
