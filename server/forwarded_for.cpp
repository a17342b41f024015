#include "forwarded_for.hpp"

#include "config_values.hpp"

#include <algorithm>
#include <cctype>

namespace kring {

namespace ip = boost::asio::ip;

namespace {

// v4-mapped IPv6 ("::ffff:10.0.0.1", as a dual-stack socket reports IPv4
// peers) compares as the IPv4 address it is.
ip::address plain(ip::address const& a)
{
    if (a.is_v6() && a.to_v6().is_v4_mapped())
        return ip::make_address_v4(ip::v4_mapped, a.to_v6());
    return a;
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

// "1.2.3.4", "1.2.3.4:80", "2001:db8::1", "[2001:db8::1]", "[2001:db8::1]:80".
std::optional<ip::address> parse_node(std::string_view text)
{
    text = trim(text);
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
        text = text.substr(1, text.size() - 2);
    if (text.starts_with('[')) {
        auto const close = text.find(']');
        if (close == std::string_view::npos)
            return std::nullopt;
        text = text.substr(1, close - 1);
    } else if (std::count(text.begin(), text.end(), ':') == 1) {
        text = text.substr(0, text.find(':'));
    }
    boost::system::error_code ec;
    auto const a = ip::make_address(std::string{text}, ec);
    if (ec)
        return std::nullopt;
    return plain(a);
}

template <class Each>
void split(std::string_view text, char separator, Each each)
{
    while (!text.empty()) {
        auto const at = text.find(separator);
        each(trim(text.substr(0, at)));
        text = at == std::string_view::npos ? std::string_view{} : text.substr(at + 1);
    }
}

std::string lower(std::string_view text)
{
    std::string out{text};
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

// The value of parameter `wanted` in one Forwarded element
// ("for=1.2.3.4;proto=https"), as written.
std::optional<std::string_view> parameter(std::string_view element, std::string_view wanted)
{
    std::optional<std::string_view> found;
    split(element, ';', [&](std::string_view pair) {
        auto const eq = pair.find('=');
        if (eq != std::string_view::npos && lower(trim(pair.substr(0, eq))) == wanted)
            found = trim(pair.substr(eq + 1));
    });
    return found;
}

std::optional<ip::address> forwarded_for_of(std::string_view element)
{
    auto const node = parameter(element, "for");
    return node ? parse_node(*node) : std::nullopt;
}

} // namespace

bool address_range::contains(ip::address const& a) const
{
    auto const address = plain(a);
    if (address.is_v4() != first.is_v4())
        return false;
    auto const compare = [&](auto const& x, auto const& y) {
        for (unsigned bit = 0; bit < prefix; ++bit) {
            auto const mask = static_cast<unsigned char>(0x80u >> (bit % 8));
            if ((x[bit / 8] & mask) != (y[bit / 8] & mask))
                return false;
        }
        return true;
    };
    if (address.is_v4())
        return compare(address.to_v4().to_bytes(), first.to_v4().to_bytes());
    return compare(address.to_v6().to_bytes(), first.to_v6().to_bytes());
}

std::optional<address_range> parse_address_range(std::string_view text)
{
    auto const slash = text.find('/');
    boost::system::error_code ec;
    auto const first = ip::make_address(std::string{text.substr(0, slash)}, ec);
    if (ec)
        return std::nullopt;
    address_range range{plain(first), first.is_v4() ? 32u : 128u};
    if (slash != std::string_view::npos) {
        unsigned prefix = 0;
        if (!config_values::parse_number<unsigned>(std::string{text.substr(slash + 1)}, prefix, 0, range.prefix))
            return std::nullopt;
        range.prefix = prefix;
    }
    return range;
}

std::optional<std::string> normal_address_range(std::string const& text)
{
    auto const range = parse_address_range(text);
    if (!range)
        return std::nullopt;
    auto const full = range->first.is_v4() ? 32u : 128u;
    return range->first.to_string() + (range->prefix == full ? "" : "/" + std::to_string(range->prefix));
}

std::vector<std::optional<ip::address>> forwarded_chain(std::vector<std::string_view> const& values,
                                                        forwarded_header header)
{
    std::vector<std::optional<ip::address>> chain;
    for (auto const value : values)
        split(value, ',', [&](std::string_view entry) {
            chain.push_back(header == forwarded_header::forwarded ? forwarded_for_of(entry) : parse_node(entry));
        });
    return chain;
}

std::string forwarded_proto(std::vector<std::string_view> const& values)
{
    std::string_view last;
    for (auto const value : values)
        split(value, ',', [&](std::string_view element) { last = element; });
    auto proto = parameter(last, "proto").value_or("");
    if (proto.size() >= 2 && proto.front() == '"' && proto.back() == '"')
        proto = proto.substr(1, proto.size() - 2);
    return lower(proto);
}

bool is_trusted(ip::address const& a, std::vector<address_range> const& trusted)
{
    return std::any_of(trusted.begin(), trusted.end(), [&](auto const& range) { return range.contains(a); });
}

ip::address client_address(ip::address const& peer, std::vector<std::optional<ip::address>> const& chain,
                           std::vector<address_range> const& trusted)
{
    auto client = plain(peer);
    for (auto hop = chain.rbegin(); hop != chain.rend() && is_trusted(client, trusted); ++hop) {
        if (!*hop)
            break;
        client = **hop;
    }
    return client;
}

} // namespace kring
