// The PostgreSQL store: its schema, circles and organisations.
#include "store/postgres_store.hpp"

#include "store/postgres_rows.hpp"

#include "clock.hpp"

#include <stdexcept>

namespace kring {
namespace {

using postgres::param;

// The schema at version 5, the SQLite store's in PostgreSQL's dialect. A
// later version adds a migration after it; never edit this one once a
// release has shipped it.
constexpr char const* schema_5 = R"sql(
CREATE TABLE organisations (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug    text NOT NULL UNIQUE,
    name    text NOT NULL,
    city    text NOT NULL DEFAULT '',
    contact text NOT NULL DEFAULT ''
);
CREATE TABLE organisation_about (
    organisation_id bigint NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    lang            text NOT NULL,
    text            text NOT NULL,
    PRIMARY KEY (organisation_id, lang)
);
CREATE TABLE rooms (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug               text NOT NULL UNIQUE,
    title              text NOT NULL,
    capacity           bigint NOT NULL CHECK (capacity > 0),
    code_sha256        bytea CHECK (code_sha256 IS NULL OR octet_length(code_sha256) = 32),
    created_at         bigint NOT NULL,
    archived           boolean NOT NULL DEFAULT false,
    quiet_arrivals     boolean NOT NULL DEFAULT false,
    history            text NOT NULL DEFAULT 'joined' CHECK (history IN ('joined', 'session')),
    agreement_required boolean NOT NULL DEFAULT false,
    peer_led           boolean NOT NULL DEFAULT false,
    zone               text, -- none: no schedule
    lobby_minutes      integer NOT NULL DEFAULT 10 CHECK (lobby_minutes BETWEEN 0 AND 120),
    organisation_id    bigint REFERENCES organisations (id),
    description        text NOT NULL DEFAULT '',
    languages          text NOT NULL DEFAULT '', -- tags, comma-separated
    listed             boolean NOT NULL DEFAULT true
);
CREATE TABLE room_agreements (
    room_id bigint NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    lang    text NOT NULL,
    items   text NOT NULL, -- one item a line, numbered from 1
    PRIMARY KEY (room_id, lang)
);
CREATE TABLE room_sessions (
    room_id      bigint NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    weekday      integer NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    start_minute integer NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute   integer NOT NULL CHECK (end_minute > start_minute AND end_minute <= 1440),
    PRIMARY KEY (room_id, weekday, start_minute)
);

CREATE TABLE staff (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name              text NOT NULL,
    role              text NOT NULL CHECK (role IN ('moderator', 'admin')),
    password_hash     text NOT NULL,
    password_one_time boolean NOT NULL DEFAULT false,
    disabled          boolean NOT NULL DEFAULT false,
    created_at        bigint NOT NULL
);
-- Names are unique without regard to case, as in SQLite's NOCASE (ASCII).
CREATE UNIQUE INDEX staff_by_name ON staff (lower(name));
CREATE TABLE staff_rooms (
    staff_id bigint NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    room_id  bigint NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    power    text NOT NULL DEFAULT 'moderate' CHECK (power IN ('moderate', 'facilitate', 'interpret')),
    PRIMARY KEY (staff_id, room_id)
);
CREATE TABLE login_tokens (
    token_sha256  bytea PRIMARY KEY CHECK (octet_length(token_sha256) = 32),
    staff_id      bigint NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    expires_at_ms bigint NOT NULL,
    revoked       boolean NOT NULL DEFAULT false
);
CREATE INDEX login_tokens_by_staff ON login_tokens (staff_id);

CREATE TABLE audit (
    id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at_ms  bigint NOT NULL,
    actor  text NOT NULL,
    action text NOT NULL,
    room   text NOT NULL DEFAULT '',
    target text NOT NULL DEFAULT '',
    detail text NOT NULL DEFAULT ''
);
CREATE INDEX audit_by_time ON audit (at_ms);
CREATE INDEX audit_by_room ON audit (room, at_ms);

CREATE TABLE bans (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room          text,
    device_hmac   bytea CHECK (device_hmac IS NULL OR octet_length(device_hmac) = 32),
    address_hmac  bytea CHECK (address_hmac IS NULL OR octet_length(address_hmac) = 32),
    expires_at_ms bigint,
    reason        text NOT NULL DEFAULT '',
    banned_by     text NOT NULL,
    created_at_ms bigint NOT NULL,
    CHECK (device_hmac IS NOT NULL OR address_hmac IS NOT NULL)
);
CREATE INDEX bans_by_expiry ON bans (expires_at_ms);

CREATE TABLE secrets (
    name  text PRIMARY KEY,
    value bytea NOT NULL
);

CREATE TABLE reports (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    room           text NOT NULL,
    message_id     text NOT NULL,
    message_text   text NOT NULL,
    author_id      text NOT NULL,
    author_name    text NOT NULL,
    reporter_id    text NOT NULL,
    reason         text NOT NULL DEFAULT '',
    created_at_ms  bigint NOT NULL,
    resolved_at_ms bigint,
    resolved_by    text NOT NULL DEFAULT '',
    resolution     text NOT NULL DEFAULT ''
);
CREATE INDEX reports_open ON reports (room, created_at_ms) WHERE resolved_at_ms IS NULL;
CREATE INDEX reports_by_resolution ON reports (resolved_at_ms) WHERE resolved_at_ms IS NOT NULL;

-- Only where nodes share the database: how many are in each node's
-- circles, for every node's directory. Counts, never who.
CREATE TABLE node_presence (
    node          text NOT NULL,
    room          text NOT NULL,
    present       integer NOT NULL CHECK (present > 0),
    updated_at_ms bigint NOT NULL,
    PRIMARY KEY (node, room)
);
)sql";

// Any number, the same on every node: the lock under which one migrates.
constexpr std::int64_t migration_lock = 0x6b72696e67; // "kring"

constexpr char const* live_rooms =
    "SELECT r.slug, r.title, r.capacity, r.code_sha256, r.quiet_arrivals, r.history, r.agreement_required, "
    "r.peer_led, r.id, r.zone, r.lobby_minutes, o.slug, r.description, r.languages, r.listed "
    "FROM rooms r LEFT JOIN organisations o ON o.id = r.organisation_id WHERE NOT r.archived";

room_record read_room(postgres::connection& db, postgres::result const& rows, int i)
{
    room_record r;
    r.slug = rows.text(i, 0);
    r.title = rows.text(i, 1);
    r.capacity = static_cast<std::size_t>(rows.integer(i, 2));
    r.code_digest = rows.bytes32(i, 3);
    r.quiet_arrivals = rows.flag(i, 4);
    auto const history = protocol::history_mode_named(rows.text(i, 5));
    if (!history)
        throw std::runtime_error{"unknown history mode in the database: " + rows.text(i, 5)};
    r.history = *history;
    r.agreement_required = rows.flag(i, 6);
    r.peer_led = rows.flag(i, 7);
    auto const id = rows.integer(i, 8);
    auto const agreements = db.exec("SELECT lang, items FROM room_agreements WHERE room_id = $1 ORDER BY lang COLLATE \"C\"", {id});
    for (int a = 0; a < agreements.rows(); ++a)
        r.agreement.push_back({agreements.text(a, 0), split_column(agreements.text(a, 1), '\n')});
    if (!rows.null(i, 9)) {
        schedule when{rows.text(i, 9), {}, static_cast<unsigned>(rows.integer(i, 10))};
        auto const sessions = db.exec("SELECT weekday, start_minute, end_minute FROM room_sessions "
                                      "WHERE room_id = $1 ORDER BY weekday, start_minute",
                                      {id});
        for (int s = 0; s < sessions.rows(); ++s)
            when.sessions.push_back({static_cast<unsigned>(sessions.integer(s, 0)),
                                     static_cast<unsigned>(sessions.integer(s, 1)),
                                     static_cast<unsigned>(sessions.integer(s, 2))});
        r.schedule = std::move(when);
    }
    r.organisation = rows.optional_text(i, 11);
    r.description = rows.text(i, 12);
    r.languages = split_column(rows.text(i, 13), ',');
    r.listed = rows.flag(i, 14);
    return r;
}

std::optional<std::int64_t> live_room_id(postgres::connection& db, std::string const& slug)
{
    auto const found = db.exec("SELECT id FROM rooms WHERE slug = $1 AND NOT archived FOR UPDATE", {slug});
    if (found.rows() == 0)
        return std::nullopt;
    return found.integer(0, 0);
}

std::optional<std::string> history_text(std::optional<history_mode> const& mode)
{
    if (!mode)
        return std::nullopt;
    return std::string{to_string(*mode)};
}

} // namespace

