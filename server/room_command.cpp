#include "room_command.hpp"

#include "store.hpp"

#include <kring/protocol/client_messages.hpp>
#include <kring/protocol/text.hpp>

#include <charconv>
#include <iostream>
#include <optional>

namespace kring {
namespace {

constexpr char const* usage = R"(usage: kring room add SLUG --title TITLE [--capacity N] [--code-stdin] --db FILE
       kring room list --db FILE

  add     create a circle; SLUG is 1-32 characters of a-z, 0-9 and -
          --code-stdin reads an access code from standard input (one line)
  list    print every circle: slug, capacity, whether it has a code, title
)";

int fail(std::string const& message)
{
    std::cerr << "kring room: " << message << "\n" << usage;
    return 2;
}

struct room_options {
    std::optional<std::string> slug;
    std::optional<std::string> title;
    std::optional<std::string> db;
    std::size_t capacity = 12;
    bool code_from_stdin = false;
};

std::optional<std::string> parse_options(std::vector<std::string> const& args, room_options& out)
{
    for (std::size_t i = 2; i < args.size(); ++i) {
        auto const& arg = args[i];
        bool const has_value = i + 1 < args.size();
        if (arg == "--code-stdin") {
            out.code_from_stdin = true;
        } else if (arg == "--title" || arg == "--db" || arg == "--capacity") {
            if (!has_value)
                return arg + " needs a value";
            auto const& value = args[++i];
            if (arg == "--title")
                out.title = value;
            else if (arg == "--db")
                out.db = value;
            else {
                auto const [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out.capacity);
                if (ec != std::errc{} || end != value.data() + value.size() || out.capacity < 1 ||
                    out.capacity > 10000)
                    return "--capacity must be a number from 1 to 10000";
            }
        } else if (!arg.starts_with("--") && !out.slug) {
            out.slug = arg;
        } else {
            return "unexpected argument: " + arg;
        }
    }
    if (!out.db)
        return "--db FILE is required";
    return std::nullopt;
}

int add_room(room_options const& options)
{
    if (!options.slug || !protocol::is_valid_slug(*options.slug, 32))
        return fail("SLUG must be 1-32 characters of a-z, 0-9 and -");
    if (!options.title || options.title->empty() || !protocol::is_valid_utf8(*options.title) ||
        protocol::count_code_points(*options.title) > 80)
        return fail("--title must be 1-80 characters of UTF-8");
    room_record record{*options.slug, *options.title, options.capacity, std::nullopt};
    if (options.code_from_stdin) {
        std::string code;
        std::getline(std::cin, code);
        if (code.empty() || protocol::count_code_points(code) > 128 || !protocol::is_valid_utf8(code))
            return fail("the access code must be 1-128 characters on one line");
        record.code_digest = sha256(code);
    }
    store database{*options.db};
    if (!database.add_room(record)) {
        std::cerr << "kring room: a circle with slug " << *options.slug << " exists already\n";
        return 1;
    }
    std::cout << "added circle " << *options.slug << "\n";
    return 0;
}

int list_rooms(room_options const& options)
{
    store database{*options.db};
    for (auto const& r : database.rooms())
        std::cout << r.slug << "\t" << r.capacity << "\t" << (r.code_digest ? "code" : "open") << "\t" << r.title
                  << "\n";
    return 0;
}

} // namespace

int room_command(std::vector<std::string> const& args)
{
    if (args.size() < 2 || args[1] == "--help")
        return args.size() < 2 ? fail("missing subcommand") : (std::cout << usage, 0);
    room_options options;
    if (auto const error = parse_options(args, options))
        return fail(*error);
    if (args[1] == "add")
        return add_room(options);
    if (args[1] == "list")
        return list_rooms(options);
    return fail("unknown subcommand: " + args[1]);
}

} // namespace kring
