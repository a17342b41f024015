#include "kring_process.hpp"
#include "ws_client.hpp"

#include <doctest/doctest.h>

#include <csignal>

using namespace kring::test;

TEST_CASE("SIGTERM closes every client with 1001 and the server exits 0")
{
    kring_process server;
    ws_client amal{server.port()};
    ws_client bo{server.port()};
    amal.hello();
    bo.hello();
    amal.join("demo");
    server.signal(SIGTERM);
    CHECK(amal.read_until_closed(5s).close_code == 1001);
    CHECK(bo.read_until_closed(5s).close_code == 1001);
    auto const status = server.wait_exit(5s);
    REQUIRE(status);
    CHECK(*status == 0);
}

TEST_CASE("kring room add and list manage circles, also while the server runs")
{
    kring_process server;
    auto const db = server.db().string();
    auto const added = run_kring({"room", "add", "tea", "--title", "Tea and talk", "--capacity", "5", "--db", db});
    CHECK(added.status == 0);
    auto const coded = run_kring({"room", "add", "women", "--title", "Women's circle", "--code-stdin", "--db", db},
                                 "sesame\n");
    CHECK(coded.status == 0);

    auto const list = run_kring({"room", "list", "--db", db});
    CHECK(list.status == 0);
    CHECK(list.output.find("tea\t5\topen\tTea and talk") != std::string::npos);
    CHECK(list.output.find("women\t12\tcode\tWomen's circle") != std::string::npos);

    ws_client client{server.port()};
    client.hello();
    auto const joined = client.join("tea");
    CHECK(joined.at("room").at("slug").as_string() == "tea");
    CHECK(joined.at("room").at("title").as_string() == "Tea and talk");
    CHECK(joined.at("room").at("capacity").to_number<int>() == 5);
    client.say("tea", "made it");
    CHECK(client.expect("message").at("text").as_string() == "made it");
    client.send(R"({"type":"join","room":"women","code":"wrong"})");
    CHECK(client.expect("error").at("code").as_string() == "bad_code");
    client.send(R"({"type":"join","room":"women"})");
    CHECK(client.expect("error").at("code").as_string() == "bad_code");
    client.send(R"({"type":"join","room":"women","code":"sesame"})");
    client.expect("joined");

    // Edits and archiving reach the running server at the next join.
    REQUIRE(run_kring({"room", "edit", "tea", "--capacity", "1", "--db", db}).status == 0);
    ws_client second{server.port()};
    second.hello();
    second.send(R"({"type":"join","room":"tea"})");
    CHECK(second.expect("error").at("code").as_string() == "room_full");
    REQUIRE(run_kring({"room", "edit", "women", "--no-code", "--db", db}).status == 0);
    second.send(R"({"type":"join","room":"women"})");
    CHECK(second.expect("joined").at("room").at("slug").as_string() == "women");
    REQUIRE(run_kring({"room", "archive", "tea", "--db", db}).status == 0);
    second.send(R"({"type":"join","room":"tea"})");
    CHECK(second.expect("error").at("code").as_string() == "no_such_room");
}

TEST_CASE("kring refuses bad command lines with a message and a non-zero status")
{
    temp_dir dir;
    auto const db = (dir.path() / "k.db").string();
    struct bad {
        std::vector<std::string> args;
        std::string says;
    };
    std::vector<bad> const cases{
        {{}, "usage"},
        {{"fly"}, "unknown command"},
        {{"serve", "--listen", "nowhere"}, "invalid value for --listen"},
        {{"serve", "--threads"}, "needs a value"},
        {{"serve", "--bogus"}, "unknown option"},
        {{"room", "add", "Bad Slug", "--title", "x", "--db", db}, "SLUG"},
        {{"room", "add", "ok", "--db", db}, "--title"},
        {{"room", "add", "ok", "--title", "x", "--capacity", "0", "--db", db}, "--capacity"},
        {{"room", "list"}, "--db"},
        {{"room", "paint", "--db", db}, "unknown subcommand"},
        {{"serve", "--config"}, "--config needs a value"},
        {{"check-config"}, "FILE is missing"},
        {{"backup", "b.db"}, "--db DATABASE or --config CONFIG is required"},
        {{"restore"}, "FILE is missing"},
        {{"--bogus", "serve"}, "unknown command: --bogus"},
    };
    for (auto const& c : cases) {
        auto const result = run_kring(c.args);
        CHECK(result.status != 0);
        CHECK_MESSAGE(result.output.find(c.says) != std::string::npos, result.output);
    }
    auto const again = run_kring({"room", "add", "dup", "--title", "x", "--db", db});
    REQUIRE(again.status == 0);
    auto const duplicate = run_kring({"room", "add", "dup", "--title", "x", "--db", db});
    CHECK(duplicate.status == 1);
    CHECK(duplicate.output.find("exists already") != std::string::npos);
    CHECK(run_kring({"serve", "--help"}).status == 0);
}

TEST_CASE("kring --help names every command")
{
    auto const help = run_kring({"--help"});
    CHECK(help.status == 0);
    for (std::string const command :
         {"serve", "check-config", "room", "moderator", "ban", "audit", "backup", "restore"}) {
        CAPTURE(command);
        CHECK(help.output.find("\n  " + command + " ") != std::string::npos);
        auto const own = run_kring({command, "--help"});
        CHECK(own.status == 0);
        CHECK(own.output.find("usage: kring " + command) != std::string::npos);
    }
}