postgres_store::postgres_store(std::string const& uri)
    : db_(std::make_unique<postgres::connection>(uri))
{
    migrate();
}

postgres_store::~postgres_store() = default;

int postgres_store::version()
{
    return with_db([](postgres::connection& db) {
        auto const found = db.exec("SELECT version FROM kring_schema");
        return found.rows() == 0 ? 0 : static_cast<int>(found.integer(0, 0));
    });
}

void postgres_store::migrate()
{
    with_db([](postgres::connection& db) {
        postgres::transaction transaction{db};
        // Two nodes starting at once: the second waits here, then finds
        // the schema made.
        db.exec("SELECT pg_advisory_xact_lock($1)", {migration_lock});
        db.exec("CREATE TABLE IF NOT EXISTS kring_schema (version integer NOT NULL)");
        auto const found = db.exec("SELECT version FROM kring_schema");
        int const current = found.rows() == 0 ? 0 : static_cast<int>(found.integer(0, 0));
        if (current > schema_version)
            throw std::runtime_error{"the database was written by a newer Kring (schema " + std::to_string(current) +
                                     ")"};
        if (current == schema_version)
            return;
        db.exec_script(schema_5);
        db.exec("INSERT INTO kring_schema (version) VALUES ($1)", {schema_version});
        transaction.commit();
    });
}

