#include "identity.hpp"
#include "scratch_folder.hpp"
#include "store/sqlite_store.hpp"
#include "store_under_test.hpp"

#include <SQLiteCpp/Database.h>

#include <doctest/doctest.h>

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

using kring::room_record;
using kring::staff_role;
using kring::sqlite_store;
using kring::test::noted;
using kring::test::scratch_folder;

constexpr auto chosen = kring::password_kind::chosen;
constexpr auto one_time = kring::password_kind::one_time;

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

TEST_CASE("SQLite store: a version 1 database is migrated to the latest version and keeps its rooms")
{
    scratch_folder const folder;
    write_version_1(folder.db());
    {
        sqlite_store db{folder.db()};
        CHECK(db.version() == sqlite_store::schema_version);
        auto const found = db.find_room("tea");
        REQUIRE(found.has_value());
        CHECK(found->title == "Tea and talk");
        CHECK(found->capacity == 8);
        CHECK_FALSE(found->code_digest.has_value());
        CHECK_FALSE(found->quiet_arrivals);
        CHECK(db.add_staff("amal", staff_role::moderator, "hash", chosen).has_value());
        CHECK(db.assign_room("amal", "tea"));
    }
    sqlite_store reopened{folder.db()};
    CHECK(reopened.version() == sqlite_store::schema_version);
    CHECK(slugs(reopened.rooms()) == std::vector<std::string>{"tea"});
    CHECK(reopened.find_staff("amal")->staff.rooms == std::vector<std::string>{"tea"});
}

TEST_CASE("SQLite store: the database is in WAL mode, so the admin command line can write while the server reads")
{
    scratch_folder const folder;
    sqlite_store server{folder.db()};
    sqlite_store cli{folder.db()};
    REQUIRE(cli.add_room(tea));
    CHECK(server.find_room("tea").has_value());
    SQLite::Database raw{folder.db().string(), SQLite::OPEN_READONLY};
    CHECK(raw.execAndGet("PRAGMA journal_mode").getString() == "wal");
}

KRING_STORE_TEST(staff_edit_room, "editing a room changes only what it is given")
{
    auto const owned = under.open();
    auto& db = *owned;
    REQUIRE(db.add_room(women));

    SUBCASE("the title")
    {
        REQUIRE(db.edit_room("women", {.title = "Women's evening"}));
        auto const r = db.find_room("women");
        CHECK(r->title == "Women's evening");
        CHECK(r->capacity == 12);
        CHECK(r->code_digest == kring::sha256("sesame"));
    }
    SUBCASE("the capacity and the code")
    {
        REQUIRE(db.edit_room("women", {.capacity = 4, .code = kring::sha256("new code")}));
        auto const r = db.find_room("women");
        CHECK(r->title == "Women's circle");
        CHECK(r->capacity == 4);
        CHECK(r->code_digest == kring::sha256("new code"));
    }
    SUBCASE("removing the code")
    {
        REQUIRE(db.edit_room("women", {.clear_code = true}));
        CHECK_FALSE(db.find_room("women")->code_digest.has_value());
    }
    SUBCASE("quiet arrivals, on and off again")
    {
        CHECK_FALSE(db.find_room("women")->quiet_arrivals);
        REQUIRE(db.edit_room("women", {.quiet_arrivals = true}));
        auto const r = db.find_room("women");
        CHECK(r->quiet_arrivals);
        CHECK(r->title == "Women's circle");
        CHECK(r->code_digest == kring::sha256("sesame"));
        REQUIRE(db.edit_room("women", {.capacity = 6}));
        CHECK(db.find_room("women")->quiet_arrivals);
        REQUIRE(db.edit_room("women", {.quiet_arrivals = false}));
        CHECK_FALSE(db.find_room("women")->quiet_arrivals);
    }
    SUBCASE("nothing at all still finds the room")
    {
        CHECK(db.edit_room("women", {}));
    }
    CHECK_FALSE(db.edit_room("nowhere", {.title = "Title"}));
}

KRING_STORE_TEST(staff_archive_room, "an archived room is neither listed, found nor edited, and its slug stays taken")
{
    auto const owned = under.open();
    auto& db = *owned;
    REQUIRE(db.add_room(tea));
    REQUIRE(db.add_room(women));
    REQUIRE(db.add_staff("amal", staff_role::moderator, "hash", chosen));
    REQUIRE(db.assign_room("amal", "tea"));

    CHECK(db.archive_room("tea"));
    CHECK(slugs(db.rooms()) == std::vector<std::string>{"women"});
    CHECK_FALSE(db.find_room("tea").has_value());
    CHECK_FALSE(db.edit_room("tea", {.title = "Back"}));
    CHECK_FALSE(db.archive_room("tea"));
    CHECK_FALSE(db.archive_room("nowhere"));
    CHECK_FALSE(db.add_room(tea));
    CHECK_FALSE(db.assign_room("amal", "tea"));
    CHECK(db.find_staff("amal")->staff.rooms.empty());
}

