// `kring`: the server (`serve`) and the admin commands, wired together here.
#include "admin/audit_command.hpp"
#include "admin/ban_command.hpp"
#include "admin/room_command.hpp"
#include "admin/staff_command.hpp"
#include "config.hpp"
#include "log.hpp"
#include "server.hpp"

#include <exception>
#include <iostream>
#include <string>
#include <vector>

namespace {

constexpr char const* usage = R"(usage: kring COMMAND [options]

  serve     run the chat server (kring serve --help)
  room      add, edit, archive or list circles (kring room --help)
  moderator add, list, assign, disable or reset moderators (kring moderator --help)
  ban       list bans, or lift one early (kring ban --help)
  audit     print the audit log (kring audit --help)
)";

int run_serve(std::vector<std::string> const& args)
{
    auto parsed = kring::parse_serve_arguments(args);
    if (parsed.help) {
        std::cout << parsed.message;
        return 0;
    }
    if (!parsed.value) {
        std::cerr << "kring serve: " << parsed.message << "\n\n" << kring::serve_usage();
        return 2;
    }
    return kring::serve(*parsed.value);
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h") {
        (args.empty() ? std::cerr : std::cout) << usage;
        return args.empty() ? 2 : 0;
    }
    try {
        if (args[0] == "serve")
            return run_serve({args.begin() + 1, args.end()});
        if (args[0] == "room")
            return kring::room_command(args);
        if (args[0] == "moderator")
            return kring::staff_command(args);
        if (args[0] == "ban")
            return kring::ban_command(args);
        if (args[0] == "audit")
            return kring::audit_command(args);
        std::cerr << "kring: unknown command: " << args[0] << "\n" << usage;
        return 2;
    } catch (std::exception const& e) {
        kring::log::error(std::string{"kring: "} + e.what());
        return 1;
    }
}
