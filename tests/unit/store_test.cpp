#include "identity.hpp"
#include "scratch_folder.hpp"
#include "store/shared_events.hpp"
#include "store/sqlite_store.hpp"
#include "store_under_test.hpp"

#include <SQLiteCpp/Database.h>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using kring::test::scratch_folder;
using kring::room_record;
using kring::postgres_store;
using kring::sqlite_store;

namespace {

room_record const demo{"demo", "Demo circle", 12, std::nullopt};
room_record const quiet{"quiet-room", "A quiet circle \xD8\xB9", 5, kring::sha256("open sesame")};

void check_same(room_record const& got, room_record const& expected)
{
    CHECK(got.slug == expected.slug);
    CHECK(got.title == expected.title);
    CHECK(got.capacity == expected.capacity);
    CHECK(got.code_digest.has_value() == expected.code_digest.has_value());
    if (got.code_digest && expected.code_digest)
        CHECK(*got.code_digest == *expected.code_digest);
}

} // namespace

KRING_STORE_TEST(new_store_is_empty, "a new store is at the current schema version and has no rooms")
{
    auto const owned = under.open();
    auto& db = *owned;
    CHECK(db.rooms().empty());
    CHECK_FALSE(db.find_room("demo").has_value());
}

KRING_STORE_TEST(rooms_found_again, "rooms added to the store are found again, with and without an access code")
{
    auto const owned = under.open();
    auto& db = *owned;
    REQUIRE(db.add_room(quiet));
    REQUIRE(db.add_room(demo));

    auto const found_demo = db.find_room("demo");
    REQUIRE(found_demo.has_value());
    check_same(*found_demo, demo);

    auto const found_quiet = db.find_room("quiet-room");
    REQUIRE(found_quiet.has_value());
    check_same(*found_quiet, quiet);

    auto const all = db.rooms();
    REQUIRE(all.size() == 2);
    check_same(all[0], demo); // ordered by slug
    check_same(all[1], quiet);

    CHECK_FALSE(db.find_room("dem").has_value());
    CHECK_FALSE(db.find_room("DEMO").has_value());
    CHECK_FALSE(db.find_room("").has_value());
}

KRING_STORE_TEST(slug_taken, "adding a room whose slug exists returns false and keeps the first")
{
    auto const owned = under.open();
    auto& db = *owned;
    REQUIRE(db.add_room(demo));
    CHECK_FALSE(db.add_room(demo));
    CHECK_FALSE(db.add_room({"demo", "Another title", 3, kring::sha256("x")}));
    REQUIRE(db.rooms().size() == 1);
    check_same(*db.find_room("demo"), demo);
}

KRING_STORE_TEST(rooms_persist, "rooms persist when the store is opened again")
{
    {
        auto const db = under.open();
        REQUIRE(db->add_room(demo));
        REQUIRE(db->add_room(quiet));
    }
    auto const reopened = under.open();
    auto const all = reopened->rooms();
    REQUIRE(all.size() == 2);
    check_same(all[0], demo);
    check_same(all[1], quiet);
    CHECK_FALSE(reopened->add_room(demo));
}

TEST_CASE("SQLite store: a new database is at the current schema version")
{
    scratch_folder const folder;
    sqlite_store db{folder.path / "kring.db"};
    CHECK(db.version() == sqlite_store::schema_version);
}

