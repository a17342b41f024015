#include "admin/ban_command.hpp"

#include "admin/audit_command.hpp"
#include "admin/command_line.hpp"
#include "admin/iso_time.hpp"
#include "store/store.hpp"

#include <charconv>
#include <iostream>

namespace kring {
namespace {

constexpr char const* usage = R"(usage: kring ban list --db FILE
       kring ban lift ID --db FILE

  list   print the bans in force: id, circle (* for the whole server),
         until (or "lifted by hand"), what it holds, who banned, reason
  lift   end ban ID now; a running server lets the member back within a minute
)";

int fail(std::string const& message)
{
    std::cerr << "kring ban: " << message << "\n" << usage;
    return 2;
}

int list_bans(command_line const& line)
{
    if (database_missing("ban", line.db))
        return 1;
    auto const database = open_store(line.db);
    for (auto const& ban : database->active_bans(now_ms())) {
        std::string holds = ban.device ? "device" : "";
        if (ban.address)
            holds += holds.empty() ? "address" : "+address";
        std::cout << ban.id << "\t" << ban.room.value_or("*") << "\t"
                  << (ban.expires_at_ms ? format_iso_utc(*ban.expires_at_ms) : "lifted by hand") << "\t" << holds
                  << "\t" << ban.by << "\t" << ban.reason << "\n";
    }
    return 0;
}

int lift_ban(command_line const& line)
{
    auto const& text = line.positional[0];
    std::int64_t id = 0;
    auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc{} || end != text.data() + text.size() || id <= 0)
        return fail("ID must be a ban's number, as `kring ban list` shows it");
    if (database_missing("ban", line.db))
        return 1;
    auto const database = open_store(line.db);
    if (!database->lift_ban(id)) {
        std::cerr << "kring ban: no such ban: " << id << "\n";
        return 1;
    }
    audit_cli_action(*database, "ban_lift", "", std::to_string(id), "");
    std::cout << "lifted ban " << id << "\n";
    return 0;
}

subcommand const subcommands[] = {
    {"list", {{}, {}, {}}, list_bans},
    {"lift", {{"ID"}, {}, {}}, lift_ban},
};

} // namespace

int ban_command(std::vector<std::string> const& args)
{
    return run_subcommand(args, subcommands, usage, fail);
}

} // namespace kring
