// Backups of the store and restoring one (kring backup / kring restore),
// and the lock that keeps a restore from replacing a served database.
#include "scratch_folder.hpp"
#include "store/database_lock.hpp"
#include "store/sqlite_store.hpp"

#include <SQLiteCpp/Database.h>

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using kring::database_lock;
using kring::sqlite_store;
using kring::test::scratch_folder;

namespace {

kring::room_record room(std::string slug)
{
    return {slug, "Circle " + slug, 8, std::nullopt};
}

std::vector<std::string> slugs(sqlite_store& db)
{
    std::vector<std::string> out;
    for (auto const& r : db.rooms())
        out.push_back(r.slug);
    return out;
}

std::string integrity(fs::path const& file)
{
    SQLite::Database db{file.string(), SQLite::OPEN_READONLY};
    return db.execAndGet("PRAGMA integrity_check").getString();
}

void overwrite(fs::path const& file, std::streamoff at, std::string const& bytes)
{
    std::fstream f{file, std::ios::in | std::ios::out | std::ios::binary};
    f.seekp(at);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

} // namespace

TEST_CASE("a backup holds everything, passes integrity_check, is one file and replaces an older backup")
{
    scratch_folder const folder;
    auto const copy = folder.path / "backups" / "kring.backup";
    sqlite_store db{folder.db()};
    REQUIRE(db.add_room(room("tea")));
    db.audit({1, "cli", "room_add", "tea", "", ""});
    auto const secret = db.server_secret();

    db.backup(copy);
    CHECK(integrity(copy) == "ok");
    CHECK_FALSE(fs::exists(copy.string() + "-wal"));
    CHECK_FALSE(kring::backup_problem(copy).has_value());
    CHECK((fs::status(copy).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
    {
        sqlite_store restored{copy};
        CHECK(slugs(restored) == std::vector<std::string>{"tea"});
        CHECK(restored.audit_log({}).size() == 1);
        CHECK(restored.server_secret() == secret);
    }

    REQUIRE(db.add_room(room("women")));
    db.backup(copy);
    {
        sqlite_store again{copy};
        CHECK(slugs(again) == std::vector<std::string>{"tea", "women"});
    }
    for (auto const& entry : fs::directory_iterator{copy.parent_path()})
        CHECK_MESSAGE(entry.path().filename().string().rfind("kring.backup", 0) == 0, entry.path().string());
}

TEST_CASE("a backup onto the database itself is refused and leaves it whole")
{
    scratch_folder const folder;
    sqlite_store db{folder.db()};
    REQUIRE(db.add_room(room("tea")));
    CHECK_THROWS_WITH_AS(db.backup(folder.db()), doctest::Contains("is the database itself"), std::runtime_error);
    CHECK(slugs(db) == std::vector<std::string>{"tea"});
}

TEST_CASE("restore puts the backup in place and keeps the database it replaced")
{
    scratch_folder const folder;
    auto const copy = folder.path / "kring.backup";
    {
        sqlite_store db{folder.db()};
        REQUIRE(db.add_room(room("tea")));
        db.backup(copy);
        REQUIRE(db.add_room(room("later")));
    }
    kring::restore_backup(copy, folder.db());
    CHECK(integrity(folder.db()) == "ok");
    CHECK_FALSE(fs::exists(folder.db().string() + ".restoring"));
    {
        sqlite_store restored{folder.db()};
        CHECK(slugs(restored) == std::vector<std::string>{"tea"});
    }
    sqlite_store before{folder.db().string() + ".before-restore"};
    CHECK(slugs(before) == std::vector<std::string>{"later", "tea"});
}

TEST_CASE("restore never lets the replaced database's write-ahead log reach the restored one")
{
    scratch_folder const folder;
    auto const copy = folder.path / "kring.backup";
    {
        sqlite_store db{folder.db()};
        REQUIRE(db.add_room(room("tea")));
        db.backup(copy);
    }
    // A server killed with writes still in its -wal: a connection left open
    // that has written, with checkpoints off.
    SQLite::Database crashed{folder.db().string(), SQLite::OPEN_READWRITE};
    crashed.exec("PRAGMA wal_autocheckpoint = 0");
    crashed.exec("INSERT INTO rooms (slug, title, capacity, created_at) VALUES ('in-wal', 'x', 3, 0)");
    REQUIRE(fs::exists(folder.db().string() + "-wal"));
    REQUIRE(fs::file_size(folder.db().string() + "-wal") > 0);
    fs::copy_file(folder.db(), folder.path / "main-only");
    fs::copy_file(folder.db().string() + "-wal", folder.path / "main-only-wal");

    // The restore itself runs on a copy of that state, as after the crash.
    auto const after_crash = folder.path / "after" / "kring.db";
    fs::create_directories(after_crash.parent_path());
    fs::copy_file(folder.path / "main-only", after_crash);
    fs::copy_file(folder.path / "main-only-wal", after_crash.string() + "-wal");
    kring::restore_backup(copy, after_crash);
    CHECK_FALSE(fs::exists(after_crash.string() + "-wal"));
    {
        sqlite_store restored{after_crash};
        CHECK(slugs(restored) == std::vector<std::string>{"tea"});
    }
    sqlite_store before{after_crash.string() + ".before-restore"};
    CHECK(slugs(before) == std::vector<std::string>{"in-wal", "tea"}); // its -wal went with it
}

TEST_CASE("what restore refuses: no file, not a database, a damaged one, another's, a newer Kring's")
{
    scratch_folder const folder;
    sqlite_store db{folder.db()};
    REQUIRE(db.add_room(room("tea")));

    auto const problem = [](fs::path const& file) { return kring::backup_problem(file).value_or("(none)"); };

    CHECK(problem(folder.path / "missing") == (folder.path / "missing").string() + ": no such file");
    CHECK(problem(folder.path) == folder.path.string() + ": no such file");

    auto const text = folder.path / "notes.txt";
    std::ofstream{text} << std::string(8192, 'x');
    CHECK(problem(text).find("is not a database SQLite can read") != std::string::npos);

    auto const other = folder.path / "other.db";
    SQLite::Database{other.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE}.exec("CREATE TABLE t (x)");
    CHECK(problem(other) == other.string() + " is not a Kring database");

    auto const newer = folder.path / "newer.db";
    db.backup(newer);
    SQLite::Database{newer.string(), SQLite::OPEN_READWRITE}.exec("PRAGMA user_version = 99");
    CHECK(problem(newer) == newer.string() + " was written by a newer Kring (schema 99)");

    auto const damaged = folder.path / "damaged.db";
    db.backup(damaged);
    auto const pages = fs::file_size(damaged) / 4096;
    REQUIRE(pages >= 3);
    overwrite(damaged, 4096 * 2 + 8, std::string(64, '\x7f')); // inside a table's page
    auto const said = problem(damaged);
    CHECK(said != "(none)");
    CHECK((said.find("is damaged: PRAGMA integrity_check says:") != std::string::npos ||
           said.find("is not a database SQLite can read") != std::string::npos));

    for (auto const& bad : {folder.path / "missing", text, other, newer, damaged}) {
        CAPTURE(bad);
        CHECK_THROWS_AS(kring::restore_backup(bad, folder.db()), std::runtime_error);
        CHECK(slugs(db) == std::vector<std::string>{"tea"});
        CHECK_FALSE(fs::exists(folder.db().string() + ".restoring"));
        CHECK_FALSE(fs::exists(folder.db().string() + ".before-restore"));
    }
}

TEST_CASE("one process at a time holds a database's lock, and lets it go when done")
{
    scratch_folder const folder;
    auto const db = folder.path / "sub" / "kring.db";
    {
        auto first = database_lock::try_lock(db);
        REQUIRE(first.has_value());
        CHECK(fs::exists(db.string() + ".lock"));
        CHECK(database_lock::lock_file(db) == fs::path{db.string() + ".lock"});
        CHECK_FALSE(database_lock::try_lock(db).has_value());
        database_lock const moved = std::move(*first);
        first.reset(); // the moved-from lock holds nothing to let go
        CHECK_FALSE(database_lock::try_lock(db).has_value());
    }
    CHECK(database_lock::try_lock(db).has_value());
}
