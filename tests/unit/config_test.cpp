#include "config.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using kring::parse_serve_arguments;
using namespace std::chrono_literals;

namespace {

using args = std::vector<std::string>;

// The configuration the arguments give; the test stops when they are refused.
kring::config parsed(args const& arguments)
{
    auto result = parse_serve_arguments(arguments);
    CAPTURE(result.message);
    REQUIRE(result.value.has_value());
    CHECK_FALSE(result.help);
    return *result.value;
}

} // namespace

TEST_CASE("no arguments give the documented defaults")
{
    auto const result = parse_serve_arguments({});
    REQUIRE(result.value.has_value());
    CHECK(result.message.empty());
    CHECK_FALSE(result.help);
    auto const& c = *result.value;
    CHECK(c.listen_host == "127.0.0.1");
    CHECK(c.listen_port == 8080);
    CHECK(c.db == std::filesystem::path{"data/kring.db"});
    CHECK_FALSE(c.demo);
    CHECK(c.web_root == std::filesystem::path{KRING_DEFAULT_WEB_ROOT});
    CHECK_FALSE(c.port_file.has_value());
    CHECK(c.threads == 1);
    CHECK(c.allowed_origins.empty());
    CHECK(c.server_names.empty());
    CHECK(c.max_connections == 10000);
    CHECK(c.max_connections_per_network == 256);
    CHECK(c.fd_reserve == 32);
    CHECK(c.max_frame_bytes == 65536);
    CHECK(c.max_send_queue_bytes == 1048576);
    CHECK(c.handshake_timeout == 30s);
    CHECK(c.idle_timeout == 60s);
    CHECK(c.http_timeout == 30s);
    CHECK(c.resume_grace == 120s);
    CHECK(c.shutdown_timeout == 3s);
    CHECK(c.history == 200);
    CHECK(c.max_text == 2000);
    CHECK(c.max_name == 32);
    CHECK(c.max_rooms == 8);
    CHECK(c.room_capacity == 12);
    CHECK(c.thread_count() >= 1);
}

TEST_CASE("every option sets its field")
{
    auto const c = parsed({
        "--listen", "0.0.0.0:9000",
        "--db", "/var/lib/kring/kring.db",
        "--demo",
        "--web-root", "/srv/kring/web",
        "--port-file", "/run/kring/port",
        "--threads", "4",
        "--allow-origin", "https://kring.example.org",
        "--allow-origin", "https://chat.example.net",
        "--server-name", "kring.example.org",
        "--server-name", "Chat.Example.NET",
        "--max-connections", "500",
        "--max-connections-per-network", "20",
        "--fd-reserve", "64",
        "--max-frame-bytes", "2048",
        "--max-send-queue-bytes", "4096",
        "--handshake-timeout", "5",
        "--idle-timeout", "20",
        "--http-timeout", "7",
        "--resume-grace", "0",
        "--shutdown-timeout", "2",
        "--history", "0",
        "--max-text", "500",
        "--max-rooms", "3",
        "--room-capacity", "6",
        "--tls-cert", "/etc/kring/fullchain.pem",
        "--tls-key", "/etc/kring/privkey.pem",
        "--trusted-proxy", "127.0.0.1",
        "--trusted-proxy", "10.0.0.0/8",
        "--forwarded-header", "forwarded",
    });
    CHECK(c.listen_host == "0.0.0.0");
    CHECK(c.listen_port == 9000);
    CHECK(c.db == std::filesystem::path{"/var/lib/kring/kring.db"});
    CHECK(c.demo);
    CHECK(c.web_root == std::filesystem::path{"/srv/kring/web"});
    REQUIRE(c.port_file.has_value());
    CHECK(*c.port_file == std::filesystem::path{"/run/kring/port"});
    CHECK(c.threads == 4);
    CHECK(c.thread_count() == 4);
    CHECK(c.allowed_origins == std::vector<std::string>{"https://kring.example.org", "https://chat.example.net"});
    CHECK(c.server_names == std::vector<std::string>{"kring.example.org", "chat.example.net"});
    CHECK(c.max_connections == 500);
    CHECK(c.max_connections_per_network == 20);
    CHECK(c.fd_reserve == 64);
    CHECK(c.max_frame_bytes == 2048);
    CHECK(c.max_send_queue_bytes == 4096);
    CHECK(c.handshake_timeout == 5s);
    CHECK(c.idle_timeout == 20s);
    CHECK(c.http_timeout == 7s);
    CHECK(c.resume_grace == 0s);
    CHECK(c.shutdown_timeout == 2s);
    CHECK(c.history == 0);
    CHECK(c.max_text == 500);
    CHECK(c.max_rooms == 3);
    CHECK(c.room_capacity == 6);
    CHECK(c.max_name == 32);
    CHECK(c.tls_certificate == std::filesystem::path{"/etc/kring/fullchain.pem"});
    CHECK(c.tls_key == std::filesystem::path{"/etc/kring/privkey.pem"});
    CHECK(c.trusted_proxies == std::vector<std::string>{"127.0.0.1", "10.0.0.0/8"});
    CHECK(c.forwarded_header == "forwarded");
}

