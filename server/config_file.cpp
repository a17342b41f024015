#include "config_file.hpp"

#include "config_options.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>
#include <variant>

namespace kring {
namespace {

std::string type_of(toml::node const& node)
{
    switch (node.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "a whole number";
    case toml::node_type::floating_point: return "a decimal number";
    case toml::node_type::boolean: return "true or false";
    case toml::node_type::array: return "a list";
    case toml::node_type::table: return "a table";
    default: return "a date or time";
    }
}

std::string what_kind_wants(option_kind kind)
{
    switch (kind) {
    case option_kind::text: return "a string in quotes";
    case option_kind::number: return "a whole number";
    case option_kind::toggle: return "true or false";
    case option_kind::text_list: return "a list of strings, like [\"a\", \"b\"]";
    }
    return {};
}

// The value of `node` as its flag would take it, or why it is the wrong type.
std::variant<std::vector<std::string>, std::string> flag_values(serve_option const& option, toml::node const& node)
{
    auto const wrong = "expected " + what_kind_wants(option.kind) + ", not " + type_of(node);
    switch (option.kind) {
    case option_kind::text:
        if (auto const* s = node.as_string())
            return std::vector{s->get()};
        return wrong;
    case option_kind::number:
        if (auto const* n = node.as_integer())
            return std::vector{std::to_string(n->get())};
        return wrong;
    case option_kind::toggle:
        if (auto const* b = node.as_boolean())
            return std::vector<std::string>{b->get() ? "true" : "false"};
        return wrong;
    case option_kind::text_list: {
        auto const* entries = node.as_array();
        if (!entries)
            return wrong;
        std::vector<std::string> values;
        for (auto const& entry : *entries) {
            auto const* s = entry.as_string();
            if (!s)
                return "expected " + what_kind_wants(option.kind) + ", not a list holding " + type_of(entry);
            values.push_back(s->get());
        }
        return values;
    }
    }
    return wrong;
}

std::string unknown_key(std::string const& key)
{
    std::string message = "unknown key";
    auto dashed = key;
    std::replace(dashed.begin(), dashed.end(), '_', '-');
    if (dashed.starts_with("--"))
        dashed = dashed.substr(2);
    if (dashed != key && find_serve_option(dashed))
        message += " (did you mean " + dashed + "? keys are the options without their leading dashes)";
    else
        message += " (kring serve --help lists the options; each key is one without its leading dashes)";
    return message;
}

std::optional<std::string> apply_key(std::string const& key, toml::node const& node, config& c)
{
    auto const* option = find_serve_option(key);
    if (!option)
        return unknown_key(key);
    auto const values = flag_values(*option, node);
    if (auto const* wrong = std::get_if<std::string>(&values))
        return *wrong;
    if (auto bad = apply_option(*option, std::get<std::vector<std::string>>(values), c))
        return "invalid value " + *bad;
    return std::nullopt;
}

std::optional<std::string> read_text(std::filesystem::path const& file, std::string& out)
{
    std::ifstream in{file, std::ios::binary};
    if (!in)
        return file.string() + ": cannot be read: " + std::strerror(errno);
    std::stringstream text;
    text << in.rdbuf();
    out = text.str();
    return std::nullopt;
}

std::string quoted(std::string const& text)
{
    std::string out = "\"";
    for (char const ch : text) {
        auto const byte = static_cast<unsigned char>(ch);
        if (ch == '"' || ch == '\\')
            out += std::string{'\\', ch};
        else if (byte < 0x20 || byte == 0x7f) {
            char escape[8];
            std::snprintf(escape, sizeof escape, "\\u%04x", byte);
            out += escape;
        } else
            out += ch;
    }
    return out + "\"";
}

std::string toml_value(serve_option const& option, std::vector<std::string> const& values)
{
    if (option.kind == option_kind::text_list) {
        std::string out = "[";
        for (auto const& value : values)
            out += (out.size() > 1 ? ", " : "") + quoted(value);
        return out + "]";
    }
    auto const value = values.empty() ? std::string{} : values.front();
    return option.kind == option_kind::text ? quoted(value) : value;
}

constexpr char const* file_heading = R"(# Kring's configuration: kring serve --config FILE
#
# Each key is a `kring serve` option without its leading dashes, with the
# same meaning (kring serve --help); an option given on the command line
# overrides the file, and a list given there replaces the file's. A line
# commented out shows the default. `kring check-config FILE` checks a file.
# The server's secret is not here: Kring makes it on first start and keeps
# it in the database.
)";

} // namespace

std::vector<std::string> read_config_file(std::filesystem::path const& file, config& c)
{
    std::string text;
    if (auto problem = read_text(file, text))
        return {*problem};
    toml::table table;
    try {
        table = toml::parse(text, file.string());
    } catch (toml::parse_error const& e) {
        auto const& at = e.source().begin;
        return {file.string() + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": " +
                std::string{e.description()}};
    }
    std::vector<std::pair<toml::source_index, std::string>> problems;
    for (auto const& [key, node] : table) {
        auto const name = std::string{key.str()};
        if (auto problem = apply_key(name, node, c)) {
            auto const line = key.source().begin.line;
            problems.emplace_back(line, file.string() + ":" + std::to_string(line) + ": " + name + ": " + *problem);
        }
    }
    std::stable_sort(problems.begin(), problems.end(), [](auto const& a, auto const& b) { return a.first < b.first; });
    std::vector<std::string> out;
    for (auto& problem : problems)
        out.push_back(std::move(problem.second));
    return out;
}

std::string write_config_file(config const& c, config const& defaults)
{
    std::string out = file_heading;
    for (auto const& option : serve_options()) {
        out += "\n";
        auto const range = option.kind == option_kind::number ? " (" + option.expected + ")" : std::string{};
        auto help = option.help + range + ".";
        help.front() = static_cast<char>(std::toupper(static_cast<unsigned char>(help.front())));
        for (auto const& line : wrap_words(help, 76))
            out += "# " + line + "\n";
        auto const values = option.show(c);
        out += (values == option.show(defaults) ? "# " : "") + option.name + " = " + toml_value(option, values) + "\n";
    }
    return out;
}

} // namespace kring
