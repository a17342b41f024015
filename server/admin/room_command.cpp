#include "admin/room_command.hpp"

#include "admin/audit_command.hpp"
#include "admin/command_line.hpp"
#include "store/store.hpp"

#include <kring/protocol/client_messages.hpp>
#include <kring/protocol/text.hpp>

#include <charconv>
#include <iostream>
#include <optional>

namespace kring {
namespace {

constexpr char const* usage = R"(usage: kring room add SLUG --title TITLE [--capacity N] [--code-stdin] [--quiet-arrivals] --db FILE
       kring room edit SLUG [--title TITLE] [--capacity N] [--code-stdin | --no-code]
                            [--quiet-arrivals | --announce-arrivals] --db FILE
       kring room archive SLUG --db FILE
       kring room list --db FILE

  add      create a circle; SLUG is 1-32 characters of a-z, 0-9 and -
           --capacity is 1 to 10000 members (default 12)
           --code-stdin reads an access code from standard input (one line)
           --quiet-arrivals tells who comes and goes to the moderators only
  edit     change a circle's title, capacity, access code or arrivals;
           --no-code removes the access code, --announce-arrivals tells
           everyone again who comes and goes
  archive  close a circle for good: it is no longer listed or joinable, and
           its slug is not given out again
  list     print every circle: slug, capacity, whether it has a code (code or
           open, then ",quiet" when arrivals are quiet), title
)";

int fail(std::string const& message)
{
    std::cerr << "kring room: " << message << "\n" << usage;
    return 2;
}

int no_such_room(std::string const& slug)
{
    std::cerr << "kring room: no such circle: " << slug << "\n";
    return 1;
}

std::optional<std::string> check_slug(std::string const& slug)
{
    if (!protocol::is_valid_slug(slug, 32))
        return "SLUG must be 1-32 characters of a-z, 0-9 and -";
    return std::nullopt;
}

std::optional<std::string> check_title(std::optional<std::string> const& title)
{
    if (!title || title->empty() || !protocol::is_valid_utf8(*title) || protocol::count_code_points(*title) > 80)
        return "--title must be 1-80 characters of UTF-8";
    return std::nullopt;
}

std::optional<std::size_t> parse_capacity(std::string const& value)
{
    std::size_t capacity = 0;
    auto const [end, ec] = std::from_chars(value.data(), value.data() + value.size(), capacity);
    if (ec != std::errc{} || end != value.data() + value.size() || capacity < 1 || capacity > 10000)
        return std::nullopt;
    return capacity;
}

// The access code, read from standard input; nothing when it is unusable.
std::optional<digest> read_code()
{
    auto const code = read_stdin_line();
    if (!code || code->empty() || !protocol::is_valid_utf8(*code) || protocol::count_code_points(*code) > 128)
        return std::nullopt;
    return sha256(*code);
}

constexpr char const* bad_capacity = "--capacity must be a number from 1 to 10000";
constexpr char const* bad_code = "the access code must be 1-128 characters on one line";

int add_room(command_line const& line)
{
    auto const& slug = line.positional[0];
    if (auto const error = check_slug(slug))
        return fail(*error);
    auto const title = line.option("--title");
    if (auto const error = check_title(title))
        return fail(*error);
    room_record record{slug, *title, 12, std::nullopt, line.has("--quiet-arrivals")};
    if (auto const capacity = line.option("--capacity")) {
        auto const parsed = parse_capacity(*capacity);
        if (!parsed)
            return fail(bad_capacity);
        record.capacity = *parsed;
    }
    if (line.has("--code-stdin")) {
        record.code_digest = read_code();
        if (!record.code_digest)
            return fail(bad_code);
    }
    auto const database = open_store(line.db);
    if (!database->add_room(record)) {
        std::cerr << "kring room: a circle with slug " << slug << " exists already\n";
        return 1;
    }
    audit_cli_action(*database, "room_add", slug, "",
                     "capacity=" + std::to_string(record.capacity) + (record.code_digest ? " code=set" : "") +
                         (record.quiet_arrivals ? " arrivals=quiet" : ""));
    std::cout << "added circle " << slug << "\n";
    return 0;
}

// What changed, for the audit log; never the code itself.
std::string edit_detail(bool title, std::optional<std::size_t> capacity, bool code, bool clear_code,
                        std::optional<bool> quiet_arrivals)
{
    std::string detail = title ? " title=changed" : "";
    if (capacity)
        detail += " capacity=" + std::to_string(*capacity);
    if (code)
        detail += " code=set";
    if (clear_code)
        detail += " code=removed";
    if (quiet_arrivals)
        detail += *quiet_arrivals ? " arrivals=quiet" : " arrivals=announced";
    return detail.empty() ? detail : detail.substr(1);
}

int edit_room(command_line const& line)
{
    auto const& slug = line.positional[0];
    if (auto const error = check_slug(slug))
        return fail(*error);
    auto const title = line.option("--title");
    if (auto const error = title ? check_title(title) : std::nullopt)
        return fail(*error);
    auto const capacity_text = line.option("--capacity");
    auto const capacity = capacity_text ? parse_capacity(*capacity_text) : std::nullopt;
    if (capacity_text && !capacity)
        return fail(bad_capacity);
    bool const clear_code = line.has("--no-code");
    if (clear_code && line.has("--code-stdin"))
        return fail("give either --code-stdin or --no-code, not both");
    if (line.has("--quiet-arrivals") && line.has("--announce-arrivals"))
        return fail("give either --quiet-arrivals or --announce-arrivals, not both");
    std::optional<bool> quiet_arrivals;
    if (line.has("--quiet-arrivals") || line.has("--announce-arrivals"))
        quiet_arrivals = line.has("--quiet-arrivals");
    if (!title && !capacity && !clear_code && !line.has("--code-stdin") && !quiet_arrivals)
        return fail("nothing to change: give --title, --capacity, --code-stdin, --no-code, --quiet-arrivals or "
                    "--announce-arrivals");
    auto const code = line.has("--code-stdin") ? read_code() : std::nullopt;
    if (line.has("--code-stdin") && !code)
        return fail(bad_code);

    auto const database = open_store(line.db);
    if (!database->edit_room(slug, title, capacity, code, clear_code, quiet_arrivals))
        return no_such_room(slug);
    audit_cli_action(*database, "room_edit", slug, "",
                     edit_detail(title.has_value(), capacity, code.has_value(), clear_code, quiet_arrivals));
    std::cout << "edited circle " << slug << "\n";
    return 0;
}

int archive_room(command_line const& line)
{
    auto const& slug = line.positional[0];
    if (auto const error = check_slug(slug))
        return fail(*error);
    auto const database = open_store(line.db);
    if (!database->archive_room(slug))
        return no_such_room(slug);
    audit_cli_action(*database, "room_archive", slug, "", "");
    std::cout << "archived circle " << slug << "\n";
    return 0;
}

int list_rooms(command_line const& line)
{
    if (database_missing("room", line.db))
        return 1;
    auto const database = open_store(line.db);
    for (auto const& r : database->rooms())
        std::cout << r.slug << "\t" << r.capacity << "\t" << (r.code_digest ? "code" : "open")
                  << (r.quiet_arrivals ? ",quiet" : "") << "\t" << r.title << "\n";
    return 0;
}

subcommand const subcommands[] = {
    {"add", {{"SLUG"}, {"--title", "--capacity"}, {"--code-stdin", "--quiet-arrivals"}}, add_room},
    {"edit",
     {{"SLUG"}, {"--title", "--capacity"}, {"--code-stdin", "--no-code", "--quiet-arrivals", "--announce-arrivals"}},
     edit_room},
    {"archive", {{"SLUG"}, {}, {}}, archive_room},
    {"list", {{}, {}, {}}, list_rooms},
};

} // namespace

int room_command(std::vector<std::string> const& args)
{
    return run_subcommand(args, subcommands, usage, fail);
}

} // namespace kring
