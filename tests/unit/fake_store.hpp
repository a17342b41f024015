#pragma once

#include "identity.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace kring::test {

// The store in memory, for unit tests of what uses it: every method keeps
// the promise store.hpp makes (and sqlite_store keeps), with vectors and a
// map. A write the real store would refuse (a token twice, a ban holding
// nothing) throws before it changes anything, so "a write and its audit
// row" land together or not at all here too. One thread at a time, as the
// real one.
class fake_store final : public store {
public:
    std::vector<room_record> rooms() override
    {
        std::vector<room_record> out;
        for (auto const& r : rooms_)
            if (!r.archived)
                out.push_back(r.record);
        std::sort(out.begin(), out.end(), [](auto const& a, auto const& b) { return a.slug < b.slug; });
        return out;
    }

    std::optional<room_record> find_room(std::string const& slug) override
    {
        auto const* r = live_room(slug);
        return r ? std::optional{r->record} : std::nullopt;
    }

    bool add_room(room_record const& room) override
    {
        if (first(rooms_, [&](auto const& r) { return r.record.slug == room.slug; }))
            return false; // an archived slug stays taken, as in the real store
        rooms_.push_back({room, false});
        return true;
    }

    bool edit_room(std::string const& slug, room_changes const& changes) override
    {
        auto* r = live_room(slug);
        if (!r)
            return false;
        r->record.title = changes.title.value_or(r->record.title);
        r->record.capacity = changes.capacity.value_or(r->record.capacity);
        r->record.code_digest = changes.clear_code ? std::nullopt : changes.code ? changes.code : r->record.code_digest;
        r->record.quiet_arrivals = changes.quiet_arrivals.value_or(r->record.quiet_arrivals);
        r->record.history = changes.history.value_or(r->record.history);
        r->record.agreement_required = changes.agreement_required.value_or(r->record.agreement_required);
        r->record.peer_led = changes.peer_led.value_or(r->record.peer_led);
        return true;
    }

    bool set_agreement(std::string const& slug, std::string const& lang, std::vector<std::string> const& items) override
    {
        auto* r = live_room(slug);
        if (!r)
            return false;
        std::erase_if(r->record.agreement, [&](agreement_record const& a) { return a.lang == lang; });
        if (!items.empty())
            r->record.agreement.push_back({lang, items});
        return true;
    }

    bool set_schedule(std::string const& slug, std::optional<schedule> const& when) override
    {
        auto* r = live_room(slug);
        if (r)
            r->record.schedule = when;
        return r != nullptr;
    }

    bool add_organisation(organisation_record const& organisation) override
    {
        for (auto const& o : organisations_)
            if (o.slug == organisation.slug)
                return false;
        organisations_.push_back(organisation);
        return true;
    }

    bool edit_organisation(std::string const& slug, std::optional<std::string> const& name,
                           std::optional<std::string> const& city, std::optional<std::string> const& contact) override
    {
        for (auto& o : organisations_)
            if (o.slug == slug) {
                o.name = name.value_or(o.name);
                o.city = city.value_or(o.city);
                o.contact = contact.value_or(o.contact);
                return true;
            }
        return false;
    }

    bool set_organisation_about(std::string const& slug, std::string const& lang, std::string const& text) override
    {
        for (auto& o : organisations_)
            if (o.slug == slug) {
                std::erase_if(o.about, [&](auto const& a) { return a.first == lang; });
                if (!text.empty())
                    o.about.emplace_back(lang, text);
                return true;
            }
        return false;
    }

    std::vector<organisation_record> organisations() override { return organisations_; }

    bool archive_room(std::string const& slug) override
    {
        auto* r = live_room(slug);
        if (r)
            r->archived = true;
        return r != nullptr;
    }

    std::optional<std::int64_t> add_staff(std::string const& name, staff_role role, std::string const& password_hash,
                                          password_kind kind) override
    {
        if (staff_named(name))
            return std::nullopt;
        staff_record record;
        record.id = next_staff_id_;
        record.name = name;
        record.role = role;
        staff_.push_back({record, password_hash, kind});
        return next_staff_id_++;
    }

    std::vector<staff_record> staff() override
    {
        std::vector<staff_record> out;
        for (auto const& s : staff_)
            out.push_back(with_live_rooms(s.record));
        std::sort(out.begin(), out.end(), [](auto const& a, auto const& b) { return folded(a.name) < folded(b.name); });
        return out;
    }

    std::optional<staff_credentials> find_staff(std::string const& name) override
    {
        auto const* s = staff_named(name);
        return s ? std::optional{staff_credentials{with_live_rooms(s->record), s->password_hash, s->kind}}
                 : std::nullopt;
    }

