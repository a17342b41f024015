#pragma once

#include "session/client.hpp"
#include "store/records.hpp"

#include <kring/protocol/client_messages.hpp>

#include <boost/asio/awaitable.hpp>

// Moderators and admins log in over the same WebSocket as everyone else. A
// login can end while its connection is open (logged out elsewhere, the
// moderator disabled, the password reset, the token expired): it is checked
// again before every action and join, and every 15 seconds.
namespace kring::staff_login {

using boost::asio::awaitable;

awaitable<void> handle(client& c, protocol::login login, reply_ref ref);
awaitable<void> handle(client& c, protocol::logout logout, reply_ref ref);

// Gives the identity the login's rights and starts watching the login.
void start_staff(client& c, staff_record const& staff, digest const& token);
// Checks the login now and then, on its own, until it ends or the connection does.
void watch(client& c);

// True for participants, and for staff whose login still holds (their rooms
// refreshed). Otherwise answers `auth_failed`, ends the identity and closes
// the connection (4003).
awaitable<bool> still_logged_in(client& c, reply_ref const& ref);

} // namespace kring::staff_login
