#pragma once

#include "store/records.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace kring {

// A store that cannot reach its database just now (PostgreSQL restarting, a
// broken network). The store connects again on its next use; the caller
// tells whoever asked that the action may not be saved.
struct store_unavailable : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// What Kring keeps on disk: circles, moderators and their login tokens, bans,
// reports and the audit log. Never chat messages, except the snapshot a
// report holds until it is purged. A store is used by one thread at a time;
// the server gives it a thread of its own so a slow disk never stalls chat.
// Every write is durable when it returns, and every "write and its audit
// row" is one atomic method: both land, or neither.
//
// SQLite implements it for one node (sqlite_store), PostgreSQL for several
// nodes sharing one database (postgres_store); nothing above this
// interface knows which.
class store {
public:
    virtual ~store() = default;

    // Rooms. Archived rooms are not listed or found.
    virtual std::vector<room_record> rooms() = 0;
    virtual std::optional<room_record> find_room(std::string const& slug) = 0;
    virtual bool add_room(room_record const& room) = 0; // false: the slug exists already
    // Empty optionals leave a field as it is; clear_code removes the access code.
    virtual bool edit_room(std::string const& slug, room_changes const& changes) = 0;
    // The circle's own agreement in `lang` (items empty: back to the
    // deployment's in that language); false: no such room.
    virtual bool set_agreement(std::string const& slug, std::string const& lang,
                               std::vector<std::string> const& items) = 0;
    // The circle's schedule, or none; false: no such room.
    virtual bool set_schedule(std::string const& slug, std::optional<schedule> const& when) = 0;
    virtual bool archive_room(std::string const& slug) = 0; // false: no such room

    // Organisations. add: false when the slug exists; edit (empty optionals
    // leave a field) and set_about (empty text: none in that language):
    // false when there is no such organisation. A room's organisation must
    // exist: edit_room and add_room return false otherwise.
    virtual bool add_organisation(organisation_record const& organisation) = 0;
    virtual bool edit_organisation(std::string const& slug, std::optional<std::string> const& name,
                                   std::optional<std::string> const& city,
                                   std::optional<std::string> const& contact) = 0;
    virtual bool set_organisation_about(std::string const& slug, std::string const& lang, std::string const& text) = 0;
    virtual std::vector<organisation_record> organisations() = 0;

    // Moderators and admins. Names are unique without regard to case.
    virtual std::optional<std::int64_t> add_staff(std::string const& name, staff_role role,
                                                  std::string const& password_hash, password_kind kind) = 0;
    virtual std::vector<staff_record> staff() = 0;
    virtual std::optional<staff_credentials> find_staff(std::string const& name) = 0;
    virtual std::optional<staff_record> staff_by_id(std::int64_t id) = 0;
    // Gives an account a circle with a power there (again: changes the
    // power). false: no such staff or room.
    virtual bool assign_room(std::string const& staff_name, std::string const& slug,
                             circle_power power = circle_power::moderate) = 0;
    virtual bool set_staff_disabled(std::string const& name, bool disabled) = 0; // disabling revokes its tokens
    // An admin's new password for `name` (`reset-password`); revokes its tokens.
    virtual bool set_password(std::string const& name, std::string const& password_hash, password_kind kind) = 0;
    // A moderator's own new password, which she chose: replaces `old_hash`
    // (the one she proved she knows) by `new_hash`, revokes all her login
    // tokens and writes the audit row, in one transaction. False, and
    // nothing written, when her password is no longer `old_hash` (it was
    // reset meanwhile) or she is disabled or gone.
    virtual bool change_password(std::int64_t staff_id, std::string const& old_hash, std::string const& new_hash,
                                 audit_entry const& entry) = 0;

    // Login tokens, stored only as SHA-256 digests; each write with its audit row.
    virtual void add_login_token(digest const& token_digest, std::int64_t staff_id, std::int64_t expires_at_ms,
                                 audit_entry const& entry) = 0;
    // The staff holding a token that is neither expired, revoked nor disabled.
    virtual std::optional<staff_record> staff_for_token(digest const& token_digest, std::int64_t now_ms) = 0;
    virtual void revoke_token(digest const& token_digest, audit_entry const& entry) = 0;
    virtual void purge_expired_tokens(std::int64_t now_ms) = 0;

