#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

// The arguments of the admin commands (`kring room|moderator|audit ...`):
// positional arguments, options with a value, and switches. Anything not
// declared is refused, so a typo never passes silently. Every admin command
// needs `--db FILE`.
namespace kring {

struct command_syntax {
    std::vector<std::string_view> positional; // their names, for messages: {"NAME", "ROOM"}
    std::vector<std::string_view> options;    // taking a value, besides --db: {"--title"}
    std::vector<std::string_view> switches;   // {"--admin"}
};

struct command_line {
    std::vector<std::string> positional; // as many as the syntax names
    std::map<std::string, std::string, std::less<>> options;
    std::set<std::string, std::less<>> switches;
    std::string db;

    bool has(std::string_view name) const { return switches.contains(name) || options.contains(name); }
    std::optional<std::string> option(std::string_view name) const;
};

// Parses `args` from index `first` on. On error, the message to show.
std::variant<command_line, std::string> parse_command_line(std::vector<std::string> const& args, std::size_t first,
                                                           command_syntax const& syntax);

struct subcommand {
    std::string_view name;
    command_syntax syntax;
    int (*run)(command_line const&);
};

// Runs `kring COMMAND SUBCOMMAND ...`: --help prints `usage`; a bad or
// missing subcommand or argument calls `fail` with the message.
int run_subcommand(std::vector<std::string> const& args, std::span<subcommand const> subcommands,
                   std::string_view usage, int (*fail)(std::string const&));

// For commands that only read: says so and returns true when `db` does not
// exist, rather than creating an empty database and showing nothing.
bool database_missing(std::string_view command, std::string const& db);

// One line of standard input without its line end (a password or an access
// code, which never belong on the command line); nothing at end of input.
std::optional<std::string> read_stdin_line();

} // namespace kring
