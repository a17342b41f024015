#include "config.hpp"

#include "config_file.hpp"
#include "config_options.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <deque>
#include <thread>

namespace kring {
namespace {

// What the command line gave: the strings after each option, in order.
struct given_options {
    std::string config_file;
    bool help = false;
    bool print = false;
    std::vector<std::vector<std::string>> values; // one entry per row of serve_options()
    std::deque<bool> toggles;                     // a toggle's value, when its option counts
    std::vector<CLI::Option*> options;
};

void declare(CLI::App& app, given_options& given)
{
    app.set_help_flag();
    app.allow_extras(); // reported below, in Kring's words
    app.add_flag("-h,--help", given.help);
    app.add_flag("--print-config", given.print);
    app.add_option("--config", given.config_file);
    auto const options = serve_options();
    given.values.resize(options.size());
    for (std::size_t i = 0; i < options.size(); ++i) {
        auto const flag = "--" + options[i].name;
        if (options[i].kind == option_kind::toggle)
            given.options.push_back(app.add_flag(flag, given.toggles.emplace_back()));
        else
            given.options.push_back(app.add_option(flag, given.values[i])
                                        ->type_size(1)
                                        ->allow_extra_args(false)
                                        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll));
    }
}

// CLI11's own words for a value that is missing, made Kring's.
std::string parse_failure(CLI::ParseError const& e)
{
    std::string const what = e.what();
    if (dynamic_cast<CLI::ArgumentMismatch const*>(&e) && what.starts_with("--") &&
        what.find("missing") != std::string::npos)
        return what.substr(0, what.find(':')) + " needs a value";
    return what;
}

std::optional<std::string> apply_command_line(given_options& given, config& c)
{
    auto const options = serve_options();
    std::size_t toggle = 0;
    for (std::size_t i = 0; i < options.size(); ++i) {
        auto& values = given.values[i];
        if (options[i].kind == option_kind::toggle) {
            bool const value = given.toggles[toggle++];
            if (given.options[i]->count() == 0)
                continue;
            values = {value ? "true" : "false"};
        } else if (values.empty()) {
            continue;
        }
        if (auto bad = apply_option(options[i], values, c))
            return "invalid value for --" + options[i].name + ": " + *bad;
    }
    return std::nullopt;
}

parsed_config failure(std::string message, bool in_file = false)
{
    return {std::nullopt, std::move(message), false, in_file};
}

void add_usage_line(std::string& out, std::string flag, std::string const& help)
{
    constexpr std::size_t column = 30;
    flag = "  " + flag;
    auto lines = wrap_words(help, 100 - column);
    if (flag.size() + 1 > column) {
        out += flag + "\n";
        flag.clear();
    }
    for (auto const& line : lines) {
        flag.resize(column, ' ');
        out += flag + line + "\n";
        flag.clear();
    }
}

constexpr char const* usage_heading = R"(usage: kring serve [--config FILE] [options]

Runs the Kring chat server: the web page at /, the WebSocket at /ws.
Every option can be a key of the config file, without its dashes
(max-text = 2000); an option given here overrides the file.

)";

std::string make_usage()
{
    std::string out = usage_heading;
    add_usage_line(out, "--config FILE", "read the settings from FILE (TOML; see deploy/kring.toml.example)");
    add_usage_line(out, "--print-config", "print the settings in effect as a config file, and exit");
    for (auto const& option : serve_options()) {
        auto const repeat = option.kind == option_kind::text_list ? " (repeatable)" : "";
        add_usage_line(out, "--" + option.name + (option.placeholder.empty() ? "" : " " + option.placeholder),
                       option.help + repeat + " (default " + default_text(option) + ")");
    }
    add_usage_line(out, "--help", "show this help");
    return out;
}

} // namespace

unsigned config::thread_count() const
{
    if (threads != 0)
        return threads;
    return std::max(1u, std::thread::hardware_concurrency());
}

std::optional<std::string> config::inconsistency() const
{
    if (tls_certificate.has_value() != tls_key.has_value())
        return std::string{"tls-cert and tls-key go together: give both, or neither for plain HTTP"};
    if (!redirect_host.empty() && !tls_certificate)
        return std::string{"redirect-listen sends browsers on to https://, which needs tls-cert and tls-key"};
    if (acme_webroot && redirect_host.empty())
        return std::string{"acme-webroot is served by the redirect-listen listener: set that too"};
    return std::nullopt;
}

std::string serve_usage()
{
    static std::string const usage = make_usage();
    return usage;
}

parsed_config parse_serve_arguments(std::vector<std::string> const& args)
{
    CLI::App app{"kring serve"};
    given_options given;
    declare(app, given);
    std::vector<std::string> reversed{args.rbegin(), args.rend()}; // CLI11 reads from the back
    try {
        app.parse(reversed);
    } catch (CLI::ParseError const& e) {
        return failure(parse_failure(e));
    }
    if (given.help)
        return {std::nullopt, serve_usage(), true};
    if (auto const extra = app.remaining(); !extra.empty())
        return failure((extra.front().starts_with("-") ? "unknown option: " : "unexpected argument: ") + extra.front());

    config c;
    if (app.get_option("--config")->count() > 0) {
        if (given.config_file.empty())
            return failure("--config needs a file name");
        auto const problems = read_config_file(given.config_file, c);
        if (!problems.empty()) {
            std::string message;
            for (auto const& problem : problems)
                message += (message.empty() ? "" : "\n") + problem;
            return failure(message, true);
        }
    }
    if (auto problem = apply_command_line(given, c))
        return failure(*problem);
    if (given.print)
        return {std::nullopt, write_config_file(c, config{}), true};
    return {c, {}, false};
}

} // namespace kring
