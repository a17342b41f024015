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
constexpr std::array<char const*, 5> migrations{
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
    // Circles become circles: what a newcomer reads (circles made before
    // keep showing the session's ring), an agreement to accept, peer-led
    // circles, and accounts that facilitate or interpret in one circle.
    R"sql(
    ALTER TABLE rooms ADD COLUMN history TEXT NOT NULL DEFAULT 'session'
        CHECK (history IN ('joined', 'session'));
    ALTER TABLE rooms ADD COLUMN agreement_required INTEGER NOT NULL DEFAULT 0
        CHECK (agreement_required IN (0, 1));
    ALTER TABLE rooms ADD COLUMN peer_led INTEGER NOT NULL DEFAULT 0
        CHECK (peer_led IN (0, 1));
    CREATE TABLE room_agreements (
        room_id INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
        lang    TEXT NOT NULL,
        items   TEXT NOT NULL, -- one item a line, numbered from 1
        PRIMARY KEY (room_id, lang)
    ) WITHOUT ROWID;
    ALTER TABLE staff_rooms ADD COLUMN power TEXT NOT NULL DEFAULT 'moderate'
        CHECK (power IN ('moderate', 'facilitate', 'interpret'));
    ALTER TABLE rooms ADD COLUMN zone TEXT; -- none: no schedule
    ALTER TABLE rooms ADD COLUMN lobby_minutes INTEGER NOT NULL DEFAULT 10
        CHECK (lobby_minutes BETWEEN 0 AND 120);
    CREATE TABLE room_sessions (
        room_id INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
        weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
        start   INTEGER NOT NULL CHECK (start BETWEEN 0 AND 1439),
        end     INTEGER NOT NULL CHECK (end > start AND end <= 1440),
        PRIMARY KEY (room_id, weekday, start)
    ) WITHOUT ROWID;
    CREATE TABLE organisations (
        id      INTEGER PRIMARY KEY,
        slug    TEXT NOT NULL UNIQUE,
        name    TEXT NOT NULL,
        city    TEXT NOT NULL DEFAULT '',
        contact TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE organisation_about (
        organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
        lang            TEXT NOT NULL,
        text            TEXT NOT NULL,
        PRIMARY KEY (organisation_id, lang)
    ) WITHOUT ROWID;
    ALTER TABLE rooms ADD COLUMN organisation_id INTEGER REFERENCES organisations (id);
    ALTER TABLE rooms ADD COLUMN description TEXT NOT NULL DEFAULT '';
    ALTER TABLE rooms ADD COLUMN languages TEXT NOT NULL DEFAULT ''; -- tags, comma-separated
    -- Circles made before were reachable by their slug only: they stay unlisted.
    ALTER TABLE rooms ADD COLUMN listed INTEGER NOT NULL DEFAULT 0 CHECK (listed IN (0, 1));
    )sql",
};

