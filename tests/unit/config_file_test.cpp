// The config file (`kring serve --config FILE`, `kring check-config FILE`)
// and the one table of options it shares with the command line.
#include "config.hpp"
#include "config_file.hpp"
#include "config_options.hpp"
#include "scratch_folder.hpp"

#include <doctest/doctest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using kring::config;
using kring::option_kind;
using kring::parse_serve_arguments;
using kring::read_config_file;
using kring::serve_options;
using kring::test::scratch_folder;
using namespace std::chrono_literals;

namespace {

std::string const installed_web_root = "/usr/local/share/kring/web-client";

std::string read_text(std::filesystem::path const& file)
{
    std::ifstream in{file};
    std::stringstream out;
    out << in.rdbuf();
    return out.str();
}

// A file holding `text`, for one test.
struct config_text {
    scratch_folder folder;
    std::filesystem::path file = folder.path / "kring.toml";

    explicit config_text(std::string const& text) { std::ofstream{file} << text; }
};

// The problems a file holding `text` has.
std::vector<std::string> problems_of(std::string const& text, config& c)
{
    config_text const f{text};
    return read_config_file(f.file, c);
}

config read_fine(std::string const& text)
{
    config c;
    auto const problems = problems_of(text, c);
    CAPTURE(text);
    for (auto const& p : problems)
        CAPTURE(p);
    REQUIRE(problems.empty());
    return c;
}

// The settings as the file writes them: equal when every option is.
std::string as_file(config const& c)
{
    return kring::write_config_file(c, c);
}

config installed_defaults()
{
    config c;
    c.web_root = installed_web_root;
    return c;
}

// The example with every key's line uncommented.
std::string uncommented(std::string const& example)
{
    std::istringstream in{example};
    std::string out;
    for (std::string line; std::getline(in, line);) {
        for (auto const& option : serve_options())
            if (line.starts_with("# " + option.name + " = "))
                line = line.substr(2);
        out += line + "\n";
    }
    return out;
}

} // namespace

