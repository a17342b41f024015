#include "identity.hpp"
#include "scratch_folder.hpp"
#include "store/sqlite_store.hpp"

#include <SQLiteCpp/Database.h>

#include <doctest/doctest.h>

#include <string>

using kring::room_record;
using kring::staff_role;
using kring::sqlite_store;
using kring::test::noted;
using kring::test::scratch_folder;

namespace {

room_record const tea{"tea", "Tea and talk", 8, std::nullopt};
room_record const women{"women", "Women's circle", 12, kring::sha256("sesame")};

std::vector<std::string> slugs(std::vector<room_record> const& rooms)
{
    std::vector<std::string> out;
    for (auto const& r : rooms)
        out.push_back(r.slug);
    return out;
}

// A database as Kring's first schema left it, with one room.
void write_version_1(std::filesystem::path const& file)
{
    SQLite::Database raw{file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
    raw.exec(R"sql(
        CREATE TABLE rooms (
            id          INTEGER PRIMARY KEY,
            slug        TEXT NOT NULL UNIQUE,
            title       TEXT NOT NULL,
            capacity    INTEGER NOT NULL CHECK (capacity > 0),
            code_sha256 BLOB CHECK (code_sha256 IS NULL OR length(code_sha256) = 32),
            created_at  INTEGER NOT NULL
        );
        INSERT INTO rooms (slug, title, capacity, code_sha256, created_at) VALUES ('tea', 'Tea and talk', 8, NULL, 1);
        PRAGMA user_version = 1;
    )sql");
}

} // namespace

TEST_CASE("a version 1 database is migrated to version 2 and keeps its rooms")
{
    scratch_folder const folder;
    write_version_1(folder.db());
    {
        sqlite_store db{folder.db()};
        CHECK(db.version() == 2);
        auto const found = db.find_room("tea");
        REQUIRE(found.has_value());
        CHECK(found->title == "Tea and talk");
        CHECK(found->capacity == 8);
        CHECK_FALSE(found->code_digest.has_value());
        CHECK(db.add_staff("amal", staff_role::moderator, "hash").has_value());
        CHECK(db.assign_room("amal", "tea"));
    }
    sqlite_store reopened{folder.db()};
    CHECK(reopened.version() == 2);
    CHECK(slugs(reopened.rooms()) == std::vector<std::string>{"tea"});
    CHECK(reopened.find_staff("amal")->staff.rooms == std::vector<std::string>{"tea"});
}

TEST_CASE("the database is in WAL mode, so the admin command line can write while the server reads")
{
    scratch_folder const folder;
    sqlite_store server{folder.db()};
    sqlite_store cli{folder.db()};
    REQUIRE(cli.add_room(tea));
    CHECK(server.find_room("tea").has_value());
    SQLite::Database raw{folder.db().string(), SQLite::OPEN_READONLY};
    CHECK(raw.execAndGet("PRAGMA journal_mode").getString() == "wal");
}

TEST_CASE("editing a room changes only what it is given")
{
    scratch_folder const folder;
    sqlite_store db{folder.db()};
    REQUIRE(db.add_room(women));

    SUBCASE("the title")
    {
        REQUIRE(db.edit_room("women", "Women's evening", std::nullopt, std::nullopt, false));
        auto const r = db.find_room("women");
        CHECK(r->title == "Women's evening");
        CHECK(r->capacity == 12);
        CHECK(r->code_digest == kring::sha256("sesame"));
    }
    SUBCASE("the capacity and the code")
    {
        REQUIRE(db.edit_room("women", std::nullopt, 4, kring::sha256("new code"), false));
        auto const r = db.find_room("women");
        CHECK(r->title == "Women's circle");
        CHECK(r->capacity == 4);
        CHECK(r->code_digest == kring::sha256("new code"));
    }
    SUBCASE("removing the code")
    {
        REQUIRE(db.edit_room("women", std::nullopt, std::nullopt, std::nullopt, true));
        CHECK_FALSE(db.find_room("women")->code_digest.has_value());
    }
    SUBCASE("nothing at all still finds the room")
    {
        CHECK(db.edit_room("women", std::nullopt, std::nullopt, std::nullopt, false));
    }
    CHECK_FALSE(db.edit_room("nowhere", "Title", std::nullopt, std::nullopt, false));
}

TEST_CASE("an archived room is neither listed, found nor edited, and its slug stays taken")
{
    scratch_folder const folder;
    sqlite_store db{folder.db()};
    REQUIRE(db.add_room(tea));
    REQUIRE(db.add_room(women));
    REQUIRE(db.add_staff("amal", staff_role::moderator, "hash"));
    REQUIRE(db.assign_room("amal", "tea"));

    CHECK(db.archive_room("tea"));
    CHECK(slugs(db.rooms()) == std::vector<std::string>{"women"});
    CHECK_FALSE(db.find_room("tea").has_value());
    CHECK_FALSE(db.edit_room("tea", "Back", std::nullopt, std::nullopt, false));
    CHECK_FALSE(db.archive_room("tea"));
    CHECK_FALSE(db.archive_room("nowhere"));
    CHECK_FALSE(db.add_room(tea));
    CHECK_FALSE(db.assign_room("amal", "tea"));
    CHECK(db.find_staff("amal")->staff.rooms.empty());
}

TEST_CASE("staff names are unique without regard to case")
{
    scratch_folder const folder;
    sqlite_store db{folder.db()};
    auto const id = db.add_staff("Amal", staff_role::admin, "hash-1");
    REQUIRE(id.has_value());
    CHECK_FALSE(db.add_staff("amal", staff_role::moderator, "hash-2").has_value());
    CHECK_FALSE(db.add_staff("AMAL", staff_role::moderator, "hash-2").has_value());

    auto const found = db.find_staff("aMaL");
    REQUIRE(found.has_value());
    CHECK(found->staff.id == *id);
    CHECK(found->staff.name == "Amal");
    CHECK(found->staff.role == staff_role::admin);
    CHECK_FALSE(found->staff.disabled);
    CHECK(found->password_hash == "hash-1");
    CHECK(db.staff().size() == 1);
}

TEST_CASE("staff are found by name and by id, and listed by name with their rooms")
{
    scratch_folder const folder;
    sqlite_store db{folder.db()};
    REQUIRE(db.add_room(tea));
    REQUIRE(db.add_room(women));
    auto const bo = db.add_staff("bo", staff_role::moderator, "hash-bo");
    auto const amal = db.add_staff("amal", staff_role::admin, "hash-amal");
    REQUIRE(bo);
    REQUIRE(amal);
    CHECK(*bo != *amal);

    CHECK(db.assign_room("bo", "women"));
    CHECK(db.assign_room("BO", "tea"));
    CHECK(db.assign_room("bo", "tea")); // twice is no error
    CHECK_FALSE(db.assign_room("nobody", "tea"));
    CHECK_FALSE(db.assign_room("bo", "nowhere"));

    auto const by_id = db.staff_by_id(*bo);
    REQUIRE(by_id.has_value());
    CHECK(by_id->name == "bo");
    CHECK(by_id->role == staff_role::moderator);
    CHECK(by_id->rooms == std::vector<std::string>{"tea", "women"});
    CHECK_FALSE(db.staff_by_id(*bo + *amal + 100).has_value());
    CHECK_FALSE(db.find_staff("nobody").has_value());

    auto const all = db.staff();
    REQUIRE(all.size() == 2);
    CHECK(all[0].name == "amal");
    CHECK(all[0].rooms.empty());
    CHECK(all[1].name == "bo");
    CHECK(all[1].rooms == std::vector<std::string>{"tea", "women"});
}

TEST_CASE("staff roles are written as moderator and admin")
{
    CHECK(kring::to_string(staff_role::moderator) == "moderator");
    CHECK(kring::to_string(staff_role::admin) == "admin");
}

TEST_CASE("a login token is valid until it expires, is revoked or its holder is disabled")
{
    scratch_folder const folder;
    sqlite_store db{folder.db()};
    REQUIRE(db.add_room(tea));
    auto const id = db.add_staff("bo", staff_role::moderator, "hash");
    REQUIRE(id);
    REQUIRE(db.assign_room("bo", "tea"));
    auto const token = kring::sha256("token");
    db.add_login_token(token, *id, 10'000, noted("login"));

    auto const holder = db.staff_for_token(token, 9'999);
    REQUIRE(holder.has_value());
    CHECK(holder->name == "bo");
    CHECK(holder->rooms == std::vector<std::string>{"tea"});
    CHECK_FALSE(db.staff_for_token(kring::sha256("other"), 9'999).has_value());

    SUBCASE("expired") { CHECK_FALSE(db.staff_for_token(token, 10'000).has_value()); }
    SUBCASE("revoked")
    {
        db.revoke_token(token, noted("logout"));
        CHECK_FALSE(db.staff_for_token(token, 1).has_value());
    }
    SUBCASE("its holder disabled, then enabled again")
    {
        CHECK(db.set_staff_disabled("bo", true));
        CHECK(db.find_staff("bo")->staff.disabled);
        CHECK_FALSE(db.staff_for_token(token, 1).has_value());
        CHECK(db.set_staff_disabled("bo", false));
        CHECK_FALSE(db.find_staff("bo")->staff.disabled);
        CHECK_FALSE(db.staff_for_token(token, 1).has_value()); // disabling revoked it
    }
    SUBCASE("a new password revokes it")
    {
        CHECK(db.set_password("BO", "new-hash"));
        CHECK(db.find_staff("bo")->password_hash == "new-hash");
        CHECK_FALSE(db.staff_for_token(token, 1).has_value());
    }
    CHECK_FALSE(db.set_staff_disabled("nobody", true));
    CHECK_FALSE(db.set_password("nobody", "hash"));
}

TEST_CASE("purging tokens deletes the expired and revoked ones and keeps the rest")
{
    scratch_folder const folder;
    sqlite_store db{folder.db()};
    auto const id = db.add_staff("bo", staff_role::moderator, "hash");
    REQUIRE(id);
    db.add_login_token(kring::sha256("old"), *id, 100, noted("login"));
    db.add_login_token(kring::sha256("revoked"), *id, 1'000, noted("login"));
    db.add_login_token(kring::sha256("fresh"), *id, 1'000, noted("login"));
    db.revoke_token(kring::sha256("revoked"), noted("logout"));
    db.purge_expired_tokens(500);

    CHECK(db.staff_for_token(kring::sha256("fresh"), 500).has_value());
    SQLite::Database raw{folder.db().string(), SQLite::OPEN_READONLY};
    CHECK(raw.execAndGet("SELECT count(*) FROM login_tokens").getInt() == 1);
}
