#pragma once

#include "session/client.hpp"
#include "store/records.hpp"

#include <kring/protocol/client_messages.hpp>

#include <boost/asio/awaitable.hpp>

// Moderators and admins log in over the same WebSocket as everyone else. A
// login can end while its connection is open: a logout ends it on every
// connection at once; one ended from the command line (the moderator
// disabled, the password reset) or by its expiry is found within a second
// or two, since it is checked again before every action and join, and
// every second.
namespace kring::staff_login {

using boost::asio::awaitable;

awaitable<void> handle(client& c, protocol::login login, reply_ref ref);
awaitable<void> handle(client& c, protocol::logout logout, reply_ref ref);

// Gives the identity the login's rights and starts watching the login.
void start_staff(client& c, staff_record const& staff, digest const& token);
// A moderator's identity came back on this connection (a resume): watch its login here.
void resume_login(client& c, digest const& token);
// The connection has ended: its login is no longer open here.
void connection_ended(client& c);

// True for participants, and for staff whose login still holds (their rooms
// refreshed). Otherwise answers `auth_failed`, ends the identity and closes
// the connection (4003).
awaitable<bool> still_logged_in(client& c, reply_ref const& ref);

} // namespace kring::staff_login