TEST_CASE("every option has one name, a help text, and reads back the default it shows")
{
    std::set<std::string> names;
    for (auto const& option : serve_options()) {
        CAPTURE(option.name);
        CHECK(names.insert(option.name).second);
        CHECK_FALSE(option.help.empty());
        CHECK_FALSE(option.expected.empty());
        CHECK(option.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz-") == std::string::npos);
        CHECK((option.kind == option_kind::text_list) == static_cast<bool>(option.clear));
        CHECK(kring::serve_usage().find("--" + option.name) != std::string::npos);
        CHECK(kring::serve_usage().find("--config FILE") != std::string::npos);

        config c;
        if (option.clear)
            option.clear(c);
        for (auto const& value : option.show(config{}))
            CHECK(option.set(value, c));
        if (option.kind == option_kind::text && option.show(config{}).empty())
            CHECK(option.set("", c));
        CHECK(option.show(c) == option.show(config{}));
    }
    CHECK(names.size() >= 35);
}

TEST_CASE("deploy/kring.toml.example is the file of the defaults, every key shown")
{
    auto const example = read_text(KRING_SOURCE_DIR "/deploy/kring.toml.example");
    auto const expected = kring::write_config_file(installed_defaults(), installed_defaults());
    CHECK_MESSAGE(example == expected, "deploy/kring.toml.example is out of date: regenerate it with "
                                       "`build/server/kring serve --print-config > deploy/kring.toml.example` "
                                       "(in a build with the default install prefix, /usr/local)");
    for (auto const& option : serve_options()) {
        CAPTURE(option.name);
        CHECK(example.find("\n# " + option.name + " = ") != std::string::npos);
    }

    SUBCASE("and with every key uncommented it reads as the defaults")
    {
        auto const c = read_fine(uncommented(example));
        CHECK(as_file(c) == as_file(installed_defaults()));
        CHECK(c.listen_port == 8080);
        CHECK(c.max_connections == 10000);
        CHECK(c.resume_grace == 120s);
        CHECK(c.report_retention == std::chrono::hours{24 * 30});
        CHECK_FALSE(c.port_file.has_value());
    }
}

TEST_CASE("the defaults of the usage text are those of the config struct")
{
    auto const usage = kring::serve_usage();
    CHECK(usage.find("(default 127.0.0.1:8080)") != std::string::npos);
    CHECK(usage.find("(default 10000)") != std::string::npos);
    CHECK(usage.find("(default data/kring.db)") != std::string::npos);
    CHECK(usage.find(std::string{"(default "} + KRING_DEFAULT_WEB_ROOT + ")") != std::string::npos);
    for (auto const& option : serve_options()) {
        CAPTURE(option.name);
        CHECK(usage.find("(default " + kring::default_text(option) + ")") != std::string::npos);
    }
}

TEST_CASE("the file sets each kind of value")
{
    auto const c = read_fine(R"(# a comment
listen = "[::1]:9000"
db = "/var/lib/kring/kring.db"
demo = true
web-root = "/usr/share/kring/web-client"
port-file = "/run/kring/port"
threads = 4
allow-origin = ["https://Kring.Example.org:443", "http://chat.example.net:8080"]
server-name = ["Kring.Example.org"]
max-connections = 500
idle-timeout = 20
login-hours = 2
report-retention-days = 7
history = 0
)");
    CHECK(c.listen_host == "::1");
    CHECK(c.listen_port == 9000);
    CHECK(c.db == std::filesystem::path{"/var/lib/kring/kring.db"});
    CHECK(c.demo);
    CHECK(c.web_root == std::filesystem::path{"/usr/share/kring/web-client"});
    REQUIRE(c.port_file.has_value());
    CHECK(*c.port_file == std::filesystem::path{"/run/kring/port"});
    CHECK(c.threads == 4);
    CHECK(c.allowed_origins == std::vector<std::string>{"https://kring.example.org", "http://chat.example.net:8080"});
    CHECK(c.server_names == std::vector<std::string>{"kring.example.org"});
    CHECK(c.max_connections == 500);
    CHECK(c.idle_timeout == 20s);
    CHECK(c.login_lifetime == 2h);
    CHECK(c.report_retention == std::chrono::hours{24 * 7});
    CHECK(c.history == 0);
    CHECK(c.max_text == 2000); // not in the file: the default
}

TEST_CASE("every bad key and value is refused with its line and its key")
{
    struct bad {
        std::string line;
        std::string key;
    };
    std::vector<bad> cases{
        {"colour = \"blue\"", "colour"},
        {"max_text = 10", "max_text"},
        {"\"--max-text\" = 10", "--max-text"},
        {"secret = \"abc\"", "secret"},
        {"config = \"other.toml\"", "config"},
        {"print-config = true", "print-config"},
        {"listen = \"nowhere\"", "listen"},
        {"listen = \"localhost:8080\"", "listen"},
        {"listen = 8080", "listen"},
        {"db = \"\"", "db"},
        {"web-root = \"\"", "web-root"},
        {"db = 5", "db"},
        {"demo = \"yes\"", "demo"},
        {"demo = 1", "demo"},
        {"threads = 257", "threads"},
        {"allow-origin = \"https://kring.example.org\"", "allow-origin"},
        {"allow-origin = [\"ftp://kring.example.org\"]", "allow-origin"},
        {"allow-origin = [\"https://kring.example.org\", 5]", "allow-origin"},
        {"server-name = [\"kring example\"]", "server-name"},
        {"server-name = [\"kring.example.org:443\"]", "server-name"},
        {"max-text = 10.5", "max-text"},
        {"idle-timeout = 1", "idle-timeout"},
        {"login-hours = 0", "login-hours"},
        {"report-retention-days = 3651", "report-retention-days"},
        {"max-frame-bytes = 100", "max-frame-bytes"},
        {"[server]\nlisten = \"127.0.0.1:8080\"", "server"},
    };
    // Every number: below its least, above its most, negative, in quotes.
    for (auto const& option : serve_options()) {
        if (option.kind == option_kind::number) {
            cases.push_back({option.name + " = -1", option.name});
            cases.push_back({option.name + " = 100000000000", option.name});
            cases.push_back({option.name + " = \"10\"", option.name});
        } else if (option.kind == option_kind::text) {
            cases.push_back({option.name + " = 10", option.name});
        } else if (option.kind == option_kind::text_list) {
            cases.push_back({option.name + " = [\"\"]", option.name});
        } else {
            cases.push_back({option.name + " = \"true\"", option.name});
        }
    }
    for (auto const& [line, key] : cases) {
        CAPTURE(line);
        config_text const f{"# Kring\n" + line + "\n"};
        config c;
        auto const problems = read_config_file(f.file, c);
        REQUIRE(problems.size() == 1);
        CAPTURE(problems.front());
        CHECK(problems.front().starts_with(f.file.string() + ":2: " + key + ": "));
        CHECK(problems.front().size() > f.file.string().size() + key.size() + 10); // it says why
    }
}

TEST_CASE("a refusal says what was expected, and a snake_case key what was meant")
{
    config c;
    auto const range = problems_of("max-text = 0\n", c);
    REQUIRE(range.size() == 1);
    CHECK(range.front().find("invalid value \"0\" (expected a whole number from 1 to 10000)") != std::string::npos);

    auto const type = problems_of("max-text = \"10\"\n", c);
    REQUIRE(type.size() == 1);
    CHECK(type.front().find("expected a whole number, not a string") != std::string::npos);

    auto const snake = problems_of("max_text = 10\n", c);
    REQUIRE(snake.size() == 1);
    CHECK(snake.front().find("unknown key (did you mean max-text?") != std::string::npos);
}

TEST_CASE("all of a file's problems are told, in the order of its lines")
{
    config c;
    auto const problems = problems_of("zzz = 1\nhistory = 10\nmax-text = 0\naaa = 2\n", c);
    REQUIRE(problems.size() == 3);
    CHECK(problems[0].find(":1: zzz: unknown key") != std::string::npos);
    CHECK(problems[1].find(":3: max-text: invalid value") != std::string::npos);
    CHECK(problems[2].find(":4: aaa: unknown key") != std::string::npos);
}

TEST_CASE("a TOML syntax error is told with its line and column, a missing file by its name")
{
    config c;
    for (std::string const text : {"history = \n", "history = 1\nhistory = 2\n", "[broken\n", "max-text = 1 2\n"}) {
        CAPTURE(text);
        auto const problems = problems_of(text, c);
        REQUIRE(problems.size() == 1);
        CHECK(problems.front().find("kring.toml:") != std::string::npos);
    }
    auto const twice = problems_of("history = 1\nhistory = 2\n", c);
    CHECK(twice.front().find("kring.toml:2:") != std::string::npos);

    auto const missing = read_config_file("/nonexistent/kring.toml", c);
    REQUIRE(missing.size() == 1);
    CHECK(missing.front() == "/nonexistent/kring.toml: cannot be read: No such file or directory");
}

TEST_CASE("kring serve --config reads the file, and the options given override it")
{
    config_text const f{"max-text = 500\nhistory = 7\nallow-origin = [\"https://a.example\", \"https://b.example\"]\n"
                        "port-file = \"/run/kring/port\"\ndemo = true\n"};
    auto const file = f.file.string();

    SUBCASE("the file alone")
    {
        auto const result = parse_serve_arguments({"--config", file});
        REQUIRE(result.value);
        CHECK(result.value->max_text == 500);
        CHECK(result.value->history == 7);
        CHECK(result.value->allowed_origins.size() == 2);
        CHECK(result.value->demo);
    }
    SUBCASE("an option overrides its key, before or after --config")
    {
        for (auto const& args : {std::vector<std::string>{"--config", file, "--max-text", "9"},
                                 std::vector<std::string>{"--max-text", "9", "--config", file}}) {
            auto const result = parse_serve_arguments(args);
            REQUIRE(result.value);
            CHECK(result.value->max_text == 9);
            CHECK(result.value->history == 7);
        }
    }
    SUBCASE("a list given on the command line replaces the file's")
    {
        auto const result = parse_serve_arguments({"--config", file, "--allow-origin", "https://c.example"});
        REQUIRE(result.value);
        CHECK(result.value->allowed_origins == std::vector<std::string>{"https://c.example"});
    }
    SUBCASE("an empty --port-file takes back the file's, and --demo=false its demo")
    {
        auto const result = parse_serve_arguments({"--config", file, "--port-file", "", "--demo=false"});
        REQUIRE(result.value);
        CHECK_FALSE(result.value->port_file.has_value());
        CHECK_FALSE(result.value->demo);
    }
    SUBCASE("--print-config prints the settings in effect, the defaults commented out")
    {
        auto const result = parse_serve_arguments({"--config", file, "--max-text", "9", "--print-config"});
        CHECK(result.help);
        CHECK_FALSE(result.value);
        CHECK(result.message.find("\nmax-text = 9\n") != std::string::npos);
        CHECK(result.message.find("\nhistory = 7\n") != std::string::npos);
        CHECK(result.message.find("\nallow-origin = [\"https://a.example\", \"https://b.example\"]\n") !=
              std::string::npos);
        CHECK(result.message.find("\n# max-connections = 10000\n") != std::string::npos);
        auto const again = read_fine(result.message);
        CHECK(again.max_text == 9);
        CHECK(again.history == 7);
    }
}

TEST_CASE("kring serve --config refuses a bad file, naming the key, without the usage")
{
    config_text const f{"max-text = 0\n"};
    auto const result = parse_serve_arguments({"--config", f.file.string()});
    CHECK_FALSE(result.value);
    CHECK(result.in_file);
    CHECK(result.message == f.file.string() + ":1: max-text: invalid value \"0\" (expected a whole number from 1 "
                                              "to 10000)");

    auto const missing = parse_serve_arguments({"--config", "/nonexistent.toml"});
    CHECK_FALSE(missing.value);
    CHECK(missing.message.find("/nonexistent.toml: cannot be read") != std::string::npos);

    auto const empty = parse_serve_arguments({"--config", ""});
    CHECK_FALSE(empty.value);
    CHECK(empty.message == "--config needs a file name");

    auto const no_value = parse_serve_arguments({"--config"});
    CHECK_FALSE(no_value.value);
    CHECK(no_value.message == "--config needs a value");
}

TEST_CASE("a value that is good in the file is good after the flag, and the other way round")
{
    for (auto const& option : serve_options()) {
        if (option.kind == option_kind::toggle)
            continue;
        CAPTURE(option.name);
        for (std::string const value : {"0", "1", "65536", "-1", "", "x", "127.0.0.1:1", "https://a.example"}) {
            CAPTURE(value);
            auto const flag = parse_serve_arguments({"--" + option.name, value});
            config c;
            std::string toml_value = option.kind == option_kind::number ? value : "\"" + value + "\"";
            if (option.kind == option_kind::text_list)
                toml_value = "[" + toml_value + "]";
            auto const file_problems = problems_of(option.name + " = " + toml_value + "\n", c);
            bool const number_text = option.kind == option_kind::number && (value.empty() || value == "x" ||
                                                                              value.find_first_of(":/") != std::string::npos);
            if (number_text)
                continue; // not a TOML number: a type error in the file, tested above
            CHECK(flag.value.has_value() == file_problems.empty());
            if (flag.value && file_problems.empty())
                CHECK(as_file(*flag.value) == as_file(c));
        }
    }
}
