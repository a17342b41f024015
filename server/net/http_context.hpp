#pragma once

#include "config.hpp"
#include "forwarded_for.hpp"
#include "identity.hpp"
#include "net/client_link.hpp"
#include "net/connection_registry.hpp"
#include "net/origin_policy.hpp"

#include <boost/asio/awaitable.hpp>

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace kring {

// An answer to a GET under /api/, made elsewhere (the directory).
struct http_answer {
    unsigned status = 200;
    std::string content_type;
    std::string body;
};
// Nothing: not a page it knows (then a file of the web client, or 404).
using http_api = std::function<boost::asio::awaitable<std::optional<http_answer>>(std::string target)>;

// What every HTTP connection shares.
struct http_context {
    config const& settings;
    connection_registry& connections;
    digest address_key;             // keys the hashes of client networks
    std::filesystem::path web_root; // the web client's files
    handler_factory open_session;   // speaks with each upgraded connection
    host_rules hosts;               // the names an upgrade may be addressed to
    std::vector<address_range> trusted_proxies; // --trusted-proxy
    forwarded_header forwarded = forwarded_header::x_forwarded_for;
    http_api api = {}; // GET /api/...
};

} // namespace kring
