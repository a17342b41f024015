// `kring`: the server (`serve`) and the admin commands, wired together here.
#include "admin/audit_command.hpp"
#include "admin/backup_command.hpp"
#include "admin/ban_command.hpp"
#include "admin/check_config_command.hpp"
#include "admin/organisation_command.hpp"
#include "admin/room_command.hpp"
#include "admin/staff_command.hpp"
#include "config.hpp"
#include "log.hpp"
#include "server.hpp"

#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>
#include <string>
#include <vector>

namespace {

int run_serve(std::vector<std::string> const& args)
{
    auto parsed = kring::parse_serve_arguments({args.begin() + 1, args.end()});
    if (parsed.help) {
        std::cout << parsed.message;
        return 0;
    }
    if (!parsed.value) {
        std::cerr << "kring serve: " << parsed.message << "\n";
        if (!parsed.in_file)
            std::cerr << "\n" << kring::serve_usage();
        return 2;
    }
    if (auto const problem = parsed.value->inconsistency()) {
        std::cerr << "kring serve: " << *problem << "\n";
        return 2;
    }
    return kring::serve(*parsed.value);
}

struct command {
    char const* name;
    char const* what;
    int (*run)(std::vector<std::string> const&); // given the command's name and what follows it
};

command const commands[] = {
    {"serve", "run the chat server (kring serve --help)", run_serve},
    {"check-config", "check a config file (kring check-config FILE)", kring::check_config_command},
    {"room", "add, edit, schedule, archive or list circles (kring room --help)", kring::room_command},
    {"org", "add, edit, describe or list the organisations hosting circles (kring org --help)",
     kring::organisation_command},
    {"moderator", "add, list, assign, disable or reset moderators (kring moderator --help)", kring::staff_command},
    {"ban", "list bans, or lift one early (kring ban --help)", kring::ban_command},
    {"audit", "print the audit log (kring audit --help)", kring::audit_command},
    {"backup", "copy the database while the server runs (kring backup --help)", kring::backup_command},
    {"restore", "put a backup back, the server stopped (kring restore --help)", kring::restore_command},
};

std::string usage()
{
    std::string out = "usage: kring COMMAND [options]\n\n";
    for (auto const& c : commands)
        out += "  " + (std::string{c.name} + std::string(14, ' ')).substr(0, 14) + c.what + "\n";
    return out;
}

// The command CLI11 found, with its arguments; a bad command line gets the
// usage and 2 (no command), 0 (--help).
int dispatch(int argc, char** argv)
{
    CLI::App app{"Kring", "kring"};
    app.set_help_flag();
    app.allow_extras();
    bool help = false;
    app.add_flag("-h,--help", help);
    for (auto const& c : commands)
        app.add_subcommand(c.name, c.what)->prefix_command(); // the command reads its own options
    try {
        app.parse(argc, argv);
    } catch (CLI::ParseError const& e) {
        std::cerr << "kring: " << e.what() << "\n" << usage();
        return 2;
    }
    auto const chosen = app.get_subcommands();
    if (chosen.empty() || !app.remaining().empty()) {
        if (help && chosen.empty() && app.remaining().empty()) {
            std::cout << usage();
            return 0;
        }
        if (!app.remaining().empty())
            std::cerr << "kring: unknown command: " << app.remaining().front() << "\n";
        std::cerr << usage();
        return 2;
    }
    std::vector<std::string> args{chosen.front()->get_name()};
    for (auto const& arg : chosen.front()->remaining())
        args.push_back(arg);
    for (auto const& c : commands)
        if (args.front() == c.name)
            return c.run(args);
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    try {
        return dispatch(argc, argv);
    } catch (std::exception const& e) {
        kring::log::error(std::string{"kring: "} + e.what());
        return 1;
    }
}