TEST_CASE("SQLite store: a database written by a newer Kring is refused")
{
    scratch_folder const folder;
    auto const file = folder.path / "kring.db";
    {
        SQLite::Database raw{file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
        raw.exec("PRAGMA user_version = " + std::to_string(sqlite_store::schema_version + 1));
    }
    CHECK_THROWS_AS(sqlite_store{file}, std::runtime_error);

    SQLite::Database raw{file.string(), SQLite::OPEN_READONLY};
    CHECK(raw.execAndGet("PRAGMA user_version").getInt() == sqlite_store::schema_version + 1);
}

TEST_CASE("SQLite store: the store creates the folders of its database file")
{
    scratch_folder const folder;
    auto const file = folder.path / "not" / "yet" / "there" / "kring.db";
    REQUIRE_FALSE(fs::exists(file.parent_path()));
    sqlite_store db{file};
    CHECK(fs::is_directory(file.parent_path()));
    CHECK(fs::is_regular_file(file));
    CHECK(db.version() == sqlite_store::schema_version);
}

TEST_CASE("PostgreSQL store: a new database is at the current schema version, made once" *
          doctest::test_suite("postgresql"))
{
    kring::test::postgres_under_test under;
    postgres_store first{under.uri};
    CHECK(first.version() == postgres_store::schema_version);
    REQUIRE(first.add_room(demo));
    // A second node opening the same database finds the schema made and the circle there.
    postgres_store second{under.uri};
    CHECK(second.version() == postgres_store::schema_version);
    CHECK(second.find_room("demo").has_value());
    CHECK(under.count("kring_schema") == 1);
}

TEST_CASE("PostgreSQL store: nodes starting at once migrate the schema once" * doctest::test_suite("postgresql"))
{
    kring::test::postgres_under_test under;
    std::vector<std::thread> nodes;
    std::atomic<int> opened{0};
    for (int i = 0; i < 4; ++i)
        nodes.emplace_back([&] {
            postgres_store node{under.uri};
            if (node.version() == postgres_store::schema_version)
                ++opened;
        });
    for (auto& node : nodes)
        node.join();
    CHECK(opened == 4);
    CHECK(under.count("kring_schema") == 1);
}

TEST_CASE("PostgreSQL store: a database written by a newer Kring is refused" * doctest::test_suite("postgresql"))
{
    kring::test::postgres_under_test under;
    { postgres_store made{under.uri}; }
    under.exec("UPDATE kring_schema SET version = version + 1");
    CHECK_THROWS_WITH_AS(postgres_store{under.uri}, doctest::Contains("newer Kring"), std::runtime_error);
}

TEST_CASE("PostgreSQL store: a server that cannot be reached is a clear error, without the password" *
          doctest::test_suite("postgresql"))
{
    // Port 1 on loopback: nothing listens there.
    std::string message;
    try {
        postgres_store nowhere{"postgresql://kring:s3cret@127.0.0.1:1/kring?connect_timeout=2"};
    } catch (kring::postgres::connection_lost const& e) {
        message = e.what();
    }
    CHECK(message.find("cannot reach PostgreSQL at postgresql://kring:***@127.0.0.1:1/kring") == 0);
    CHECK(message.find("s3cret") == std::string::npos);
}

TEST_CASE("a list kept in one column comes back as it was, and no text is no items")
{
    using kring::joined_column;
    using kring::split_column;
    std::vector<std::string> const languages{"nl", "ar", "ti"};
    CHECK(joined_column(languages, ',') == "nl,ar,ti");
    CHECK(split_column("nl,ar,ti", ',') == languages);
    std::vector<std::string> const items{"We listen.", "What is said here stays here.", ""};
    CHECK(split_column(joined_column(items, '\n'), '\n') == items);
    CHECK(split_column("", ',').empty());
    CHECK(joined_column({}, ',').empty());
    CHECK(kring::staff_role_named("admin") == kring::staff_role::admin);
    CHECK(kring::staff_role_named("moderator") == kring::staff_role::moderator);
    CHECK_FALSE(kring::staff_role_named("Admin").has_value());
}

TEST_CASE("a PostgreSQL URI is shown without its password, wherever it was written")
{
    using kring::postgres::without_password;
    CHECK(without_password("postgresql://kring:s3cret@db.example.org:5432/kring") ==
          "postgresql://kring:***@db.example.org:5432/kring");
    CHECK(without_password("postgresql://kring@db/kring?password=s3cret&sslmode=require") ==
          "postgresql://kring@db/kring?password=***&sslmode=require");
    CHECK(without_password("postgres://db/kring?sslmode=require&password=s3cret") ==
          "postgres://db/kring?sslmode=require&password=***");
    CHECK(without_password("postgresql://kring@db.example.org/kring") == "postgresql://kring@db.example.org/kring");
    CHECK(without_password("postgresql:///kring?host=/run/postgresql") == "postgresql:///kring?host=/run/postgresql");
}

TEST_CASE("PostgreSQL store: a lost connection is made again, and the call it broke is run once more" *
          doctest::test_suite("postgresql"))
{
    kring::test::postgres_under_test under;
    postgres_store db{under.uri};
    REQUIRE(db.add_room(demo));
    // What a restart of PostgreSQL, or a broken network, does to the store's connection.
    under.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
               "WHERE datname = current_database() AND pid <> pg_backend_pid()");
    CHECK(db.find_room("demo").has_value());
    REQUIRE(db.add_room(quiet));
    under.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
               "WHERE datname = current_database() AND pid <> pg_backend_pid()");
    db.audit({5, "cli", "room_add", "quiet-room", "", ""});
    CHECK(db.audit_log({}).size() == 1);
    CHECK(db.rooms().size() == 2);
}

