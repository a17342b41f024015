#pragma once

#include "session/client.hpp"
#include "store/records.hpp"

#include <kring/protocol/client_messages.hpp>

#include <boost/asio/awaitable.hpp>

// A moderator's new password. A password the command line handed over is
// one-time: a login with it gets `choose_password` and no rights, no
// token, until `set_password` on that connection gives a new one that
// keeps the rules; then it is a login like any other. A logged-in
// moderator changes her password the same way, with the current one.
// Either way the change ends every other login of hers.
namespace kring::password_change {

using boost::asio::awaitable;

// After a login with a one-time password: asks for a new one.
awaitable<void> ask_for_new_password(client& c, staff_credentials credentials);

// What a connection waiting for a new password may still send.
bool allowed_while_pending(protocol::client_message const& message);

awaitable<void> handle(client& c, protocol::set_password request, reply_ref ref);

} // namespace kring::password_change
