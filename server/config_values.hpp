#pragma once

#include "config.hpp"

#include <charconv>
#include <optional>
#include <string>

// How the values of `kring serve` options are read and checked: numbers in
// a range, the listening address, origins and server names. The same checks
// serve the command line and the config file.
namespace kring::config_values {

// A whole number from `min` to `max` and nothing else: no sign, spaces or units.
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

// A duration from a whole number of its units.
template <class Duration>
bool parse_count(std::string const& text, Duration& out, typename Duration::rep min, typename Duration::rep max)
{
    typename Duration::rep count = 0;
    if (!parse_number(text, count, min, max))
        return false;
    out = Duration{count};
    return true;
}

// "a whole number from 1 to 64", or with `unit` "a whole number of seconds from ...".
template <class Number>
std::string range_text(Number min, Number max, std::string const& unit = {})
{
    return "a whole number " + (unit.empty() ? "" : "of " + unit + " ") + "from " + std::to_string(min) + " to " +
           std::to_string(max);
}

// "127.0.0.1:8080", "[::1]:8080": an IP address (Kring resolves no names at
// start-up) and a port, 0 for any free one.
bool parse_listen(std::string const& text, config& c);
// The metrics listener's address the same way; a bare port means
// 127.0.0.1:PORT, and "" turns the listener off.
bool parse_metrics_listen(std::string const& text, config& c);
bool parse_redirect_listen(std::string const& text, config& c); // ADDR:PORT or ""

// An origin as a browser sends it (lower case, no default port), or nothing
// when `text` can never match one.
std::optional<std::string> normal_origin(std::string const& text);

// A DNS name in lower case, or nothing when `text` is not one.
std::optional<std::string> normal_server_name(std::string const& text);

} // namespace kring::config_values