KRING_STORE_TEST(staff_names_unique, "staff names are unique without regard to case")
{
    auto const owned = under.open();
    auto& db = *owned;
    auto const id = db.add_staff("Amal", staff_role::admin, "hash-1", chosen);
    REQUIRE(id.has_value());
    CHECK_FALSE(db.add_staff("amal", staff_role::moderator, "hash-2", chosen).has_value());
    CHECK_FALSE(db.add_staff("AMAL", staff_role::moderator, "hash-2", chosen).has_value());

    auto const found = db.find_staff("aMaL");
    REQUIRE(found.has_value());
    CHECK(found->staff.id == *id);
    CHECK(found->staff.name == "Amal");
    CHECK(found->staff.role == staff_role::admin);
    CHECK_FALSE(found->staff.disabled);
    CHECK(found->password_hash == "hash-1");
    CHECK(db.staff().size() == 1);
}

KRING_STORE_TEST(staff_found_and_listed, "staff are found by name and by id, and listed by name with their rooms")
{
    auto const owned = under.open();
    auto& db = *owned;
    REQUIRE(db.add_room(tea));
    REQUIRE(db.add_room(women));
    auto const bo = db.add_staff("bo", staff_role::moderator, "hash-bo", chosen);
    auto const amal = db.add_staff("amal", staff_role::admin, "hash-amal", chosen);
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

KRING_STORE_TEST(staff_login_token, "a login token is valid until it expires, is revoked or its holder is disabled")
{
    auto const owned = under.open();
    auto& db = *owned;
    REQUIRE(db.add_room(tea));
    auto const id = db.add_staff("bo", staff_role::moderator, "hash", chosen);
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
        CHECK(db.set_password("BO", "new-hash", chosen));
        CHECK(db.find_staff("bo")->password_hash == "new-hash");
        CHECK_FALSE(db.staff_for_token(token, 1).has_value());
    }
    CHECK_FALSE(db.set_staff_disabled("nobody", true));
    CHECK_FALSE(db.set_password("nobody", "hash", chosen));
}

