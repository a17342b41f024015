#include "store/database_lock.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <sys/file.h>
#include <unistd.h>

namespace kring {

std::filesystem::path database_lock::lock_file(std::filesystem::path const& database)
{
    return database.string() + ".lock";
}

std::optional<database_lock> database_lock::try_lock(std::filesystem::path const& database)
{
    if (database.has_parent_path())
        std::filesystem::create_directories(database.parent_path());
    auto const file = lock_file(database);
    // Read-only is enough for flock, and lets a server running as its own
    // user lock a file that root's `kring restore` created.
    int const fd = ::open(file.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        throw std::runtime_error{"cannot open " + file.string() + ": " + std::strerror(errno)};
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        int const error = errno;
        ::close(fd);
        if (error == EWOULDBLOCK)
            return std::nullopt;
        throw std::runtime_error{"cannot lock " + file.string() + ": " + std::strerror(error)};
    }
    return database_lock{fd};
}

database_lock::database_lock(database_lock&& other) noexcept
    : fd_(other.fd_)
{
    other.fd_ = -1;
}

database_lock::~database_lock()
{
    if (fd_ >= 0)
        ::close(fd_); // closing the last descriptor lets the lock go
}

} // namespace kring
