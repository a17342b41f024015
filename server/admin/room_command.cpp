#include "admin/room_command.hpp"

#include "admin/audit_command.hpp"
#include "admin/command_line.hpp"
#include "circle/schedule.hpp"
#include "store/store.hpp"

#include <kring/protocol/agreement.hpp>
#include <kring/protocol/client_messages.hpp>
#include <kring/protocol/text.hpp>

#include <charconv>
#include <algorithm>
#include <fstream>
#include <iostream>
#include <optional>

namespace kring {
namespace {

constexpr char const* usage = R"(usage: kring room add SLUG --title TITLE [--capacity N] [--code-stdin] [--quiet-arrivals]
                           [--history joined|session] [--require-agreement] [--peer-led]
                           [--org ORG] [--description TEXT] [--languages nl,ar,...] [--unlisted] --db FILE
       kring room edit SLUG [--title TITLE] [--capacity N] [--code-stdin | --no-code]
                            [--quiet-arrivals | --announce-arrivals] [--history joined|session]
                            [--require-agreement | --no-agreement-required]
                            [--peer-led | --moderator-led] [--org ORG | --no-org] [--description TEXT]
                            [--languages nl,ar,...] [--listed | --unlisted] --db FILE
       kring room agreement SLUG --lang LANG (--file FILE | --default) --db FILE
       kring room schedule SLUG (--zone ZONE --weekly SESSIONS [--lobby-minutes N] | --none) --db FILE
       kring room archive SLUG --db FILE
       kring room list --db FILE

