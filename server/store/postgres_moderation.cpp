// The PostgreSQL store's audit log, bans, server secret and reports.
#include "store/postgres_store.hpp"

#include "store/postgres_rows.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace kring {
namespace {

ban_record read_ban(postgres::result const& rows, int i)
{
    ban_record b;
    b.id = rows.integer(i, 0);
    b.room = rows.optional_text(i, 1);
    b.device = rows.bytes32(i, 2);
    b.address = rows.bytes32(i, 3);
    b.expires_at_ms = rows.optional_integer(i, 4);
    b.reason = rows.text(i, 5);
    b.by = rows.text(i, 6);
    b.created_at_ms = rows.integer(i, 7);
    return b;
}

constexpr char const* report_columns =
    "SELECT id, room, message_id, message_text, author_id, author_name, reporter_id, reason, created_at_ms, "
    "resolved_at_ms, resolved_by, resolution FROM reports";

report_record read_report(postgres::result const& rows, int i)
{
    report_record r;
    r.id = rows.integer(i, 0);
    r.room = rows.text(i, 1);
    r.message_id = rows.text(i, 2);
    r.message_text = rows.text(i, 3);
    r.author_id = rows.text(i, 4);
    r.author_name = rows.text(i, 5);
    r.reporter_id = rows.text(i, 6);
    r.reason = rows.text(i, 7);
    r.created_at_ms = rows.integer(i, 8);
    r.resolved_at_ms = rows.optional_integer(i, 9);
    r.resolved_by = rows.text(i, 10);
    r.resolution = rows.text(i, 11);
    return r;
}

std::optional<digest> read_secret(postgres::connection& db)
{
    auto const rows = db.exec("SELECT value FROM secrets WHERE name = 'server'");
    if (rows.rows() == 0)
        return std::nullopt;
    auto const stored = rows.bytes32(0, 0);
    if (!stored)
        throw std::runtime_error{"the server secret in the database is not 32 bytes"};
    return stored;
}

} // namespace

void postgres_store::audit(audit_entry const& entry)
{
    with_db([&](postgres::connection& db) {
        postgres::transaction transaction{db};
        postgres_rows::insert_audit(db, entry);
        transaction.commit();
    });
}

std::vector<audit_entry> postgres_store::audit_log(audit_filter const& filter)
{
    return with_db([&](postgres::connection& db) {
        // Only fixed clauses are joined here; every value is bound.
        std::string sql = "SELECT at_ms, actor, action, room, target, detail FROM audit WHERE true";
        std::vector<postgres::param> params;
        if (filter.room) {
            params.emplace_back(*filter.room);
            sql += " AND room = $" + std::to_string(params.size());
        }
        if (filter.from_ms) {
            params.emplace_back(*filter.from_ms);
            sql += " AND at_ms >= $" + std::to_string(params.size());
        }
        if (filter.until_ms) {
            params.emplace_back(*filter.until_ms);
            sql += " AND at_ms < $" + std::to_string(params.size());
        }
        auto const rows = db.exec(sql + " ORDER BY at_ms, id", params);
        std::vector<audit_entry> out;
        for (int i = 0; i < rows.rows(); ++i)
            out.push_back({rows.integer(i, 0), rows.text(i, 1), rows.text(i, 2), rows.text(i, 3), rows.text(i, 4),
                           rows.text(i, 5)});
        return out;
    });
}

std::int64_t postgres_store::add_ban(ban_record const& ban, audit_entry const& entry)
{
    return with_db([&](postgres::connection& db) {
        postgres::transaction transaction{db};
        auto const added = db.exec("INSERT INTO bans (room, device_hmac, address_hmac, expires_at_ms, reason, "
                                   "banned_by, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                                   {ban.room, ban.device, ban.address, ban.expires_at_ms, ban.reason, ban.by,
                                    ban.created_at_ms});
        postgres_rows::insert_audit(db, entry);
        postgres_rows::notify(db, "bans");
        transaction.commit();
        return added.integer(0, 0);
    });
}

std::vector<ban_record> postgres_store::active_bans(std::int64_t now_ms)
{
    return with_db([&](postgres::connection& db) {
        auto const rows = db.exec("SELECT id, room, device_hmac, address_hmac, expires_at_ms, reason, banned_by, "
                                  "created_at_ms FROM bans WHERE expires_at_ms IS NULL OR expires_at_ms > $1 "
                                  "ORDER BY id",
                                  {now_ms});
        std::vector<ban_record> out;
        for (int i = 0; i < rows.rows(); ++i)
            out.push_back(read_ban(rows, i));
        return out;
    });
}

