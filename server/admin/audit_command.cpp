#include "admin/audit_command.hpp"

#include "admin/command_line.hpp"
#include "admin/iso_time.hpp"
#include "store/store.hpp"

#include <kring/protocol/client_messages.hpp>

#include <cstdio>
#include <iostream>

namespace kring {
namespace {

constexpr char const* usage =
    R"(usage: kring audit --db FILE [--room SLUG] [--since TIME] [--until TIME] [--format jsonl|csv]

  Prints the audit log, oldest first: when (UTC), who, what, in which room,
  to whom or what, and the details.
  --room    only the entries of this circle
  --since   only entries at or after TIME; --until: only entries before TIME
            TIME is a date (2026-11-26, midnight UTC), a date and time in
            UTC (2026-11-26T14:00:00Z) or milliseconds since 1970
  --format  jsonl: one JSON object per line (the default)
            csv: a header row, then one row per entry (RFC 4180)
)";

int fail(std::string const& message)
{
    std::cerr << "kring audit: " << message << "\n" << usage;
    return 2;
}

std::string json_string(std::string_view text)
{
    std::string out = "\"";
    for (char const c : text) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned>(c));
            out += escaped;
        } else {
            out += c;
        }
    }
    return out + "\"";
}

// RFC 4180: a field holding a comma, quote or line break is quoted, its
// quotes doubled.
std::string csv_field(std::string_view text)
{
    if (text.find_first_of(",\"\r\n") == std::string_view::npos)
        return std::string{text};
    std::string out = "\"";
    for (char const c : text) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

void print_json_line(audit_entry const& e)
{
    std::cout << "{\"at\":" << json_string(format_iso_utc(e.at_ms)) << ",\"actor\":" << json_string(e.actor)
              << ",\"action\":" << json_string(e.action) << ",\"room\":" << json_string(e.room)
              << ",\"target\":" << json_string(e.target) << ",\"detail\":" << json_string(e.detail) << "}\n";
}

void print_csv_row(audit_entry const& e)
{
    std::cout << format_iso_utc(e.at_ms) << ',' << csv_field(e.actor) << ',' << csv_field(e.action) << ','
              << csv_field(e.room) << ',' << csv_field(e.target) << ',' << csv_field(e.detail) << "\r\n";
}

// Reads --room, --since and --until; on error, the message to show.
std::optional<std::string> read_filter(command_line const& line, audit_filter& filter)
{
    filter.room = line.option("--room");
    if (filter.room && !protocol::is_valid_slug(*filter.room, 32))
        return "--room must be a circle's slug: 1-32 characters of a-z, 0-9 and -";
    for (auto const& [name, bound] : {std::pair{"--since", &filter.from_ms}, std::pair{"--until", &filter.until_ms}}) {
        auto const text = line.option(name);
        if (text && !(*bound = parse_time(*text)))
            return std::string{name} + " must be a date (2026-11-26), a UTC date and time (2026-11-26T14:00:00Z) "
                                       "or milliseconds since 1970, not " + *text;
    }
    if (filter.from_ms && filter.until_ms && *filter.from_ms > *filter.until_ms)
        return std::string{"--since must not be after --until"};
    return std::nullopt;
}

} // namespace

int audit_command(std::vector<std::string> const& args)
{
    if (args.size() == 2 && args[1] == "--help") {
        std::cout << usage;
        return 0;
    }
    auto parsed = parse_command_line(args, 1, {{}, {"--room", "--since", "--until", "--format"}, {}});
    if (auto const* error = std::get_if<std::string>(&parsed))
        return fail(*error);
    auto const& line = std::get<command_line>(parsed);
    audit_filter filter;
    if (auto const error = read_filter(line, filter))
        return fail(*error);
    auto const format = line.option("--format").value_or("jsonl");
    if (format != "jsonl" && format != "csv")
        return fail("--format must be jsonl or csv, not " + format);

    if (database_missing("audit", line.db))
        return 1;
    auto const database = open_store(line.db);
    auto const entries = database->audit_log(filter);
    if (format == "csv")
        std::cout << "at,actor,action,room,target,detail\r\n";
    for (auto const& e : entries)
        format == "csv" ? print_csv_row(e) : print_json_line(e);
    return 0;
}

void audit_cli_action(store& database, std::string action, std::string room, std::string target,
                      std::string detail)
{
    database.audit({now_ms(), "cli", std::move(action), std::move(room), std::move(target), std::move(detail)});
}

} // namespace kring
