// The store's audit log, bans and server secret.
#include "store/sqlite_store.hpp"

#include "store/sqlite_rows.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <stdexcept>

namespace kring {
namespace {

ban_record read_ban(SQLite::Statement& row)
{
    ban_record b;
    b.id = row.getColumn(0).getInt64();
    if (!row.getColumn(1).isNull())
        b.room = row.getColumn(1).getString();
    b.device = sqlite_rows::read_digest(row.getColumn(2));
    b.address = sqlite_rows::read_digest(row.getColumn(3));
    b.expires_at_ms = sqlite_rows::read_optional_int(row.getColumn(4));
    b.reason = row.getColumn(5).getString();
    b.by = row.getColumn(6).getString();
    b.created_at_ms = row.getColumn(7).getInt64();
    return b;
}

std::optional<digest> read_secret(SQLite::Database& db)
{
    SQLite::Statement query{db, "SELECT value FROM secrets WHERE name = 'server'"};
    if (!query.executeStep())
        return std::nullopt;
    auto const stored = sqlite_rows::read_digest(query.getColumn(0));
    if (!stored)
        throw std::runtime_error{"the server secret in the database is not 32 bytes"};
    return stored;
}

} // namespace

void sqlite_rows::insert_audit(SQLite::Database& db, audit_entry const& entry)
{
    SQLite::Statement insert{
        db, "INSERT INTO audit (at_ms, actor, action, room, target, detail) VALUES (?, ?, ?, ?, ?, ?)"};
    insert.bind(1, entry.at_ms);
    insert.bind(2, entry.actor);
    insert.bind(3, entry.action);
    insert.bind(4, entry.room);
    insert.bind(5, entry.target);
    insert.bind(6, entry.detail);
    insert.exec();
}

void sqlite_store::audit(audit_entry const& entry)
{
    sqlite_rows::insert_audit(*db_, entry);
}

std::vector<audit_entry> sqlite_store::audit_log(audit_filter const& filter)
{
    // Only fixed clauses are joined here; every value is bound, and a clause
    // left out (rather than "? IS NULL OR") lets SQLite use the indexes.
    std::string sql = "SELECT at_ms, actor, action, room, target, detail FROM audit WHERE 1";
    if (filter.room)
        sql += " AND room = :room";
    if (filter.from_ms)
        sql += " AND at_ms >= :from";
    if (filter.until_ms)
        sql += " AND at_ms < :until";
    sql += " ORDER BY at_ms, id";
    SQLite::Statement query{*db_, sql};
    if (filter.room)
        query.bind(":room", *filter.room);
    if (filter.from_ms)
        query.bind(":from", *filter.from_ms);
    if (filter.until_ms)
        query.bind(":until", *filter.until_ms);
    std::vector<audit_entry> out;
    while (query.executeStep())
        out.push_back({query.getColumn(0).getInt64(), query.getColumn(1).getString(), query.getColumn(2).getString(),
                       query.getColumn(3).getString(), query.getColumn(4).getString(),
                       query.getColumn(5).getString()});
    return out;
}

std::int64_t sqlite_store::add_ban(ban_record const& ban, audit_entry const& entry)
{
    SQLite::Transaction transaction{*db_};
    SQLite::Statement insert{*db_, "INSERT INTO bans (room, device_hmac, address_hmac, expires_at_ms, reason, "
                                  "banned_by, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?)"};
    sqlite_rows::bind_optional(insert, 1, ban.room);
    sqlite_rows::bind_digest(insert, 2, ban.device);
    sqlite_rows::bind_digest(insert, 3, ban.address);
    sqlite_rows::bind_optional(insert, 4, ban.expires_at_ms);
    insert.bind(5, ban.reason);
    insert.bind(6, ban.by);
    insert.bind(7, ban.created_at_ms);
    insert.exec();
    auto const id = db_->getLastInsertRowid();
    sqlite_rows::insert_audit(*db_, entry);
    transaction.commit();
    return id;
}

std::vector<ban_record> sqlite_store::active_bans(std::int64_t now_ms)
{
    SQLite::Statement query{*db_, "SELECT id, room, device_hmac, address_hmac, expires_at_ms, reason, banned_by, "
                                 "created_at_ms FROM bans WHERE expires_at_ms IS NULL OR expires_at_ms > ? "
                                 "ORDER BY id"};
    query.bind(1, now_ms);
    std::vector<ban_record> out;
    while (query.executeStep())
        out.push_back(read_ban(query));
    return out;
}

void sqlite_store::purge_ended_bans(std::int64_t now_ms)
{
    // secure_delete is on, so the address hashes do not linger in free pages.
    SQLite::Statement remove{*db_, "DELETE FROM bans WHERE expires_at_ms <= ?"};
    remove.bind(1, now_ms);
    remove.exec();
}

bool sqlite_store::lift_ban(std::int64_t id)
{
    SQLite::Statement remove{*db_, "DELETE FROM bans WHERE id = ?"};
    remove.bind(1, id);
    return remove.exec() == 1;
}

digest sqlite_store::server_secret()
{
    if (auto const existing = read_secret(*db_))
        return *existing;
    digest fresh{};
    if (RAND_bytes(fresh.data(), static_cast<int>(fresh.size())) != 1)
        throw std::runtime_error{"OpenSSL could not produce random bytes"};
    // Another process may have made one meanwhile: the first insert wins.
    SQLite::Statement insert{*db_, "INSERT INTO secrets (name, value) VALUES ('server', ?) "
                                  "ON CONFLICT (name) DO NOTHING"};
    sqlite_rows::bind_digest(insert, 1, fresh);
    insert.exec();
    OPENSSL_cleanse(fresh.data(), fresh.size());
    return read_secret(*db_).value();
}

} // namespace kring
