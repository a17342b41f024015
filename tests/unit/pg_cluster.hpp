#pragma once

#include <filesystem>
#include <string>

namespace kring::test {

// A real PostgreSQL server for the store's tests: initdb into a scratch
// folder and pg_ctl start, listening on a Unix socket in that folder only
// (no TCP port), started on first use and stopped when the test process
// ends, even when it crashes (a watcher process stops it then). As root, it
// runs as the "postgres" account Debian's package makes (else "nobody"):
// PostgreSQL refuses to run as root. Its binaries come from
// /usr/lib/postgresql/N/bin, or $KRING_PG_BIN.
class pg_cluster {
public:
    static pg_cluster& shared();

    // A new, empty database on the cluster; its postgresql:// URI.
    std::string fresh_database();
    // A URI for the database `name` on the cluster.
    std::string uri(std::string const& name) const;

    pg_cluster(pg_cluster const&) = delete;
    pg_cluster& operator=(pg_cluster const&) = delete;
    ~pg_cluster();

private:
    pg_cluster();

    std::filesystem::path folder_;
    int watcher_pipe_ = -1;
    int watcher_pid_ = -1;
    int databases_ = 0;
};

} // namespace kring::test