  add        create a circle; SLUG is 1-32 characters of a-z, 0-9 and -
             --capacity is 1 to 10000 members (default 12)
             --code-stdin reads an access code from standard input (one line)
             --quiet-arrivals tells who comes and goes to the moderators only
             --history joined (the default): a newcomer reads what is said
             from the moment it joined; session: the session's recent
             messages too
             --require-agreement: a participant joins only agreeing to the
             circle's agreement
             --peer-led: run by a facilitator (kring moderator assign
             NAME SLUG --as facilitator), and shown so
             --org: the organisation hosting it (kring org add); its
             --description (at most 500 characters) and the --languages
             spoken in it are shown in the directory (GET /api/circles),
             unless it is --unlisted: then it is reachable by its link only
  edit       change any of these; --no-code removes the access code,
             --announce-arrivals tells everyone again who comes and goes
  agreement  the circle's own agreement in LANG (a language tag: nl, fa,
             ...): FILE holds one item a line (1 to 20 items, each at most
             300 characters), numbered in that order; --default goes back
             to the deployment's agreement in LANG
  schedule   when the circle meets: SESSIONS are weekly local hours in the
             IANA time zone ZONE, comma-separated, like "tue 19:00-20:30" or
             "mon 10:00-11:30,thu 19:00-20:30"; the circle opens N minutes
             before each (default 10, at most 120) and closes at its end;
             outside them participants are refused until a moderator opens
             it. --none: it meets whenever someone comes
  archive    close a circle for good: it is no longer listed or joinable, and
             its slug is not given out again
  list       print every circle: slug, capacity, its ways (code or open, then
             ",quiet", ",agreement", ",peer-led", ",session-history",
             ",scheduled" and ",unlisted" as they apply), title
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

// --history, when given: joined or session.
std::variant<std::optional<history_mode>, std::string> parse_history(command_line const& line)
{
    auto const given = line.option("--history");
    if (!given)
        return std::optional<history_mode>{};
    auto const mode = protocol::history_mode_named(*given);
    if (!mode)
        return std::string{"--history must be joined or session"};
    return std::optional<history_mode>{*mode};
}

// The directory's fields of a circle, when given: --org (checked to exist
// by the caller), --description, --languages.
std::optional<std::string> directory_problem(command_line const& line, room_changes& out)
{
    if (auto const org = line.option("--org")) {
        if (!protocol::is_valid_slug(*org, 32))
            return "--org must be an organisation's slug";
        out.organisation = *org;
    }
    if (auto const description = line.option("--description")) {
        if (!protocol::is_valid_utf8(*description) || protocol::holds_refused_text_character(*description) ||
            protocol::count_code_points(*description) > 500)
            return "--description must be at most 500 characters of text";
        out.description = *description;
    }
    if (auto const languages = line.option("--languages")) {
        std::vector<std::string> tags;
        std::string_view rest{*languages};
        while (!rest.empty()) {
            auto const comma = rest.find(',');
            std::string tag{rest.substr(0, comma)};
            if (!protocol::is_language_tag(tag))
                return "--languages must be language tags of 2 or 3 lowercase letters, comma-separated: nl,ar,fa";
            if (std::find(tags.begin(), tags.end(), tag) == tags.end())
                tags.push_back(tag);
            rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        }
        if (tags.empty() || tags.size() > 20)
            return "--languages must name 1 to 20 languages";
        out.languages = tags;
    }
    return std::nullopt;
}

bool organisation_exists(store& database, std::string const& slug)
{
    auto const all = database.organisations();
    return std::any_of(all.begin(), all.end(), [&](organisation_record const& o) { return o.slug == slug; });
}

int no_such_organisation(std::string const& slug)
{
    std::cerr << "kring room: no such organisation: " << slug << " (kring org add)\n";
    return 1;
}

// A switch and its opposite: on, off, or not given.
std::variant<std::optional<bool>, std::string> parse_pair(command_line const& line, std::string_view on,
                                                          std::string_view off)
{
    if (line.has(on) && line.has(off))
        return "give either " + std::string{on} + " or " + std::string{off} + ", not both";
    if (!line.has(on) && !line.has(off))
        return std::optional<bool>{};
    return std::optional<bool>{line.has(on)};
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
    room_record record;
    record.slug = slug;
    record.title = *title;
    record.quiet_arrivals = line.has("--quiet-arrivals");
    auto const history = parse_history(line);
    if (auto const* error = std::get_if<std::string>(&history))
        return fail(*error);
    record.history = std::get<0>(history).value_or(history_mode::joined);
    record.agreement_required = line.has("--require-agreement");
    record.peer_led = line.has("--peer-led");
    record.listed = !line.has("--unlisted");
    room_changes directory;
    if (auto const problem = directory_problem(line, directory))
        return fail(*problem);
    record.organisation = directory.organisation;
    record.description = directory.description.value_or("");
    record.languages = directory.languages.value_or(std::vector<std::string>{});
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
    if (record.organisation && !organisation_exists(*database, *record.organisation))
        return no_such_organisation(*record.organisation);
    if (!database->add_room(record)) {
        std::cerr << "kring room: a circle with slug " << slug << " exists already\n";
        return 1;
    }
    audit_cli_action(*database, "room_add", slug, "",
                     "capacity=" + std::to_string(record.capacity) + (record.code_digest ? " code=set" : "") +
                         (record.quiet_arrivals ? " arrivals=quiet" : "") + " history=" +
                         std::string{to_string(record.history)} +
                         (record.agreement_required ? " agreement=required" : "") +
                         (record.peer_led ? " led=peer" : "") + (record.listed ? "" : " unlisted") +
                         (record.organisation ? " org=" + *record.organisation : ""));
    std::cout << "added circle " << slug << "\n";
    return 0;
}

// What changed, for the audit log; never the code itself.
std::string edit_detail(room_changes const& changes)
{
    std::string detail = changes.title ? " title=changed" : "";
    if (changes.capacity)
        detail += " capacity=" + std::to_string(*changes.capacity);
    if (changes.code)
        detail += " code=set";
    if (changes.clear_code)
        detail += " code=removed";
    if (changes.quiet_arrivals)
        detail += *changes.quiet_arrivals ? " arrivals=quiet" : " arrivals=announced";
    if (changes.history)
        detail += " history=" + std::string{to_string(*changes.history)};
    if (changes.agreement_required)
        detail += *changes.agreement_required ? " agreement=required" : " agreement=optional";
    if (changes.peer_led)
        detail += *changes.peer_led ? " led=peer" : " led=moderator";
    if (changes.organisation)
        detail += changes.organisation->empty() ? " org=none" : " org=" + *changes.organisation;
    if (changes.description)
        detail += " description=changed";
    if (changes.languages) {
        detail += " languages=";
        for (std::size_t i = 0; i < changes.languages->size(); ++i)
            detail += (i ? "," : "") + (*changes.languages)[i];
    }
    if (changes.listed)
        detail += *changes.listed ? " listed" : " unlisted";
    return detail.empty() ? detail : detail.substr(1);
}

int edit_room(command_line const& line)
{
    auto const& slug = line.positional[0];
    if (auto const error = check_slug(slug))
        return fail(*error);
    room_changes changes;
    changes.title = line.option("--title");
    if (auto const error = changes.title ? check_title(changes.title) : std::nullopt)
        return fail(*error);
    auto const capacity_text = line.option("--capacity");
    changes.capacity = capacity_text ? parse_capacity(*capacity_text) : std::nullopt;
    if (capacity_text && !changes.capacity)
        return fail(bad_capacity);
    changes.clear_code = line.has("--no-code");
    if (changes.clear_code && line.has("--code-stdin"))
        return fail("give either --code-stdin or --no-code, not both");
    auto const history = parse_history(line);
    if (auto const* error = std::get_if<std::string>(&history))
        return fail(*error);
    changes.history = std::get<0>(history);
    struct pair {
        std::string_view on, off;
        std::optional<bool> room_changes::*field;
    };
    for (auto const& [on, off, field] : {pair{"--quiet-arrivals", "--announce-arrivals", &room_changes::quiet_arrivals},
                                         pair{"--require-agreement", "--no-agreement-required",
                                              &room_changes::agreement_required},
                                         pair{"--peer-led", "--moderator-led", &room_changes::peer_led},
                                         pair{"--listed", "--unlisted", &room_changes::listed}}) {
        auto const given = parse_pair(line, on, off);
        if (auto const* error = std::get_if<std::string>(&given))
            return fail(*error);
        changes.*field = std::get<0>(given);
    }
    if (auto const problem = directory_problem(line, changes))
        return fail(*problem);
    if (line.has("--no-org")) {
        if (changes.organisation)
            return fail("give either --org or --no-org, not both");
        changes.organisation = "";
    }
    if (edit_detail(changes).empty() && !line.has("--code-stdin"))
        return fail("nothing to change: give --title, --capacity, --code-stdin, --no-code, --quiet-arrivals, "
                    "--announce-arrivals, --history, --require-agreement, --no-agreement-required, --peer-led or "
                    "--moderator-led");
    if (line.has("--code-stdin")) {
        changes.code = read_code();
        if (!changes.code)
            return fail(bad_code);
    }

    auto const database = open_store(line.db);
    if (changes.organisation && !changes.organisation->empty() && !organisation_exists(*database, *changes.organisation))
        return no_such_organisation(*changes.organisation);
    if (!database->edit_room(slug, changes))
        return no_such_room(slug);
    audit_cli_action(*database, "room_edit", slug, "", edit_detail(changes));
    std::cout << "edited circle " << slug << "\n";
    return 0;
}

// One item a line; blank lines are skipped, so a file may breathe.
std::variant<std::vector<std::string>, std::string> read_agreement_file(std::string const& file)
{
    std::ifstream in{file, std::ios::binary};
    if (!in)
        return "--file " + file + " can't be read";
    std::vector<std::string> items;
    std::string line;
    std::size_t number = 0;
    while (std::getline(in, line)) {
        ++number;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (protocol::is_blank(line))
            continue;
        if (auto const problem = protocol::agreement_item_problem(line))
            return "--file " + file + " line " + std::to_string(number) + ": an item " + *problem;
        items.push_back(line);
    }
    if (items.empty() || items.size() > protocol::max_agreement_items)
        return "--file " + file + " must hold 1 to 20 items, one a line";
    return items;
}

int set_schedule(command_line const& line)
{
    auto const& slug = line.positional[0];
    if (auto const error = check_slug(slug))
        return fail(*error);
    std::optional<schedule> when;
    if (line.has("--none")) {
        if (line.has("--zone") || line.has("--weekly") || line.has("--lobby-minutes"))
            return fail("--none takes no --zone, --weekly or --lobby-minutes");
    } else {
        auto const zone = line.option("--zone");
        auto const weekly = line.option("--weekly");
        if (!zone || !weekly)
            return fail("give --zone and --weekly, or --none");
        if (!is_known_zone(*zone))
            return fail("--zone " + *zone + " is not a time zone this system knows (an IANA name, like Europe/Brussels)");
        when = schedule{*zone, {}, 10};
        std::string_view rest{*weekly};
        while (!rest.empty()) {
            auto const comma = rest.find(',');
            auto text = rest.substr(0, comma);
            while (!text.empty() && text.front() == ' ')
                text.remove_prefix(1);
            auto const parsed = parse_weekly_session(text);
            if (auto const* error = std::get_if<std::string>(&parsed))
                return fail("--weekly \"" + std::string{text} + "\": " + *error);
            for (auto const& other : when->sessions) {
                auto const& session = std::get<weekly_session>(parsed);
                if (other.weekday == session.weekday && other.start < session.end && session.start < other.end)
                    return fail("--weekly: " + to_string(other) + " and " + to_string(session) + " overlap");
            }
            when->sessions.push_back(std::get<weekly_session>(parsed));
            rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
        }
        if (when->sessions.empty() || when->sessions.size() > 21)
            return fail("--weekly must name 1 to 21 sessions");
        if (auto const lobby = line.option("--lobby-minutes")) {
            unsigned minutes = 0;
            auto const [end, ec] = std::from_chars(lobby->data(), lobby->data() + lobby->size(), minutes);
            if (ec != std::errc{} || end != lobby->data() + lobby->size() || minutes > 120)
                return fail("--lobby-minutes must be a number from 0 to 120");
            when->lobby_minutes = minutes;
        }
    }
    auto const database = open_store(line.db);
    if (!database->set_schedule(slug, when))
        return no_such_room(slug);
    std::string detail = "none";
    if (when) {
        detail = "zone=" + when->zone + " lobby=" + std::to_string(when->lobby_minutes) + " sessions=";
        for (std::size_t i = 0; i < when->sessions.size(); ++i)
            detail += (i ? "," : "") + to_string(when->sessions[i]);
    }
    audit_cli_action(*database, "room_schedule", slug, "", detail);
    std::cout << (when ? "scheduled circle " : "unscheduled circle ") << slug << (when ? ": " + detail : "") << "\n";
    return 0;
}

int set_agreement(command_line const& line)
{
    auto const& slug = line.positional[0];
    if (auto const error = check_slug(slug))
        return fail(*error);
    auto const lang = line.option("--lang");
    if (!lang || !protocol::is_language_tag(*lang))
        return fail("--lang must be a language tag of 2 or 3 lowercase letters, such as nl or fa");
    auto const file = line.option("--file");
    if (file.has_value() == line.has("--default"))
        return fail("give either --file FILE or --default");
    std::vector<std::string> items;
    if (file) {
        auto read = read_agreement_file(*file);
        if (auto const* error = std::get_if<std::string>(&read))
            return fail(*error);
        items = std::get<0>(std::move(read));
    }
    auto const database = open_store(line.db);
    if (!database->set_agreement(slug, *lang, items))
        return no_such_room(slug);
    audit_cli_action(*database, "room_agreement", slug, "",
                     "lang=" + *lang + (file ? " items=" + std::to_string(items.size()) : " default"));
    std::cout << (file ? "set the agreement of circle " : "the deployment's agreement again for circle ") << slug
              << " in " << *lang << "\n";
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
                  << (r.quiet_arrivals ? ",quiet" : "") << (r.agreement_required ? ",agreement" : "")
                  << (r.peer_led ? ",peer-led" : "")
                  << (r.history == history_mode::session ? ",session-history" : "")
                  << (r.schedule ? ",scheduled" : "") << (r.listed ? "" : ",unlisted") << "\t" << r.title << "\n";
    return 0;
}

subcommand const subcommands[] = {
    {"add",
     {{"SLUG"},
      {"--title", "--capacity", "--history", "--org", "--description", "--languages"},
      {"--code-stdin", "--quiet-arrivals", "--require-agreement", "--peer-led", "--unlisted"}},
     add_room},
    {"edit",
     {{"SLUG"},
      {"--title", "--capacity", "--history", "--org", "--description", "--languages"},
      {"--code-stdin", "--no-code", "--quiet-arrivals", "--announce-arrivals", "--require-agreement",
       "--no-agreement-required", "--peer-led", "--moderator-led", "--listed", "--unlisted", "--no-org"}},
     edit_room},
    {"agreement", {{"SLUG"}, {"--lang", "--file"}, {"--default"}}, set_agreement},
    {"schedule", {{"SLUG"}, {"--zone", "--weekly", "--lobby-minutes"}, {"--none"}}, set_schedule},
    {"archive", {{"SLUG"}, {}, {}}, archive_room},
    {"list", {{}, {}, {}}, list_rooms},
};

} // namespace

int room_command(std::vector<std::string> const& args)
{
    return run_subcommand(args, subcommands, usage, fail);
}

} // namespace kring
