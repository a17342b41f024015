#pragma once

#include "identity.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <optional>

namespace kring {

// The keyed hash of a client's network: its IPv4 address, or the /64 of its
// IPv6 address. Bans and per-network limits use it; the address itself is
// never kept.
digest address_mark(digest const& secret, boost::asio::ip::address const& address);

// The mark of a connected socket's peer, if it still has one.
std::optional<digest> address_mark_of(digest const& secret, boost::asio::ip::tcp::socket const& socket);

} // namespace kring