std::unique_ptr<SQLite::Database> open_database(std::filesystem::path const& file)
{
    if (file.has_parent_path())
        std::filesystem::create_directories(file.parent_path());
    return std::make_unique<SQLite::Database>(file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
}

room_record read_room(SQLite::Database& db, SQLite::Statement& row)
{
    room_record r;
    r.slug = row.getColumn(0).getString();
    r.title = row.getColumn(1).getString();
    r.capacity = static_cast<std::size_t>(row.getColumn(2).getInt64());
    r.code_digest = sqlite_rows::read_digest(row.getColumn(3));
    r.quiet_arrivals = row.getColumn(4).getInt() != 0;
    auto const history = protocol::history_mode_named(row.getColumn(5).getString());
    if (!history)
        throw std::runtime_error{"unknown history mode in the database: " + row.getColumn(5).getString()};
    r.history = *history;
    r.agreement_required = row.getColumn(6).getInt() != 0;
    r.peer_led = row.getColumn(7).getInt() != 0;
    SQLite::Statement agreement{db, "SELECT lang, items FROM room_agreements WHERE room_id = ? ORDER BY lang"};
    agreement.bind(1, row.getColumn(8).getInt64());
    while (agreement.executeStep())
        r.agreement.push_back(
            {agreement.getColumn(0).getString(), split_column(agreement.getColumn(1).getString(), '\n')});
    if (!row.getColumn(9).isNull()) {
        schedule when{row.getColumn(9).getString(), {}, static_cast<unsigned>(row.getColumn(10).getInt())};
        SQLite::Statement sessions{db, "SELECT weekday, start, end FROM room_sessions WHERE room_id = ? "
                                       "ORDER BY weekday, start"};
        sessions.bind(1, row.getColumn(8).getInt64());
        while (sessions.executeStep())
            when.sessions.push_back({static_cast<unsigned>(sessions.getColumn(0).getInt()),
                                     static_cast<unsigned>(sessions.getColumn(1).getInt()),
                                     static_cast<unsigned>(sessions.getColumn(2).getInt())});
        r.schedule = std::move(when);
    }
    if (!row.getColumn(11).isNull())
        r.organisation = row.getColumn(11).getString();
    r.description = row.getColumn(12).getString();
    r.languages = split_column(row.getColumn(13).getString(), ',');
    r.listed = row.getColumn(14).getInt() != 0;
    return r;
}

constexpr char const* live_rooms =
    "SELECT r.slug, r.title, r.capacity, r.code_sha256, r.quiet_arrivals, r.history, r.agreement_required, "
    "r.peer_led, r.id, r.zone, r.lobby_minutes, o.slug, r.description, r.languages, r.listed "
    "FROM rooms r LEFT JOIN organisations o ON o.id = r.organisation_id WHERE r.archived = 0";

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
    SQLite::Statement query{*db_, std::string{live_rooms} + " ORDER BY r.slug"};
    std::vector<room_record> out;
    while (query.executeStep())
        out.push_back(read_room(*db_, query));
    return out;
}

std::optional<room_record> sqlite_store::find_room(std::string const& slug)
{
    SQLite::Statement query{*db_, std::string{live_rooms} + " AND r.slug = ?"};
    query.bind(1, slug);
    if (!query.executeStep())
        return std::nullopt;
    return read_room(*db_, query);
}

bool sqlite_store::add_room(room_record const& room)
{
    SQLite::Statement insert{
        *db_, "INSERT INTO rooms (slug, title, capacity, code_sha256, created_at, quiet_arrivals, history, "
             "agreement_required, peer_led, organisation_id, description, languages, listed) "
             "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, o.id, ?11, ?12, ?13 FROM (SELECT 1) "
             "LEFT JOIN organisations o ON o.slug = ?10 WHERE ?10 IS NULL OR o.id IS NOT NULL "
             "ON CONFLICT (slug) DO NOTHING"};
    insert.bind(1, room.slug);
    insert.bind(2, room.title);
    insert.bind(3, static_cast<std::int64_t>(room.capacity));
    sqlite_rows::bind_digest(insert, 4, room.code_digest);
    insert.bind(5, now_seconds());
    insert.bind(6, room.quiet_arrivals ? 1 : 0);
    insert.bind(7, std::string{to_string(room.history)});
    insert.bind(8, room.agreement_required ? 1 : 0);
    insert.bind(9, room.peer_led ? 1 : 0);
    sqlite_rows::bind_optional(insert, 10, room.organisation);
    insert.bind(11, room.description);
    insert.bind(12, joined_column(room.languages, ','));
    insert.bind(13, room.listed ? 1 : 0);
    return insert.exec() == 1;
}

