#pragma once

#include "circle/room.hpp"
#include "session/client.hpp"

#include <kring/protocol/circle_messages.hpp>

#include <boost/asio/awaitable.hpp>

#include <string>

// The crisis path: a member asks for help now, or says something that may
// mean they are in danger. The circle's moderators are told privately (the
// room's alert), the member gets the help lines, and the audit log keeps
// that an alert was raised, never what was said.
namespace kring::help_requests {

using boost::asio::awaitable;

awaitable<void> handle(client& c, protocol::help help, reply_ref ref);

// After a message of `c`'s with crisis words raised an alert in `room`:
// the help lines to them, gently, and the alert in the audit log.
awaitable<void> after_alarming_words(client& c, std::string const& room, alert_outcome outcome);

} // namespace kring::help_requests
