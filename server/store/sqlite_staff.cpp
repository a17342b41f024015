// The store's moderators and admins, their rooms and their login tokens.
#include "store/sqlite_store.hpp"

#include "store/sqlite_rows.hpp"

#include "clock.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <chrono>
#include <stdexcept>

namespace kring {
namespace {

staff_role role_from(std::string const& text)
{
    if (auto const role = staff_role_named(text))
        return *role;
    throw std::runtime_error{"unknown staff role in the database: " + text};
}

// Reads id, name, role, disabled from the first four columns.
staff_record read_staff(SQLite::Statement& row)
{
    staff_record s;
    s.id = row.getColumn(0).getInt64();
    s.name = row.getColumn(1).getString();
    s.role = role_from(row.getColumn(2).getString());
    s.disabled = row.getColumn(3).getInt() != 0;
    return s;
}

// The circles an account is given, each under the power it has there.
void fill_rooms(SQLite::Database& db, staff_record& s)
{
    SQLite::Statement query{db, "SELECT r.slug, sr.power FROM staff_rooms sr JOIN rooms r ON r.id = sr.room_id "
                                "WHERE sr.staff_id = ? AND r.archived = 0 ORDER BY r.slug"};
    query.bind(1, s.id);
    s.rooms.clear();
    s.facilitates.clear();
    s.interprets.clear();
    while (query.executeStep()) {
        auto const power = circle_power_named(query.getColumn(1).getString());
        if (!power)
            throw std::runtime_error{"unknown circle power in the database: " + query.getColumn(1).getString()};
        add_circle(s, query.getColumn(0).getString(), *power);
    }
}

void revoke_tokens_of(SQLite::Database& db, std::string const& name)
{
    SQLite::Statement update{db, "UPDATE login_tokens SET revoked = 1 "
                                 "WHERE staff_id = (SELECT id FROM staff WHERE name = ?)"};
    update.bind(1, name);
    update.exec();
}

int one_time(password_kind kind)
{
    return kind == password_kind::one_time ? 1 : 0;
}

constexpr char const* staff_columns = "SELECT id, name, role, disabled, password_hash, password_one_time FROM staff";

} // namespace

std::optional<std::int64_t> sqlite_store::add_staff(std::string const& name, staff_role role,
                                                    std::string const& password_hash, password_kind kind)
{
    SQLite::Statement insert{*db_, "INSERT INTO staff (name, role, password_hash, password_one_time, created_at) "
                                  "VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING"};
    insert.bind(1, name);
    insert.bind(2, std::string{to_string(role)});
    insert.bind(3, password_hash);
    insert.bind(4, one_time(kind));
    insert.bind(5, now_seconds());
    if (insert.exec() != 1)
        return std::nullopt;
    return db_->getLastInsertRowid();
}

std::vector<staff_record> sqlite_store::staff()
{
    SQLite::Statement query{*db_, std::string{staff_columns} + " ORDER BY name"};
    std::vector<staff_record> out;
    while (query.executeStep())
        out.push_back(read_staff(query));
    for (auto& s : out)
        fill_rooms(*db_, s);
    return out;
}

std::optional<staff_credentials> sqlite_store::find_staff(std::string const& name)
{
    SQLite::Statement query{*db_, std::string{staff_columns} + " WHERE name = ?"};
    query.bind(1, name);
    if (!query.executeStep())
        return std::nullopt;
    staff_credentials out{read_staff(query), query.getColumn(4).getString(),
                          query.getColumn(5).getInt() != 0 ? password_kind::one_time : password_kind::chosen};
    fill_rooms(*db_, out.staff);
    return out;
}

std::optional<staff_record> sqlite_store::staff_by_id(std::int64_t id)
{
    SQLite::Statement query{*db_, std::string{staff_columns} + " WHERE id = ?"};
    query.bind(1, id);
    if (!query.executeStep())
        return std::nullopt;
    auto out = read_staff(query);
    fill_rooms(*db_, out);
    return out;
}

bool sqlite_store::assign_room(std::string const& staff_name, std::string const& slug, circle_power power)
{
    // Assigning again changes the power: one account has one in a circle.
    SQLite::Statement insert{*db_, "INSERT INTO staff_rooms (staff_id, room_id, power) "
                                  "SELECT s.id, r.id, ?3 FROM staff s, rooms r "
                                  "WHERE s.name = ?1 AND r.slug = ?2 AND r.archived = 0 "
                                  "ON CONFLICT (staff_id, room_id) DO UPDATE SET power = excluded.power"};
    insert.bind(1, staff_name);
    insert.bind(2, slug);
    insert.bind(3, std::string{to_string(power)});
    insert.exec();
    // Assigning a room twice is no error, so ask whether both exist.
    SQLite::Statement check{*db_, "SELECT 1 FROM staff_rooms sr JOIN staff s ON s.id = sr.staff_id "
                                 "JOIN rooms r ON r.id = sr.room_id WHERE s.name = ? AND r.slug = ? "
                                 "AND r.archived = 0"};
    check.bind(1, staff_name);
    check.bind(2, slug);
    return check.executeStep();
}

bool sqlite_store::set_staff_disabled(std::string const& name, bool disabled)
{
    SQLite::Transaction transaction{*db_};
    SQLite::Statement update{*db_, "UPDATE staff SET disabled = ? WHERE name = ?"};
    update.bind(1, disabled ? 1 : 0);
    update.bind(2, name);
    if (update.exec() != 1)
        return false;
    if (disabled)
        revoke_tokens_of(*db_, name);
    transaction.commit();
    return true;
}

bool sqlite_store::set_password(std::string const& name, std::string const& password_hash, password_kind kind)
{
    SQLite::Transaction transaction{*db_};
    SQLite::Statement update{*db_, "UPDATE staff SET password_hash = ?, password_one_time = ? WHERE name = ?"};
    update.bind(1, password_hash);
    update.bind(2, one_time(kind));
    update.bind(3, name);
    if (update.exec() != 1)
        return false;
    revoke_tokens_of(*db_, name);
    transaction.commit();
    return true;
}

bool sqlite_store::change_password(std::int64_t staff_id, std::string const& old_hash, std::string const& new_hash,
                                   audit_entry const& entry)
{
    SQLite::Transaction transaction{*db_};
    // Compared in the UPDATE itself: a reset by the command line in the
    // meantime wins, and this change is refused.
    SQLite::Statement update{*db_, "UPDATE staff SET password_hash = ?, password_one_time = 0 "
                                  "WHERE id = ? AND password_hash = ? AND disabled = 0"};
    update.bind(1, new_hash);
    update.bind(2, staff_id);
    update.bind(3, old_hash);
    if (update.exec() != 1)
        return false;
    SQLite::Statement revoke{*db_, "UPDATE login_tokens SET revoked = 1 WHERE staff_id = ?"};
    revoke.bind(1, staff_id);
    revoke.exec();
    sqlite_rows::insert_audit(*db_, entry);
    transaction.commit();
    return true;
}

void sqlite_store::add_login_token(digest const& token_digest, std::int64_t staff_id, std::int64_t expires_at_ms,
                                   audit_entry const& entry)
{
    SQLite::Transaction transaction{*db_};
    SQLite::Statement insert{*db_, "INSERT INTO login_tokens (token_sha256, staff_id, expires_at_ms) VALUES (?, ?, ?)"};
    sqlite_rows::bind_digest(insert, 1, token_digest);
    insert.bind(2, staff_id);
    insert.bind(3, expires_at_ms);
    insert.exec();
    sqlite_rows::insert_audit(*db_, entry);
    transaction.commit();
}

std::optional<staff_record> sqlite_store::staff_for_token(digest const& token_digest, std::int64_t now_ms)
{
    SQLite::Statement query{*db_, "SELECT s.id, s.name, s.role, s.disabled FROM login_tokens t "
                                 "JOIN staff s ON s.id = t.staff_id WHERE t.token_sha256 = ? "
                                 "AND t.revoked = 0 AND t.expires_at_ms > ? AND s.disabled = 0"};
    sqlite_rows::bind_digest(query, 1, token_digest);
    query.bind(2, now_ms);
    if (!query.executeStep())
        return std::nullopt;
    auto out = read_staff(query);
    fill_rooms(*db_, out);
    return out;
}

void sqlite_store::revoke_token(digest const& token_digest, audit_entry const& entry)
{
    SQLite::Transaction transaction{*db_};
    SQLite::Statement update{*db_, "UPDATE login_tokens SET revoked = 1 WHERE token_sha256 = ?"};
    sqlite_rows::bind_digest(update, 1, token_digest);
    update.exec();
    sqlite_rows::insert_audit(*db_, entry);
    transaction.commit();
}

void sqlite_store::purge_expired_tokens(std::int64_t now_ms)
{
    // A revoked token can never be valid again either.
    SQLite::Statement remove{*db_, "DELETE FROM login_tokens WHERE expires_at_ms <= ? OR revoked = 1"};
    remove.bind(1, now_ms);
    remove.exec();
}

} // namespace kring
