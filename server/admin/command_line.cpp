#include "admin/command_line.hpp"

#include "store/store.hpp"

#include <algorithm>
#include <filesystem>
#include <iostream>

namespace kring {
namespace {

bool declared(std::vector<std::string_view> const& names, std::string_view name)
{
    return std::find(names.begin(), names.end(), name) != names.end();
}

// Reads one option or switch at args[i]; moves i past its value.
std::optional<std::string> read_option(std::vector<std::string> const& args, std::size_t& i,
                                       command_syntax const& syntax, command_line& out)
{
    auto const& name = args[i];
    if (declared(syntax.switches, name)) {
        if (!out.switches.insert(name).second)
            return name + " is given twice";
        return std::nullopt;
    }
    if (name != "--db" && !declared(syntax.options, name))
        return "unknown option: " + name;
    // "--title --db FILE" is a forgotten value, not a title.
    if (i + 1 >= args.size() || args[i + 1].starts_with("--"))
        return name + " needs a value";
    auto const& value = args[++i];
    if (name == "--db") {
        if (!out.db.empty())
            return "--db is given twice";
        if (value.empty())
            return "--db needs a file name";
        out.db = value;
    } else if (!out.options.emplace(name, value).second) {
        return name + " is given twice";
    }
    return std::nullopt;
}

} // namespace

std::optional<std::string> command_line::option(std::string_view name) const
{
    auto const found = options.find(name);
    if (found == options.end())
        return std::nullopt;
    return found->second;
}

std::variant<command_line, std::string> parse_command_line(std::vector<std::string> const& args, std::size_t first,
                                                           command_syntax const& syntax)
{
    command_line out;
    for (std::size_t i = first; i < args.size(); ++i) {
        if (args[i].starts_with("--")) {
            if (auto const error = read_option(args, i, syntax, out))
                return *error;
        } else if (out.positional.size() < syntax.positional.size()) {
            out.positional.push_back(args[i]);
        } else {
            return "unexpected argument: " + args[i];
        }
    }
    if (out.positional.size() < syntax.positional.size())
        return std::string{syntax.positional[out.positional.size()]} + " is missing";
    if (out.db.empty())
        return std::string{"--db FILE is required"};
    return out;
}

bool database_missing(std::string_view command, std::string const& db)
{
    if (is_shared_database(db) || std::filesystem::exists(db))
        return false;
    std::cerr << "kring " << command << ": no database at " << db << "\n";
    return true;
}

std::optional<std::string> read_stdin_line()
{
    std::string line;
    if (!std::getline(std::cin, line) && line.empty())
        return std::nullopt;
    if (!line.empty() && line.back() == '\r')
        line.pop_back();
    return line;
}

int run_subcommand(std::vector<std::string> const& args, std::span<subcommand const> subcommands,
                   std::string_view usage, int (*fail)(std::string const&))
{
    if (args.size() < 2)
        return fail("missing subcommand");
    if (args[1] == "--help") {
        std::cout << usage;
        return 0;
    }
    for (auto const& command : subcommands) {
        if (args[1] != command.name)
            continue;
        auto parsed = parse_command_line(args, 2, command.syntax);
        if (auto const* error = std::get_if<std::string>(&parsed))
            return fail(*error);
        return command.run(std::get<command_line>(parsed));
    }
    return fail("unknown subcommand: " + args[1]);
}

} // namespace kring
