#pragma once

#include "session/client.hpp"

#include <kring/protocol/client_messages.hpp>

#include <boost/asio/awaitable.hpp>

// Anyone in a circle can report a message to its moderators; moderators list
// the open reports of their circles and resolve them.
namespace kring::report_requests {

using boost::asio::awaitable;

awaitable<void> handle(client& c, protocol::report report, reply_ref ref);
awaitable<void> handle(client& c, protocol::list_reports list, reply_ref ref);
awaitable<void> handle(client& c, protocol::resolve resolve, reply_ref ref);

} // namespace kring::report_requests
