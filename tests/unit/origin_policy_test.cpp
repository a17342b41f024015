#include "net/origin_policy.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

using kring::host_allowed;
using kring::host_rules;
using kring::origin_allowed;
using kring::origin_hosts;

namespace {

std::vector<std::string> const none;

} // namespace

TEST_CASE("a client that sends no Origin is allowed")
{
    CHECK(origin_allowed(std::nullopt, "127.0.0.1:8080", none));
    CHECK(origin_allowed(std::nullopt, "", none));
    CHECK(origin_allowed(std::nullopt, "127.0.0.1:8080", {"https://kring.example.org"}));
}

TEST_CASE("over TLS, without a list, only https:// plus the request's Host is allowed")
{
    CHECK(origin_allowed("https://127.0.0.1:8443", "127.0.0.1:8443", none, "https"));
    CHECK(origin_allowed("https://kring.example.org", "kring.example.org", none, "https"));
    CHECK_FALSE(origin_allowed("http://127.0.0.1:8443", "127.0.0.1:8443", none, "https"));
    CHECK_FALSE(origin_allowed("http://kring.example.org", "kring.example.org", none, "https"));
    CHECK_FALSE(origin_allowed("https:/kring.example.org", "kring.example.org", none, "https"));
    CHECK_FALSE(origin_allowed("httpsx//kring.example.org", "kring.example.org", none, "https"));
}

TEST_CASE("without a list, only http:// plus the request's Host is allowed")
{
    CHECK(origin_allowed("http://127.0.0.1:8080", "127.0.0.1:8080", none));
    CHECK(origin_allowed("http://kring.example.org", "kring.example.org", none));
    CHECK(origin_allowed("http://[::1]:8080", "[::1]:8080", none));

    for (std::string_view const origin : {
             "null",
             "",
             "http://127.0.0.1:8080.evil.example",
             "http://127.0.0.1:80800",
             "http://evil.example/127.0.0.1:8080",
             "https://127.0.0.1:8080",
             "ws://127.0.0.1:8080",
             "http://127.0.0.1:8081",
             "http://127.0.0.1",
             "http://localhost:8080",
             "HTTP://127.0.0.1:8080",
             "Http://127.0.0.1:8080",
             "http://127.0.0.1:8080/",
             " http://127.0.0.1:8080",
             "http://127.0.0.1:8080 ",
             "127.0.0.1:8080",
             "http://x127.0.0.1:8080",
             "xxxxxxx127.0.0.1:8080",
         }) {
        CAPTURE(origin);
        CHECK_FALSE(origin_allowed(origin, "127.0.0.1:8080", none));
    }

    SUBCASE("names are compared exactly, case included")
    {
        CHECK_FALSE(origin_allowed("http://KRING.example.org", "kring.example.org", none));
        CHECK_FALSE(origin_allowed("http://kring.example.org", "KRING.example.org", none));
    }
    SUBCASE("an empty Host allows no origin")
    {
        CHECK_FALSE(origin_allowed("http://", "", none));
        CHECK_FALSE(origin_allowed("null", "", none));
        CHECK_FALSE(origin_allowed("http://127.0.0.1:8080", "", none));
    }
}

TEST_CASE("an explicit list of allowed origins is matched exactly, and replaces the Host rule")
{
    std::vector<std::string> const allowed{"https://kring.example.org", "https://chat.example.net:8443"};
    CHECK(origin_allowed("https://kring.example.org", "127.0.0.1:8080", allowed));
    CHECK(origin_allowed("https://chat.example.net:8443", "anything", allowed));

    for (std::string_view const origin : {
             "https://kring.example.org/",
             "https://kring.example.org.evil.example",
             "http://kring.example.org",
             "https://KRING.example.org",
             "https://chat.example.net",
             "https://kring.example.or",
             "null",
             "",
         }) {
        CAPTURE(origin);
        CHECK_FALSE(origin_allowed(origin, "kring.example.org", allowed));
    }
    SUBCASE("the server's own origin is no longer implied")
    {
        CHECK_FALSE(origin_allowed("http://127.0.0.1:8080", "127.0.0.1:8080", allowed));
    }
}

TEST_CASE("without server names, an upgrade's Host must be an IP address or localhost, with any port")
{
    host_rules const rules{{}, {}, 8080};
    for (std::string_view const host : {
             "127.0.0.1:8080",
             "127.0.0.1:9000",
             "127.0.0.1",
             "192.168.1.20:8080",
             "[::1]:8080",
             "[::1]",
             "[2001:db8::1]:443",
             "[::FFFF:127.0.0.1]:8080",
             "localhost",
             "localhost:8080",
             "LocalHost:1",
         }) {
        CAPTURE(host);
        CHECK(host_allowed(host, rules));
    }
    for (std::string_view const host : {
             "evil.example",
             "evil.example:8080",
             "localhost.evil.example",
             "127.0.0.1.evil.example",
             "2130706433",
             "127.1",
             "0x7f.0.0.1",
             "",
             ":8080",
             "127.0.0.1:",
             "127.0.0.1:0",
             "127.0.0.1:65536",
             "127.0.0.1:80x",
             "127.0.0.1:8080:8080",
             "::1",
             "[::1",
             "[::1]8080",
             "[evil.example]:8080",
             "localhost:8080@evil.example",
             "local host",
         }) {
        CAPTURE(host);
        CHECK_FALSE(host_allowed(host, rules));
    }
}

TEST_CASE("with server names, an upgrade's Host must be one of them, an allowed origin's host, or an IP address with "
          "the listening port")
{
    host_rules const rules{{"kring.example.org", "chat.example.net"}, {"circle.example.com"}, 8080};
    for (std::string_view const host : {
             "kring.example.org",
             "kring.example.org:443",
             "KRING.Example.org",
             "chat.example.net:8080",
             "circle.example.com",
             "127.0.0.1:8080",
             "10.0.0.5:8080",
             "[::1]:8080",
         }) {
        CAPTURE(host);
        CHECK(host_allowed(host, rules));
    }
    for (std::string_view const host : {
             "localhost",
             "localhost:8080",
             "127.0.0.1",
             "127.0.0.1:9000",
             "[::1]:9000",
             "evil.example",
             "kring.example.org.evil.example",
             "xkring.example.org",
             "example.org",
             "kring.example.org:x",
             "",
         }) {
        CAPTURE(host);
        CHECK_FALSE(host_allowed(host, rules));
    }
    SUBCASE("a listener on port 80 takes an IP address without a port")
    {
        CHECK(host_allowed("127.0.0.1", host_rules{{"kring.example.org"}, {}, 80}));
    }
}

TEST_CASE("the hosts of allowed origins count as names of the server, also without server names")
{
    auto const hosts = origin_hosts({"https://kring.example.org", "http://chat.example.net:8443", "http://[::1]:8080"});
    CHECK(hosts == std::vector<std::string>{"kring.example.org", "chat.example.net", "::1"});
    host_rules const rules{{}, hosts, 8080};
    CHECK(host_allowed("kring.example.org", rules));
    CHECK(host_allowed("chat.example.net:8443", rules));
    CHECK(host_allowed("localhost:8080", rules));
    CHECK_FALSE(host_allowed("evil.example", rules));
}
