#include "admin/staff_command.hpp"

#include "admin/audit_command.hpp"
#include "admin/command_line.hpp"
#include "config.hpp"
#include "password.hpp"
#include "store/store.hpp"

#include <kring/protocol/client_messages.hpp>
#include <kring/protocol/password_rules.hpp>
#include <kring/protocol/text.hpp>

#include <algorithm>
#include <iostream>

namespace kring {
namespace {

constexpr char const* usage = R"(usage: kring moderator add NAME [--admin] [--password-stdin [--permanent]] --db FILE
       kring moderator list --db FILE
       kring moderator assign NAME ROOM [--as moderator|facilitator|interpreter] --db FILE
       kring moderator disable NAME --db FILE
       kring moderator enable NAME --db FILE
       kring moderator reset-password NAME [--password-stdin [--permanent]] --db FILE

  add             create a moderator (--admin: an admin, who keeps every
                  circle); NAME is 1-32 letters, digits, '.', '_' and '-'
                  and unique without regard to case
  list            print everyone: name, role, enabled or disabled, and the
                  circles they keep (comma-separated; * for an admin,
                  - for none; a circle they facilitate as ROOM:facilitator,
                  one they interpret in as ROOM:interpreter)
  assign          let a moderator keep the circle ROOM; --as facilitator
                  lets them run a peer-led circle (rounds, hands, the pause,
                  the agreement) without removing, muting or banning;
                  --as interpreter lets them translate messages there.
                  Assigning again changes what they are in ROOM
  disable         stop a moderator from logging in; signs them out
  enable          let a disabled moderator log in again
  reset-password  set a new password; signs them out

  A new password is generated and printed once, to hand over in person;
  --password-stdin reads it from standard input instead (one line). A
  password is never a command-line argument. Either way it is one-time:
  the first login with it must choose a new password, and only then is it
  a login. --permanent (with --password-stdin) keeps the password given,
  for an admin setting her own. A password is 12 to 256 characters and
  does not contain the NAME.
)";

int fail(std::string const& message)
{
    std::cerr << "kring moderator: " << message << "\n" << usage;
    return 2;
}

int no_such_moderator(std::string const& name)
{
    std::cerr << "kring moderator: no such moderator: " << name << "\n";
    return 1;
}

bool is_valid_name(std::string const& name)
{
    auto const allowed = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
               c == '_' || c == '-';
    };
    return !name.empty() && name.size() <= 32 && std::all_of(name.begin(), name.end(), allowed);
}

constexpr char const* bad_name = "NAME must be 1-32 characters of letters, digits, '.', '_' and '-'";

struct new_password {
    std::string text;
    bool generated = false;
    password_kind kind = password_kind::one_time;
};

// The rules of a moderator's password, as `kring serve` keeps them by default.
protocol::password_limits default_password_limits()
{
    config const defaults;
    return {defaults.min_password_length, defaults.max_password_length};
}

// The password from standard input, or a generated one; or why not.
std::variant<new_password, std::string> choose_password(command_line const& line, std::string const& name)
{
    bool const permanent = line.has("--permanent");
    if (!line.has("--password-stdin")) {
        if (permanent)
            return std::string{"--permanent needs --password-stdin: a printed password is always one-time"};
        return new_password{generate_password(), true, password_kind::one_time};
    }
    auto const limits = default_password_limits();
    auto const text = read_stdin_line();
    auto const refused = text && protocol::is_valid_utf8(*text) ? protocol::check_new_password(*text, name, limits)
                                                                : protocol::password_refusal::too_short;
    if (refused == protocol::password_refusal::contains_name)
        return std::string{"the password on standard input must not contain the name " + name};
    if (refused)
        return "the password on standard input must be one line of " + std::to_string(limits.min_length) + " to " +
               std::to_string(limits.max_length) + " characters";
    return new_password{*text, false, permanent ? password_kind::chosen : password_kind::one_time};
}

// What the audit row says of a new password: where it came from, and whether it is one-time.
std::string password_detail(new_password const& password)
{
    return std::string{password.generated ? "password=generated" : "password=stdin"} +
           (password.kind == password_kind::one_time ? " one_time" : " permanent");
}

void show_password(new_password const& password, std::string const& name)
{
    if (password.generated)
        std::cout << "one-time password (shown only now): " << password.text << "\n";
    if (password.kind == password_kind::one_time)
        std::cout << "the first login with it must choose a new password; until then " << name
                  << " can do nothing else\n";
}

