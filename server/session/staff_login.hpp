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

// A login with a one-time password gives no rights: it waits for
// `set_password` (session/password_change).
awaitable<void> handle(client& c, protocol::login login, reply_ref ref);
awaitable<void> handle(client& c, protocol::logout logout, reply_ref ref);

// Makes this connection's login a new one for `staff`: a token stored with
// its audit row, the rights, `logged_in`. A login it held before is left.
awaitable<void> finish_login(client& c, staff_record staff);
// Gives the identity the login's rights and starts watching the login.
void start_staff(client& c, staff_record const& staff, digest const& token);
// A moderator's identity came back on this connection (a resume): watch its login here.
void resume_login(client& c, staff_record const& staff, digest const& token);
// Closes (4003) every other connection holding a login of `staff_id`, at once.
void end_other_logins(client& c, std::int64_t staff_id);
// The connection has ended: its login is no longer open here.
void connection_ended(client& c);

// True for participants, and for staff whose login still holds (their rooms
// refreshed). Otherwise ends the login here (end_here).
awaitable<bool> still_logged_in(client& c, reply_ref const& ref);
// Answers `auth_failed` with `why`, ends this connection's login or pending
// login and its identity's rights, and closes it (4003).
void end_here(client& c, std::string_view why, reply_ref const& ref);

} // namespace kring::staff_login
