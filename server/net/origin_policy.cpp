#include "net/origin_policy.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace kring {
namespace {

struct host_and_port {
    std::string name;                 // lower case; an IPv6 address without its brackets
    std::optional<unsigned> port;     // when the header names one
    bool ip_literal = false;
};

std::optional<unsigned> parse_port(std::string_view text)
{
    unsigned port = 0;
    auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
    if (ec != std::errc{} || end != text.data() + text.size() || port == 0 || port > 65535)
        return std::nullopt;
    return port;
}

std::string lower(std::string_view text)
{
    std::string out{text};
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// "name", "name:port", "1.2.3.4:port", "[::1]:port"; nothing when malformed.
std::optional<host_and_port> split_host(std::string_view host)
{
    host_and_port out;
    std::string_view rest;
    if (host.starts_with('[')) {
        auto const close = host.find(']');
        if (close == std::string_view::npos)
            return std::nullopt;
        out.name = lower(host.substr(1, close - 1));
        rest = host.substr(close + 1);
        boost::system::error_code ec;
        boost::asio::ip::make_address_v6(out.name, ec);
        if (ec)
            return std::nullopt;
        out.ip_literal = true;
    } else {
        auto const colon = host.find(':');
        out.name = lower(host.substr(0, colon));
        rest = colon == std::string_view::npos ? std::string_view{} : host.substr(colon);
        boost::system::error_code ec;
        boost::asio::ip::make_address_v4(out.name, ec);
        out.ip_literal = !ec;
    }
    if (out.name.empty())
        return std::nullopt;
    if (!rest.empty()) {
        if (!rest.starts_with(':') || !(out.port = parse_port(rest.substr(1))))
            return std::nullopt;
    }
    return out;
}

bool is_name(std::string_view name)
{
    return std::all_of(name.begin(), name.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '-' || c == '.';
    });
}

bool contains(std::vector<std::string> const& list, std::string_view item)
{
    return std::find(list.begin(), list.end(), item) != list.end();
}

} // namespace

bool origin_allowed(std::optional<std::string_view> origin, std::string_view host,
                    std::vector<std::string> const& allowed, std::string_view scheme)
{
    if (!origin)
        return true;
    if (!allowed.empty())
        return std::find(allowed.begin(), allowed.end(), *origin) != allowed.end();
    auto const prefix = scheme.size() + 3;
    return !host.empty() && origin->size() == host.size() + prefix && origin->starts_with(scheme) &&
           origin->substr(scheme.size(), 3) == "://" && origin->substr(prefix) == host;
}

bool host_allowed(std::string_view host, host_rules const& rules)
{
    auto const parsed = split_host(host);
    if (!parsed)
        return false;
    if (parsed->ip_literal)
        return rules.server_names.empty() || parsed->port.value_or(80) == rules.listen_port;
    if (!is_name(parsed->name))
        return false;
    if (contains(rules.origin_hosts, parsed->name))
        return true;
    if (rules.server_names.empty())
        return parsed->name == "localhost";
    return contains(rules.server_names, parsed->name);
}

std::vector<std::string> origin_hosts(std::vector<std::string> const& origins)
{
    std::vector<std::string> hosts;
    for (auto const& origin : origins) {
        auto const scheme_end = origin.find("://");
        if (scheme_end == std::string::npos)
            continue;
        if (auto const parsed = split_host(std::string_view{origin}.substr(scheme_end + 3)))
            hosts.push_back(parsed->name);
    }
    return hosts;
}

} // namespace kring
