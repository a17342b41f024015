#include "admin/organisation_command.hpp"

#include "admin/audit_command.hpp"
#include "admin/command_line.hpp"
#include "store/store.hpp"

#include <kring/protocol/agreement.hpp>
#include <kring/protocol/client_messages.hpp>
#include <kring/protocol/text.hpp>

#include <iostream>
#include <optional>

namespace kring {
namespace {

constexpr char const* usage = R"(usage: kring org add SLUG --name NAME [--city CITY] [--contact LINE] --db FILE
       kring org edit SLUG [--name NAME] [--city CITY] [--contact LINE] --db FILE
       kring org about SLUG --lang LANG (--text TEXT | --none) --db FILE
       kring org list --db FILE

  add    an organisation that hosts circles (a women's group, a welcome
         centre); SLUG is 1-32 characters of a-z, 0-9 and -. NAME and CITY
         are at most 80 characters, the contact line (a phone number, an
         address, a web page) at most 200
  edit   change its name, city or contact line
  about  its short description in LANG (a language tag: nl, fa, ...), at
         most 500 characters; --none removes it
  list   print every organisation: slug, name, city, contact

  A circle names its organisation with kring room add|edit SLUG --org ORG.
)";

int fail(std::string const& message)
{
    std::cerr << "kring org: " << message << "\n" << usage;
    return 2;
}

int no_such_organisation(std::string const& slug)
{
    std::cerr << "kring org: no such organisation: " << slug << "\n";
    return 1;
}

// One line of text of at most `max` characters; `what` names it in the error.
std::optional<std::string> line_problem(std::optional<std::string> const& value, std::size_t max, bool may_be_empty,
                                        std::string const& what)
{
    if (!value)
        return std::nullopt;
    if ((!may_be_empty && protocol::is_blank(*value)) || !protocol::is_valid_utf8(*value) ||
        protocol::holds_refused_text_character(*value) || value->find('\n') != std::string::npos ||
        protocol::count_code_points(*value) > max)
        return what + " must be " + (may_be_empty ? "" : "1 to ") + "at most " + std::to_string(max) +
               " characters on one line";
    return std::nullopt;
}

std::optional<std::string> fields_problem(command_line const& line)
{
    if (auto const p = line_problem(line.option("--name"), 80, false, "--name"))
        return p;
    if (auto const p = line_problem(line.option("--city"), 80, true, "--city"))
        return p;
    return line_problem(line.option("--contact"), 200, true, "--contact");
}

int add(command_line const& line)
{
    auto const& slug = line.positional[0];
    if (!protocol::is_valid_slug(slug, 32))
        return fail("SLUG must be 1-32 characters of a-z, 0-9 and -");
    if (!line.option("--name"))
        return fail("--name is required");
    if (auto const problem = fields_problem(line))
        return fail(*problem);
    organisation_record o{slug, *line.option("--name"), line.option("--city").value_or(""),
                          line.option("--contact").value_or("")};
    auto const database = open_store(line.db);
    if (!database->add_organisation(o)) {
        std::cerr << "kring org: an organisation with slug " << slug << " exists already\n";
        return 1;
    }
    audit_cli_action(*database, "org_add", "", slug, "");
    std::cout << "added organisation " << slug << "\n";
    return 0;
}

int edit(command_line const& line)
{
    auto const& slug = line.positional[0];
    if (auto const problem = fields_problem(line))
        return fail(*problem);
    if (!line.has("--name") && !line.has("--city") && !line.has("--contact"))
        return fail("nothing to change: give --name, --city or --contact");
    auto const database = open_store(line.db);
    if (!database->edit_organisation(slug, line.option("--name"), line.option("--city"), line.option("--contact")))
        return no_such_organisation(slug);
    audit_cli_action(*database, "org_edit", "", slug, "");
    std::cout << "edited organisation " << slug << "\n";
    return 0;
}

int about(command_line const& line)
{
    auto const& slug = line.positional[0];
    auto const lang = line.option("--lang");
    if (!lang || !protocol::is_language_tag(*lang))
        return fail("--lang must be a language tag of 2 or 3 lowercase letters, such as nl or fa");
    auto const text = line.option("--text");
    if (text.has_value() == line.has("--none"))
        return fail("give either --text TEXT or --none");
    if (auto const problem = line_problem(text, 500, false, "--text"))
        return fail(*problem);
    auto const database = open_store(line.db);
    if (!database->set_organisation_about(slug, *lang, text.value_or("")))
        return no_such_organisation(slug);
    audit_cli_action(*database, "org_about", "", slug, "lang=" + *lang + (text ? "" : " none"));
    std::cout << "described organisation " << slug << " in " << *lang << "\n";
    return 0;
}

int list(command_line const& line)
{
    if (database_missing("org", line.db))
        return 1;
    auto const database = open_store(line.db);
    for (auto const& o : database->organisations())
        std::cout << o.slug << "\t" << o.name << "\t" << o.city << "\t" << o.contact << "\n";
    return 0;
}

subcommand const subcommands[] = {
    {"add", {{"SLUG"}, {"--name", "--city", "--contact"}, {}}, add},
    {"edit", {{"SLUG"}, {"--name", "--city", "--contact"}, {}}, edit},
    {"about", {{"SLUG"}, {"--lang", "--text"}, {"--none"}}, about},
    {"list", {{}, {}, {}}, list},
};

} // namespace

int organisation_command(std::vector<std::string> const& args)
{
    return run_subcommand(args, subcommands, usage, fail);
}

} // namespace kring
