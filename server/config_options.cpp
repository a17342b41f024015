#include "config_options.hpp"

#include "config_values.hpp"
#include "forwarded_for.hpp"

#include <algorithm>

namespace kring {
namespace {

using config_values::range_text;

template <class Number>
serve_option number(std::string name, Number config::*field, Number min, Number max, std::string help)
{
    return {std::move(name), "N", option_kind::number, std::move(help), range_text(min, max),
            [=](std::string const& v, config& c) { return config_values::parse_number(v, c.*field, min, max); },
            [=](config const& c) { return std::vector{std::to_string(c.*field)}; }, {}};
}

// Whole seconds, up to a year.
serve_option seconds(std::string name, std::chrono::seconds config::*field, long min, std::string help)
{
    constexpr long max = 86400L * 365;
    return {std::move(name), "S", option_kind::number, std::move(help), range_text(min, max, "seconds"),
            [=](std::string const& v, config& c) { return config_values::parse_count(v, c.*field, min, max); },
            [=](config const& c) { return std::vector{std::to_string((c.*field).count())}; }, {}};
}

// A count of `unit` hours (24: days), from `min` to `max` such units.
serve_option hours(std::string name, std::chrono::hours config::*field, long min, long max, long unit,
                   std::string help)
{
    return {std::move(name), "N", option_kind::number, std::move(help), range_text(min, max, unit == 24 ? "days" : "hours"),
            [=](std::string const& v, config& c) {
                std::chrono::hours::rep count = 0;
                if (!config_values::parse_number<std::chrono::hours::rep>(v, count, min, max))
                    return false;
                c.*field = std::chrono::hours{count * unit};
                return true;
            },
            [=](config const& c) { return std::vector{std::to_string((c.*field).count() / unit)}; }, {}};
}

serve_option path(std::string name, std::filesystem::path config::*field, std::string placeholder,
                  std::string help)
{
    return {std::move(name), std::move(placeholder), option_kind::text, std::move(help), "a path",
            [=](std::string const& v, config& c) {
                c.*field = v;
                return !v.empty();
            },
            [=](config const& c) { return std::vector{(c.*field).string()}; }, {}};
}

// A path that may be unset: an empty value unsets it, so that the command
// line can take back what the file set.
serve_option optional_path(std::string name, std::optional<std::filesystem::path> config::*field,
                           std::string placeholder, std::string help)
{
    return {std::move(name), std::move(placeholder), option_kind::text, std::move(help),
            "a path, or \"\" for none",
            [=](std::string const& v, config& c) {
                c.*field = v.empty() ? std::nullopt : std::optional<std::filesystem::path>{v};
                return true;
            },
            [=](config const& c) {
                return c.*field ? std::vector{(c.*field)->string()} : std::vector<std::string>{};
            },
            {}};
}

serve_option toggle(std::string name, bool config::*field, std::string help)
{
    return {std::move(name), "", option_kind::toggle, std::move(help), "true or false",
            [=](std::string const& v, config& c) {
                if (v != "true" && v != "false")
                    return false;
                c.*field = v == "true";
                return true;
            },
            [=](config const& c) { return std::vector<std::string>{c.*field ? "true" : "false"}; }, {}};
}

// A list whose entries `normal` checks and writes as they are kept.
serve_option list(std::string name, std::vector<std::string> config::*field, std::string placeholder,
                  std::optional<std::string> (*normal)(std::string const&), std::string expected, std::string help)
{
    return {std::move(name), std::move(placeholder), option_kind::text_list, std::move(help), std::move(expected),
            [=](std::string const& v, config& c) {
                auto entry = normal(v);
                if (entry)
                    (c.*field).push_back(std::move(*entry));
                return entry.has_value();
            },
            [=](config const& c) { return c.*field; }, [=](config& c) { (c.*field).clear(); }};
}

// A listener's address as the file writes it ("[::1]:80"), or nothing when off.
std::vector<std::string> optional_address(std::string const& host, unsigned short port)
{
    if (host.empty())
        return {};
    return {(host.find(':') == std::string::npos ? host : "[" + host + "]") + ":" + std::to_string(port)};
}

serve_option listen()
{
    return {"listen", "ADDR:PORT", option_kind::text,
            "IP address and port to listen on ([::1]:8080 for IPv6; port 0 picks a free one)",
            "an IP address and a port, like 127.0.0.1:8080 or [::1]:8080", config_values::parse_listen,
            [](config const& c) { return optional_address(c.listen_host, c.listen_port); }, {}};
}

serve_option metrics_listen()
{
    return {"metrics-listen", "ADDR:PORT", option_kind::text,
            "serve GET /metrics (Prometheus), /healthz and /readyz on this address, e.g. 127.0.0.1:9464; a bare "
            "port binds 127.0.0.1; \"\" for none. Keep it off the public network",
            "an IP address and a port like 127.0.0.1:9464, a port, or \"\" for none",
            config_values::parse_metrics_listen,
            [](config const& c) { return optional_address(c.metrics_host, c.metrics_port); }, {}};
}

serve_option redirect_listen()
{
    return {"redirect-listen", "ADDR:PORT", option_kind::text,
            "with tls-cert: a plain-HTTP listener, e.g. 0.0.0.0:80, that only sends browsers on to https:// "
            "(301) and serves acme-webroot's files; \"\" for none",
            "an IP address and a port like 0.0.0.0:80, or \"\" for none", config_values::parse_redirect_listen,
            [](config const& c) { return optional_address(c.redirect_host, c.redirect_port); }, {}};
}

serve_option log_format()
{
    return {"log-format", "FORMAT", option_kind::text,
            "how log lines are written: text, or json (one object a line: time, level, msg); under journald "
            "each line also starts with its priority, <6> info, <4> warn, <3> error",
            "text or json",
            [](std::string const& v, config& c) {
                if (v != "text" && v != "json")
                    return false;
                c.log_format = v;
                return true;
            },
            [](config const& c) { return std::vector{c.log_format}; }, {}};
}

serve_option forwarded_header_option()
{
    return {"forwarded-header", "NAME", option_kind::text,
            "the header a trusted proxy writes the client's address into: x-forwarded-for or forwarded",
            "x-forwarded-for or forwarded",
            [](std::string const& v, config& c) {
                if (v != "x-forwarded-for" && v != "forwarded")
                    return false;
                c.forwarded_header = v;
                return true;
            },
            [](config const& c) { return std::vector{c.forwarded_header}; }, {}};
}

// One row per option, in the order of `kring serve --help` and of the file.
std::vector<serve_option> make_options()
{
    using std::size_t;
    auto const size = [](std::string name, size_t config::*field, size_t min, size_t max, std::string help) {
        return number<size_t>(std::move(name), field, min, max, std::move(help));
    };
    return {
        listen(),
        path("db", &config::db, "FILE|URI",
             "SQLite database file, created when missing; or a postgresql:// URI: the database several nodes share"),
        toggle("demo", &config::demo, "create the circle \"demo\" when it is missing"),
        path("web-root", &config::web_root, "DIR",
             "folder of the web client; by default the one `cmake --install` installed"),
        optional_path("port-file", &config::port_file, "FILE", "write the port to FILE once listening"),
        number<unsigned>("threads", &config::threads, 0, 256, "network threads; 0: one per core (one is fastest on a small server)"),
        log_format(),
        toggle("log-networks", &config::log_networks,
               "log each new connection's network, cut to an IPv4 /24 or IPv6 /48 (never a whole address)"),
        metrics_listen(),
        optional_path("metrics-port-file", &config::metrics_port_file, "FILE",
                      "write the metrics listener's port to FILE once it is bound"),
        size("metrics-connections", &config::metrics_connections, 1, 1000,
             "connections open at once to the metrics listener; past it a new one is closed unanswered"),
        list("allow-origin", &config::allowed_origins, "ORIGIN", config_values::normal_origin,
             "an origin as a browser sends it, like https://kring.example.org",
             "a browser origin allowed to connect, e.g. https://kring.example.org; when none is given, only "
             "the server's own http://HOST:PORT"),
        list("server-name", &config::server_names, "NAME", config_values::normal_server_name,
             "a DNS name, like kring.example.org",
             "a name the server answers to, e.g. kring.example.org; an upgrade whose Host is another name is "
             "refused. When none is given: IP addresses and localhost only, with any port; once a name is set, "
             "IP addresses only with the listening port (the hosts of allow-origin always count)"),
        optional_path("tls-cert", &config::tls_certificate, "FILE",
                      "certificate chain (PEM, the server's certificate first) for native HTTPS and WSS; with "
                      "tls-key. Read again on SIGHUP; TLS 1.2 and 1.3, Mozilla's intermediate profile"),
        optional_path("tls-key", &config::tls_key, "FILE", "private key (PEM) of tls-cert"),
        optional_path("help-lines", &config::help_lines, "FILE",
                      "the help lines members are shown (JSON, see protocol/README.md \"Help lines\"); checked at "
                      "start. Without it: Belgium's, which the deployment must check"),
        optional_path("crisis-words", &config::crisis_words, "FILE",
                      "the phrases that, in a participant's message, alert the circle's moderators (JSON, see "
                      "protocol/README.md \"Crisis words\"); checked at start. Without it: the drafts Kring ships, "
                      "deploy/crisis-words.json"),
        optional_path("agreement", &config::agreement, "FILE",
                      "the agreement a circle shows when it has none of its own (JSON, see protocol/README.md \"The "
                      "agreement\"); checked at start. Without it: the drafts Kring ships, deploy/agreement.json"),
        redirect_listen(),
        optional_path("redirect-port-file", &config::redirect_port_file, "FILE",
                      "write the redirect listener's port to FILE once it is bound"),
        optional_path("acme-webroot", &config::acme_webroot, "DIR",
                      "serve certbot's HTTP-01 files (certbot certonly --webroot -w DIR) on redirect-listen, from "
                      "DIR/.well-known/acme-challenge/"),
        list("trusted-proxy", &config::trusted_proxies, "ADDR", normal_address_range,
             "an IP address or range, like 127.0.0.1 or 10.0.0.0/8",
             "a reverse proxy (address or range) whose forwarded-address header names the client, for bans "
             "and per-network limits; other clients' such headers are ignored"),
        forwarded_header_option(),
        size("max-connections", &config::max_connections, 1, 1000000,
             "open connections at once; past it a connection gets 503 (lowered at start-up to fit the "
             "open-file limit, ulimit -n, less fd-reserve)"),
        size("max-connections-per-network", &config::max_connections_per_network, 1, 1000000,
             "open connections from one IPv4 address or IPv6 /64; past it 503"),
        size("connection-rate-per-network", &config::connection_rate_per_network, 1, 1000000,
             "new connections a minute from one network, in a burst of as many; past it 503"),
        size("max-identities", &config::max_identities, 1, 10000000,
             "identities alive at once, connected or waiting to be resumed; past it the one dropped longest "
             "ago is forgotten"),
        size("max-identities-per-network", &config::max_identities_per_network, 1, 10000000,
             "the same, from one IPv4 address or IPv6 /64"),
        size("fd-reserve", &config::fd_reserve, 0, 100000,
             "file descriptors kept for the listener, the database, the log and files being served, beyond "
             "max-connections"),
        size("max-frame-bytes", &config::max_frame_bytes, 1024, 1 << 20, "largest incoming WebSocket message"),
        size("max-send-queue-bytes", &config::max_send_queue_bytes, 1024, size_t{1} << 30,
             "unsent bytes per client before it is dropped"),
        seconds("handshake-timeout", &config::handshake_timeout, 1, "WebSocket handshake time limit in seconds"),
        seconds("idle-timeout", &config::idle_timeout, 2, "drop a silent client after S seconds"),
        seconds("http-timeout", &config::http_timeout, 1, "time limit to read an HTTP request, in seconds"),
        seconds("resume-grace", &config::resume_grace, 0, "seconds a dropped identity can be resumed"),
        seconds("shutdown-timeout", &config::shutdown_timeout, 1, "seconds to close connections on SIGTERM"),
        size("history", &config::history, 0, 100000, "messages each circle keeps in memory"),
        size("max-text", &config::max_text, 1, 10000, "longest message in code points"),
        size("max-rooms", &config::max_rooms, 1, 64, "circles one connection can be in at once"),
        size("max-name-marks", &config::max_name_marks, 0, 30,
             "combining marks (accents, vowel signs) on one character of a display name, counted decomposed"),
        size("room-capacity", &config::room_capacity, 1, 10000, "capacity of the demo circle"),
        size("held-seats-per-network", &config::held_seats_per_network, 0, 10000,
             "seats a circle keeps for dropped members of one network while they may resume; past it the one "
             "dropped longest ago gives way"),
        size("message-rate", &config::message_rate, 1, 100000,
             "messages that reach others (say, join, leave, report, moderators' actions) one connection may "
             "send a second once its burst is spent"),
        size("message-burst", &config::message_burst, 1, 100000, "such messages one connection may send at once"),
        size("network-message-rate", &config::network_message_rate, 1, 1000000,
             "the same for all connections from one network together, staff not counted"),
        size("network-message-burst", &config::network_message_burst, 1, 1000000, "at once from one network"),
        size("flood-refusals", &config::flood_refusals, 1, 100000,
             "rate_limited answers a minute to one connection; the next message it sends while limited closes "
             "it with 1008"),
        hours("login-hours", &config::login_lifetime, 1, 24L * 365, 1, "a moderator's login lasts N hours"),
        size("login-failures", &config::login_failures, 1, 1000,
             "failed logins a minute for one name from one network before refusing"),
        size("login-failures-per-network", &config::login_failures_per_network, 1, 1000,
             "failed logins a minute from one network, any names"),
        size("login-failures-per-name", &config::login_failures_per_name, 1, 100000,
             "failed logins a minute for one name from all networks together"),
        // From 8 (NIST's floor) to 64, and from 64 (NIST's least maximum) to the
        // protocol's 1024: a minimum can never pass the maximum.
        size("min-password-length", &config::min_password_length, 8, 64,
             "shortest new moderator password, in characters"),
        size("max-password-length", &config::max_password_length, 64, 1024,
             "longest new moderator password, in characters"),
        hours("report-retention-days", &config::report_retention, 1, 3650, 24, "keep resolved reports N days"),
    };
}

} // namespace

std::span<serve_option const> serve_options()
{
    static std::vector<serve_option> const options = make_options();
    return options;
}

serve_option const* find_serve_option(std::string_view name)
{
    auto const options = serve_options();
    auto const found = std::find_if(options.begin(), options.end(), [&](auto const& o) { return o.name == name; });
    return found == options.end() ? nullptr : &*found;
}

std::optional<std::string> apply_option(serve_option const& option, std::vector<std::string> const& values,
                                        config& c)
{
    if (option.clear)
        option.clear(c);
    for (auto const& value : values)
        if (!option.set(value, c))
            return "\"" + value + "\" (expected " + option.expected + ")";
    return std::nullopt;
}

std::string default_text(serve_option const& option)
{
    auto const values = option.show(config{});
    std::string out;
    for (auto const& value : values)
        out += (out.empty() ? "" : ", ") + value;
    return out.empty() ? "none" : out;
}

std::vector<std::string> wrap_words(std::string_view text, std::size_t width)
{
    std::vector<std::string> lines{""};
    while (!text.empty()) {
        auto const space = text.find(' ');
        auto const word = text.substr(0, space);
        text = space == std::string_view::npos ? std::string_view{} : text.substr(space + 1);
        if (!lines.back().empty() && lines.back().size() + 1 + word.size() > width)
            lines.emplace_back();
        lines.back() += (lines.back().empty() ? "" : " ") + std::string{word};
    }
    return lines;
}

} // namespace kring