namespace {

// The row id `query` ("SELECT id FROM ... WHERE slug = ?") finds for `slug`.
std::optional<std::int64_t> id_of(SQLite::Database& db, char const* query, std::string const& slug)
{
    SQLite::Statement find{db, query};
    find.bind(1, slug);
    if (!find.executeStep())
        return std::nullopt;
    return find.getColumn(0).getInt64();
}

// A text kept per language (a circle's agreement, an organisation's
// description) in `table` (owner_column, lang, text_column): replaced, or
// removed when `text` is empty. The names are this file's, never input.
void replace_in_language(SQLite::Database& db, std::string const& table, std::string const& owner_column,
                         std::string const& text_column, std::int64_t owner, std::string const& lang,
                         std::string const& text)
{
    SQLite::Statement clear{db, "DELETE FROM " + table + " WHERE " + owner_column + " = ? AND lang = ?"};
    clear.bind(1, owner);
    clear.bind(2, lang);
    clear.exec();
    if (text.empty())
        return;
    SQLite::Statement insert{db, "INSERT INTO " + table + " (" + owner_column + ", lang, " + text_column +
                                     ") VALUES (?, ?, ?)"};
    insert.bind(1, owner);
    insert.bind(2, lang);
    insert.bind(3, text);
    insert.exec();
}

constexpr char const* live_room_id = "SELECT id FROM rooms WHERE slug = ? AND archived = 0";

void bind_flag(SQLite::Statement& statement, int index, std::optional<bool> const& value)
{
    if (value)
        statement.bind(index, *value ? 1 : 0);
    else
        statement.bind(index);
}

} // namespace

bool sqlite_store::edit_room(std::string const& slug, room_changes const& changes)
{
    SQLite::Statement update{
        *db_, "UPDATE rooms SET title = coalesce(?1, title), capacity = coalesce(?2, capacity), "
             "code_sha256 = CASE WHEN ?3 THEN NULL ELSE coalesce(?4, code_sha256) END, "
             "quiet_arrivals = coalesce(?6, quiet_arrivals), history = coalesce(?7, history), "
             "agreement_required = coalesce(?8, agreement_required), peer_led = coalesce(?9, peer_led), "
             "organisation_id = CASE WHEN ?10 IS NULL THEN organisation_id WHEN ?10 = '' THEN NULL "
             "ELSE (SELECT id FROM organisations WHERE slug = ?10) END, "
             "description = coalesce(?11, description), languages = coalesce(?12, languages), "
             "listed = coalesce(?13, listed) "
             "WHERE slug = ?5 AND archived = 0 AND (?10 IS NULL OR ?10 = '' OR "
             "EXISTS (SELECT 1 FROM organisations WHERE slug = ?10))"};
    sqlite_rows::bind_optional(update, 1, changes.title);
    if (changes.capacity)
        update.bind(2, static_cast<std::int64_t>(*changes.capacity));
    else
        update.bind(2);
    update.bind(3, changes.clear_code ? 1 : 0);
    sqlite_rows::bind_digest(update, 4, changes.code);
    update.bind(5, slug);
    bind_flag(update, 6, changes.quiet_arrivals);
    if (changes.history)
        update.bind(7, std::string{to_string(*changes.history)});
    else
        update.bind(7);
    bind_flag(update, 8, changes.agreement_required);
    bind_flag(update, 9, changes.peer_led);
    sqlite_rows::bind_optional(update, 10, changes.organisation);
    sqlite_rows::bind_optional(update, 11, changes.description);
    std::optional<std::string> languages;
    if (changes.languages)
        languages = joined_column(*changes.languages, ',');
    sqlite_rows::bind_optional(update, 12, languages);
    bind_flag(update, 13, changes.listed);
    return update.exec() == 1;
}

bool sqlite_store::set_agreement(std::string const& slug, std::string const& lang,
                                 std::vector<std::string> const& items)
{
    SQLite::Transaction transaction{*db_};
    auto const room_id = id_of(*db_, live_room_id, slug);
    if (!room_id)
        return false;
    replace_in_language(*db_, "room_agreements", "room_id", "items", *room_id, lang, joined_column(items, '\n'));
    transaction.commit();
    return true;
}