    std::optional<staff_record> staff_by_id(std::int64_t id) override
    {
        auto const* s = staff_with_id(id);
        return s ? std::optional{with_live_rooms(s->record)} : std::nullopt;
    }

    bool assign_room(std::string const& staff_name, std::string const& slug,
                     circle_power power = circle_power::moderate) override
    {
        auto* s = staff_named(staff_name);
        if (!s || !live_room(slug))
            return false;
        for (auto* list : {&s->record.rooms, &s->record.facilitates, &s->record.interprets})
            std::erase(*list, slug);
        auto& list = power == circle_power::facilitate ? s->record.facilitates
                     : power == circle_power::interpret ? s->record.interprets
                                                        : s->record.rooms;
        list.push_back(slug);
        return true;
    }

    bool set_staff_disabled(std::string const& name, bool disabled) override
    {
        auto* s = staff_named(name);
        if (!s)
            return false;
        s->record.disabled = disabled;
        if (disabled)
            revoke_tokens_of(s->record.id);
        return true;
    }

    bool set_password(std::string const& name, std::string const& password_hash, password_kind kind) override
    {
        auto* s = staff_named(name);
        if (!s)
            return false;
        s->password_hash = password_hash;
        s->kind = kind;
        revoke_tokens_of(s->record.id);
        return true;
    }

    bool change_password(std::int64_t staff_id, std::string const& old_hash, std::string const& new_hash,
                         audit_entry const& entry) override
    {
        auto* s = staff_with_id(staff_id);
        if (!s || s->record.disabled || s->password_hash != old_hash)
            return false;
        s->password_hash = new_hash;
        s->kind = password_kind::chosen;
        revoke_tokens_of(staff_id);
        audit_.push_back(entry);
        return true;
    }

    void add_login_token(digest const& token_digest, std::int64_t staff_id, std::int64_t expires_at_ms,
                         audit_entry const& entry) override
    {
        if (tokens_.contains(token_digest) || !staff_with_id(staff_id))
            throw std::runtime_error{"fake_store: a token twice, or for no such staff"};
        tokens_[token_digest] = {staff_id, expires_at_ms, false};
        audit_.push_back(entry);
    }

    std::optional<staff_record> staff_for_token(digest const& token_digest, std::int64_t now_ms) override
    {
        auto const t = tokens_.find(token_digest);
        if (t == tokens_.end() || t->second.revoked || t->second.expires_at_ms <= now_ms)
            return std::nullopt;
        auto const* s = staff_with_id(t->second.staff_id);
        return s && !s->record.disabled ? std::optional{with_live_rooms(s->record)} : std::nullopt;
    }

    void revoke_token(digest const& token_digest, audit_entry const& entry) override
    {
        if (auto const t = tokens_.find(token_digest); t != tokens_.end())
            t->second.revoked = true;
        audit_.push_back(entry);
    }

    void purge_expired_tokens(std::int64_t now_ms) override
    {
        std::erase_if(tokens_, [&](auto const& t) { return t.second.revoked || t.second.expires_at_ms <= now_ms; });
    }

    void audit(audit_entry const& entry) override { audit_.push_back(entry); }

    std::vector<audit_entry> audit_log(audit_filter const& filter) override
    {
        std::vector<audit_entry> out;
        for (auto const& e : audit_)
            if ((!filter.room || e.room == *filter.room) && (!filter.from_ms || e.at_ms >= *filter.from_ms) &&
                (!filter.until_ms || e.at_ms < *filter.until_ms))
                out.push_back(e);
        std::stable_sort(out.begin(), out.end(), [](auto const& a, auto const& b) { return a.at_ms < b.at_ms; });
        return out;
    }

    std::int64_t add_ban(ban_record const& ban, audit_entry const& entry) override
    {
        if (!ban.device && !ban.address)
            throw std::runtime_error{"fake_store: a ban must hold a device or an address"};
        bans_.push_back(ban);
        bans_.back().id = next_ban_id_;
        audit_.push_back(entry);
        return next_ban_id_++;
    }

    std::vector<ban_record> active_bans(std::int64_t now_ms) override
    {
        std::vector<ban_record> out; // in id order: ids only grow
        std::copy_if(bans_.begin(), bans_.end(), std::back_inserter(out),
                     [&](auto const& b) { return !b.expires_at_ms || *b.expires_at_ms > now_ms; });
        return out;
    }

    void purge_ended_bans(std::int64_t now_ms) override
    {
        std::erase_if(bans_, [&](auto const& b) { return b.expires_at_ms && *b.expires_at_ms <= now_ms; });
    }

    bool lift_ban(std::int64_t id) override
    {
        return std::erase_if(bans_, [&](auto const& b) { return b.id == id; }) == 1;
    }

