#include "config.hpp"

#include <boost/asio/ip/address.hpp>

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

using option_handler = std::function<bool(std::string const&, config&)>;

std::map<std::string, option_handler> const& options_with_value()
{
    static std::map<std::string, option_handler> const table{
        {"--listen", parse_listen},
        {"--db", [](auto const& v, auto& c) { c.db = v; return !v.empty(); }},
        {"--web-root", [](auto const& v, auto& c) { c.web_root = v; return !v.empty(); }},
        {"--port-file", [](auto const& v, auto& c) { c.port_file = v; return !v.empty(); }},
        {"--allow-origin", [](auto const& v, auto& c) { c.allowed_origins.push_back(v); return !v.empty(); }},
        {"--threads", [](auto const& v, auto& c) { return parse_number<unsigned>(v, c.threads, 0, 256); }},
        {"--max-connections", [](auto const& v, auto& c) { return parse_size(v, c.max_connections, 1, 1000000); }},
        {"--max-connections-per-network",
         [](auto const& v, auto& c) { return parse_size(v, c.max_connections_per_network, 1, 1000000); }},
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
        {"--login-hours",
         [](auto const& v, auto& c) {
             long hours = 0;
             if (!parse_number<long>(v, hours, 1, 24L * 365))
                 return false;
             c.login_lifetime = std::chrono::hours{hours};
             return true;
         }},
        {"--report-retention-days",
         [](auto const& v, auto& c) {
             long days = 0;
             if (!parse_number<long>(v, days, 1, 3650))
                 return false;
             c.report_retention = std::chrono::hours{24 * days};
             return true;
         }},
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
    };
    return table;
}

} // namespace

unsigned config::thread_count() const
{
    if (threads != 0)
        return threads;
    return std::max(1u, std::thread::hardware_concurrency());
}

std::string serve_usage()
{
    return R"(usage: kring serve [options]

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
  --max-connections N         open connections at once (default 10000)
  --max-connections-per-network N
                              from one IPv4 address or IPv6 /64 (default 256)
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
  --report-retention-days N   keep resolved reports N days (default 30)
  --help                      show this help
)";
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