std::vector<room_record> postgres_store::rooms()
{
    return with_db([](postgres::connection& db) {
        auto const rows = db.exec(std::string{live_rooms} + " ORDER BY r.slug COLLATE \"C\"");
        std::vector<room_record> out;
        for (int i = 0; i < rows.rows(); ++i)
            out.push_back(read_room(db, rows, i));
        return out;
    });
}

std::optional<room_record> postgres_store::find_room(std::string const& slug)
{
    return with_db([&](postgres::connection& db) -> std::optional<room_record> {
        auto const rows = db.exec(std::string{live_rooms} + " AND r.slug = $1", {slug});
        if (rows.rows() == 0)
            return std::nullopt;
        return read_room(db, rows, 0);
    });
}

bool postgres_store::add_room(room_record const& room)
{
    return with_db([&](postgres::connection& db) {
        postgres::transaction transaction{db};
        auto const added = db.exec(
            "INSERT INTO rooms (slug, title, capacity, code_sha256, created_at, quiet_arrivals, history, "
            "agreement_required, peer_led, organisation_id, description, languages, listed) "
            "SELECT $1::text, $2::text, $3::bigint, $4::bytea, $5::bigint, $6::boolean, $7::text, $8::boolean, "
            "$9::boolean, o.id, $11::text, $12::text, $13::boolean FROM (SELECT 1) AS one "
            "LEFT JOIN organisations o ON o.slug = $10::text WHERE $10::text IS NULL OR o.id IS NOT NULL "
            "ON CONFLICT (slug) DO NOTHING",
            {room.slug, room.title, static_cast<std::int64_t>(room.capacity), room.code_digest, now_seconds(),
             room.quiet_arrivals, std::string{to_string(room.history)}, room.agreement_required, room.peer_led,
             room.organisation, room.description, joined_column(room.languages, ','), room.listed});
        transaction.commit();
        return added.affected() == 1;
    });
}

