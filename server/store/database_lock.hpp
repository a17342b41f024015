#pragma once

#include <filesystem>
#include <optional>

namespace kring {

// Says that one process has a database to itself: `kring serve` for as long
// as it runs, `kring restore` while it replaces the file. It is an exclusive
// flock(2) on "<database>.lock" beside the database, which the kernel lets
// go when the process ends, however it ends, so a crash leaves no stale
// lock. The admin commands and `kring backup` take none: SQLite lets them
// share the database with a running server.
class database_lock {
public:
    // The lock, or nothing when another process holds it. Throws when the
    // lock file can't be opened at all.
    static std::optional<database_lock> try_lock(std::filesystem::path const& database);

    static std::filesystem::path lock_file(std::filesystem::path const& database);

    database_lock(database_lock&& other) noexcept;
    database_lock& operator=(database_lock&&) = delete;
    database_lock(database_lock const&) = delete;
    ~database_lock();

private:
    explicit database_lock(int fd)
        : fd_(fd)
    {
    }

    int fd_;
};

} // namespace kring