TEST_CASE("a TLS certificate needs its key, and the key its certificate")
{
    for (args const& arguments : {args{"--tls-cert", "cert.pem"}, args{"--tls-key", "key.pem"}}) {
        auto const problem = parsed(arguments).inconsistency();
        REQUIRE(problem.has_value());
        CHECK(problem->find("tls-cert and tls-key go together") != std::string::npos);
    }
    CHECK_FALSE(parsed({"--tls-cert", "cert.pem", "--tls-key", "key.pem"}).inconsistency().has_value());
    auto const c = parsed({});
    CHECK_FALSE(c.inconsistency().has_value());
    CHECK_FALSE(c.tls_certificate.has_value());
    CHECK(c.trusted_proxies.empty());
    CHECK(c.forwarded_header == "x-forwarded-for");
}

TEST_CASE("--listen takes a host and a port, IPv6 in brackets, and port 0")
{
    SUBCASE("IPv6 loopback")
    {
        auto const c = parsed({"--listen", "[::1]:8080"});
        CHECK(c.listen_host == "::1");
        CHECK(c.listen_port == 8080);
    }
    SUBCASE("port 0 asks for any free port")
    {
        auto const c = parsed({"--listen", "127.0.0.1:0"});
        CHECK(c.listen_host == "127.0.0.1");
        CHECK(c.listen_port == 0);
    }
    SUBCASE("IPv6 any address and the highest port")
    {
        auto const c = parsed({"--listen", "[::]:65535"});
        CHECK(c.listen_host == "::");
        CHECK(c.listen_port == 65535);
    }
    SUBCASE("the last --listen wins")
    {
        auto const c = parsed({"--listen", "127.0.0.1:1", "--listen", "127.0.0.2:2"});
        CHECK(c.listen_host == "127.0.0.2");
        CHECK(c.listen_port == 2);
    }
}

