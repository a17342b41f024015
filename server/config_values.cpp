#include "config_values.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>

namespace kring::config_values {
namespace {

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

} // namespace

namespace {

bool parse_address(std::string const& text, std::string& host_out, unsigned short& port_out)
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
    unsigned short port = 0;
    if (!parse_number<unsigned short>(text.substr(colon + 1), port, 0, 65535))
        return false;
    host_out = host;
    port_out = port;
    return true;
}

} // namespace

bool parse_listen(std::string const& text, config& c)
{
    return parse_address(text, c.listen_host, c.listen_port);
}

bool parse_metrics_listen(std::string const& text, config& c)
{
    if (text.empty()) {
        c.metrics_host.clear();
        c.metrics_port = 0;
        return true;
    }
    if (text.find_first_not_of("0123456789") == std::string::npos)
        return parse_address("127.0.0.1:" + text, c.metrics_host, c.metrics_port);
    return parse_address(text, c.metrics_host, c.metrics_port);
}

bool parse_redirect_listen(std::string const& text, config& c)
{
    if (text.empty()) {
        c.redirect_host.clear();
        c.redirect_port = 0;
        return true;
    }
    return parse_address(text, c.redirect_host, c.redirect_port);
}

std::optional<std::string> normal_server_name(std::string const& text)
{
    auto name = lower(text);
    if (!is_host_name(name))
        return std::nullopt;
    return name;
}

// "http://" or "https://", a host name or IP address, perhaps a port, and
// nothing else: what a browser sends as Origin, and so what can ever match.
std::optional<std::string> normal_origin(std::string const& text)
{
    auto origin = lower(text);
    auto const scheme_end = origin.find("://");
    auto const scheme = origin.substr(0, scheme_end);
    if (scheme_end == std::string::npos || (scheme != "http" && scheme != "https"))
        return std::nullopt;
    auto const host_start = scheme_end + 3;
    auto const bracket = origin.find(']', host_start);
    auto const colon = origin.find(':', bracket == std::string::npos ? host_start : bracket);
    auto const host = origin.substr(host_start, colon == std::string::npos ? std::string::npos : colon - host_start);
    boost::system::error_code ec;
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
        boost::asio::ip::make_address_v6(host.substr(1, host.size() - 2), ec);
    else if (!is_host_name(host))
        return std::nullopt;
    unsigned short port = 0;
    if (ec || (colon != std::string::npos && !parse_number<unsigned short>(origin.substr(colon + 1), port, 1, 65535)))
        return std::nullopt;
    if ((scheme == "http" && port == 80) || (scheme == "https" && port == 443))
        origin.erase(colon); // a browser leaves the default port out
    return origin;
}

} // namespace kring::config_values
