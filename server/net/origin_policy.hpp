#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kring {

// Whether a WebSocket upgrade may proceed, judged by its Origin header. This
// stops another web site from opening a socket in a visitor's browser.
// No Origin (a non-browser client): allowed. Otherwise the origin must equal
// one of `allowed` exactly, or, when that list is empty, the page's own
// origin: `scheme` ("http", or "https" when the connection is TLS) + "://"
// + Host.
bool origin_allowed(std::optional<std::string_view> origin, std::string_view host,
                    std::vector<std::string> const& allowed, std::string_view scheme = "http");

// The names an upgrade's Host header may carry. The origin rule above trusts
// Host, so Host itself must be a name this server answers to: a page on
// evil.example whose DNS name was rebound to this server sends
// "Host: evil.example" (and the matching Origin), and is refused here.
struct host_rules {
    std::vector<std::string> server_names; // --server-name, lower case; empty: IP addresses and localhost
    std::vector<std::string> origin_hosts; // the hosts of the --allow-origin origins
    unsigned short listen_port = 0;        // the port the listener is bound to
};

// Allowed: an IP address literal (any port when no server name is set,
// otherwise only the listener's port), the host of an allowed origin, a
// server name or, with none set, "localhost"; names with any port.
bool host_allowed(std::string_view host, host_rules const& rules);

// The host names of origins such as "https://kring.example.org:8443".
std::vector<std::string> origin_hosts(std::vector<std::string> const& origins);

} // namespace kring
