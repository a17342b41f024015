// Backups of the SQLite store, and restoring one: SQLite's online backup
// API, PRAGMA integrity_check, and files replaced by rename.
#include "store/sqlite_store.hpp"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace kring {
namespace {

namespace fs = std::filesystem;

fs::path beside(fs::path const& file, std::string const& suffix)
{
    return file.string() + suffix;
}

fs::path folder_of(fs::path const& file)
{
    return file.has_parent_path() ? file.parent_path() : fs::path{"."};
}

[[noreturn]] void fail(std::string const& what, fs::path const& file, int error)
{
    throw std::runtime_error{"cannot " + what + " " + file.string() + ": " + std::strerror(error)};
}

// fsync(2) on a file, or on a folder so that a rename in it lasts.
void sync(fs::path const& path, bool folder)
{
    int const fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (folder ? O_DIRECTORY : 0));
    if (fd < 0)
        fail("open", path, errno);
    if (::fsync(fd) != 0) {
        int const error = errno;
        ::close(fd);
        fail("sync", path, error);
    }
    ::close(fd);
}

// What PRAGMA integrity_check says: "ok", or its findings.
std::string integrity_of(SQLite::Database& db)
{
    SQLite::Statement check{db, "PRAGMA integrity_check"};
    std::string out;
    while (check.executeStep())
        out += (out.empty() ? "" : "; ") + check.getColumn(0).getString();
    return out;
}

// Copies all of `source` into the empty `target` in one step: one read
// transaction on the source, so one consistent snapshot, while its writers
// (WAL mode) go on. The copy is then a file of its own, with no -wal.
void copy_into(SQLite::Database& target, SQLite::Database& source)
{
    SQLite::Backup copy{target, source};
    for (int attempt = 0;; ++attempt) {
        int const result = copy.executeStep(-1);
        if (result == SQLITE_DONE)
            break;
        if (attempt == 200)
            throw std::runtime_error{"the database stayed locked for 10 s"};
        // SQLITE_BUSY or SQLITE_LOCKED: another connection holds a lock a moment.
        std::this_thread::sleep_for(std::chrono::milliseconds{50});
    }
    target.exec("PRAGMA journal_mode = DELETE");
}

// Writes a copy of `source` to `partial`, checked and synced, readable by
// its owner only (it holds what the database holds); removes it and throws
// when that fails.
void write_checked_copy(SQLite::Database& source, fs::path const& partial)
{
    fs::remove(partial);
    fs::remove(beside(partial, "-journal"));
    try {
        {
            SQLite::Database target{partial.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
            target.exec("PRAGMA synchronous = FULL");
            copy_into(target, source);
            auto const integrity = integrity_of(target);
            if (integrity != "ok")
                throw std::runtime_error{"the copy failed PRAGMA integrity_check: " + integrity};
        }
        fs::permissions(partial, fs::perms::owner_read | fs::perms::owner_write);
        sync(partial, false);
    } catch (...) {
        std::error_code ignored;
        fs::remove(partial, ignored);
        fs::remove(beside(partial, "-journal"), ignored);
        throw;
    }
}

// Moves the database about to be replaced aside, with its -wal or -journal
// (which must never be applied to the restored file), as
// "<database>.before-restore": a hard link, so `database` stays whole until
// the rename over it.
void keep_previous(fs::path const& database)
{
    auto const kept = beside(database, ".before-restore");
    for (auto const* suffix : {"", "-wal", "-journal", "-shm"})
        fs::remove(beside(kept, suffix));
    if (fs::exists(database)) {
        std::error_code no_link;
        fs::create_hard_link(database, kept, no_link);
        if (no_link)
            fs::copy_file(database, kept);
    }
    for (auto const* suffix : {"-wal", "-journal"})
        if (fs::exists(beside(database, suffix)))
            fs::rename(beside(database, suffix), beside(kept, suffix));
    fs::remove(beside(database, "-shm"));
}

// The restored file gets the owner and mode of the one it replaces, so a
// server running as its own user can open what root restored.
void take_owner_of(fs::path const& database, fs::path const& restoring)
{
    struct stat old {};
    if (::stat(database.c_str(), &old) != 0)
        return;
    if (::chown(restoring.c_str(), old.st_uid, old.st_gid) != 0 && ::geteuid() == 0)
        fail("change the owner of", restoring, errno);
    if (::chmod(restoring.c_str(), old.st_mode & 07777) != 0)
        fail("change the mode of", restoring, errno);
}

} // namespace

void sqlite_store::backup(std::filesystem::path const& file)
{
    std::error_code ec;
    if (fs::equivalent(file, db_->getFilename(), ec))
        throw std::runtime_error{file.string() + " is the database itself"};
    if (file.has_parent_path())
        fs::create_directories(file.parent_path());
    auto const partial = beside(file, ".partial-" + std::to_string(::getpid()));
    write_checked_copy(*db_, partial);
    fs::rename(partial, file);
    sync(folder_of(file), true);
}

std::optional<std::string> backup_problem(std::filesystem::path const& file)
{
    if (!fs::is_regular_file(file))
        return file.string() + ": no such file";
    try {
        SQLite::Database db{file.string(), SQLite::OPEN_READONLY};
        auto const integrity = integrity_of(db);
        if (integrity != "ok")
            return file.string() + " is damaged: PRAGMA integrity_check says: " + integrity;
        int const version = db.execAndGet("PRAGMA user_version").getInt();
        if (version < 1 || !db.tableExists("rooms"))
            return file.string() + " is not a Kring database";
        if (version > sqlite_store::schema_version)
            return file.string() + " was written by a newer Kring (schema " + std::to_string(version) + ")";
    } catch (SQLite::Exception const& e) {
        return file.string() + " is not a database SQLite can read: " + e.what();
    }
    return std::nullopt;
}

void restore_backup(std::filesystem::path const& file, std::filesystem::path const& database)
{
    if (auto problem = backup_problem(file))
        throw std::runtime_error{*problem};
    if (database.has_parent_path())
        fs::create_directories(database.parent_path());
    auto const restoring = beside(database, ".restoring");
    {
        SQLite::Database source{file.string(), SQLite::OPEN_READONLY};
        write_checked_copy(source, restoring);
    }
    take_owner_of(database, restoring);
    keep_previous(database);
    fs::rename(restoring, database);
    sync(folder_of(database), true);
}

} // namespace kring
