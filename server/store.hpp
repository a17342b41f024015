#pragma once

#include "identity.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Transaction.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kring {

struct room_record {
    std::string slug;
    std::string title;
    std::size_t capacity = 12;
    std::optional<digest> code_digest;
};

enum class staff_role { moderator, admin };

struct staff_record {
    std::int64_t id = 0;
    std::string name;
    staff_role role = staff_role::moderator;
    bool disabled = false;
    std::vector<std::string> rooms; // slugs of the rooms this moderator keeps
};

// For checking a login: the record and its stored password hash.
struct staff_credentials {
    staff_record staff;
    std::string password_hash; // an encoded Argon2id string, parameters and salt included
};

struct audit_entry {
    std::int64_t at_ms = 0;
    std::string actor;  // a staff name, "cli", or a participant id
    std::string action; // "mute", "ban", "login", "login_failed", "moderator_add", ...
    std::string room;   // slug, or empty
    std::string target; // a member id, message id, staff name, ... or empty
    std::string detail; // e.g. "minutes=10", "scope=server hours=24"; never message text or passwords
};

struct audit_filter {
    std::optional<std::string> room;
    std::optional<std::int64_t> from_ms;  // inclusive
    std::optional<std::int64_t> until_ms; // exclusive
};

struct ban_record {
    std::int64_t id = 0;
    std::optional<std::string> room;   // empty: the whole server
    std::optional<digest> device;      // keyed hash of the device key
    std::optional<digest> address;     // keyed hash of the source address (/32 or /64)
    std::optional<std::int64_t> expires_at_ms; // empty: until lifted
    std::string reason;
    std::string by;
    std::int64_t created_at_ms = 0;
};

struct report_record {
    std::int64_t id = 0;
    std::string room;
    std::string message_id;
    std::string message_text; // the snapshot a moderator needs to judge the report
    std::string author_id;
    std::string author_name;
    std::string reporter_id;
    std::string reason;
    std::int64_t created_at_ms = 0;
    std::optional<std::int64_t> resolved_at_ms;
    std::string resolved_by;
    std::string resolution; // the action taken, or empty
};

// What Kring keeps on disk: circles, moderators and their login tokens, bans,
// reports and the audit log. Never chat messages, except the snapshot a
// report holds until it is purged. One store is used by one thread at a
// time; the server gives it a thread of its own so a slow disk never stalls
// chat. Every write commits with synchronous=FULL before it returns.
class store {
public:
    // Opens or creates the database and brings its schema up to date.
    explicit store(std::filesystem::path const& file);

    static constexpr int schema_version = 2;
    int version();

    // Rooms. Archived rooms are not listed or found.
    std::vector<room_record> rooms();
    std::optional<room_record> find_room(std::string const& slug);
    bool add_room(room_record const& room); // false: the slug exists already
    // Empty optionals leave a field as it is; clear_code removes the access code.
    bool edit_room(std::string const& slug, std::optional<std::string> const& title,
                   std::optional<std::size_t> capacity, std::optional<digest> const& code, bool clear_code);
    bool archive_room(std::string const& slug); // false: no such room

    // Moderators and admins. Names are unique without regard to case.
    std::optional<std::int64_t> add_staff(std::string const& name, staff_role role, std::string const& password_hash);
    std::vector<staff_record> staff();
    std::optional<staff_credentials> find_staff(std::string const& name);
    std::optional<staff_record> staff_by_id(std::int64_t id);
    bool assign_room(std::string const& staff_name, std::string const& slug); // false: no such staff or room
    bool set_staff_disabled(std::string const& name, bool disabled); // disabling also revokes its tokens
    bool set_password(std::string const& name, std::string const& password_hash); // also revokes its tokens

    // Login tokens, stored only as SHA-256 digests.
    void add_login_token(digest const& token_digest, std::int64_t staff_id, std::int64_t expires_at_ms);
    // The staff holding a token that is neither expired, revoked nor disabled.
    std::optional<staff_record> staff_for_token(digest const& token_digest, std::int64_t now_ms);
    void revoke_token(digest const& token_digest);
    void purge_expired_tokens(std::int64_t now_ms);

    // The audit log.
    void audit(audit_entry const& entry);
    std::vector<audit_entry> audit_log(audit_filter const& filter);

    // Bans.
    std::int64_t add_ban(ban_record const& ban);
    std::vector<ban_record> active_bans(std::int64_t now_ms);
    // Deletes ended bans (and with them the address hashes they held).
    void purge_ended_bans(std::int64_t now_ms);
    // Ends a ban early (`kring ban lift`); false: no such ban.
    bool lift_ban(std::int64_t id);

    // A random 256-bit key made on first use and kept in the database: the
    // key of the keyed hashes of device keys and addresses.
    digest server_secret();

    // Reports.
    std::int64_t add_report(report_record const& report);
    std::vector<report_record> open_reports(std::optional<std::string> const& room);
    std::optional<report_record> find_report(std::int64_t id);
    bool resolve_report(std::int64_t id, std::string const& by, std::string const& resolution, std::int64_t now_ms);
    // Deletes reports resolved before `resolved_before_ms`.
    void purge_resolved_reports(std::int64_t resolved_before_ms);

    // Runs `work` in one transaction: all of its writes land, or none.
    template <class Work>
    auto atomically(Work&& work)
    {
        SQLite::Transaction transaction{db_};
        auto result = work();
        transaction.commit();
        return result;
    }

private:
    void migrate();

    SQLite::Database db_;
};

std::string_view to_string(staff_role role);

} // namespace kring
