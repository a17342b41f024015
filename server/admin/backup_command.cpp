#include "admin/backup_command.hpp"

#include "admin/audit_command.hpp"
#include "admin/command_line.hpp"
#include "config_file.hpp"
#include "store/database_lock.hpp"
#include "store/store.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

namespace kring {
namespace {

constexpr char const* backup_usage = R"(usage: kring backup FILE (--db DATABASE | --config CONFIG)

  Copies the database to FILE while the server runs, with SQLite's online
  backup API: one consistent snapshot, checked with PRAGMA integrity_check,
  then renamed into place, so FILE is never half a backup. FILE may exist
  already; it is replaced. The database is the one of --db, or the db of the
  config file CONFIG (the server's own, e.g. /etc/kring/kring.toml).
)";

constexpr char const* restore_usage = R"(usage: kring restore FILE (--db DATABASE | --config CONFIG)

  Puts the backup FILE in place of the database, once the server is stopped
  (it refuses while a server runs on the database). FILE must pass PRAGMA
  integrity_check and be a Kring database no newer than this kring. The
  database it replaces is kept as DATABASE.before-restore. Run it as the
  server's user, or as root: the restored file keeps the old one's owner.
)";

struct arguments {
    std::string file;
    std::string db;
};

// FILE and the database, or the exit code of a bad command line.
std::variant<arguments, int> parse(std::string const& command, std::vector<std::string> const& args,
                                   char const* usage)
{
    auto const fail = [&](std::string const& message) {
        std::cerr << "kring " << command << ": " << message << "\n" << usage;
        return 2;
    };
    CLI::App app{"kring " + command};
    app.set_help_flag();
    app.allow_extras();
    bool help = false;
    arguments out;
    std::string config_file;
    app.add_flag("-h,--help", help);
    app.add_option("FILE", out.file);
    auto* db = app.add_option("--db", out.db);
    auto* from_config = app.add_option("--config", config_file)->excludes(db);
    std::vector<std::string> reversed{args.rbegin(), args.rend() - 1};
    try {
        app.parse(reversed);
    } catch (CLI::ParseError const& e) {
        return fail(e.what());
    }
    if (help) {
        std::cout << usage;
        return 0;
    }
    if (!app.remaining().empty())
        return fail("unexpected argument: " + app.remaining().front());
    if (out.file.empty())
        return fail("FILE is missing");
    if (from_config->count() > 0) {
        config c;
        auto const problems = read_config_file(config_file, c);
        for (auto const& problem : problems)
            std::cerr << "kring " << command << ": " << problem << "\n";
        if (!problems.empty())
            return 1;
        out.db = c.db.string();
    }
    if (out.db.empty())
        return fail("--db DATABASE or --config CONFIG is required");
    return out;
}

} // namespace

int backup_command(std::vector<std::string> const& args)
{
    auto const parsed = parse("backup", args, backup_usage);
    if (auto const* status = std::get_if<int>(&parsed))
        return *status;
    auto const& [file, db] = std::get<arguments>(parsed);
    if (database_missing("backup", db))
        return 1;
    try {
        open_store(db)->backup(file);
    } catch (std::exception const& e) {
        std::cerr << "kring backup: " << e.what() << "\n";
        return 1;
    }
    std::cout << "backed up " << printable_database(db) << " to " << file << "\n";
    return 0;
}

int restore_command(std::vector<std::string> const& args)
{
    auto const parsed = parse("restore", args, restore_usage);
    if (auto const* status = std::get_if<int>(&parsed))
        return *status;
    auto const& [file, db] = std::get<arguments>(parsed);
    if (is_shared_database(db)) {
        std::cerr << "kring restore: " << printable_database(db) << " is a PostgreSQL database, which its nodes "
                  << "share: restore a backup of it with pg_restore (deploy/SCALING.md says how)\n";
        return 1;
    }
    auto const lock = database_lock::try_lock(db);
    if (!lock) {
        std::cerr << "kring restore: a server is running on " << db << " (it holds "
                  << database_lock::lock_file(db).string() << "); stop it first\n";
        return 1;
    }
    try {
        restore_backup(file, db);
        audit_cli_action(*open_store(db), "database_restore", "", "", "from=" + file);
    } catch (std::exception const& e) {
        std::cerr << "kring restore: " << e.what() << "\n";
        return 1;
    }
    std::cout << "restored " << db << " from " << file << "; the database it replaced is kept as " << db
              << ".before-restore\n";
    return 0;
}

} // namespace kring