bool sqlite_store::set_schedule(std::string const& slug, std::optional<schedule> const& when)
{
    SQLite::Transaction transaction{*db_};
    auto const found = id_of(*db_, live_room_id, slug);
    if (!found)
        return false;
    auto const room_id = *found;
    SQLite::Statement update{*db_, "UPDATE rooms SET zone = ?, lobby_minutes = ? WHERE id = ?"};
    if (when)
        update.bind(1, when->zone);
    else
        update.bind(1);
    update.bind(2, static_cast<std::int64_t>(when ? when->lobby_minutes : 10));
    update.bind(3, room_id);
    update.exec();
    SQLite::Statement clear{*db_, "DELETE FROM room_sessions WHERE room_id = ?"};
    clear.bind(1, room_id);
    clear.exec();
    if (when)
        for (auto const& session : when->sessions) {
            SQLite::Statement insert{*db_, "INSERT OR REPLACE INTO room_sessions (room_id, weekday, start, end) "
                                           "VALUES (?, ?, ?, ?)"};
            insert.bind(1, room_id);
            insert.bind(2, static_cast<std::int64_t>(session.weekday));
            insert.bind(3, static_cast<std::int64_t>(session.start));
            insert.bind(4, static_cast<std::int64_t>(session.end));
            insert.exec();
        }
    transaction.commit();
    return true;
}

bool sqlite_store::add_organisation(organisation_record const& organisation)
{
    SQLite::Transaction transaction{*db_};
    SQLite::Statement insert{*db_, "INSERT INTO organisations (slug, name, city, contact) VALUES (?, ?, ?, ?) "
                                   "ON CONFLICT (slug) DO NOTHING"};
    insert.bind(1, organisation.slug);
    insert.bind(2, organisation.name);
    insert.bind(3, organisation.city);
    insert.bind(4, organisation.contact);
    if (insert.exec() != 1)
        return false;
    transaction.commit();
    for (auto const& [lang, text] : organisation.about)
        set_organisation_about(organisation.slug, lang, text);
    return true;
}

bool sqlite_store::edit_organisation(std::string const& slug, std::optional<std::string> const& name,
                                     std::optional<std::string> const& city, std::optional<std::string> const& contact)
{
    SQLite::Statement update{*db_, "UPDATE organisations SET name = coalesce(?1, name), city = coalesce(?2, city), "
                                   "contact = coalesce(?3, contact) WHERE slug = ?4"};
    sqlite_rows::bind_optional(update, 1, name);
    sqlite_rows::bind_optional(update, 2, city);
    sqlite_rows::bind_optional(update, 3, contact);
    update.bind(4, slug);
    return update.exec() == 1;
}

bool sqlite_store::set_organisation_about(std::string const& slug, std::string const& lang, std::string const& text)
{
    SQLite::Transaction transaction{*db_};
    auto const id = id_of(*db_, "SELECT id FROM organisations WHERE slug = ?", slug);
    if (!id)
        return false;
    replace_in_language(*db_, "organisation_about", "organisation_id", "text", *id, lang, text);
    transaction.commit();
    return true;
}

std::vector<organisation_record> sqlite_store::organisations()
{
    SQLite::Statement query{*db_, "SELECT id, slug, name, city, contact FROM organisations ORDER BY slug"};
    std::vector<organisation_record> out;
    while (query.executeStep()) {
        organisation_record o{query.getColumn(1).getString(), query.getColumn(2).getString(),
                              query.getColumn(3).getString(), query.getColumn(4).getString()};
        SQLite::Statement about{*db_, "SELECT lang, text FROM organisation_about WHERE organisation_id = ? "
                                      "ORDER BY lang"};
        about.bind(1, query.getColumn(0).getInt64());
        while (about.executeStep())
            o.about.emplace_back(about.getColumn(0).getString(), about.getColumn(1).getString());
        out.push_back(std::move(o));
    }
    return out;
}

bool sqlite_store::archive_room(std::string const& slug)
{
    SQLite::Statement update{*db_, "UPDATE rooms SET archived = 1 WHERE slug = ? AND archived = 0"};
    update.bind(1, slug);
    return update.exec() == 1;
}

// One node: its server counts its circles in memory.
void sqlite_store::set_presence(std::string const&, circle_counts const&, std::int64_t) {}

std::optional<store::circle_counts> sqlite_store::presence(std::int64_t, std::string const&)
{
    return std::nullopt;
}

} // namespace kring