TEST_CASE("bad values are refused with a message naming the option")
{
    for (args const& arguments : {
             args{"--listen", "127.0.0.1:70000"},
             args{"--listen", "127.0.0.1:65536"},
             args{"--listen", "127.0.0.1:-1"},
             args{"--listen", "127.0.0.1:80x"},
             args{"--listen", "127.0.0.1:"},
             args{"--listen", "127.0.0.1"},
             args{"--listen", ":8080"},
             args{"--listen", ""},
             args{"--threads", "x"},
             args{"--threads", "-1"},
             args{"--threads", "257"},
             args{"--threads", "4 "},
             args{"--max-connections", "0"},
             args{"--max-connections-per-network", "0"},
             args{"--fd-reserve", "-1"},
             args{"--fd-reserve", "100001"},
             args{"--max-frame-bytes", "100"},
             args{"--max-send-queue-bytes", "10"},
             args{"--idle-timeout", "1"},
             args{"--handshake-timeout", "0"},
             args{"--resume-grace", "-5"},
             args{"--history", "100001"},
             args{"--max-text", "0"},
             args{"--max-rooms", "65"},
             args{"--room-capacity", "0"},
             args{"--trusted-proxy", "localhost"},
             args{"--trusted-proxy", "10.0.0.0/40"},
             args{"--forwarded-header", "x-real-ip"},
             args{"--db", ""},
             args{"--web-root", ""},
             args{"--allow-origin", ""},
             args{"--allow-origin", "kring.example.org"},
             args{"--allow-origin", "https://kring.example.org/"},
             args{"--allow-origin", "https://kring.example.org/chat"},
             args{"--allow-origin", "ftp://kring.example.org"},
             args{"--allow-origin", "https://"},
             args{"--allow-origin", "https://kring.example.org:0"},
             args{"--allow-origin", "https://kring.example.org:99999"},
             args{"--allow-origin", "https://kring..example.org"},
             args{"--allow-origin", "https://[::1"},
             args{"--allow-origin", "null"},
             args{"--server-name", ""},
             args{"--server-name", "kring.example.org:443"},
             args{"--server-name", "https://kring.example.org"},
             args{"--server-name", "kring.example.org/"},
             args{"--server-name", "kring example"},
             args{"--server-name", ".example.org"},
         }) {
        CAPTURE(arguments.front());
        CAPTURE(arguments.back());
        auto const result = parse_serve_arguments(arguments);
        CHECK_FALSE(result.value.has_value());
        CHECK_FALSE(result.help);
        CHECK(result.message.find(arguments.front()) != std::string::npos);
    }
}

// The server binds with asio::ip::make_address(listen_host), which takes only
// IP addresses: what the parser lets through here makes `kring serve` fail
// after start-up ("make_address: Invalid argument", exit 1) instead of
// printing the usage (exit 2). "Read once, checked once."
TEST_CASE("--listen refuses a host that is not an IP address")
{
    for (std::string const value : {"localhost:8080", "[::1:8080", "127.0.0.1:80:90", "300.1.1.1:8080", "[]:8080"}) {
        CAPTURE(value);
        auto const result = parse_serve_arguments({"--listen", value});
        CHECK_FALSE(result.value.has_value());
        CHECK(result.message.find("--listen") != std::string::npos);
    }
}

TEST_CASE("--allow-origin keeps an origin as a browser sends it")
{
    auto const c = parsed({"--allow-origin", "HTTPS://Kring.Example.org:443", "--allow-origin", "http://chat.example.net:80",
                           "--allow-origin", "https://chat.example.net:8443", "--allow-origin", "http://[::1]:8080",
                           "--allow-origin", "http://192.168.1.20:8080"});
    CHECK(c.allowed_origins == std::vector<std::string>{"https://kring.example.org", "http://chat.example.net",
                                                        "https://chat.example.net:8443", "http://[::1]:8080",
                                                        "http://192.168.1.20:8080"});
}

TEST_CASE("an unknown option or a missing value is refused with a message")
{
    SUBCASE("unknown option")
    {
        auto const result = parse_serve_arguments({"--demo", "--colour", "blue"});
        CHECK_FALSE(result.value.has_value());
        CHECK_FALSE(result.help);
        CHECK(result.message.find("--colour") != std::string::npos);
    }
    SUBCASE("a stray word")
    {
        auto const result = parse_serve_arguments({"serve"});
        CHECK_FALSE(result.value.has_value());
        CHECK(result.message.find("serve") != std::string::npos);
    }
    SUBCASE("missing value")
    {
        for (std::string const option : {"--listen", "--db", "--threads", "--allow-origin", "--history"}) {
            CAPTURE(option);
            auto const result = parse_serve_arguments({"--demo", option});
            CHECK_FALSE(result.value.has_value());
            CHECK_FALSE(result.help);
            CHECK(result.message.find(option) != std::string::npos);
        }
    }
}