bool postgres_store::edit_room(std::string const& slug, room_changes const& changes)
{
    std::optional<std::string> languages;
    if (changes.languages)
        languages = joined_column(*changes.languages, ',');
    std::optional<std::int64_t> capacity;
    if (changes.capacity)
        capacity = static_cast<std::int64_t>(*changes.capacity);
    return with_db([&](postgres::connection& db) {
        postgres::transaction transaction{db};
        auto const edited = db.exec(
            "UPDATE rooms SET title = coalesce($1, title), capacity = coalesce($2, capacity), "
            "code_sha256 = CASE WHEN $3 THEN NULL ELSE coalesce($4, code_sha256) END, "
            "quiet_arrivals = coalesce($6, quiet_arrivals), history = coalesce($7, history), "
            "agreement_required = coalesce($8, agreement_required), peer_led = coalesce($9, peer_led), "
            "organisation_id = CASE WHEN $10::text IS NULL THEN organisation_id WHEN $10::text = '' THEN NULL "
            "ELSE (SELECT id FROM organisations WHERE slug = $10::text) END, "
            "description = coalesce($11, description), languages = coalesce($12, languages), "
            "listed = coalesce($13, listed) "
            "WHERE slug = $5 AND NOT archived AND ($10::text IS NULL OR $10::text = '' OR "
            "EXISTS (SELECT 1 FROM organisations WHERE slug = $10::text))",
            {changes.title, capacity, changes.clear_code, changes.code, slug, changes.quiet_arrivals,
             history_text(changes.history), changes.agreement_required, changes.peer_led, changes.organisation,
             changes.description, languages, changes.listed});
        if (edited.affected() == 1)
            postgres_rows::notify(db, "room:" + slug);
        transaction.commit();
        return edited.affected() == 1;
    });
}

bool postgres_store::set_agreement(std::string const& slug, std::string const& lang,
                                   std::vector<std::string> const& items)
{
    return with_db([&](postgres::connection& db) {
        postgres::transaction transaction{db};
        auto const room_id = live_room_id(db, slug);
        if (!room_id)
            return false;
        if (items.empty())
            db.exec("DELETE FROM room_agreements WHERE room_id = $1 AND lang = $2", {*room_id, lang});
        else
            db.exec("INSERT INTO room_agreements (room_id, lang, items) VALUES ($1, $2, $3) "
                    "ON CONFLICT (room_id, lang) DO UPDATE SET items = excluded.items",
                    {*room_id, lang, joined_column(items, '\n')});
        postgres_rows::notify(db, "room:" + slug);
        transaction.commit();
        return true;
    });
}

bool postgres_store::set_schedule(std::string const& slug, std::optional<schedule> const& when)
{
    return with_db([&](postgres::connection& db) {
        postgres::transaction transaction{db};
        auto const room_id = live_room_id(db, slug);
        if (!room_id)
            return false;
        std::optional<std::string> zone;
        if (when)
            zone = when->zone;
        db.exec("UPDATE rooms SET zone = $1, lobby_minutes = $2 WHERE id = $3",
                {zone, when ? when->lobby_minutes : 10u, *room_id});
        db.exec("DELETE FROM room_sessions WHERE room_id = $1", {*room_id});
        if (when)
            for (auto const& session : when->sessions)
                db.exec("INSERT INTO room_sessions (room_id, weekday, start_minute, end_minute) "
                        "VALUES ($1, $2, $3, $4) ON CONFLICT (room_id, weekday, start_minute) "
                        "DO UPDATE SET end_minute = excluded.end_minute",
                        {*room_id, session.weekday, session.start, session.end});
        postgres_rows::notify(db, "room:" + slug);
        transaction.commit();
        return true;
    });
}

bool postgres_store::archive_room(std::string const& slug)
{
    return with_db([&](postgres::connection& db) {
        postgres::transaction transaction{db};
        auto const archived = db.exec("UPDATE rooms SET archived = true WHERE slug = $1 AND NOT archived", {slug});
        if (archived.affected() == 1)
            postgres_rows::notify(db, "room:" + slug);
        transaction.commit();
        return archived.affected() == 1;
    });
}

bool postgres_store::add_organisation(organisation_record const& organisation)
{
    return with_db([&](postgres::connection& db) {
        postgres::transaction transaction{db};
        auto const added = db.exec("INSERT INTO organisations (slug, name, city, contact) VALUES ($1, $2, $3, $4) "
                                   "ON CONFLICT (slug) DO NOTHING RETURNING id",
                                   {organisation.slug, organisation.name, organisation.city, organisation.contact});
        if (added.rows() != 1)
            return false;
        for (auto const& [lang, text] : organisation.about)
            if (!text.empty())
                db.exec("INSERT INTO organisation_about (organisation_id, lang, text) VALUES ($1, $2, $3) "
                        "ON CONFLICT (organisation_id, lang) DO UPDATE SET text = excluded.text",
                        {added.integer(0, 0), lang, text});
        transaction.commit();
        return true;
    });
}

