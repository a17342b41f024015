#include "kring_process.hpp"
#include "password.hpp"
#include "store/sqlite_store.hpp"
#include "ws_client.hpp"

#include <doctest/doctest.h>

#include <boost/json.hpp>

#include <cstdint>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

using namespace kring::test;
namespace json = boost::json;

namespace {

// A fresh database file for one test.
struct scratch_db {
    temp_dir dir;
    std::string file = (dir.path() / "kring.db").string();
};

bool says(std::string const& output, std::string const& text)
{
    return output.find(text) != std::string::npos;
}

bool says(command_result const& result, std::string const& text)
{
    return says(result.output, text);
}

// The one-time password a command printed, or empty.
std::string password_in(std::string const& output)
{
    std::string const label = "one-time password (shown only now): ";
    auto const at = output.find(label);
    return at == std::string::npos ? "" : output.substr(at + label.size(), 24);
}

std::vector<std::string> lines_of(std::string const& output)
{
    std::vector<std::string> out;
    std::istringstream in{output};
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

// What the server answers a login of `user` with `password` on a new connection:
// its frame type, or for an error its code.
std::string login_answer(unsigned short port, std::string const& user, std::string const& password)
{
    ws_client client{port};
    client.hello();
    client.send(json::serialize(json::object{{"type", "login"}, {"user", user}, {"password", password}}));
    auto const answer = client.receive();
    std::string const type{answer.at("type").as_string()};
    return type == "error" ? "error " + std::string{answer.at("code").as_string()} : type;
}

// Runs a command that must succeed.
std::string ok(std::vector<std::string> const& args, std::string const& stdin_text = {})
{
    auto const result = run_kring(args, stdin_text);
    INFO(result.output);
    CHECK(result.status == 0);
    return result.output;
}

} // namespace

TEST_CASE("kring moderator add prints a one-time password the store accepts, or reads one from standard input")
{
    scratch_db db;
    auto const added = ok({"moderator", "add", "Amal", "--db", db.file});
    CHECK(lines_of(added).at(0) == "added moderator Amal");
    auto const password = password_in(added);
    CHECK(password.size() == 24);

    auto const admin = ok({"moderator", "add", "root.admin_1", "--admin", "--password-stdin", "--db", db.file},
                          "a long secret\n");
    CHECK(admin == "added admin root.admin_1\n"
                   "the first login with it must choose a new password; until then root.admin_1 can do nothing else\n");

    kring::sqlite_store store{db.file};
    auto const amal = store.find_staff("amal");
    REQUIRE(amal);
    CHECK(amal->staff.role == kring::staff_role::moderator);
    CHECK(amal->kind == kring::password_kind::one_time);
    CHECK(kring::verify_password(amal->password_hash, password));
    auto const root = store.find_staff("root.admin_1");
    REQUIRE(root);
    CHECK(root->staff.role == kring::staff_role::admin);
    CHECK(root->kind == kring::password_kind::one_time);
    CHECK(kring::verify_password(root->password_hash, "a long secret"));
    CHECK(root->password_hash.find("a long secret") == std::string::npos);
}

TEST_CASE("kring moderator add refuses bad names, duplicates and passwords that break the rules")
{
    scratch_db db;
    ok({"moderator", "add", "amal", "--db", db.file});

    auto const duplicate = run_kring({"moderator", "add", "AMAL", "--db", db.file});
    CHECK(duplicate.status == 1);
    CHECK(says(duplicate, "a moderator or admin named AMAL exists already"));

    for (auto const& name : std::vector<std::string>{"bad name", "amal!", "\xC3\xA9lise", std::string(33, 'a'), ""}) {
        auto const result = run_kring({"moderator", "add", name, "--db", db.file});
        CHECK(result.status == 2);
        CHECK_MESSAGE(says(result, "NAME must be 1-32 characters"), result.output);
    }
    CHECK(run_kring({"moderator", "add", std::string(32, 'a'), "--db", db.file}).status == 0);

    for (auto const& input : {std::string{}, std::string{"eleven char\n"}, std::string{"\n"},
                              std::string(257, 'x') + "\n", std::string{"\xC3\xA9\xFF not UTF-8\n"}}) {
        auto const result = run_kring({"moderator", "add", "bo", "--password-stdin", "--db", db.file}, input);
        CHECK(result.status == 2);
        CHECK_MESSAGE(says(result, "must be one line of 12 to 256 characters"), result.output);
        CHECK(says(result, "usage: kring moderator"));
    }
    auto const with_name = run_kring({"moderator", "add", "dora", "--password-stdin", "--db", db.file},
                                     "I am DORA, twice a week\n");
    CHECK(with_name.status == 2);
    CHECK_MESSAGE(says(with_name, "must not contain the name dora"), with_name.output);
    auto const printed_for_good = run_kring({"moderator", "add", "bo", "--permanent", "--db", db.file});
    CHECK(printed_for_good.status == 2);
    CHECK(says(printed_for_good, "--permanent needs --password-stdin"));
    CHECK_FALSE(kring::sqlite_store{db.file}.find_staff("dora").has_value());
    auto const as_argument = run_kring({"moderator", "add", "bo", "--password", "secret-secret", "--db", db.file});
    CHECK(as_argument.status == 2);
    CHECK(says(as_argument, "unknown option: --password"));
    CHECK_FALSE(kring::sqlite_store{db.file}.find_staff("bo").has_value());
}

TEST_CASE("kring moderator list, assign and disable show and change who keeps which circle")
{
    scratch_db db;
    ok({"room", "add", "tea", "--title", "Tea", "--db", db.file});
    ok({"room", "add", "women", "--title", "Women", "--db", db.file});
    ok({"moderator", "add", "bo", "--db", db.file});
    ok({"moderator", "add", "amal", "--admin", "--db", db.file});
    ok({"moderator", "add", "chen", "--db", db.file});

    CHECK(ok({"moderator", "assign", "bo", "women", "--db", db.file}) == "assigned circle women to bo\n");
    CHECK(ok({"moderator", "assign", "BO", "tea", "--db", db.file}) == "assigned circle tea to bo\n");
    CHECK(ok({"moderator", "disable", "chen", "--db", db.file}) == "disabled chen; their logins are revoked\n");

    CHECK(ok({"moderator", "list", "--db", db.file}) ==
          "amal\tadmin\tenabled\t*\nbo\tmoderator\tenabled\ttea,women\nchen\tmoderator\tdisabled\t-\n");

    CHECK(ok({"moderator", "enable", "chen", "--db", db.file}) == "enabled chen\n");
    CHECK(says(run_kring({"moderator", "list", "--db", db.file}), "chen\tmoderator\tenabled\t-\n"));
}

TEST_CASE("kring moderator says which moderator or circle does not exist, with status 1")
{
    scratch_db db;
    ok({"room", "add", "tea", "--title", "Tea", "--db", db.file});
    ok({"moderator", "add", "bo", "--db", db.file});
    struct missing {
        std::vector<std::string> args;
        std::string says;
    };
    std::vector<missing> const cases{
        {{"moderator", "assign", "nobody", "tea"}, "no such moderator: nobody"},
        {{"moderator", "assign", "bo", "nowhere"}, "no such circle: nowhere"},
        {{"moderator", "disable", "nobody"}, "no such moderator: nobody"},
        {{"moderator", "enable", "nobody"}, "no such moderator: nobody"},
        {{"moderator", "reset-password", "nobody"}, "no such moderator: nobody"},
    };
    for (auto c : cases) {
        c.args.insert(c.args.end(), {"--db", db.file});
        auto const result = run_kring(c.args);
        CHECK(result.status == 1);
        CHECK_MESSAGE(says(result, c.says), result.output);
        CHECK_FALSE(says(result, "one-time password"));
    }
    auto const list = run_kring({"moderator", "list", "--db", (db.dir.path() / "typo.db").string()});
    CHECK(list.status == 1);
    CHECK(says(list, "no database at"));
}

TEST_CASE("kring moderator reset-password prints a new password and signs the moderator out")
{
    scratch_db db;
    auto const first = password_in(ok({"moderator", "add", "bo", "--db", db.file}));
    auto const token = kring::sha256("a login token");
    {
        kring::sqlite_store store{db.file};
        store.add_login_token(token, store.find_staff("bo")->staff.id, INT64_MAX, {0, "bo", "login", "", "bo", ""});
        REQUIRE(store.staff_for_token(token, 0));
    }
    auto const reset = ok({"moderator", "reset-password", "BO", "--db", db.file});
    CHECK(lines_of(reset).at(0) == "new password for bo; their logins are revoked");
    auto const second = password_in(reset);
    CHECK(second.size() == 24);
    CHECK(second != first);

    kring::sqlite_store store{db.file};
    CHECK_FALSE(store.staff_for_token(token, 0));
    CHECK(kring::verify_password(store.find_staff("bo")->password_hash, second));
    CHECK_FALSE(kring::verify_password(store.find_staff("bo")->password_hash, first));

    CHECK(store.find_staff("bo")->kind == kring::password_kind::one_time);

    auto const chosen = ok({"moderator", "reset-password", "bo", "--password-stdin", "--db", db.file},
                           "chosen by bo\r\n");
    CHECK(chosen == "new password for bo; their logins are revoked\n"
                    "the first login with it must choose a new password; until then bo can do nothing else\n");
    CHECK(kring::verify_password(kring::sqlite_store{db.file}.find_staff("bo")->password_hash, "chosen by bo"));
    auto const permanent = ok({"moderator", "reset-password", "bo", "--password-stdin", "--permanent", "--db", db.file},
                              "his own for good\n");
    CHECK(permanent == "new password for bo; their logins are revoked\n");
    auto const kept = kring::sqlite_store{db.file}.find_staff("bo");
    CHECK(kept->kind == kring::password_kind::chosen);
    CHECK(kring::verify_password(kept->password_hash, "his own for good"));
}

TEST_CASE("kring room edit changes a circle and kring room archive closes it")
{
    scratch_db db;
    ok({"room", "add", "tea", "--title", "Tea", "--capacity", "5", "--db", db.file});
    CHECK(ok({"room", "edit", "tea", "--title", "Tea and talk", "--capacity", "8", "--db", db.file}) ==
          "edited circle tea\n");
    CHECK(ok({"room", "list", "--db", db.file}) == "tea\t8\topen\tTea and talk\n");
    ok({"room", "edit", "tea", "--code-stdin", "--db", db.file}, "sesame\n");
    CHECK(kring::sqlite_store{db.file}.find_room("tea")->code_digest == kring::sha256("sesame"));
    CHECK(ok({"room", "list", "--db", db.file}) == "tea\t8\tcode\tTea and talk\n");
    ok({"room", "edit", "tea", "--no-code", "--db", db.file});
    CHECK(ok({"room", "list", "--db", db.file}) == "tea\t8\topen\tTea and talk\n");
    ok({"room", "edit", "tea", "--quiet-arrivals", "--db", db.file});
    CHECK(kring::sqlite_store{db.file}.find_room("tea")->quiet_arrivals);
    CHECK(ok({"room", "list", "--db", db.file}) == "tea\t8\topen,quiet\tTea and talk\n");
    ok({"room", "edit", "tea", "--announce-arrivals", "--db", db.file});
    CHECK_FALSE(kring::sqlite_store{db.file}.find_room("tea")->quiet_arrivals);
    CHECK(ok({"room", "list", "--db", db.file}) == "tea\t8\topen\tTea and talk\n");
    ok({"room", "add", "hush", "--title", "Hush", "--quiet-arrivals", "--db", db.file});
    CHECK(kring::sqlite_store{db.file}.find_room("hush")->quiet_arrivals);
    ok({"room", "archive", "hush", "--db", db.file});

    CHECK(ok({"room", "archive", "tea", "--db", db.file}) == "archived circle tea\n");
    CHECK(ok({"room", "list", "--db", db.file}).empty());
    std::vector<std::vector<std::string>> const gone{{"room", "archive", "tea", "--db", db.file},
                                                     {"room", "edit", "tea", "--title", "x", "--db", db.file},
                                                     {"room", "edit", "gone", "--no-code", "--db", db.file}};
    for (auto const& args : gone) {
        auto const result = run_kring(args);
        CHECK(result.status == 1);
        CHECK_MESSAGE(says(result, "no such circle: "), result.output);
    }
    auto const again = run_kring({"room", "add", "tea", "--title", "Tea", "--db", db.file});
    CHECK(again.status == 1);
    CHECK(says(again, "exists already"));
}

TEST_CASE("kring room edit and archive refuse bad command lines with status 2")
{
    scratch_db db;
    ok({"room", "add", "tea", "--title", "Tea", "--db", db.file});
    struct bad {
        std::vector<std::string> args;
        std::string says;
        std::string input = {};
    };
    std::vector<bad> const cases{
        {{"room", "edit", "tea"}, "nothing to change"},
        {{"room", "edit", "tea", "--code-stdin", "--no-code"}, "either --code-stdin or --no-code"},
        {{"room", "edit", "tea", "--quiet-arrivals", "--announce-arrivals"},
         "either --quiet-arrivals or --announce-arrivals"},
        {{"room", "edit", "tea", "--capacity", "0"}, "--capacity must be a number from 1 to 10000"},
        {{"room", "edit", "tea", "--capacity", "12x"}, "--capacity must be a number from 1 to 10000"},
        {{"room", "edit", "tea", "--title", ""}, "--title must be 1-80 characters"},
        {{"room", "edit", "tea", "--title"}, "--title needs a value"},
        {{"room", "edit", "tea", "--code-stdin"}, "the access code must be 1-128 characters", "\n"},
        {{"room", "edit", "Tea Room", "--no-code"}, "SLUG must be"},
        {{"room", "edit", "--no-code"}, "SLUG is missing"},
        {{"room", "edit", "tea", "--colour", "red"}, "unknown option: --colour"},
        {{"room", "archive", "tea", "extra"}, "unexpected argument: extra"},
        {{"room", "archive"}, "SLUG is missing"},
        {{"room", "list", "tea"}, "unexpected argument: tea"},
        {{"room", "add", "x", "--title", "a", "--title", "b"}, "--title is given twice"},
    };
    for (auto c : cases) {
        c.args.insert(c.args.end(), {"--db", db.file});
        auto const result = run_kring(c.args, c.input);
        CHECK(result.status == 2);
        CHECK_MESSAGE(says(result, c.says), result.output);
        CHECK(says(result, "usage: kring room"));
    }
    auto const no_db = run_kring({"room", "archive", "tea"});
    CHECK(no_db.status == 2);
    CHECK(says(no_db, "--db FILE is required"));
    CHECK(ok({"room", "list", "--db", db.file}) == "tea\t12\topen\tTea\n");
}

TEST_CASE("kring audit prints the command line's own rows as JSON lines, filtered by room and time")
{
    scratch_db db;
    ok({"room", "add", "tea", "--title", "Tea", "--db", db.file});
    ok({"moderator", "add", "bo", "--db", db.file});
    ok({"moderator", "assign", "bo", "tea", "--db", db.file});
    ok({"moderator", "reset-password", "bo", "--password-stdin", "--db", db.file}, "never in the log\n");

    auto const output = ok({"audit", "--db", db.file});
    CHECK_FALSE(says(output, "never in the log"));
    auto const lines = lines_of(output);
    REQUIRE(lines.size() == 4);
    std::vector<std::string> actions;
    for (auto const& line : lines) {
        auto const entry = json::parse(line).as_object();
        CHECK(entry.at("actor").as_string() == "cli");
        std::string_view const at = entry.at("at").as_string();
        CHECK(at.size() == 24); // 2026-11-26T14:00:00.000Z
        CHECK(at.ends_with("Z"));
        CHECK(entry.size() == 6);
        actions.emplace_back(entry.at("action").as_string());
    }
    CHECK(actions ==
          std::vector<std::string>{"room_add", "moderator_add", "moderator_assign", "moderator_reset_password"});
    auto const assign = json::parse(lines[2]).as_object();
    CHECK(assign.at("room").as_string() == "tea");
    CHECK(assign.at("target").as_string() == "bo");

    CHECK(lines_of(ok({"audit", "--db", db.file, "--room", "tea"})).size() == 2);
    CHECK(ok({"audit", "--db", db.file, "--since", "2999-01-01"}).empty());
    CHECK(ok({"audit", "--db", db.file, "--until", "2000-01-01T00:00:00Z"}).empty());
    auto const everything = ok({"audit", "--db", db.file, "--since", "0", "--until", "2999-12-31T23:59:59.999Z"});
    CHECK(lines_of(everything).size() == 4);
}

TEST_CASE("kring audit --format csv writes a header and quotes commas, quotes and line breaks")
{
    scratch_db db;
    {
        kring::sqlite_store store{db.file};
        store.audit({1'795'701'600'123, "bo", "ban", "tea", "p-1", "reason=\"late, again\""});
        store.audit({1'795'701'600'124, "bo", "note", "", "", "two\nlines"});
    }
    CHECK(ok({"audit", "--db", db.file, "--format", "csv"}) ==
          "at,actor,action,room,target,detail\r\n"
          "2026-11-26T14:00:00.123Z,bo,ban,tea,p-1,\"reason=\"\"late, again\"\"\"\r\n"
          "2026-11-26T14:00:00.124Z,bo,note,,,\"two\nlines\"\r\n");
    auto const jsonl = lines_of(ok({"audit", "--db", db.file}));
    REQUIRE(jsonl.size() == 2);
    CHECK(json::parse(jsonl[0]).as_object().at("detail").as_string() == "reason=\"late, again\"");
    CHECK(json::parse(jsonl[1]).as_object().at("detail").as_string() == "two\nlines");
    CHECK(json::parse(jsonl[1]).as_object().at("at").as_string() == "2026-11-26T14:00:00.124Z");
}

TEST_CASE("kring audit refuses bad command lines with status 2 and a missing database with status 1")
{
    scratch_db db;
    ok({"room", "add", "tea", "--title", "Tea", "--db", db.file});
    struct bad {
        std::vector<std::string> args;
        std::string says;
    };
    std::vector<bad> const cases{
        {{"audit", "--format", "xml", "--db", db.file}, "--format must be jsonl or csv"},
        {{"audit", "--since", "yesterday", "--db", db.file}, "--since must be a date"},
        {{"audit", "--until", "2026-11-26T14:00", "--db", db.file}, "--until must be a date"},
        {{"audit", "--since", "2026-02-01", "--until", "2026-01-01", "--db", db.file}, "--since must not be after"},
        {{"audit", "--room", "Not A Slug", "--db", db.file}, "--room must be"},
        {{"audit", "--room", "--db", db.file}, "--room needs a value"},
        {{"audit", "--verbose", "--db", db.file}, "unknown option: --verbose"},
        {{"audit", "tea", "--db", db.file}, "unexpected argument: tea"},
        {{"audit"}, "--db FILE is required"},
    };
    for (auto const& c : cases) {
        auto const result = run_kring(c.args);
        CHECK(result.status == 2);
        CHECK_MESSAGE(says(result, c.says), result.output);
        CHECK(says(result, "usage: kring audit"));
    }
    auto const missing = run_kring({"audit", "--db", (db.dir.path() / "typo.db").string()});
    CHECK(missing.status == 1);
    CHECK(says(missing, "no database at"));
    CHECK_FALSE(std::filesystem::exists(db.dir.path() / "typo.db"));
}

TEST_CASE("kring moderator refuses bad command lines with status 2, and --help prints the usage")
{
    scratch_db db;
    struct bad {
        std::vector<std::string> args;
        std::string says;
    };
    std::vector<bad> const cases{
        {{"moderator"}, "missing subcommand"},
        {{"moderator", "promote", "bo", "--db", db.file}, "unknown subcommand: promote"},
        {{"moderator", "add", "--db", db.file}, "NAME is missing"},
        {{"moderator", "add", "bo"}, "--db FILE is required"},
        {{"moderator", "add", "bo", "--db"}, "--db needs a value"},
        {{"moderator", "add", "bo", "--admin", "--admin", "--db", db.file}, "--admin is given twice"},
        {{"moderator", "assign", "bo", "--db", db.file}, "ROOM is missing"},
        {{"moderator", "assign", "bo", "Tea Room", "--db", db.file}, "ROOM must be"},
        {{"moderator", "list", "bo", "--db", db.file}, "unexpected argument: bo"},
        {{"moderator", "disable", "bo", "--admin", "--db", db.file}, "unknown option: --admin"},
    };
    for (auto const& c : cases) {
        auto const result = run_kring(c.args);
        CHECK(result.status == 2);
        CHECK_MESSAGE(says(result, c.says), result.output);
        CHECK(says(result, "usage: kring moderator"));
    }
    for (auto const& command : {"moderator", "audit", "room"}) {
        auto const help = run_kring({command, "--help"});
        CHECK(help.status == 0);
        CHECK(says(help, std::string{"usage: kring "} + command));
    }
    auto const top = run_kring({"--help"});
    CHECK(says(top, "moderator"));
    CHECK(says(top, "audit"));
}

TEST_CASE("the admin command line works on the database of a running server")
{
    kring_process server;
    auto const db = server.db().string();
    auto const added = ok({"moderator", "add", "bo", "--db", db});
    CHECK(password_in(added).size() == 24);
    ok({"moderator", "assign", "bo", "demo", "--db", db});
    CHECK(says(run_kring({"moderator", "list", "--db", db}), "bo\tmoderator\tenabled\tdemo\n"));
    CHECK(lines_of(ok({"audit", "--db", db, "--room", "demo"})).size() >= 1);
}

TEST_CASE("the password kring moderator add prints can't be used twice, nor once as a full login")
{
    kring_process server;
    auto const db = server.db().string();
    auto const printed = password_in(ok({"moderator", "add", "bo", "--db", db}));
    REQUIRE(printed.size() == 24);
    ok({"moderator", "assign", "bo", "demo", "--db", db});

    {
        ws_client first{server.port()};
        first.hello();
        first.send(json::serialize(json::object{{"type", "login"}, {"user", "bo"}, {"password", printed}}));
        auto const asked = first.expect("choose_password");
        CHECK(asked.at("min_length").as_int64() == 12);
        // No rights yet: not even a circle to sit in.
        first.send(R"({"type":"join","room":"demo","ref":"j"})");
        auto const refused = first.expect("error");
        CHECK(refused.at("code").as_string() == "password_change_required");
        // A second try with it on another connection is no login either.
        CHECK(login_answer(server.port(), "bo", printed) == "choose_password");

        first.send(R"({"type":"set_password","password":"bo's very own words"})");
        auto const logged_in = first.expect("logged_in");
        CHECK(logged_in.at("role").as_string() == "moderator");
        auto const joined = first.join("demo");
        CHECK(joined.at("you").as_object().at("role").as_string() == "moderator");
    }
    CHECK(login_answer(server.port(), "bo", printed) == "error auth_failed");
    CHECK(login_answer(server.port(), "bo", "bo's very own words") == "logged_in");
    kring::sqlite_store store{db};
    CHECK(store.find_staff("bo")->kind == kring::password_kind::chosen);
}

TEST_CASE("a password set with --permanent is a login at once; reset-password makes it one-time again")
{
    kring_process server;
    auto const db = server.db().string();
    ok({"moderator", "add", "amal", "--admin", "--password-stdin", "--permanent", "--db", db}, "her very own words\n");
    CHECK(login_answer(server.port(), "amal", "her very own words") == "logged_in");
    CHECK(login_answer(server.port(), "amal", "her very own words") == "logged_in");

    auto const printed = password_in(ok({"moderator", "reset-password", "amal", "--db", db}));
    CHECK(login_answer(server.port(), "amal", "her very own words") == "error auth_failed");
    CHECK(login_answer(server.port(), "amal", printed) == "choose_password");

    auto const rows = lines_of(ok({"audit", "--db", db}));
    REQUIRE(rows.size() >= 2);
    CHECK(says(rows.front(), "password=stdin permanent"));
    bool reset_row = false;
    for (auto const& row : rows)
        reset_row = reset_row || (says(row, "moderator_reset_password") && says(row, "password=generated one_time"));
    CHECK(reset_row);
}
