#include "config.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <thread>

namespace kring {
namespace {

template <class Number>
bool parse_number(std::string const& text, Number& out, Number min, Number max)
{
    Number value{};
    auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max)
        return false;
    out = value;
    return true;
}

bool parse_listen(std::string const& text, config& c)
{
    auto const colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0)
        return false;
    std::string host = text.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    boost::system::error_code ec;
    boost::asio::ip::make_address(host, ec);
    if (ec)
        return false; // an IP address: Kring does not resolve names at start-up
    c.listen_host = host;
    return parse_number<unsigned short>(text.substr(colon + 1), c.listen_port, 0, 65535);
}

std::string lower(std::string text)
{
    for (char& c : text)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return text;
}

// A DNS name: dot-separated labels of letters, digits and '-'.
bool is_host_name(std::string_view name)
{
    if (name.empty() || name.size() > 253 || name.front() == '.' || name.back() == '.' ||
        name.find("..") != std::string_view::npos)
        return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    });
}

bool parse_server_name(std::string const& text, config& c)
{
    auto name = lower(text);
    if (!is_host_name(name))
        return false;
    c.server_names.push_back(std::move(name));
    return true;
}

// "http://" or "https://", a host name or IP address, perhaps a port, and
// nothing else: what a browser sends as Origin, and so what can ever match.
bool parse_origin(std::string const& text, config& c)
{
    auto origin = lower(text);
    auto const scheme_end = origin.find("://");
    auto const scheme = origin.substr(0, scheme_end);
    if (scheme_end == std::string::npos || (scheme != "http" && scheme != "https"))
        return false;
    auto const host_start = scheme_end + 3;
    auto const bracket = origin.find(']', host_start);
    auto const colon = origin.find(':', bracket == std::string::npos ? host_start : bracket);
    auto const host = origin.substr(host_start, colon == std::string::npos ? std::string::npos : colon - host_start);
    boost::system::error_code ec;
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        boost::asio::ip::make_address_v6(host.substr(1, host.size() - 2), ec);
    else if (!is_host_name(host))
        return false;
    unsigned short port = 0;
    if (ec || (colon != std::string::npos && !parse_number<unsigned short>(origin.substr(colon + 1), port, 1, 65535)))
        return false;
    if ((scheme == "http" && port == 80) || (scheme == "https" && port == 443))
        origin.erase(colon); // a browser leaves the default port out
    c.allowed_origins.push_back(std::move(origin));
    return true;
}

bool parse_seconds(std::string const& text, std::chrono::seconds& out, long min)
{
    long value = 0;
    if (!parse_number<long>(text, value, min, 86400L * 365))
        return false;
    out = std::chrono::seconds{value};
    return true;
}

bool parse_size(std::string const& text, std::size_t& out, std::size_t min, std::size_t max)
{
    return parse_number<std::size_t>(text, out, min, max);
}

// A count of `unit` hours, from `min` to `max` hours.
bool parse_hours(std::string const& text, std::chrono::hours& out, long min, long max, long unit = 1)
{
    long count = 0;
    if (!parse_number<long>(text, count, min / unit, max / unit))
        return false;
    out = std::chrono::hours{count * unit};
    return true;
}

using option_handler = std::function<bool(std::string const&, config&)>;

