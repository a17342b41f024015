#include "admin/check_config_command.hpp"

#include "config_file.hpp"
#include "data_files.hpp"

#include <iostream>

namespace kring {
namespace {

constexpr char const* usage = R"(usage: kring check-config FILE

  Checks a config file as `kring serve --config FILE` reads it: the TOML
  syntax, that every key is a `kring serve` option (without its dashes),
  every value, and the help-lines and crisis-words files it names. Prints each problem with its line and key and exits 1, or
  says the file is fine and exits 0.
)";

int fail(std::string const& message)
{
    std::cerr << "kring check-config: " << message << "\n" << usage;
    return 2;
}

} // namespace

int check_config_command(std::vector<std::string> const& args)
{
    if (args.size() == 2 && (args[1] == "--help" || args[1] == "-h")) {
        std::cout << usage;
        return 0;
    }
    if (args.size() < 2)
        return fail("FILE is missing");
    if (args.size() > 2)
        return fail("unexpected argument: " + args[2]);
    if (args[1].starts_with("-"))
        return fail("unknown option: " + args[1]);
    config c;
    auto problems = read_config_file(args[1], c);
    if (auto const problem = c.inconsistency(); problem && problems.empty())
        problems.push_back(*problem);
    if (problems.empty()) {
        auto const help = help_lines_of(c);
        if (auto const* why = std::get_if<std::string>(&help))
            problems.push_back(*why);
        auto const words = crisis_words_of(c);
        if (auto const* why = std::get_if<std::string>(&words))
            problems.push_back(*why);
        auto const agreement = agreements_of(c);
        if (auto const* why = std::get_if<std::string>(&agreement))
            problems.push_back(*why);
    }
    for (auto const& problem : problems)
        std::cerr << "kring check-config: " << problem << "\n";
    if (!problems.empty())
        return 1;
    std::cout << args[1] << ": ok\n";
    return 0;
}

} // namespace kring
