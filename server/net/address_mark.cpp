#include "net/address_mark.hpp"

#include <algorithm>

namespace kring {

namespace asio = boost::asio;

digest address_mark(digest const& secret, asio::ip::address const& address)
{
    if (address.is_v6() && address.to_v6().is_v4_mapped())
        return address_mark(secret, asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()));
    if (address.is_v4()) {
        auto const bytes = address.to_v4().to_bytes();
        return keyed_hash(secret, std::string_view{reinterpret_cast<char const*>(bytes.data()), bytes.size()});
    }
    auto const bytes = address.to_v6().to_bytes();
    return keyed_hash(secret, std::string_view{reinterpret_cast<char const*>(bytes.data()), 8});
}

std::string truncated_network(asio::ip::address const& address)
{
    if (address.is_v6() && address.to_v6().is_v4_mapped())
        return truncated_network(asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()));
    if (address.is_v4()) {
        auto bytes = address.to_v4().to_bytes();
        bytes[3] = 0;
        return asio::ip::address_v4{bytes}.to_string() + "/24";
    }
    auto bytes = address.to_v6().to_bytes();
    std::fill(bytes.begin() + 6, bytes.end(), static_cast<unsigned char>(0));
    return asio::ip::address_v6{bytes}.to_string() + "/48";
}

std::optional<digest> address_mark_of(digest const& secret, network_socket const& socket)
{
    boost::system::error_code ec;
    auto const remote = socket.remote_endpoint(ec);
    if (ec)
        return std::nullopt;
    return address_mark(secret, remote.address());
}

} // namespace kring
