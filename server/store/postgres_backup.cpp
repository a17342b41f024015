// Backups of the PostgreSQL store: PostgreSQL's own pg_dump, in one
// consistent snapshot, checked by pg_restore --list before it is renamed
// into place. Restoring one is pg_restore's job (deploy/SCALING.md).
#include "store/postgres_store.hpp"

#include "store/pg_connection.hpp"

#include <libpq-fe.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace kring {
namespace {

namespace fs = std::filesystem;

// This process's environment without its PG* settings, then the
// connection's own settings as libpq's variables (PGHOST, PGPASSWORD...):
// the password never shows in the command line that `ps` lists.
std::vector<std::string> environment_for(std::string const& uri)
{
    std::vector<std::string> out;
    for (char** entry = environ; *entry != nullptr; ++entry)
        if (std::strncmp(*entry, "PG", 2) != 0)
            out.emplace_back(*entry);
    char* error = nullptr;
    PQconninfoOption* const options = PQconninfoParse(uri.c_str(), &error);
    if (options == nullptr) {
        std::string const why = error ? error : "out of memory";
        PQfreemem(error);
        throw std::runtime_error{"cannot read the database's address: " + why};
    }
    for (auto const* option = options; option->keyword != nullptr; ++option)
        if (option->envvar != nullptr && option->val != nullptr && option->val[0] != '\0')
            out.push_back(std::string{option->envvar} + "=" + option->val);
    PQconninfoFree(options);
    return out;
}

// Runs `program` with `arguments` and `environment`, its output to
// /dev/null; throws unless it exits with 0.
void run(std::vector<std::string> const& arguments, std::vector<std::string> const& environment)
{
    std::vector<char*> argv;
    for (auto const& a : arguments)
        argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    std::vector<char*> envp;
    for (auto const& e : environment)
        envp.push_back(const_cast<char*>(e.c_str()));
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t child = 0;
    int const spawned = posix_spawnp(&child, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0)
        throw std::runtime_error{"cannot run " + arguments[0] + " (Debian's postgresql-client has it): " +
                                 std::strerror(spawned)};
    int status = 0;
    while (::waitpid(child, &status, 0) < 0)
        if (errno != EINTR)
            throw std::runtime_error{"cannot wait for " + arguments[0] + ": " + std::strerror(errno)};
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error{arguments[0] + " failed (its message is above)"};
}

void sync(fs::path const& path, bool folder)
{
    int const fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | (folder ? O_DIRECTORY : 0));
    if (fd < 0 || ::fsync(fd) != 0) {
        int const error = errno;
        if (fd >= 0)
            ::close(fd);
        throw std::runtime_error{"cannot sync " + path.string() + ": " + std::strerror(error)};
    }
    ::close(fd);
}

} // namespace

void postgres_store::backup(fs::path const& file)
{
    auto const environment = environment_for(db_->uri());
    fs::path const partial = file.string() + ".partial";
    fs::path const folder = file.has_parent_path() ? file.parent_path() : fs::path{"."};
    fs::create_directories(folder);
    fs::remove(partial);
    try {
        // One transaction, one snapshot, whatever the nodes write meanwhile.
        run({"pg_dump", "--format=custom", "--no-password", "--file=" + partial.string()}, environment);
        run({"pg_restore", "--list", partial.string()}, environment);
        sync(partial, false);
        fs::rename(partial, file);
        sync(folder, true);
    } catch (...) {
        std::error_code ignored;
        fs::remove(partial, ignored);
        throw;
    }
}

} // namespace kring
