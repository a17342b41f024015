#pragma once

#include "store/store.hpp"

#include <filesystem>
#include <memory>

namespace SQLite {
class Database;
}

namespace kring {

// The store in one SQLite file, in WAL mode with synchronous=FULL, so that
// the server and the `kring` admin commands can share it and an
// acknowledged write survives a crash.
class sqlite_store final : public store {
public:
    // Opens or creates the database and brings its schema up to date.
    explicit sqlite_store(std::filesystem::path const& file);
    ~sqlite_store() override;

    static constexpr int schema_version = 5;
    int version();

    std::vector<room_record> rooms() override;
    std::optional<room_record> find_room(std::string const& slug) override;
    bool add_room(room_record const& room) override;
    bool edit_room(std::string const& slug, room_changes const& changes) override;
    bool set_agreement(std::string const& slug, std::string const& lang,
                       std::vector<std::string> const& items) override;
    bool set_schedule(std::string const& slug, std::optional<schedule> const& when) override;
    bool archive_room(std::string const& slug) override;
    bool add_organisation(organisation_record const& organisation) override;
    bool edit_organisation(std::string const& slug, std::optional<std::string> const& name,
                           std::optional<std::string> const& city, std::optional<std::string> const& contact) override;
    bool set_organisation_about(std::string const& slug, std::string const& lang, std::string const& text) override;
    std::vector<organisation_record> organisations() override;

    std::optional<std::int64_t> add_staff(std::string const& name, staff_role role, std::string const& password_hash,
                                          password_kind kind) override;
    std::vector<staff_record> staff() override;
    std::optional<staff_credentials> find_staff(std::string const& name) override;
    std::optional<staff_record> staff_by_id(std::int64_t id) override;
    bool assign_room(std::string const& staff_name, std::string const& slug,
                     circle_power power = circle_power::moderate) override;
    bool set_staff_disabled(std::string const& name, bool disabled) override;
    bool set_password(std::string const& name, std::string const& password_hash, password_kind kind) override;
    bool change_password(std::int64_t staff_id, std::string const& old_hash, std::string const& new_hash,
                         audit_entry const& entry) override;

    void add_login_token(digest const& token_digest, std::int64_t staff_id, std::int64_t expires_at_ms,
                         audit_entry const& entry) override;
    std::optional<staff_record> staff_for_token(digest const& token_digest, std::int64_t now_ms) override;
    void revoke_token(digest const& token_digest, audit_entry const& entry) override;
    void purge_expired_tokens(std::int64_t now_ms) override;

    void audit(audit_entry const& entry) override;
    std::vector<audit_entry> audit_log(audit_filter const& filter) override;

    std::int64_t add_ban(ban_record const& ban, audit_entry const& entry) override;
    std::vector<ban_record> active_bans(std::int64_t now_ms) override;
    void purge_ended_bans(std::int64_t now_ms) override;
    bool lift_ban(std::int64_t id) override;

    digest server_secret() override;

    std::int64_t add_report(report_record const& report, audit_entry const& entry) override;
    std::vector<report_record> open_reports(std::optional<std::string> const& room) override;
    std::optional<report_record> find_report(std::int64_t id) override;
    bool resolve_report(std::int64_t id, std::string const& by, std::string const& resolution, std::int64_t now_ms,
                        audit_entry const& entry) override;
    void purge_resolved_reports(std::int64_t resolved_before_ms) override;

    void set_presence(std::string const& node, circle_counts const& counts, std::int64_t now_ms) override;
    std::optional<circle_counts> presence(std::int64_t since_ms, std::string const& except_node) override;

    void backup(std::filesystem::path const& file) override; // sqlite_backup.cpp

private:
    void migrate();

    std::unique_ptr<SQLite::Database> db_;
};

} // namespace kring