    // The audit log.
    virtual void audit(audit_entry const& entry) = 0;
    virtual std::vector<audit_entry> audit_log(audit_filter const& filter) = 0;

    // Bans. add_ban writes the ban and its audit row; returns the ban's id.
    virtual std::int64_t add_ban(ban_record const& ban, audit_entry const& entry) = 0;
    virtual std::vector<ban_record> active_bans(std::int64_t now_ms) = 0;
    // Deletes ended bans (and with them the address hashes they held).
    virtual void purge_ended_bans(std::int64_t now_ms) = 0;
    // Ends a ban early (`kring ban lift`); false: no such ban.
    virtual bool lift_ban(std::int64_t id) = 0;

    // A random 256-bit key made on first use and kept in the database: the
    // key of the keyed hashes of device keys and addresses.
    virtual digest server_secret() = 0;

    // Reports. add_report writes the report and its audit row, whose target
    // becomes the new report's id; returns that id.
    virtual std::int64_t add_report(report_record const& report, audit_entry const& entry) = 0;
    virtual std::vector<report_record> open_reports(std::optional<std::string> const& room) = 0;
    virtual std::optional<report_record> find_report(std::int64_t id) = 0;
    // Resolves an open report and writes its audit row; false (and no row): no such open report.
    virtual bool resolve_report(std::int64_t id, std::string const& by, std::string const& resolution,
                                std::int64_t now_ms, audit_entry const& entry) = 0;
    // Deletes reports resolved before `resolved_before_ms`.
    virtual void purge_resolved_reports(std::int64_t resolved_before_ms) = 0;

    // Several nodes on one database: `node` (this process) has `counts`
    // people in its circles now (circles not named have none), for every
    // node's directory. presence() sums, by circle and sorted by slug, what
    // the nodes other than `except_node` (the asking one, which counts its
    // own) said at or after `since_ms`; nothing at all for a store of one
    // node (an SQLite file), whose server counts its circles itself.
    using circle_counts = std::vector<std::pair<std::string, std::size_t>>;
    virtual void set_presence(std::string const& node, circle_counts const& counts, std::int64_t now_ms) = 0;
    virtual std::optional<circle_counts> presence(std::int64_t since_ms, std::string const& except_node) = 0;

    // Writes a copy of everything the store holds to `file` while others go
    // on using it (SQLite: the online backup API, one consistent snapshot),
    // checks the copy, and only then puts it at `file`, atomically: `file`
    // is the previous backup or the new one, never half of one. Throws when
    // it can't, leaving `file` as it was.
    virtual void backup(std::filesystem::path const& file) = 0;
};

// Opens (or creates) the database Kring is told to use and brings its
// schema up to date: an SQLite file, or a PostgreSQL database when `where`
// is a postgresql:// (or postgres://) URI. The server and every admin
// command make their store here.
std::unique_ptr<store> open_store(std::filesystem::path const& where);

// Whether `where` is a PostgreSQL URI: a database other nodes share, with
// no file to lock, check or restore over.
bool is_shared_database(std::filesystem::path const& where);

// `where` as people may read it: a file's path, or a URI without its password.
std::string printable_database(std::filesystem::path const& where);

// Why `file` can't be restored (not there, damaged, not a Kring database, or
// one from a newer Kring); nothing when it can.
std::optional<std::string> backup_problem(std::filesystem::path const& file);

// Puts the backup `file` in place of the database `database`, which no one
// may be using: the caller holds its database_lock. Copies and checks the
// backup beside the database, syncs it, and renames it over the database,
// so a crash leaves the old database or the new one. The database replaced
// is kept beside, as "<database>.before-restore". Throws when it can't.
void restore_backup(std::filesystem::path const& file, std::filesystem::path const& database);

} // namespace kring
