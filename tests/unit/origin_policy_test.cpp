#include "net/origin_policy.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

using kring::origin_allowed;

namespace {

std::vector<std::string> const none;

} // namespace

TEST_CASE("a client that sends no Origin is allowed")
{
    CHECK(origin_allowed(std::nullopt, "127.0.0.1:8080", none));
    CHECK(origin_allowed(std::nullopt, "", none));
    CHECK(origin_allowed(std::nullopt, "127.0.0.1:8080", {"https://kring.example.org"}));
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