TEST_CASE("--help gives the usage text instead of a configuration")
{
    for (args const& arguments : {args{"--help"}, args{"-h"}, args{"--demo", "--help"}, args{"--help", "--bogus"}}) {
        CAPTURE(arguments.front());
        auto const result = parse_serve_arguments(arguments);
        CHECK(result.help);
        CHECK_FALSE(result.value.has_value());
        CHECK(result.message == kring::serve_usage());
    }
    SUBCASE("the usage names every option")
    {
        auto const usage = kring::serve_usage();
        CHECK(usage.starts_with("usage: kring serve"));
        for (std::string_view const option :
             {"--listen", "--db", "--demo", "--web-root", "--port-file", "--threads", "--allow-origin",
              "--max-connections", "--max-frame-bytes", "--max-send-queue-bytes", "--handshake-timeout",
              "--idle-timeout", "--http-timeout", "--resume-grace", "--shutdown-timeout", "--history", "--max-text",
              "--max-rooms", "--room-capacity", "--help"}) {
            CAPTURE(option);
            CHECK(usage.find(option) != std::string::npos);
        }
    }
}

TEST_CASE("the login ceilings: 3 for a name from one network, 3 for a network, 30 for a name everywhere")
{
    auto const defaults = parsed({});
    CHECK(defaults.login_failures == 3);
    CHECK(defaults.login_failures_per_network == 3);
    CHECK(defaults.login_failures_per_name == 30);

    auto const c = parsed({"--login-failures", "2", "--login-failures-per-network", "10", "--login-failures-per-name",
                           "50"});
    CHECK(c.login_failures == 2);
    CHECK(c.login_failures_per_network == 10);
    CHECK(c.login_failures_per_name == 50);

    for (std::string const option : {"--login-failures", "--login-failures-per-network", "--login-failures-per-name"}) {
        CAPTURE(option);
        CHECK_FALSE(parse_serve_arguments({option, "0"}).value.has_value());
        CHECK(kring::serve_usage().find(option + " N") != std::string::npos);
    }
}

TEST_CASE("the message budgets: 10 at once and 5 a second per connection, 4x per network, 20 refusals")
{
    auto const defaults = parsed({});
    CHECK(defaults.message_burst == 10);
    CHECK(defaults.message_rate == 5);
    CHECK(defaults.network_message_burst == 40);
    CHECK(defaults.network_message_rate == 20);
    CHECK(defaults.flood_refusals == 20);

    auto const c = parsed({"--message-burst", "3", "--message-rate", "1", "--network-message-burst", "100",
                           "--network-message-rate", "50", "--flood-refusals", "5"});
    CHECK(c.message_burst == 3);
    CHECK(c.message_rate == 1);
    CHECK(c.network_message_burst == 100);
    CHECK(c.network_message_rate == 50);
    CHECK(c.flood_refusals == 5);

    for (std::string const option : {"--message-burst", "--message-rate", "--network-message-burst",
                                     "--network-message-rate", "--flood-refusals"}) {
        CAPTURE(option);
        CHECK_FALSE(parse_serve_arguments({option, "0"}).value.has_value()); // 0 would refuse everything
        CHECK_FALSE(parse_serve_arguments({option, "-1"}).value.has_value());
        CHECK(kring::serve_usage().find(option + " N") != std::string::npos);
    }
}

TEST_CASE("--max-name-marks: 4 combining marks on one character of a name by default, 0 to 30")
{
    CHECK(parsed({}).max_name_marks == 4);
    CHECK(parsed({"--max-name-marks", "0"}).max_name_marks == 0);
    CHECK(parsed({"--max-name-marks", "30"}).max_name_marks == 30);
    for (std::string const bad : {"31", "-1", "x", ""}) {
        CAPTURE(bad);
        auto const result = parse_serve_arguments({"--max-name-marks", bad});
        CHECK_FALSE(result.value.has_value());
        CHECK(result.message.find("--max-name-marks") != std::string::npos);
    }
    CHECK(kring::serve_usage().find("--max-name-marks N") != std::string::npos);
}
