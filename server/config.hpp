#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kring {

// Everything `kring serve` can be told, with its default and why: the one
// place of defaults. Each option (flag and config-file key) is a row in
// config_options.cpp that names its field here.
struct config {
    std::string listen_host = "127.0.0.1";
    unsigned short listen_port = 8080; // 0: any free port (see port_file)
    std::filesystem::path db = "data/kring.db";
    bool demo = false; // create the `demo` circle when it is missing
    std::filesystem::path web_root = KRING_DEFAULT_WEB_ROOT; // <prefix>/share/kring/web-client, set by CMake
    std::optional<std::filesystem::path> port_file; // written once listening
    unsigned threads = 1; // network threads; 0: one per core (one is faster on two: tests/bench/RESULTS.md)
    // GET /metrics, /healthz and /readyz on a listener of their own, for a
    // scraper on this machine: off when metrics_host is empty. A bare port
    // given as metrics-listen binds loopback.
    std::string metrics_host;
    unsigned short metrics_port = 0;
    std::optional<std::filesystem::path> metrics_port_file; // written once the metrics listener is bound
    std::string log_format = "text"; // "text" or "json" (one JSON object a line)
    // Log each new connection's network, cut to an IPv4 /24 or an IPv6 /48;
    // off, the log holds no trace of an address.
    bool log_networks = false;
    std::size_t metrics_connections = 8; // open at once on it (a scraper, a health check); past it closed at once

    // Origins allowed to open /ws. Empty: only the server's own origin,
    // "http://" + the request's Host. Non-browser clients send no Origin.
    // Kept as a browser writes them: lower case, no default port.
    std::vector<std::string> allowed_origins;
    // Names the server answers to, lower case. An upgrade whose Host is some
    // other name is refused, so a page whose DNS name was rebound to this
    // server can't connect. Empty: IP addresses and localhost, any port.
    std::vector<std::string> server_names;

    // Native TLS: the certificate chain (PEM, the server's certificate
    // first) and its private key. Both or neither; with them the listener
    // speaks only HTTPS and WSS. Read again on SIGHUP.
    std::optional<std::filesystem::path> tls_certificate;
    // The help lines sent to every member (JSON, protocol/README.md "Help
    // lines"); none: Kring's Belgian list. Checked at start: a bad file stops it.
    std::optional<std::filesystem::path> help_lines;
    // The crisis words read in participants' messages (JSON, protocol/README.md
    // "Crisis words"); none: deploy/crisis-words.json, compiled in.
    std::optional<std::filesystem::path> crisis_words;
    // The agreement circles show when they have none of their own (JSON,
    // protocol/README.md "The agreement"); none: deploy/agreement.json,
    // compiled in. Checked at start.
    std::optional<std::filesystem::path> agreement;
    std::optional<std::filesystem::path> tls_key;
    // With native TLS, a plain-HTTP listener (usually 0.0.0.0:80) that only
    // sends browsers on to https:// with 301 and, from acme_webroot, serves
    // certbot's HTTP-01 files. Off when redirect_host is empty.
    std::string redirect_host;
    unsigned short redirect_port = 0;
    std::optional<std::filesystem::path> redirect_port_file; // written once it is bound
    std::optional<std::filesystem::path> acme_webroot; // certbot --webroot -w: its .well-known/acme-challenge/

    // Reverse proxies (addresses or ranges, "127.0.0.1", "10.0.0.0/8")
    // whose forwarded-address header names the client: its network, not the
    // proxy's, then counts for bans and per-network limits, and their
    // X-Forwarded-Proto (or Forwarded proto=) says whether the page was
    // https. Anyone else's such headers are ignored. Empty: none trusted.
    std::vector<std::string> trusted_proxies;
    // The header they write: "x-forwarded-for" or "forwarded" (RFC 7239).
    // Only that one is read, so a client can't slip in the other.
    std::string forwarded_header = "x-forwarded-for";