std::map<std::string, option_handler> const& options_with_value()
{
    static std::map<std::string, option_handler> const table{
        {"--listen", parse_listen},
        {"--db", [](auto const& v, auto& c) { c.db = v; return !v.empty(); }},
        {"--web-root", [](auto const& v, auto& c) { c.web_root = v; return !v.empty(); }},
        {"--port-file", [](auto const& v, auto& c) { c.port_file = v; return !v.empty(); }},
        {"--allow-origin", parse_origin},
        {"--server-name", parse_server_name},
        {"--threads", [](auto const& v, auto& c) { return parse_number<unsigned>(v, c.threads, 0, 256); }},
        {"--max-connections", [](auto const& v, auto& c) { return parse_size(v, c.max_connections, 1, 1000000); }},
        {"--max-connections-per-network",
         [](auto const& v, auto& c) { return parse_size(v, c.max_connections_per_network, 1, 1000000); }},
        {"--connection-rate-per-network",
         [](auto const& v, auto& c) { return parse_size(v, c.connection_rate_per_network, 1, 1000000); }},
        {"--max-identities", [](auto const& v, auto& c) { return parse_size(v, c.max_identities, 1, 10000000); }},
        {"--max-identities-per-network",
         [](auto const& v, auto& c) { return parse_size(v, c.max_identities_per_network, 1, 10000000); }},
        {"--fd-reserve", [](auto const& v, auto& c) { return parse_size(v, c.fd_reserve, 0, 100000); }},
        {"--max-frame-bytes", [](auto const& v, auto& c) { return parse_size(v, c.max_frame_bytes, 1024, 1 << 20); }},
        {"--max-send-queue-bytes",
         [](auto const& v, auto& c) { return parse_size(v, c.max_send_queue_bytes, 1024, std::size_t{1} << 30); }},
        {"--handshake-timeout", [](auto const& v, auto& c) { return parse_seconds(v, c.handshake_timeout, 1); }},
        {"--idle-timeout", [](auto const& v, auto& c) { return parse_seconds(v, c.idle_timeout, 2); }},
        {"--http-timeout", [](auto const& v, auto& c) { return parse_seconds(v, c.http_timeout, 1); }},
        {"--resume-grace", [](auto const& v, auto& c) { return parse_seconds(v, c.resume_grace, 0); }},
        {"--shutdown-timeout", [](auto const& v, auto& c) { return parse_seconds(v, c.shutdown_timeout, 1); }},
        {"--history", [](auto const& v, auto& c) { return parse_size(v, c.history, 0, 100000); }},
        {"--max-text", [](auto const& v, auto& c) { return parse_size(v, c.max_text, 1, 10000); }},
        {"--max-rooms", [](auto const& v, auto& c) { return parse_size(v, c.max_rooms, 1, 64); }},
        {"--room-capacity", [](auto const& v, auto& c) { return parse_size(v, c.room_capacity, 1, 10000); }},
        {"--held-seats-per-network",
         [](auto const& v, auto& c) { return parse_size(v, c.held_seats_per_network, 0, 10000); }},
        {"--login-hours", [](auto const& v, auto& c) { return parse_hours(v, c.login_lifetime, 1, 24L * 365); }},
        {"--report-retention-days",
         [](auto const& v, auto& c) { return parse_hours(v, c.report_retention, 24, 24L * 3650, 24); }},
        {"--message-rate", [](auto const& v, auto& c) { return parse_size(v, c.message_rate, 1, 100000); }},
        {"--message-burst", [](auto const& v, auto& c) { return parse_size(v, c.message_burst, 1, 100000); }},
        {"--network-message-rate",
         [](auto const& v, auto& c) { return parse_size(v, c.network_message_rate, 1, 1000000); }},
        {"--network-message-burst",
         [](auto const& v, auto& c) { return parse_size(v, c.network_message_burst, 1, 1000000); }},
        {"--flood-refusals", [](auto const& v, auto& c) { return parse_size(v, c.flood_refusals, 1, 100000); }},
        {"--login-failures", [](auto const& v, auto& c) { return parse_size(v, c.login_failures, 1, 1000); }},
        {"--login-failures-per-network",
         [](auto const& v, auto& c) { return parse_size(v, c.login_failures_per_network, 1, 1000); }},
        {"--login-failures-per-name",
         [](auto const& v, auto& c) { return parse_size(v, c.login_failures_per_name, 1, 100000); }},
        // From 8 (NIST's floor) to 64, and from 64 (NIST's least maximum) to the
        // protocol's 1024: a minimum can never pass the maximum.
        {"--min-password-length",
         [](auto const& v, auto& c) { return parse_size(v, c.min_password_length, 8, 64); }},
        {"--max-password-length",
         [](auto const& v, auto& c) { return parse_size(v, c.max_password_length, 64, 1024); }},
    };
    return table;
}

constexpr char const* serve_usage_text = R"(usage: kring serve [options]