int add_staff(command_line const& line)
{
    auto const& name = line.positional[0];
    if (!is_valid_name(name))
        return fail(bad_name);
    auto const password = choose_password(line, name);
    if (auto const* error = std::get_if<std::string>(&password))
        return fail(*error);
    auto const& chosen = std::get<new_password>(password);
    auto const role = line.has("--admin") ? staff_role::admin : staff_role::moderator;

    auto const database = open_store(line.db);
    if (!database->add_staff(name, role, hash_password(chosen.text), chosen.kind)) {
        std::cerr << "kring moderator: a moderator or admin named " << name << " exists already\n";
        return 1;
    }
    audit_cli_action(*database, "moderator_add", "", name,
                     "role=" + std::string{to_string(role)} + " " + password_detail(chosen));
    std::cout << "added " << to_string(role) << " " << name << "\n";
    show_password(chosen, name);
    return 0;
}

int list_staff(command_line const& line)
{
    if (database_missing("moderator", line.db))
        return 1;
    auto const database = open_store(line.db);
    for (auto const& s : database->staff()) {
        std::string rooms;
        for (auto const& slug : s.rooms)
            rooms += (rooms.empty() ? "" : ",") + slug;
        for (auto const& slug : s.facilitates)
            rooms += (rooms.empty() ? "" : ",") + slug + ":facilitator";
        for (auto const& slug : s.interprets)
            rooms += (rooms.empty() ? "" : ",") + slug + ":interpreter";
        if (s.role == staff_role::admin)
            rooms = "*";
        else if (rooms.empty())
            rooms = "-";
        std::cout << s.name << "\t" << to_string(s.role) << "\t" << (s.disabled ? "disabled" : "enabled") << "\t"
                  << rooms << "\n";
    }
    return 0;
}

int assign_room(command_line const& line)
{
    auto const& name = line.positional[0];
    auto const& slug = line.positional[1];
    if (!is_valid_name(name))
        return fail(bad_name);
    if (!protocol::is_valid_slug(slug, 32))
        return fail("ROOM must be a circle's slug: 1-32 characters of a-z, 0-9 and -");
    auto power = circle_power::moderate;
    if (auto const as = line.option("--as")) {
        if (*as == "facilitator")
            power = circle_power::facilitate;
        else if (*as == "interpreter")
            power = circle_power::interpret;
        else if (*as != "moderator")
            return fail("--as must be moderator, facilitator or interpreter");
    }
    auto const database = open_store(line.db);
    auto const staff = database->find_staff(name);
    if (!staff)
        return no_such_moderator(name);
    if (!database->assign_room(name, slug, power)) {
        std::cerr << "kring moderator: no such circle: " << slug << "\n";
        return 1;
    }
    audit_cli_action(*database, "moderator_assign", slug, staff->staff.name,
                     power == circle_power::moderate ? "" : "as=" + std::string{to_string(power)});
    std::cout << "assigned circle " << slug << " to " << staff->staff.name
              << (power == circle_power::facilitate   ? " as facilitator"
                  : power == circle_power::interpret ? " as interpreter"
                                                      : "")
              << "\n";
    return 0;
}

int set_disabled(command_line const& line, bool disabled)
{
    auto const& name = line.positional[0];
    if (!is_valid_name(name))
        return fail(bad_name);
    auto const database = open_store(line.db);
    auto const staff = database->find_staff(name);
    if (!staff || !database->set_staff_disabled(name, disabled))
        return no_such_moderator(name);
    audit_cli_action(*database, disabled ? "moderator_disable" : "moderator_enable", "", staff->staff.name, "");
    std::cout << (disabled ? "disabled " : "enabled ") << staff->staff.name
              << (disabled ? "; their logins are revoked\n" : "\n");
    return 0;
}

int reset_password(command_line const& line)
{
    auto const& name = line.positional[0];
    if (!is_valid_name(name))
        return fail(bad_name);
    auto const password = choose_password(line, name);
    if (auto const* error = std::get_if<std::string>(&password))
        return fail(*error);
    auto const& chosen = std::get<new_password>(password);
    auto const database = open_store(line.db);
    auto const staff = database->find_staff(name);
    if (!staff || !database->set_password(name, hash_password(chosen.text), chosen.kind))
        return no_such_moderator(name);
    audit_cli_action(*database, "moderator_reset_password", "", staff->staff.name, password_detail(chosen));
    std::cout << "new password for " << staff->staff.name << "; their logins are revoked\n";
    show_password(chosen, staff->staff.name);
    return 0;
}

subcommand const subcommands[] = {
    {"add", {{"NAME"}, {}, {"--admin", "--password-stdin", "--permanent"}}, add_staff},
    {"list", {{}, {}, {}}, list_staff},
    {"assign", {{"NAME", "ROOM"}, {"--as"}, {}}, assign_room},
    {"disable", {{"NAME"}, {}, {}}, [](command_line const& line) { return set_disabled(line, true); }},
    {"enable", {{"NAME"}, {}, {}}, [](command_line const& line) { return set_disabled(line, false); }},
    {"reset-password", {{"NAME"}, {}, {"--password-stdin", "--permanent"}}, reset_password},
};

} // namespace

int staff_command(std::vector<std::string> const& args)
{
    return run_subcommand(args, subcommands, usage, fail);
}

} // namespace kring