TEST_CASE("PostgreSQL store: writes tell the watching nodes what changed, and a watch that reconnects catches up" *
          doctest::test_suite("postgresql"))
{
    kring::test::postgres_under_test under;
    postgres_store db{under.uri};
    REQUIRE(db.add_room(demo));
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::string> topics;
    auto const wait_for = [&](std::size_t count) {
        std::unique_lock lock{mutex};
        return changed.wait_for(lock, std::chrono::seconds{5}, [&] { return topics.size() >= count; });
    };
    auto const watch = kring::watch_shared_events(under.uri, [&](std::string const& topic) {
        std::lock_guard lock{mutex};
        topics.push_back(topic);
        changed.notify_all();
    });
    REQUIRE(watch != nullptr);
    REQUIRE(wait_for(1));
    CHECK(topics[0] == "*"); // listening: catch up on what was missed

    kring::ban_record const ban{0, std::nullopt, kring::sha256("device"), std::nullopt, std::nullopt, "", "bo", 1};
    auto const id = db.add_ban(ban, {1, "bo", "ban", "", "", ""});
    REQUIRE(wait_for(2));
    CHECK(topics[1] == "bans");
    kring::room_changes title;
    title.title = "Tea";
    REQUIRE(db.edit_room("demo", title));
    REQUIRE(db.lift_ban(id));
    REQUIRE(wait_for(4));
    CHECK(topics[2] == "room:demo");
    CHECK(topics[3] == "bans");

    // A write that is rolled back, or changes nothing, tells no one.
    CHECK_THROWS(db.add_ban({0, std::nullopt, std::nullopt, std::nullopt, std::nullopt, "", "bo", 1},
                            {1, "bo", "ban", "", "", ""})); // neither device nor address: refused
    CHECK_FALSE(db.edit_room("no-such-room", title));
    CHECK_FALSE(db.archive_room("no-such-room"));

    // The watch's connection broken: it connects again and says "*".
    under.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
               "WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'LISTEN%'");
    REQUIRE(wait_for(5));
    CHECK(topics[4] == "*");
    CHECK(topics.size() == 5);
}

TEST_CASE("SQLite store: a file has no other nodes to watch")
{
    scratch_folder const folder;
    CHECK(kring::watch_shared_events(folder.db(), [](std::string const&) {}) == nullptr);
}

TEST_CASE("PostgreSQL store: the directory counts every node's members, and a node that stops saying stops counting" *
          doctest::test_suite("postgresql"))
{
    kring::test::postgres_under_test under;
    postgres_store db{under.uri};
    db.set_presence("node-a", {{"tea", 3}, {"walk", 1}}, 1'000);
    db.set_presence("node-b", {{"tea", 2}}, 1'500);
    using counts = kring::store::circle_counts;
    CHECK(db.presence(1'000, "node-c") == counts{{"tea", 5}, {"walk", 1}});
    // A node counts its own members itself: the store gives it the others'.
    CHECK(db.presence(1'000, "node-a") == counts{{"tea", 2}});
    // node-a says again: the circles it no longer names have no one from it.
    db.set_presence("node-a", {{"walk", 2}}, 2'000);
    CHECK(db.presence(1'000, "node-c") == counts{{"tea", 2}, {"walk", 2}});
    // node-b said nothing since 1.5 s: from 1.6 s on, it is not counted.
    CHECK(db.presence(1'600, "node-c") == counts{{"walk", 2}});
    db.set_presence("node-a", {}, 3'000);
    CHECK(db.presence(2'500, "node-c") == counts{});
    // Counts only: no row names anyone.
    CHECK(under.count("node_presence") == 1);
}

TEST_CASE("SQLite store: one node counts its circles itself")
{
    scratch_folder const folder;
    sqlite_store db{folder.db()};
    db.set_presence("node-a", {{"tea", 3}}, 1'000);
    CHECK_FALSE(db.presence(0, "node-b").has_value());
}