Runs the Kring chat server: the web page at /, the WebSocket at /ws.

  --listen ADDR:PORT          IP address and port to listen on (default 127.0.0.1:8080; [::1]:8080 for IPv6;
                              port 0 picks a free one)
  --db FILE                   SQLite database (default data/kring.db; created when missing)
  --demo                      create the circle "demo" when it is missing
  --web-root DIR              folder of the web client (default: the source tree's web-client/)
  --port-file FILE            write the port to FILE once listening
  --threads N                 network threads (default: one per core)
  --allow-origin ORIGIN       a browser origin allowed to connect, e.g. https://kring.example.org
                              (repeatable; default: the server's own http://HOST:PORT)
  --server-name NAME          a name the server answers to, e.g. kring.example.org (repeatable); an
                              upgrade whose Host is another name is refused. Default: IP addresses and
                              localhost only, with any port; once a name is set, IP addresses only
                              with the listening port (the hosts of --allow-origin always count)
  --max-connections N         open connections at once; past it a connection gets 503 (default 10000;
                              lowered at start-up to fit the open-file limit, ulimit -n, less --fd-reserve)
  --max-connections-per-network N
                              from one IPv4 address or IPv6 /64; past it 503 (default 256)
  --connection-rate-per-network N
                              new connections a minute from one network, in a burst of as many; past it
                              503 (default 300)
  --max-identities N          identities alive at once, connected or waiting to be resumed; past it the one
                              dropped longest ago is forgotten (default 20000)
  --max-identities-per-network N
                              the same, from one IPv4 address or IPv6 /64 (default 512)
  --fd-reserve N              file descriptors kept for the listener, the database, the log and files
                              being served, beyond --max-connections (default 32)
  --max-frame-bytes N         largest incoming WebSocket message (default 65536)
  --max-send-queue-bytes N    unsent bytes per client before it is dropped (default 1048576)
  --handshake-timeout S       WebSocket handshake time limit in seconds (default 30)
  --idle-timeout S            drop a silent client after S seconds (default 60)
  --http-timeout S            time limit to read an HTTP request (default 30)
  --resume-grace S            seconds a dropped identity can be resumed (default 120)
  --shutdown-timeout S        seconds to close connections on SIGTERM (default 3)
  --history N                 messages each circle keeps in memory (default 200)
  --max-text N                longest message in code points (default 2000)
  --max-rooms N               circles one connection can be in at once (default 8)
  --room-capacity N           capacity of the demo circle (default 12)
  --held-seats-per-network N  seats a circle keeps for dropped members of one network while they may resume;
                              past it the one dropped longest ago gives way (default 3)
  --message-rate N            messages that reach others (say, join, leave, report, moderators' actions)
                              one connection may send a second once its burst is spent (default 5)
  --message-burst N           such messages one connection may send at once (default 10)
  --network-message-rate N    the same for all connections from one network together, staff not counted
                              (default 20)
  --network-message-burst N   at once from one network (default 40)
  --flood-refusals N          rate_limited answers a minute to one connection; the next message it sends
                              while limited closes it with 1008 (default 20)
  --login-hours N             a moderator's login lasts N hours (default 12)
  --login-failures N          failed logins a minute for one name from one network before refusing (default 3)
  --login-failures-per-network N
                              failed logins a minute from one network, any names (default 3)
  --login-failures-per-name N failed logins a minute for one name from all networks together (default 30)
  --min-password-length N     shortest new moderator password, in characters, 8-64 (default 12)
  --max-password-length N     longest new moderator password, in characters, 64-1024 (default 256)
  --report-retention-days N   keep resolved reports N days (default 30)
  --help                      show this help
)";

} // namespace

unsigned config::thread_count() const
{
    if (threads != 0)
        return threads;
    return std::max(1u, std::thread::hardware_concurrency());
}

std::string serve_usage()
{
    return serve_usage_text;
}

parsed_config parse_serve_arguments(std::vector<std::string> const& args)
{
    config c;
    for (std::size_t i = 0; i < args.size(); ++i) {
        auto const& arg = args[i];
        if (arg == "--help" || arg == "-h")
            return {std::nullopt, serve_usage(), true};
        if (arg == "--demo") {
            c.demo = true;
            continue;
        }
        auto const handler = options_with_value().find(arg);
        if (handler == options_with_value().end())
            return {std::nullopt, "unknown option: " + arg, false};
        if (i + 1 == args.size())
            return {std::nullopt, arg + " needs a value", false};
        auto const& value = args[++i];
        if (!handler->second(value, c))
            return {std::nullopt, "invalid value for " + arg + ": " + value, false};
    }
    return {c, {}, false};
}

} // namespace kring