bool postgres_store::edit_organisation(std::string const& slug, std::optional<std::string> const& name,
                                       std::optional<std::string> const& city,
                                       std::optional<std::string> const& contact)
{
    return with_db([&](postgres::connection& db) {
        postgres::transaction transaction{db};
        auto const edited = db.exec("UPDATE organisations SET name = coalesce($1, name), city = coalesce($2, city), "
                                    "contact = coalesce($3, contact) WHERE slug = $4",
                                    {name, city, contact, slug});
        transaction.commit();
        return edited.affected() == 1;
    });
}

bool postgres_store::set_organisation_about(std::string const& slug, std::string const& lang,
                                            std::string const& text)
{
    return with_db([&](postgres::connection& db) {
        postgres::transaction transaction{db};
        auto const found = db.exec("SELECT id FROM organisations WHERE slug = $1 FOR UPDATE", {slug});
        if (found.rows() == 0)
            return false;
        auto const id = found.integer(0, 0);
        if (text.empty())
            db.exec("DELETE FROM organisation_about WHERE organisation_id = $1 AND lang = $2", {id, lang});
        else
            db.exec("INSERT INTO organisation_about (organisation_id, lang, text) VALUES ($1, $2, $3) "
                    "ON CONFLICT (organisation_id, lang) DO UPDATE SET text = excluded.text",
                    {id, lang, text});
        transaction.commit();
        return true;
    });
}

std::vector<organisation_record> postgres_store::organisations()
{
    return with_db([](postgres::connection& db) {
        auto const rows = db.exec("SELECT id, slug, name, city, contact FROM organisations ORDER BY slug COLLATE \"C\"");
        std::vector<organisation_record> out;
        for (int i = 0; i < rows.rows(); ++i) {
            organisation_record o{rows.text(i, 1), rows.text(i, 2), rows.text(i, 3), rows.text(i, 4)};
            auto const about = db.exec("SELECT lang, text FROM organisation_about WHERE organisation_id = $1 "
                                       "ORDER BY lang COLLATE \"C\"",
                                       {rows.integer(i, 0)});
            for (int a = 0; a < about.rows(); ++a)
                o.about.emplace_back(about.text(a, 0), about.text(a, 1));
            out.push_back(std::move(o));
        }
        return out;
    });
}

void postgres_store::set_presence(std::string const& node, circle_counts const& counts, std::int64_t now_ms)
{
    // Slugs are a-z, 0-9 and '-': an array literal of them needs no quoting.
    std::string slugs = "{";
    std::string numbers = "{";
    for (auto const& [slug, count] : counts) {
        slugs += (slugs.size() > 1 ? "," : "") + slug;
        numbers += (numbers.size() > 1 ? "," : "") + std::to_string(count);
    }
    slugs += "}";
    numbers += "}";
    with_db([&](postgres::connection& db) {
        postgres::transaction transaction{db};
        db.exec("DELETE FROM node_presence WHERE node = $1", {node});
        db.exec("INSERT INTO node_presence (node, room, present, updated_at_ms) "
                "SELECT $1, room, present, $4 FROM unnest($2::text[], $3::integer[]) AS c (room, present)",
                {node, slugs, numbers, now_ms});
        // Nodes gone for an hour are forgotten.
        db.exec("DELETE FROM node_presence WHERE updated_at_ms < $1", {now_ms - 3'600'000});
        transaction.commit();
    });
}

std::optional<store::circle_counts> postgres_store::presence(std::int64_t since_ms, std::string const& except_node)
{
    return with_db([&](postgres::connection& db) {
        // A node that stopped saying (it died) stops counting after `since`.
        auto const rows = db.exec("SELECT room, sum(present) FROM node_presence WHERE updated_at_ms >= $1 "
                                  "AND node <> $2 GROUP BY room ORDER BY room COLLATE \"C\"",
                                  {since_ms, except_node});
        circle_counts out;
        for (int i = 0; i < rows.rows(); ++i)
            out.emplace_back(rows.text(i, 0), static_cast<std::size_t>(rows.integer(i, 1)));
        return std::optional{std::move(out)};
    });
}

} // namespace kring
