#pragma once

#include "identity.hpp"

#include <kring/protocol/circle_messages.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// What the store keeps, as plain values: no database type appears here.
namespace kring {

using protocol::history_mode;

// One weekly session of a circle, in the local time of its zone.
struct weekly_session {
    unsigned weekday = 0;  // 0 Sunday ... 6 Saturday
    unsigned start = 0;    // minutes after local midnight
    unsigned end = 0;      // minutes after local midnight, after start, at most 24:00
    friend bool operator==(weekly_session const&, weekly_session const&) = default;
};

// When a circle meets (circle/schedule.hpp computes its sessions).
struct schedule {
    std::string zone; // an IANA name: "Europe/Brussels"
    std::vector<weekly_session> sessions;
    unsigned lobby_minutes = 10; // the circle opens this long before a session starts
};

// A circle's own agreement in one language, replacing the deployment's.
struct agreement_record {
    std::string lang;               // a BCP 47 primary tag: "nl", "fa"
    std::vector<std::string> items; // numbered from 1, one line each
};

struct room_record {
    std::string slug;
    std::string title;
    std::size_t capacity = 12;
    std::optional<digest> code_digest;
    bool quiet_arrivals = false; // arrivals and departures are told to moderators only
    history_mode history = history_mode::joined;
    bool agreement_required = false; // join needs agree: true
    bool peer_led = false;           // run by a facilitator, not a moderator
    std::vector<agreement_record> agreement = {}; // the circle's own, by language; empty: the deployment's
    std::optional<kring::schedule> schedule = {}; // none: it meets whenever someone comes
    std::optional<std::string> organisation = {}; // the slug of the organisation that hosts it
    std::string description = {};                 // a few lines for the directory
    std::vector<std::string> languages = {};      // the language tags spoken in it
    bool listed = true;                           // in GET /api/circles; otherwise by link only
};

// An organisation that hosts circles: a women's group, a welcome centre.
struct organisation_record {
    std::string slug;
    std::string name;
    std::string city = {};
    std::string contact = {}; // a line: a phone number, an address, a web page
    std::vector<std::pair<std::string, std::string>> about = {}; // (language tag, a short description)
};

// What `kring room edit` changes; an empty optional leaves a field as it is.
struct room_changes {
    std::optional<std::string> title = {};
    std::optional<std::size_t> capacity = {};
    std::optional<digest> code = {};
    bool clear_code = false;
    std::optional<bool> quiet_arrivals = {};
    std::optional<history_mode> history = {};
    std::optional<bool> agreement_required = {};
    std::optional<bool> peer_led = {};
    std::optional<std::string> organisation = {}; // a slug, or "" for none
    std::optional<std::string> description = {};
    std::optional<std::vector<std::string>> languages = {};
    std::optional<bool> listed = {};
};

enum class staff_role { moderator, admin };

// What an account may do in one circle it is given: keep it (a moderator),
// run it without remove or ban (a peer facilitator), or translate in it
// (an interpreter).
enum class circle_power { moderate, facilitate, interpret };

struct staff_record {
    std::int64_t id = 0;
    std::string name;
    staff_role role = staff_role::moderator;
    bool disabled = false;
    std::vector<std::string> rooms;       // slugs of the circles this account keeps
    std::vector<std::string> facilitates; // ... facilitates
    std::vector<std::string> interprets;  // ... interprets for
};

// Who chose a password. One printed or set by `kring moderator add` or
// `reset-password` was handed over, so it is one-time: a login with it only
// lets its holder choose her own.
enum class password_kind { chosen, one_time };

// For checking a login: the record and its stored password hash.
struct staff_credentials {
    staff_record staff;
    std::string password_hash; // an encoded Argon2id string, parameters and salt included
    password_kind kind = password_kind::chosen; // of password_hash
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

// Adds the circle `slug` to the list of `staff` its power there names.
void add_circle(staff_record& staff, std::string slug, circle_power power);

std::string_view to_string(staff_role role);
std::optional<staff_role> staff_role_named(std::string_view name);
std::string_view to_string(circle_power power);
std::optional<circle_power> circle_power_named(std::string_view name);

// A list kept in one text column, as both stores keep it: the items joined
// by `separator` (a circle's languages by ',', its agreement's items by
// '\n'), and split again; no text is no items.
std::string joined_column(std::vector<std::string> const& items, char separator);
std::vector<std::string> split_column(std::string const& text, char separator);

} // namespace kring