    std::size_t max_connections = 10000;      // beyond it a new connection gets 503 and is closed
    std::size_t max_connections_per_network = 256; // from one IPv4 address or IPv6 /64 (a centre's Wi-Fi is one)
    // Identities alive at once, connected or waiting out --resume-grace; past
    // either, the one dropped longest ago gives way (so connect-and-drop
    // loops cannot fill memory). Above the connection limits, so that a
    // connected identity never has to.
    std::size_t max_identities = 20000;
    // New connections a minute from one network (a burst of as many); past
    // it they get 503, so a loop of connections cannot crowd out the rest.
    std::size_t connection_rate_per_network = 300;
    std::size_t max_identities_per_network = 512;
    // File descriptors kept beyond max_connections for the listener, the
    // database, the log and files being served. When the open-file limit
    // can't hold both, max_connections is lowered at start-up to fit.
    std::size_t fd_reserve = 32;
    std::size_t max_frame_bytes = 64 * 1024;  // one incoming WebSocket message; past it: close 1009
    std::size_t max_send_queue_bytes = 1 << 20; // unsent bytes per client; past it: close 4001
    std::chrono::seconds handshake_timeout{30}; // WebSocket opening and closing handshakes
    std::chrono::seconds idle_timeout{60};      // silence before a client is dropped (pinged at half)
    std::chrono::seconds http_timeout{30};      // reading one HTTP request
    std::chrono::seconds resume_grace{120};     // how long a dropped identity can be resumed
    std::chrono::seconds shutdown_timeout{3};   // closing handshakes on SIGTERM before exit

    std::size_t history = 200;      // recent messages a room keeps in memory
    std::size_t max_text = 2000;    // code points in one message
    std::size_t max_name = 32;      // code points in a display name
    // Combining marks stacked on one character of a display name, counted
    // decomposed (é is e and one mark). 4 holds every real name (Hebrew with
    // niqqud and Tibetan stacks need 3, Vietnamese "ệ" and Arabic shadda with
    // a vowel 2) and keeps "Zalgo" text from spilling over the lines around it.
    std::size_t max_name_marks = 4;
    std::size_t max_rooms = 8;      // rooms one connection can be in
    std::size_t room_capacity = 12; // members of a new room, e.g. the demo circle
    // Seats a circle holds for dropped members of one network, waiting to be
    // resumed; past it the one dropped longest ago gives way, so seats nobody
    // sits in cannot keep a circle full.
    std::size_t held_seats_per_network = 3;

    // Messages that reach other people (say, join, leave, report, a
    // moderator's action): a token bucket per connection, and one per
    // network shared by its connections (staff are not counted there).
    // Far above any real circle; a flood past them gets `rate_limited`.
    std::size_t message_rate = 5;           // a second, per connection, once its burst is spent
    std::size_t message_burst = 10;         // at once, per connection
    std::size_t network_message_rate = 20;  // a second, per network (4x: a centre's Wi-Fi is one network)
    std::size_t network_message_burst = 40; // at once, per network
    std::size_t flood_refusals = 20;        // `rate_limited` a minute; the next one closes with 1008

    std::chrono::hours login_lifetime{12};  // a moderator's login token expires after this
    std::chrono::hours report_retention{24 * 30}; // resolved reports are purged after this
    // Failed logins a minute before further attempts wait (`throttled`).
    // Low for one name from one network, the guesser's own; much higher for
    // the name across networks, so that a stranger elsewhere cannot lock its
    // moderator out, yet guessing spread over many networks stays slow.
    std::size_t login_failures = 3;              // one name from one network
    std::size_t login_failures_per_network = 3;  // one network, any names
    std::size_t login_failures_per_name = 30;    // one name from all networks together
    // A moderator's new password (`set_password`), in code points. 12 by
    // default: OWASP ASVS's minimum for a password that is the only factor,
    // and with the login throttle and Argon2id out of reach of guessing,
    // yet short enough for a volunteer's memorable passphrase.
    std::size_t min_password_length = 12;
    std::size_t max_password_length = 256; // far above any passphrase; bounds what is hashed
    unsigned hashing_threads = 2;           // Argon2id runs at most this many at once (19 MiB each)
    std::size_t max_pending_logins = 16;    // logins waiting for a hash; more get `throttled`

    unsigned thread_count() const;
    // What no single option can say is wrong (tls-cert without tls-key).
    std::optional<std::string> inconsistency() const;
};

struct parsed_config {
    std::optional<config> value; // empty when help was asked for or an error found
    std::string message;         // the help text, the settings (--print-config) or the error
    bool help = false;           // print `message` and exit 0: --help or --print-config
    bool in_file = false;        // the error is in the config file: no usage text needed
};

// Parses `kring serve` arguments (without the leading "serve"): the
// defaults, then the file of --config FILE, then the options given.
parsed_config parse_serve_arguments(std::vector<std::string> const& args);

std::string serve_usage();

} // namespace kring
