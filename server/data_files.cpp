#include "data_files.hpp"

#include <fstream>
#include <iterator>

namespace kring {

namespace {

template <class Data, class Parse>
std::variant<Data, std::string> read_data_file(std::string_view option, std::filesystem::path const& file,
                                               Parse parse)
{
    auto const where = std::string{option} + " " + file.string() + ": ";
    std::ifstream in{file, std::ios::binary};
    if (!in)
        return where + "can't be read";
    std::string const text{std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
    if (in.bad())
        return where + "can't be read";
    auto parsed = parse(text);
    if (auto const* why = std::get_if<std::string>(&parsed))
        return where + *why;
    return std::get<Data>(std::move(parsed));
}

} // namespace

std::variant<protocol::help_lines, std::string> help_lines_of(config const& settings)
{
    if (!settings.help_lines)
        return protocol::default_help_lines();
    return read_data_file<protocol::help_lines>("help-lines", *settings.help_lines, protocol::parse_help_lines);
}

std::variant<protocol::crisis_words, std::string> crisis_words_of(config const& settings)
{
    if (!settings.crisis_words)
        return protocol::default_crisis_words();
    return read_data_file<protocol::crisis_words>("crisis-words", *settings.crisis_words,
                                                  protocol::parse_crisis_words);
}

std::variant<protocol::agreements, std::string> agreements_of(config const& settings)
{
    if (!settings.agreement)
        return protocol::default_agreements();
    return read_data_file<protocol::agreements>("agreement", *settings.agreement, protocol::parse_agreements);
}

} // namespace kring
