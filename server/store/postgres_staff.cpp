// The PostgreSQL store's moderators and admins, their circles and their
// login tokens.
#include "store/postgres_store.hpp"

#include "store/postgres_rows.hpp"

#include "clock.hpp"

#include <stdexcept>

namespace kring {
namespace {

staff_role role_from(std::string const& text)
{
    if (auto const role = staff_role_named(text))
        return *role;
    throw std::runtime_error{"unknown staff role in the database: " + text};
}

// Reads id, name, role, disabled from the first four columns of row i.
staff_record read_staff(postgres::result const& rows, int i)
{
    staff_record s;
    s.id = rows.integer(i, 0);
    s.name = rows.text(i, 1);
    s.role = role_from(rows.text(i, 2));
    s.disabled = rows.flag(i, 3);
    return s;
}

// The circles an account is given, each under the power it has there.
void fill_rooms(postgres::connection& db, staff_record& s)
{
    auto const rows = db.exec("SELECT r.slug, sr.power FROM staff_rooms sr JOIN rooms r ON r.id = sr.room_id "
                              "WHERE sr.staff_id = $1 AND NOT r.archived ORDER BY r.slug COLLATE \"C\"",
                              {s.id});
    s.rooms.clear();
    s.facilitates.clear();
    s.interprets.clear();
    for (int i = 0; i < rows.rows(); ++i) {
        auto const power = circle_power_named(rows.text(i, 1));
        if (!power)
            throw std::runtime_error{"unknown circle power in the database: " + rows.text(i, 1)};
        add_circle(s, rows.text(i, 0), *power);
    }
}

void revoke_tokens_of(postgres::connection& db, std::int64_t staff_id)
{
    db.exec("UPDATE login_tokens SET revoked = true WHERE staff_id = $1", {staff_id});
}

constexpr char const* staff_columns = "SELECT id, name, role, disabled, password_hash, password_one_time FROM staff";

// The id of the account named `name` (without regard to case), locked for
// the rest of the transaction.
std::optional<std::int64_t> staff_id_of(postgres::connection& db, std::string const& name)
{
    auto const found = db.exec("SELECT id FROM staff WHERE lower(name) = lower($1) FOR UPDATE", {name});
    if (found.rows() == 0)
        return std::nullopt;
    return found.integer(0, 0);
}

} // namespace

std::optional<std::int64_t> postgres_store::add_staff(std::string const& name, staff_role role,
                                                      std::string const& password_hash, password_kind kind)
{
    return with_db([&](postgres::connection& db) -> std::optional<std::int64_t> {
        postgres::transaction transaction{db};
        auto const added = db.exec("INSERT INTO staff (name, role, password_hash, password_one_time, created_at) "
                                   "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id",
                                   {name, std::string{to_string(role)}, password_hash,
                                    kind == password_kind::one_time, now_seconds()});
        transaction.commit();
        if (added.rows() != 1)
            return std::nullopt;
        return added.integer(0, 0);
    });
}

std::vector<staff_record> postgres_store::staff()
{
    return with_db([](postgres::connection& db) {
        auto const rows = db.exec(std::string{staff_columns} + " ORDER BY lower(name) COLLATE \"C\"");
        std::vector<staff_record> out;
        for (int i = 0; i < rows.rows(); ++i)
            out.push_back(read_staff(rows, i));
        for (auto& s : out)
            fill_rooms(db, s);
        return out;
    });
}

std::optional<staff_credentials> postgres_store::find_staff(std::string const& name)
{
    return with_db([&](postgres::connection& db) -> std::optional<staff_credentials> {
        auto const rows = db.exec(std::string{staff_columns} + " WHERE lower(name) = lower($1)", {name});
        if (rows.rows() == 0)
            return std::nullopt;
        staff_credentials out{read_staff(rows, 0), rows.text(0, 4),
                              rows.flag(0, 5) ? password_kind::one_time : password_kind::chosen};
        fill_rooms(db, out.staff);
        return out;
    });
}

std::optional<staff_record> postgres_store::staff_by_id(std::int64_t id)
{
    return with_db([&](postgres::connection& db) -> std::optional<staff_record> {
        auto const rows = db.exec(std::string{staff_columns} + " WHERE id = $1", {id});
        if (rows.rows() == 0)
            return std::nullopt;
        auto out = read_staff(rows, 0);
        fill_rooms(db, out);
        return out;
    });
}

bool postgres_store::assign_room(std::string const& staff_name, std::string const& slug, circle_power power)
{
    return with_db([&](postgres::connection& db) {
        postgres::transaction transaction{db};
        // Assigning again changes the power: one account has one in a circle.
        auto const assigned = db.exec("INSERT INTO staff_rooms (staff_id, room_id, power) "
                                      "SELECT s.id, r.id, $3 FROM staff s, rooms r "
                                      "WHERE lower(s.name) = lower($1) AND r.slug = $2 AND NOT r.archived "
                                      "ON CONFLICT (staff_id, room_id) DO UPDATE SET power = excluded.power",
                                      {staff_name, slug, std::string{to_string(power)}});
        transaction.commit();
        return assigned.affected() == 1;
    });
}

bool postgres_store::set_staff_disabled(std::string const& name, bool disabled)
{
    return with_db([&](postgres::connection& db) {
        postgres::transaction transaction{db};
        auto const id = staff_id_of(db, name);
        if (!id)
            return false;
        db.exec("UPDATE staff SET disabled = $1 WHERE id = $2", {disabled, *id});
        if (disabled)
            revoke_tokens_of(db, *id);
        transaction.commit();
        return true;
    });
}

bool postgres_store::set_password(std::string const& name, std::string const& password_hash, password_kind kind)
{
    return with_db([&](postgres::connection& db) {
        postgres::transaction transaction{db};
        auto const id = staff_id_of(db, name);
        if (!id)
            return false;
        db.exec("UPDATE staff SET password_hash = $1, password_one_time = $2 WHERE id = $3",
                {password_hash, kind == password_kind::one_time, *id});
        revoke_tokens_of(db, *id);
        transaction.commit();
        return true;
    });
}

bool postgres_store::change_password(std::int64_t staff_id, std::string const& old_hash, std::string const& new_hash,
                                     audit_entry const& entry)
{
    return with_db([&](postgres::connection& db) {
        postgres::transaction transaction{db};
        // Compared in the UPDATE itself: a reset by the command line in the
        // meantime wins, and this change is refused.
        auto const changed = db.exec("UPDATE staff SET password_hash = $1, password_one_time = false "
                                     "WHERE id = $2 AND password_hash = $3 AND NOT disabled",
                                     {new_hash, staff_id, old_hash});
        if (changed.affected() != 1)
            return false;
        revoke_tokens_of(db, staff_id);
        postgres_rows::insert_audit(db, entry);
        transaction.commit();
        return true;
    });
}

void postgres_store::add_login_token(digest const& token_digest, std::int64_t staff_id, std::int64_t expires_at_ms,
                                     audit_entry const& entry)
{
    with_db([&](postgres::connection& db) {
        postgres::transaction transaction{db};
        db.exec("INSERT INTO login_tokens (token_sha256, staff_id, expires_at_ms) VALUES ($1, $2, $3)",
                {token_digest, staff_id, expires_at_ms});
        postgres_rows::insert_audit(db, entry);
        transaction.commit();
    });
}

std::optional<staff_record> postgres_store::staff_for_token(digest const& token_digest, std::int64_t now_ms)
{
    return with_db([&](postgres::connection& db) -> std::optional<staff_record> {
        auto const rows = db.exec("SELECT s.id, s.name, s.role, s.disabled FROM login_tokens t "
                                  "JOIN staff s ON s.id = t.staff_id WHERE t.token_sha256 = $1 "
                                  "AND NOT t.revoked AND t.expires_at_ms > $2 AND NOT s.disabled",
                                  {token_digest, now_ms});
        if (rows.rows() == 0)
            return std::nullopt;
        auto out = read_staff(rows, 0);
        fill_rooms(db, out);
        return out;
    });
}

void postgres_store::revoke_token(digest const& token_digest, audit_entry const& entry)
{
    with_db([&](postgres::connection& db) {
        postgres::transaction transaction{db};
        db.exec("UPDATE login_tokens SET revoked = true WHERE token_sha256 = $1", {token_digest});
        postgres_rows::insert_audit(db, entry);
        transaction.commit();
    });
}

void postgres_store::purge_expired_tokens(std::int64_t now_ms)
{
    with_db([&](postgres::connection& db) {
        postgres::transaction transaction{db};
        // A revoked token can never be valid again either.
        db.exec("DELETE FROM login_tokens WHERE expires_at_ms <= $1 OR revoked", {now_ms});
        transaction.commit();
    });
}

} // namespace kring