KRING_STORE_TEST(staff_purge_tokens, "purging tokens deletes the expired and revoked ones and keeps the rest")
{
    auto const owned = under.open();
    auto& db = *owned;
    auto const id = db.add_staff("bo", staff_role::moderator, "hash", chosen);
    REQUIRE(id);
    db.add_login_token(kring::sha256("old"), *id, 100, noted("login"));
    db.add_login_token(kring::sha256("revoked"), *id, 1'000, noted("login"));
    db.add_login_token(kring::sha256("fresh"), *id, 1'000, noted("login"));
    db.revoke_token(kring::sha256("revoked"), noted("logout"));
    db.purge_expired_tokens(500);

    CHECK(db.staff_for_token(kring::sha256("fresh"), 500).has_value());
    CHECK(under.count("login_tokens") == 1);
}

namespace {

// A database as Kring's second schema left it: bo, with a password he uses
// and a login token. (Its staff table had no password_one_time column.)
// What schema version 5 added, taken away again: a database as version 4 left it.
constexpr char const* undo_version_5 =
    "DROP TABLE room_agreements; ALTER TABLE rooms DROP COLUMN history; "
    "ALTER TABLE rooms DROP COLUMN agreement_required; ALTER TABLE rooms DROP COLUMN peer_led; "
    "ALTER TABLE staff_rooms DROP COLUMN power; DROP TABLE room_sessions; ALTER TABLE rooms DROP COLUMN zone; "
    "ALTER TABLE rooms DROP COLUMN lobby_minutes; ALTER TABLE rooms DROP COLUMN organisation_id; "
    "ALTER TABLE rooms DROP COLUMN description; ALTER TABLE rooms DROP COLUMN languages; "
    "ALTER TABLE rooms DROP COLUMN listed; DROP TABLE organisation_about; DROP TABLE organisations; ";

void write_version_2(std::filesystem::path const& file)
{
    {
        sqlite_store db{file};
        auto const id = db.add_staff("bo", staff_role::moderator, "hash-bo", one_time);
        REQUIRE(id);
        db.add_login_token(kring::sha256("bo's token"), *id, 10'000, noted("login"));
    }
    SQLite::Database raw{file.string(), SQLite::OPEN_READWRITE};
    raw.exec(std::string{undo_version_5} +
             "ALTER TABLE staff DROP COLUMN password_one_time; ALTER TABLE rooms DROP COLUMN quiet_arrivals; "
             "PRAGMA user_version = 2;");
}

} // namespace

TEST_CASE("SQLite store: a version 4 database is migrated to version 5: its circles keep showing the session and need no agreement")
{
    scratch_folder const folder;
    {
        sqlite_store db{folder.db()};
        REQUIRE(db.add_room(tea));
        REQUIRE(db.add_staff("amal", staff_role::moderator, "hash", chosen));
        REQUIRE(db.assign_room("amal", "tea"));
    }
    {
        SQLite::Database raw{folder.db().string(), SQLite::OPEN_READWRITE};
        raw.exec(std::string{undo_version_5} + "PRAGMA user_version = 4;");
    }
    sqlite_store db{folder.db()};
    CHECK(db.version() == 5);
    auto const old = db.find_room("tea");
    REQUIRE(old);
    CHECK(old->history == kring::history_mode::session);
    CHECK_FALSE(old->agreement_required);
    CHECK_FALSE(old->peer_led);
    CHECK(old->agreement.empty());
    CHECK(db.find_staff("amal")->staff.rooms == std::vector<std::string>{"tea"});
    room_record fresh;
    fresh.slug = "new";
    fresh.title = "New circle";
    REQUIRE(db.add_room(fresh));
    CHECK(db.find_room("new")->history == kring::history_mode::joined);
}

namespace {

std::size_t audit_rows(kring::store& db, std::string const& action)
{
    std::size_t n = 0;
    for (auto const& entry : db.audit_log({}))
        n += entry.action == action ? 1u : 0u;
    return n;
}

} // namespace

TEST_CASE("SQLite store: a version 2 database is migrated to the latest version, and its passwords stay usable as they are")
{
    scratch_folder const folder;
    write_version_2(folder.db());
    sqlite_store db{folder.db()};
    CHECK(db.version() == sqlite_store::schema_version);
    auto const bo = db.find_staff("bo");
    REQUIRE(bo);
    CHECK(bo->password_hash == "hash-bo");
    CHECK(bo->kind == chosen);
    CHECK(db.staff_for_token(kring::sha256("bo's token"), 1).has_value());
}

TEST_CASE("SQLite store: a version 3 database is migrated to the latest version, and its circles go on announcing arrivals")
{
    scratch_folder const folder;
    {
        sqlite_store db{folder.db()};
        REQUIRE(db.add_room({"tea", "Tea and talk", 8, std::nullopt}));
    }
    {
        SQLite::Database raw{folder.db().string(), SQLite::OPEN_READWRITE};
        raw.exec(std::string{undo_version_5} + "ALTER TABLE rooms DROP COLUMN quiet_arrivals; PRAGMA user_version = 3;");
    }
    sqlite_store db{folder.db()};
    CHECK(db.version() == sqlite_store::schema_version);
    auto const tea = db.find_room("tea");
    REQUIRE(tea);
    CHECK(tea->capacity == 8);
    CHECK_FALSE(tea->quiet_arrivals);
    REQUIRE(db.edit_room("tea", {.quiet_arrivals = true}));
    CHECK(db.find_room("tea")->quiet_arrivals);
}

KRING_STORE_TEST(staff_one_time_password, "a password is one-time when the command line hands it over, and chosen otherwise")
{
    auto const owned = under.open();
    auto& db = *owned;
    REQUIRE(db.add_staff("amal", staff_role::moderator, "handed-over", one_time));
    REQUIRE(db.add_staff("bo", staff_role::admin, "his-own", chosen));
    CHECK(db.find_staff("amal")->kind == one_time);
    CHECK(db.find_staff("bo")->kind == chosen);

    // reset-password: a new one-time password; --permanent: one that stays.
    CHECK(db.set_password("BO", "handed-over-too", one_time));
    CHECK(db.find_staff("bo")->kind == one_time);
    CHECK(db.find_staff("bo")->password_hash == "handed-over-too");
    CHECK(db.set_password("amal", "set-for-good", chosen));
    CHECK(db.find_staff("amal")->kind == chosen);
}

KRING_STORE_TEST(staff_change_password, "changing her own password replaces it, is no longer one-time, ends her logins and is audited")
{
    auto const owned = under.open();
    auto& db = *owned;
    auto const id = db.add_staff("bo", staff_role::moderator, "one-time-hash", one_time);
    REQUIRE(id);
    auto const token = kring::sha256("token");
    db.add_login_token(token, *id, 10'000, noted("login"));

    CHECK(db.change_password(*id, "one-time-hash", "her-own-hash", noted("password_change", "bo")));
    auto const bo = db.find_staff("bo");
    CHECK(bo->password_hash == "her-own-hash");
    CHECK(bo->kind == chosen);
    CHECK_FALSE(db.staff_for_token(token, 1).has_value());
    CHECK(audit_rows(db, "password_change") == 1);
}

KRING_STORE_TEST(staff_change_password_refused, "a password change is refused, and nothing written, once the password was reset or she disabled")
{
    auto const owned = under.open();
    auto& db = *owned;
    auto const id = db.add_staff("bo", staff_role::moderator, "first", chosen);
    REQUIRE(id);
    auto const token = kring::sha256("token");
    db.add_login_token(token, *id, 10'000, noted("login"));

    SUBCASE("reset by the command line after she proved the old one")
    {
        REQUIRE(db.set_password("bo", "reset", one_time));
        CHECK_FALSE(db.change_password(*id, "first", "hers", noted("password_change")));
        CHECK(db.find_staff("bo")->password_hash == "reset");
        CHECK(db.find_staff("bo")->kind == one_time);
    }
    SUBCASE("disabled")
    {
        REQUIRE(db.set_staff_disabled("bo", true));
        CHECK_FALSE(db.change_password(*id, "first", "hers", noted("password_change")));
        CHECK(db.find_staff("bo")->password_hash == "first");
    }
    SUBCASE("no such staff")
    {
        CHECK_FALSE(db.change_password(*id + 100, "first", "hers", noted("password_change")));
        CHECK(db.find_staff("bo")->password_hash == "first");
        CHECK(db.staff_for_token(token, 1).has_value()); // her logins were not touched
    }
    CHECK(audit_rows(db, "password_change") == 0);
}

KRING_STORE_TEST(staff_change_password_atomic, "a password change whose audit row can't be written changes nothing")
{
    auto const owned = under.open();
    auto& db = *owned;
    auto const id = db.add_staff("bo", staff_role::moderator, "first", one_time);
    REQUIRE(id);
    auto const token = kring::sha256("token");
    db.add_login_token(token, *id, 10'000, noted("login"));
    if (under.is_postgresql())
        under.exec("CREATE FUNCTION no_audit() RETURNS trigger LANGUAGE plpgsql AS "
                   "$$ BEGIN RAISE EXCEPTION 'disk full'; END $$; "
                   "CREATE TRIGGER no_audit BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION no_audit();");
    else
        under.exec("CREATE TRIGGER no_audit BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
    CHECK_THROWS(db.change_password(*id, "first", "hers", noted("password_change")));
    auto const bo = db.find_staff("bo");
    CHECK(bo->password_hash == "first");
    CHECK(bo->kind == one_time);
    CHECK(db.staff_for_token(token, 1).has_value());
}

KRING_STORE_TEST(staff_circle_settings, "a circle keeps its history mode, its agreement rule, its lead and its own agreement by language")
{
    auto const owned = under.open();
    auto& db = *owned;
    REQUIRE(db.add_room(tea));
    CHECK(db.find_room("tea")->history == kring::history_mode::joined);
    REQUIRE(db.edit_room("tea", {.history = kring::history_mode::session, .agreement_required = true, .peer_led = true}));
    auto const edited = db.find_room("tea");
    CHECK(edited->history == kring::history_mode::session);
    CHECK(edited->agreement_required);
    CHECK(edited->peer_led);
    CHECK(edited->capacity == 8); // the rest as it was

    REQUIRE(db.set_agreement("tea", "nl", {"Wat hier gezegd wordt, blijft hier.", "Spreek voor jezelf."}));
    REQUIRE(db.set_agreement("tea", "ar", {"ما يقال هنا يبقى هنا."}));
    auto const own = db.find_room("tea")->agreement;
    REQUIRE(own.size() == 2);
    CHECK(own[0].lang == "ar");
    CHECK(own[1].lang == "nl");
    CHECK(own[1].items == std::vector<std::string>{"Wat hier gezegd wordt, blijft hier.", "Spreek voor jezelf."});
    REQUIRE(db.set_agreement("tea", "nl", {"Eén regel."})); // replaces
    CHECK(db.find_room("tea")->agreement[1].items == std::vector<std::string>{"Eén regel."});
    REQUIRE(db.set_agreement("tea", "ar", {})); // back to the deployment's
    CHECK(db.find_room("tea")->agreement.size() == 1);
    CHECK_FALSE(db.set_agreement("nowhere", "nl", {"x"}));
}

KRING_STORE_TEST(staff_circle_powers, "an account facilitates or interprets in a circle; assigning again changes what it is there")
{
    auto const owned = under.open();
    auto& db = *owned;
    REQUIRE(db.add_room(tea));
    REQUIRE(db.add_room(women));
    REQUIRE(db.add_staff("sara", staff_role::moderator, "hash", chosen));
    REQUIRE(db.assign_room("sara", "tea", kring::circle_power::facilitate));
    REQUIRE(db.assign_room("sara", "women", kring::circle_power::interpret));
    auto sara = db.find_staff("sara")->staff;
    CHECK(sara.rooms.empty());
    CHECK(sara.facilitates == std::vector<std::string>{"tea"});
    CHECK(sara.interprets == std::vector<std::string>{"women"});
    REQUIRE(db.assign_room("sara", "tea"));
    sara = db.find_staff("sara")->staff;
    CHECK(sara.rooms == std::vector<std::string>{"tea"});
    CHECK(sara.facilitates.empty());
    CHECK_FALSE(db.assign_room("sara", "nowhere", kring::circle_power::facilitate));
}

KRING_STORE_TEST(staff_organisations, "organisations host circles, described per language; a circle names only one that exists")
{
    auto const owned = under.open();
    auto& db = *owned;
    REQUIRE(db.add_organisation({"caw", "CAW Noord", "Antwerpen", "03 123 45 67"}));
    CHECK_FALSE(db.add_organisation({"caw", "Again"}));
    REQUIRE(db.set_organisation_about("caw", "nl", "Hulp voor wie het moeilijk heeft."));
    REQUIRE(db.set_organisation_about("caw", "fr", "De l'aide."));
    REQUIRE(db.set_organisation_about("caw", "fr", "De l'aide pour tous.")); // replaces
    REQUIRE(db.set_organisation_about("caw", "nl", "")); // removes
    CHECK_FALSE(db.set_organisation_about("nowhere", "nl", "x"));
    REQUIRE(db.edit_organisation("caw", std::nullopt, "Gent", std::nullopt));
    CHECK_FALSE(db.edit_organisation("nowhere", "X", std::nullopt, std::nullopt));
    auto const all = db.organisations();
    REQUIRE(all.size() == 1);
    CHECK(all[0].name == "CAW Noord");
    CHECK(all[0].city == "Gent");
    CHECK(all[0].about == std::vector<std::pair<std::string, std::string>>{{"fr", "De l'aide pour tous."}});

    room_record hosted = tea;
    hosted.organisation = "caw";
    hosted.languages = {"nl", "ar"};
    hosted.description = "Dinsdagavond.";
    REQUIRE(db.add_room(hosted));
    auto const found = db.find_room("tea");
    CHECK(found->organisation == "caw");
    CHECK(found->languages == std::vector<std::string>{"nl", "ar"});
    CHECK(found->description == "Dinsdagavond.");
    CHECK(found->listed);
    room_record orphan = women;
    orphan.organisation = "nowhere";
    CHECK_FALSE(db.add_room(orphan));
    CHECK_FALSE(db.edit_room("tea", {.organisation = "nowhere"}));
    REQUIRE(db.edit_room("tea", {.organisation = "", .listed = false}));
    CHECK_FALSE(db.find_room("tea")->organisation);
    CHECK_FALSE(db.find_room("tea")->listed);
}

KRING_STORE_TEST(staff_schedule, "a circle's schedule is kept with its zone and lobby, and removed")
{
    auto const owned = under.open();
    auto& db = *owned;
    REQUIRE(db.add_room(tea));
    kring::schedule const when{"Europe/Brussels", {{2, 19 * 60, 20 * 60 + 30}, {4, 600, 690}}, 15};
    REQUIRE(db.set_schedule("tea", when));
    auto const kept = db.find_room("tea")->schedule;
    REQUIRE(kept);
    CHECK(kept->zone == "Europe/Brussels");
    CHECK(kept->lobby_minutes == 15);
    CHECK(kept->sessions == when.sessions);
    REQUIRE(db.set_schedule("tea", std::nullopt));
    CHECK_FALSE(db.find_room("tea")->schedule);
    CHECK_FALSE(db.set_schedule("nowhere", when));
}
