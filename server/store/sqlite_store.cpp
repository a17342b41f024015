#include "store/sqlite_store.hpp"

#include "store/sqlite_rows.hpp"

#include "clock.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <array>
#include <chrono>
#include <stdexcept>

namespace kring {
namespace {

// Each entry moves the schema one version up; never edit a released one.
constexpr std::array<char const*, 4> migrations{
    R"sql(
    CREATE TABLE rooms (
        id          INTEGER PRIMARY KEY,
        slug        TEXT NOT NULL UNIQUE,
        title       TEXT NOT NULL,
        capacity    INTEGER NOT NULL CHECK (capacity > 0),
        code_sha256 BLOB CHECK (code_sha256 IS NULL OR length(code_sha256) = 32),
        created_at  INTEGER NOT NULL
    );
    )sql",
    R"sql(
    ALTER TABLE rooms ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;

    CREATE TABLE staff (
        id            INTEGER PRIMARY KEY,
        name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role          TEXT NOT NULL CHECK (role IN ('moderator', 'admin')),
        password_hash TEXT NOT NULL,
        disabled      INTEGER NOT NULL DEFAULT 0,
        created_at    INTEGER NOT NULL
    );
    CREATE TABLE staff_rooms (
        staff_id INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
        room_id  INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
        PRIMARY KEY (staff_id, room_id)
    ) WITHOUT ROWID;
    CREATE TABLE login_tokens (
        token_sha256  BLOB PRIMARY KEY CHECK (length(token_sha256) = 32),
        staff_id      INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
        expires_at_ms INTEGER NOT NULL,
        revoked       INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    CREATE INDEX login_tokens_by_staff ON login_tokens (staff_id);

    CREATE TABLE audit (
        id     INTEGER PRIMARY KEY,
        at_ms  INTEGER NOT NULL,
        actor  TEXT NOT NULL,
        action TEXT NOT NULL,
        room   TEXT NOT NULL DEFAULT '',
        target TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX audit_by_time ON audit (at_ms);
    CREATE INDEX audit_by_room ON audit (room, at_ms);

    CREATE TABLE bans (
        id              INTEGER PRIMARY KEY,
        room            TEXT,
        device_hmac     BLOB CHECK (device_hmac IS NULL OR length(device_hmac) = 32),
        address_hmac    BLOB CHECK (address_hmac IS NULL OR length(address_hmac) = 32),
        expires_at_ms   INTEGER,
        reason          TEXT NOT NULL DEFAULT '',
        banned_by       TEXT NOT NULL,
        created_at_ms   INTEGER NOT NULL,
        CHECK (device_hmac IS NOT NULL OR address_hmac IS NOT NULL)
    );
    CREATE INDEX bans_by_expiry ON bans (expires_at_ms);

    CREATE TABLE secrets (
        name  TEXT PRIMARY KEY,
        value BLOB NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE reports (
        id             INTEGER PRIMARY KEY,
        room           TEXT NOT NULL,
        message_id     TEXT NOT NULL,
        message_text   TEXT NOT NULL,
        author_id      TEXT NOT NULL,
        author_name    TEXT NOT NULL,
        reporter_id    TEXT NOT NULL,
        reason         TEXT NOT NULL DEFAULT '',
        created_at_ms  INTEGER NOT NULL,
        resolved_at_ms INTEGER,
        resolved_by    TEXT NOT NULL DEFAULT '',
        resolution     TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX reports_open ON reports (room, created_at_ms) WHERE resolved_at_ms IS NULL;
    CREATE INDEX reports_by_resolution ON reports (resolved_at_ms) WHERE resolved_at_ms IS NOT NULL;
    )sql",
    // Passwords handed over by an admin are one-time. Those set before
    // Kring knew the difference stay as they were: their holders use them.
    R"sql(
    ALTER TABLE staff ADD COLUMN password_one_time INTEGER NOT NULL DEFAULT 0
        CHECK (password_one_time IN (0, 1));
    )sql",
    // A circle may keep its arrivals and departures between its members and
    // its moderators. Circles made before stay as they were: announced.
    R"sql(
    ALTER TABLE rooms ADD COLUMN quiet_arrivals INTEGER NOT NULL DEFAULT 0
        CHECK (quiet_arrivals IN (0, 1));
    )sql",
};

std::unique_ptr<SQLite::Database> open_database(std::filesystem::path const& file)
{
    if (file.has_parent_path())
        std::filesystem::create_directories(file.parent_path());
    return std::make_unique<SQLite::Database>(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
}

room_record read_room(SQLite::Statement& row)
{
    room_record r;
    r.slug = row.getColumn(0).getString();
    r.title = row.getColumn(1).getString();
    r.capacity = static_cast<std::size_t>(row.getColumn(2).getInt64());
    r.code_digest = sqlite_rows::read_digest(row.getColumn(3));
    r.quiet_arrivals = row.getColumn(4).getInt() != 0;
    return r;
}

constexpr char const* live_rooms =
    "SELECT slug, title, capacity, code_sha256, quiet_arrivals FROM rooms WHERE archived = 0";

} // namespace

sqlite_store::sqlite_store(std::filesystem::path const& file)
    : db_(open_database(file))
{
    // The server and the admin command line share the file: wait for each other's writes.
    db_->setBusyTimeout(5000);
    db_->exec("PRAGMA journal_mode = WAL");
    db_->exec("PRAGMA synchronous = FULL");
    db_->exec("PRAGMA foreign_keys = ON");
    db_->exec("PRAGMA secure_delete = ON");
    migrate();
}

sqlite_store::~sqlite_store() = default;

std::unique_ptr<store> open_store(std::filesystem::path const& file)
{
    return std::make_unique<sqlite_store>(file);
}

int sqlite_store::version()
{
    return db_->execAndGet("PRAGMA user_version").getInt();
}

void sqlite_store::migrate()
{
    int current = version();
    if (current > schema_version)
        throw std::runtime_error{"the database was written by a newer Kring (schema " + std::to_string(current) + ")"};
    if (current == schema_version)
        return;
    // Taking the write lock first, and reading the version under it, keeps a
    // second process opening the same file from running a migration twice.
    SQLite::Transaction transaction{*db_, SQLite::TransactionBehavior::IMMEDIATE};
    for (current = version(); current < schema_version; ++current)
        db_->exec(migrations[static_cast<std::size_t>(current)]);
    db_->exec("PRAGMA user_version = " + std::to_string(schema_version));
    transaction.commit();
}

std::vector<room_record> sqlite_store::rooms()
{
    SQLite::Statement query{*db_, std::string{live_rooms} + " ORDER BY slug"};
    std::vector<room_record> out;
    while (query.executeStep())
        out.push_back(read_room(query));
    return out;
}

std::optional<room_record> sqlite_store::find_room(std::string const& slug)
{
    SQLite::Statement query{*db_, std::string{live_rooms} + " AND slug = ?"};
    query.bind(1, slug);
    if (!query.executeStep())
        return std::nullopt;
    return read_room(query);
}

bool sqlite_store::add_room(room_record const& room)
{
    SQLite::Statement insert{
        *db_, "INSERT INTO rooms (slug, title, capacity, code_sha256, created_at, quiet_arrivals) "
             "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (slug) DO NOTHING"};
    insert.bind(1, room.slug);
    insert.bind(2, room.title);
    insert.bind(3, static_cast<std::int64_t>(room.capacity));
    sqlite_rows::bind_digest(insert, 4, room.code_digest);
    insert.bind(5, now_seconds());
    insert.bind(6, room.quiet_arrivals ? 1 : 0);
    return insert.exec() == 1;
}

bool sqlite_store::edit_room(std::string const& slug, std::optional<std::string> const& title,
                      std::optional<std::size_t> capacity, std::optional<digest> const& code, bool clear_code,
                      std::optional<bool> quiet_arrivals)
{
    SQLite::Statement update{
        *db_, "UPDATE rooms SET title = coalesce(?1, title), capacity = coalesce(?2, capacity), "
             "code_sha256 = CASE WHEN ?3 THEN NULL ELSE coalesce(?4, code_sha256) END, "
             "quiet_arrivals = coalesce(?6, quiet_arrivals) "
             "WHERE slug = ?5 AND archived = 0"};
    sqlite_rows::bind_optional(update, 1, title);
    if (capacity)
        update.bind(2, static_cast<std::int64_t>(*capacity));
    else
        update.bind(2);
    update.bind(3, clear_code ? 1 : 0);
    sqlite_rows::bind_digest(update, 4, code);
    update.bind(5, slug);
    if (quiet_arrivals)
        update.bind(6, *quiet_arrivals ? 1 : 0);
    else
        update.bind(6);
    return update.exec() == 1;
}

bool sqlite_store::archive_room(std::string const& slug)
{
    SQLite::Statement update{*db_, "UPDATE rooms SET archived = 1 WHERE slug = ? AND archived = 0"};
    update.bind(1, slug);
    return update.exec() == 1;
}

} // namespace kring
