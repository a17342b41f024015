#include "pg_cluster.hpp"

#include "identity.hpp"
#include "store/pg_connection.hpp"

#include <charconv>
#include <cstdlib>
#include <cerrno>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace kring::test {
namespace {

namespace fs = std::filesystem;

// The newest /usr/lib/postgresql/N/bin, or $KRING_PG_BIN.
fs::path server_binaries()
{
    if (char const* given = std::getenv("KRING_PG_BIN"))
        return given;
    fs::path best;
    int best_version = 0;
    std::error_code ignored;
    for (auto const& entry : fs::directory_iterator{"/usr/lib/postgresql", ignored}) {
        auto const name = entry.path().filename().string();
        int version = 0;
        auto const [end, error] = std::from_chars(name.data(), name.data() + name.size(), version);
        if (error == std::errc{} && end == name.data() + name.size() && version > best_version &&
            fs::exists(entry.path() / "bin" / "initdb")) {
            best = entry.path() / "bin";
            best_version = version;
        }
    }
    if (best.empty())
        throw std::runtime_error{"PostgreSQL's server is not installed (Debian's package postgresql; "
                                 "deploy/install-deps.sh --test installs it)"};
    return best;
}

// Who runs the server: this process, or, as root, an ordinary account.
struct account {
    bool switch_to = false;
    uid_t uid = 0;
    gid_t gid = 0;
};

account runner()
{
    if (::geteuid() != 0)
        return {};
    for (char const* name : {"postgres", "nobody"})
        if (passwd const* found = ::getpwnam(name))
            return {true, found->pw_uid, found->pw_gid};
    throw std::runtime_error{"as root, the PostgreSQL tests need a postgres or nobody account"};
}

// Forks and runs `argv` as `as`, its output appended to `log` (or stdin
// from `input`); returns the child's pid.
pid_t spawn(std::vector<std::string> const& argv, account const& as, fs::path const& log, int input = -1)
{
    std::vector<char*> args;
    for (auto const& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    std::string const log_path = log.string();
    pid_t const child = ::fork();
    if (child < 0)
        throw std::runtime_error{"fork failed"};
    if (child == 0) {
        // Only async-signal-safe calls from here to exec.
        int const out = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (out >= 0) {
            ::dup2(out, STDOUT_FILENO);
            ::dup2(out, STDERR_FILENO);
        }
        int const in = input >= 0 ? input : ::open("/dev/null", O_RDONLY);
        ::dup2(in, STDIN_FILENO);
        if (as.switch_to && (::setgroups(0, nullptr) != 0 || ::setgid(as.gid) != 0 || ::setuid(as.uid) != 0))
            ::_exit(126);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    return child;
}

void run(std::vector<std::string> const& argv, account const& as, fs::path const& log)
{
    pid_t const child = spawn(argv, as, log);
    int status = 0;
    while (::waitpid(child, &status, 0) < 0)
        if (errno != EINTR)
            throw std::runtime_error{"waitpid failed"};
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error{argv[0] + " failed; its output is in " + log.string()};
}

} // namespace

pg_cluster& pg_cluster::shared()
{
    static pg_cluster cluster;
    return cluster;
}

pg_cluster::pg_cluster()
    : folder_(fs::temp_directory_path() / ("kring-pg-" + random_hex(8)))
{
    auto const bin = server_binaries();
    auto const as = runner();
    fs::create_directories(folder_);
    if (as.switch_to && ::chown(folder_.c_str(), as.uid, as.gid) != 0)
        throw std::runtime_error{"cannot give " + folder_.string() + " to the PostgreSQL account"};
    auto const data = folder_ / "data";
    auto const log = folder_ / "server.log";

    // The watcher holds the read end of a pipe that only this process
    // writes to: when this process ends, however it ends, the pipe closes,
    // and the watcher stops the server and removes the folder.
    int ends[2];
    if (::pipe2(ends, O_CLOEXEC) != 0)
        throw std::runtime_error{"pipe failed"};
    std::string const stop = "read _; '" + (bin / "pg_ctl").string() + "' -D '" + data.string() +
                             "' -m immediate stop >/dev/null 2>&1; rm -rf '" + folder_.string() + "'";
    watcher_pid_ = spawn({"/bin/sh", "-c", stop}, as, "/dev/null", ends[0]);
    ::close(ends[0]);
    watcher_pipe_ = ends[1];

    run({(bin / "initdb").string(), "-D", data.string(), "-U", "kring", "-A", "trust", "-E", "UTF8",
         "--locale=C", "--no-sync"},
        as, folder_ / "initdb.log");
    // No TCP port: a socket in the folder only. fsync off: a test's data
    // need not outlive a crash of the machine.
    run({(bin / "pg_ctl").string(), "-D", data.string(), "-l", log.string(), "-w", "-s", "-o",
         "-c listen_addresses= -k " + folder_.string() + " -c fsync=off -c full_page_writes=off", "start"},
        as, folder_ / "pg_ctl.log");
}

pg_cluster::~pg_cluster()
{
    ::close(watcher_pipe_);
    int status = 0;
    ::waitpid(watcher_pid_, &status, 0);
}

std::string pg_cluster::uri(std::string const& name) const
{
    return "postgresql:///" + name + "?host=" + folder_.string() + "&user=kring";
}

std::string pg_cluster::fresh_database()
{
    auto const name = "kring_test_" + std::to_string(++databases_);
    postgres::connection admin{uri("postgres")};
    admin.exec("CREATE DATABASE " + name);
    return uri(name);
}

} // namespace kring::test
