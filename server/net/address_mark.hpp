#pragma once

#include "identity.hpp"

#include "net/network_threads.hpp"

#include <optional>
#include <string>

namespace kring {

// The keyed hash of a client's network: its IPv4 address, or the /64 of its
// IPv6 address. Bans and per-network limits use it; the address itself is
// never kept.
digest address_mark(digest const& secret, boost::asio::ip::address const& address);

// A client's network as the log may show it when the admin asks for that
// (log-networks): an IPv4 address cut to its /24 ("203.0.113.0/24"), an
// IPv6 one to its /48 ("2001:db8:1::/48"). Never the whole address.
std::string truncated_network(boost::asio::ip::address const& address);

// The mark of a connected socket's peer, if it still has one.
std::optional<digest> address_mark_of(digest const& secret, network_socket const& socket);

} // namespace kring
