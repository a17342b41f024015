#pragma once

#include "session/client.hpp"

#include <kring/protocol/client_messages.hpp>

// A budget for the messages that reach other people: far above what anyone
// in a circle does, so that one client cannot bury a circle, its moderators
// or the store under a flood. Every such message takes one token from its
// connection's bucket and, for participants, one from its network's (shared
// by that network's connections; staff are not counted there, so that
// someone flooding from a shared Wi-Fi cannot silence the moderator who must
// stop him). Past the budget: `rate_limited` with the seconds to wait; a
// connection that keeps sending regardless is closed with 1008. Slow mode
// and the other rules of a circle come after this, unchanged.
namespace kring::flood_control {

// A say, a join or leave (the circle sees it, its moderators get a knock),
// a report (it alerts the moderators and writes to disk) and a moderator's
// action (announced to the room). Not: hello, ping, login, logout, and the
// reports a moderator lists or resolves, which reach nobody else.
bool reaches_others(protocol::client_message const& message);

// True when the message may go on. Otherwise it was answered
// `rate_limited`, or the connection is being closed with 1008.
bool admit(client& c, reply_ref const& ref);

} // namespace kring::flood_control
