#include "forwarded_for.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

using kring::client_address;
using kring::forwarded_chain;
using kring::forwarded_header;

namespace {

boost::asio::ip::address ip(char const* text)
{
    return boost::asio::ip::make_address(text);
}

std::vector<kring::address_range> ranges(std::vector<std::string_view> const& texts)
{
    std::vector<kring::address_range> out;
    for (auto const text : texts) {
        auto const range = kring::parse_address_range(text);
        REQUIRE(range.has_value());
        out.push_back(*range);
    }
    return out;
}

// The client that `peer`, sending these X-Forwarded-For lines, stands for.
std::string client_via(char const* peer, std::vector<std::string_view> const& lines,
                       std::vector<std::string_view> const& trusted,
                       forwarded_header header = forwarded_header::x_forwarded_for)
{
    return client_address(ip(peer), forwarded_chain(lines, header), ranges(trusted)).to_string();
}

} // namespace

TEST_CASE("a trusted proxy's forwarded address is the client")
{
    CHECK(client_via("127.0.0.1", {"203.0.113.7"}, {"127.0.0.1"}) == "203.0.113.7");
    CHECK(client_via("10.1.2.3", {"2001:db8::5"}, {"10.0.0.0/8"}) == "2001:db8::5");
    CHECK(client_via("::1", {"203.0.113.7:51234"}, {"::1"}) == "203.0.113.7");
    CHECK(client_via("::1", {"[2001:db8::5]:443"}, {"::1"}) == "2001:db8::5");
}

TEST_CASE("anyone else's forwarded address is ignored")
{
    CHECK(client_via("198.51.100.9", {"203.0.113.7"}, {"127.0.0.1"}) == "198.51.100.9");
    CHECK(client_via("198.51.100.9", {"203.0.113.7"}, {}) == "198.51.100.9");
    CHECK(client_via("127.0.0.2", {"203.0.113.7"}, {"127.0.0.1"}) == "127.0.0.2");
}

TEST_CASE("what a client wrote before its own address does not count")
{
    // The client sent "X-Forwarded-For: 10.9.9.9"; the proxy appended the
    // address it saw. Only that one is vouched for.
    CHECK(client_via("127.0.0.1", {"10.9.9.9, 203.0.113.7"}, {"127.0.0.1"}) == "203.0.113.7");
    CHECK(client_via("127.0.0.1", {"10.9.9.9", "203.0.113.7"}, {"127.0.0.1"}) == "203.0.113.7");
}

TEST_CASE("a chain of trusted proxies is followed to the first hop that is not one")
{
    CHECK(client_via("127.0.0.1", {"203.0.113.7, 10.0.0.4"}, {"127.0.0.1", "10.0.0.0/24"}) == "203.0.113.7");
    CHECK(client_via("127.0.0.1", {"10.0.0.9, 203.0.113.7, 10.0.0.4"}, {"127.0.0.1", "10.0.0.0/24"}) ==
          "203.0.113.7");
}

TEST_CASE("a chain that runs out or holds no address ends at the last trusted proxy")
{
    CHECK(client_via("127.0.0.1", {}, {"127.0.0.1"}) == "127.0.0.1");
    CHECK(client_via("127.0.0.1", {""}, {"127.0.0.1"}) == "127.0.0.1");
    CHECK(client_via("127.0.0.1", {"unknown"}, {"127.0.0.1"}) == "127.0.0.1");
    CHECK(client_via("127.0.0.1", {"203.0.113.7, not-an-address"}, {"127.0.0.1"}) == "127.0.0.1");
    CHECK(client_via("127.0.0.1", {"garbage, 10.0.0.4"}, {"127.0.0.1", "10.0.0.0/8"}) == "10.0.0.4");
}

TEST_CASE("Forwarded (RFC 7239) is read by its for= parameters")
{
    auto const rfc = forwarded_header::forwarded;
    CHECK(client_via("127.0.0.1", {"for=203.0.113.7;proto=https"}, {"127.0.0.1"}, rfc) == "203.0.113.7");
    CHECK(client_via("127.0.0.1", {"For=\"[2001:db8::5]:4711\";by=127.0.0.1"}, {"127.0.0.1"}, rfc) ==
          "2001:db8::5");
    CHECK(client_via("127.0.0.1", {"for=10.9.9.9, for=203.0.113.7"}, {"127.0.0.1"}, rfc) == "203.0.113.7");
    CHECK(client_via("127.0.0.1", {"for=_hidden"}, {"127.0.0.1"}, rfc) == "127.0.0.1");
    CHECK(client_via("127.0.0.1", {"proto=https"}, {"127.0.0.1"}, rfc) == "127.0.0.1");
    CHECK(kring::forwarded_proto({"for=10.9.9.9;proto=http, for=203.0.113.7;proto=HTTPS"}) == "https");
    CHECK(kring::forwarded_proto({"for=203.0.113.7"}).empty());
}

TEST_CASE("proxy ranges match by their prefix, and IPv4 seen as IPv6 counts as IPv4")
{
    auto const lan = ranges({"192.168.4.0/22"});
    CHECK(lan[0].contains(ip("192.168.7.255")));
    CHECK_FALSE(lan[0].contains(ip("192.168.8.0")));
    CHECK(lan[0].contains(ip("::ffff:192.168.5.1")));
    CHECK_FALSE(lan[0].contains(ip("::1")));
    CHECK(ranges({"fd00::/8"})[0].contains(ip("fd12:3456::1")));
    CHECK(ranges({"0.0.0.0/0"})[0].contains(ip("8.8.8.8")));
}

TEST_CASE("a proxy address is kept as written, and what is none is refused")
{
    CHECK(kring::normal_address_range("127.0.0.1") == "127.0.0.1");
    CHECK(kring::normal_address_range("10.0.0.0/8") == "10.0.0.0/8");
    CHECK(kring::normal_address_range("::1/128") == "::1");
    for (std::string const bad : {"", "localhost", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x", "1.2.3"}) {
        CAPTURE(bad);
        CHECK_FALSE(kring::normal_address_range(bad).has_value());
    }
}
