#include "identity.hpp"
#include "scratch_folder.hpp"
#include "store/sqlite_store.hpp"

#include <SQLiteCpp/Database.h>

#include <doctest/doctest.h>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

namespace fs = std::filesystem;
using kring::test::scratch_folder;
using kring::room_record;
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

TEST_CASE("a new store is at the current schema version and has no rooms")
{
    scratch_folder const folder;
    sqlite_store db{folder.path / "kring.db"};
    CHECK(db.version() == sqlite_store::schema_version);
    CHECK(db.rooms().empty());
    CHECK_FALSE(db.find_room("demo").has_value());
}

TEST_CASE("rooms added to the store are found again, with and without an access code")
{
    scratch_folder const folder;
    sqlite_store db{folder.path / "kring.db"};
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

TEST_CASE("adding a room whose slug exists returns false and keeps the first")
{
    scratch_folder const folder;
    sqlite_store db{folder.path / "kring.db"};
    REQUIRE(db.add_room(demo));
    CHECK_FALSE(db.add_room(demo));
    CHECK_FALSE(db.add_room({"demo", "Another title", 3, kring::sha256("x")}));
    REQUIRE(db.rooms().size() == 1);
    check_same(*db.find_room("demo"), demo);
}

TEST_CASE("rooms persist when the store is opened again")
{
    scratch_folder const folder;
    auto const file = folder.path / "kring.db";
    {
        sqlite_store db{file};
        REQUIRE(db.add_room(demo));
        REQUIRE(db.add_room(quiet));
    }
    sqlite_store reopened{file};
    CHECK(reopened.version() == sqlite_store::schema_version);
    auto const all = reopened.rooms();
    REQUIRE(all.size() == 2);
    check_same(all[0], demo);
    check_same(all[1], quiet);
    CHECK_FALSE(reopened.add_room(demo));
}

TEST_CASE("a database written by a newer Kring is refused")
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

TEST_CASE("the store creates the folders of its database file")
{
    scratch_folder const folder;
    auto const file = folder.path / "not" / "yet" / "there" / "kring.db";
    REQUIRE_FALSE(fs::exists(file.parent_path()));
    sqlite_store db{file};
    CHECK(fs::is_directory(file.parent_path()));
    CHECK(fs::is_regular_file(file));
    CHECK(db.version() == sqlite_store::schema_version);
}