    digest server_secret() override
    {
        if (!secret_)
            secret_ = sha256(random_token()); // 256 random bits, made once
        return *secret_;
    }

    std::int64_t add_report(report_record const& report, audit_entry const& entry) override
    {
        auto& stored = reports_.emplace_back(report);
        stored.id = next_report_id_++;
        stored.resolved_at_ms.reset(); // a new report is open, whatever the record said
        stored.resolved_by.clear();
        stored.resolution.clear();
        audit_.push_back(entry);
        audit_.back().target = std::to_string(stored.id);
        return stored.id;
    }

    std::vector<report_record> open_reports(std::optional<std::string> const& room) override
    {
        std::vector<report_record> out;
        std::copy_if(reports_.begin(), reports_.end(), std::back_inserter(out),
                     [&](auto const& r) { return !r.resolved_at_ms && (!room || r.room == *room); });
        std::stable_sort(out.begin(), out.end(),
                         [](auto const& a, auto const& b) { return a.created_at_ms < b.created_at_ms; });
        return out;
    }

    std::optional<report_record> find_report(std::int64_t id) override
    {
        auto const* r = first(reports_, [&](auto const& x) { return x.id == id; });
        return r ? std::optional{*r} : std::nullopt;
    }

    bool resolve_report(std::int64_t id, std::string const& by, std::string const& resolution, std::int64_t now_ms,
                        audit_entry const& entry) override
    {
        auto* r = first(reports_, [&](auto const& x) { return x.id == id && !x.resolved_at_ms; });
        if (!r)
            return false;
        r->resolved_at_ms = now_ms;
        r->resolved_by = by;
        r->resolution = resolution;
        audit_.push_back(entry);
        return true;
    }

    void purge_resolved_reports(std::int64_t resolved_before_ms) override
    {
        std::erase_if(reports_,
                      [&](auto const& r) { return r.resolved_at_ms && *r.resolved_at_ms < resolved_before_ms; });
    }

    // One node, as an SQLite file.
    void set_presence(std::string const&, circle_counts const&, std::int64_t) override {}
    std::optional<circle_counts> presence(std::int64_t, std::string const&) override { return std::nullopt; }

    // Backups are the SQLite store's (store_backup_test); no session makes one.
    void backup(std::filesystem::path const&) override { throw std::logic_error{"fake_store keeps no files"}; }

private:
    std::vector<organisation_record> organisations_;
    struct room_row {
        room_record record;
        bool archived = false;
    };
    struct staff_row {
        staff_record record; // its rooms as assigned, archived ones included
        std::string password_hash;
        password_kind kind = password_kind::chosen;
    };
    struct token_row {
        std::int64_t staff_id = 0;
        std::int64_t expires_at_ms = 0;
        bool revoked = false;
    };

    template <class Row, class Predicate>
    static Row* first(std::vector<Row>& rows, Predicate matches)
    {
        auto const found = std::find_if(rows.begin(), rows.end(), matches);
        return found == rows.end() ? nullptr : &*found;
    }

    // Staff names are unique without regard to ASCII case, as with SQLite's NOCASE.
    static std::string folded(std::string name)
    {
        for (auto& ch : name)
            if (ch >= 'A' && ch <= 'Z')
                ch = static_cast<char>(ch - 'A' + 'a');
        return name;
    }

    room_row* live_room(std::string const& slug)
    {
        return first(rooms_, [&](auto const& r) { return r.record.slug == slug && !r.archived; });
    }
    staff_row* staff_named(std::string const& name)
    {
        return first(staff_, [&](auto const& s) { return folded(s.record.name) == folded(name); });
    }
    staff_row* staff_with_id(std::int64_t id)
    {
        return first(staff_, [&](auto const& s) { return s.record.id == id; });
    }

    // A staff record as the store hands it out: its rooms not archived, by slug.
    staff_record with_live_rooms(staff_record record)
    {
        std::erase_if(record.rooms, [&](auto const& slug) { return !live_room(slug); });
        std::sort(record.rooms.begin(), record.rooms.end());
        return record;
    }

    void revoke_tokens_of(std::int64_t staff_id)
    {
        for (auto& entry : tokens_)
            entry.second.revoked = entry.second.revoked || entry.second.staff_id == staff_id;
    }

    std::vector<room_row> rooms_;
    std::vector<staff_row> staff_;
    std::map<digest, token_row> tokens_;
    std::vector<audit_entry> audit_; // in the order written
    std::vector<ban_record> bans_;
    std::vector<report_record> reports_;
    std::optional<digest> secret_;
    std::int64_t next_staff_id_ = 1;
    std::int64_t next_ban_id_ = 1;
    std::int64_t next_report_id_ = 1;
};

} // namespace kring::test