void postgres_store::purge_ended_bans(std::int64_t now_ms)
{
    // The deleted rows, address hashes and all, stay in the table's pages
    // until autovacuum reuses them (deploy/SCALING.md: privacy).
    with_db([&](postgres::connection& db) {
        postgres::transaction transaction{db};
        db.exec("DELETE FROM bans WHERE expires_at_ms <= $1", {now_ms});
        transaction.commit();
    });
}

bool postgres_store::lift_ban(std::int64_t id)
{
    return with_db([&](postgres::connection& db) {
        postgres::transaction transaction{db};
        auto const lifted = db.exec("DELETE FROM bans WHERE id = $1", {id});
        if (lifted.affected() == 1)
            postgres_rows::notify(db, "bans");
        transaction.commit();
        return lifted.affected() == 1;
    });
}

digest postgres_store::server_secret()
{
    return with_db([](postgres::connection& db) {
        if (auto const existing = read_secret(db))
            return *existing;
        digest fresh{};
        if (RAND_bytes(fresh.data(), static_cast<int>(fresh.size())) != 1)
            throw std::runtime_error{"OpenSSL could not produce random bytes"};
        // Another node may have made one meanwhile: the first insert wins,
        // and every node reads that one.
        postgres::transaction transaction{db};
        db.exec("INSERT INTO secrets (name, value) VALUES ('server', $1) ON CONFLICT (name) DO NOTHING", {fresh});
        transaction.commit();
        OPENSSL_cleanse(fresh.data(), fresh.size());
        return read_secret(db).value();
    });
}

std::int64_t postgres_store::add_report(report_record const& report, audit_entry const& entry)
{
    return with_db([&](postgres::connection& db) {
        postgres::transaction transaction{db};
        auto const added = db.exec("INSERT INTO reports (room, message_id, message_text, author_id, author_name, "
                                   "reporter_id, reason, created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                                   "RETURNING id",
                                   {report.room, report.message_id, report.message_text, report.author_id,
                                    report.author_name, report.reporter_id, report.reason, report.created_at_ms});
        auto const id = added.integer(0, 0);
        auto audited = entry;
        audited.target = std::to_string(id);
        postgres_rows::insert_audit(db, audited);
        transaction.commit();
        return id;
    });
}

std::vector<report_record> postgres_store::open_reports(std::optional<std::string> const& room)
{
    return with_db([&](postgres::connection& db) {
        std::string sql = std::string{report_columns} + " WHERE resolved_at_ms IS NULL";
        std::vector<postgres::param> params;
        if (room) {
            sql += " AND room = $1";
            params.emplace_back(*room);
        }
        auto const rows = db.exec(sql + " ORDER BY created_at_ms, id", params);
        std::vector<report_record> out;
        for (int i = 0; i < rows.rows(); ++i)
            out.push_back(read_report(rows, i));
        return out;
    });
}

std::optional<report_record> postgres_store::find_report(std::int64_t id)
{
    return with_db([&](postgres::connection& db) -> std::optional<report_record> {
        auto const rows = db.exec(std::string{report_columns} + " WHERE id = $1", {id});
        if (rows.rows() == 0)
            return std::nullopt;
        return read_report(rows, 0);
    });
}

bool postgres_store::resolve_report(std::int64_t id, std::string const& by, std::string const& resolution,
                                    std::int64_t now_ms, audit_entry const& entry)
{
    return with_db([&](postgres::connection& db) {
        postgres::transaction transaction{db};
        auto const resolved = db.exec("UPDATE reports SET resolved_at_ms = $1, resolved_by = $2, resolution = $3 "
                                      "WHERE id = $4 AND resolved_at_ms IS NULL",
                                      {now_ms, by, resolution, id});
        if (resolved.affected() != 1)
            return false;
        postgres_rows::insert_audit(db, entry);
        transaction.commit();
        return true;
    });
}

void postgres_store::purge_resolved_reports(std::int64_t resolved_before_ms)
{
    with_db([&](postgres::connection& db) {
        postgres::transaction transaction{db};
        db.exec("DELETE FROM reports WHERE resolved_at_ms < $1", {resolved_before_ms});
        transaction.commit();
    });
}

} // namespace kring
