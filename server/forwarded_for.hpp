#pragma once

#include <boost/asio/ip/address.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Who the client is when Kring runs behind a reverse proxy. The proxy's
// connection comes from the proxy; the client's address is in a header the
// proxy adds. Only a proxy named in --trusted-proxy is believed: anyone else
// could write any address there, and so escape a ban or a per-network limit.
namespace kring {

// An address, or a network of them: "127.0.0.1", "10.0.0.0/8", "fd00::/8".
struct address_range {
    boost::asio::ip::address first;
    unsigned prefix = 0; // bits that must match: 32 or 128 for one address

    bool contains(boost::asio::ip::address const& a) const;
};

// The range `text` names, written the way it is kept; nothing when it is none.
std::optional<std::string> normal_address_range(std::string const& text);
std::optional<address_range> parse_address_range(std::string_view text);

// Which header a trusted proxy writes the client's address into.
enum class forwarded_header {
    x_forwarded_for, // X-Forwarded-For: client, proxy1, ...
    forwarded,       // Forwarded: for=client, for=proxy1 (RFC 7239)
};

// The addresses of a header's values (repeated header lines in order), the
// first hop first; an entry that is no IP address ("unknown", an obfuscated
// name, garbage) is left empty.
std::vector<std::optional<boost::asio::ip::address>> forwarded_chain(std::vector<std::string_view> const& values,
                                                                    forwarded_header header);

// The proto= of the last element of Forwarded (the nearest proxy's), in
// lower case; empty when it has none.
std::string forwarded_proto(std::vector<std::string_view> const& values);

// The client's address: when `peer` is a trusted proxy, the last hop in
// `chain` that is not one (each trusted proxy vouches for the hop before
// it), else `peer` itself. A chain that runs out, or reaches an entry that
// is no address, ends at the last proxy that was trusted.
boost::asio::ip::address client_address(boost::asio::ip::address const& peer,
                                        std::vector<std::optional<boost::asio::ip::address>> const& chain,
                                        std::vector<address_range> const& trusted);

bool is_trusted(boost::asio::ip::address const& a, std::vector<address_range> const& trusted);

} // namespace kring
