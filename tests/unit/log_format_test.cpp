#include "log.hpp"
#include "net/address_mark.hpp"

#include <doctest/doctest.h>

#include <boost/asio/ip/address.hpp>

using kring::log::format;
using kring::log::format_line;

TEST_CASE("a text line is the time, the level and the line")
{
    CHECK(format_line("2026-01-02T03:04:05.678Z", "info", "listening", format::text, false) ==
          "2026-01-02T03:04:05.678Z info listening\n");
}

TEST_CASE("a JSON line is one object with time, level and msg, its text escaped")
{
    CHECK(format_line("T", "warn", "a \"quoted\" back\\slash\ttab\x01", format::json, false) ==
          "{\"time\":\"T\",\"level\":\"warn\",\"msg\":\"a \\\"quoted\\\" back\\\\slash\\u0009tab\\u0001\"}\n");
    CHECK(format_line("T", "info", "caf\xc3\xa9", format::json, false) ==
          "{\"time\":\"T\",\"level\":\"info\",\"msg\":\"caf\xc3\xa9\"}\n");
}

TEST_CASE("for journald each line starts with its syslog priority")
{
    CHECK(format_line("T", "info", "x", format::json, true).starts_with("<6>{"));
    CHECK(format_line("T", "warn", "x", format::text, true) == "<4>T warn x\n");
    CHECK(format_line("T", "error", "x", format::text, true).starts_with("<3>"));
}

TEST_CASE("a network in the log is cut to an IPv4 /24 or an IPv6 /48")
{
    using boost::asio::ip::make_address;
    CHECK(kring::truncated_network(make_address("203.0.113.77")) == "203.0.113.0/24");
    CHECK(kring::truncated_network(make_address("::ffff:198.51.100.9")) == "198.51.100.0/24");
    CHECK(kring::truncated_network(make_address("2001:db8:1:2:3:4:5:6")) == "2001:db8:1::/48");
}
