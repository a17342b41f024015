#pragma once

#include <cstdint>
#include <optional>
#include <string>

// Client messages for logging in and for keeping a circle safe. Only the
// server decides who may send which; the parser checks their form.
namespace kring::protocol {

struct login {
    std::string user;
    std::string password;
};

struct logout {};

// A new password: after a login with a one-time password (then `current`
// is not needed), or a logged-in moderator's change (then it is).
struct set_password {
    std::string password;
    std::optional<std::string> current;
};

// mute, unmute, remove, admit and deny name one member of one room.
enum class member_action_kind { mute, unmute, remove, admit, deny };

struct member_action {
    member_action_kind kind;
    std::string room;
    std::string member;
    std::optional<std::int64_t> minutes; // mute only; empty: until unmuted
    std::optional<std::string> reason;   // remove only
};

enum class ban_scope { room, server };

struct ban {
    std::string room;
    std::string member;
    ban_scope scope = ban_scope::room;
    std::optional<std::int64_t> hours; // empty: until lifted
    std::optional<std::string> reason;
    bool address = false; // also ban the member's network address
};

struct delete_message {
    std::string room;
    std::string message;
};

// A pinned message, a pinned prompt, or (neither) nothing pinned any more.
struct pin {
    std::string room;
    std::optional<std::string> message;
    std::optional<std::string> text;
};

// A moderator's private word to one member, citing an item of the circle's
// agreement by its number, a short line, both or neither.
struct nudge {
    std::string room;
    std::string member;
    std::optional<std::int64_t> item; // 1 to 50
    std::optional<std::string> text;
};

// A moderator freezes the circle's input for `seconds` (5 to 600; 0 ends it
// early), with an optional calming line.
struct pause {
    std::string room;
    std::int64_t seconds = 0;
    std::optional<std::string> text;
};

enum class room_action_kind { lock, unlock, end };

struct room_action {
    room_action_kind kind;
    std::string room;
};

enum class room_mode { open, moderated };

struct room_set {
    std::string room;
    std::optional<bool> waiting;
    std::optional<std::int64_t> slow; // seconds between one participant's messages; 0: off
    std::optional<room_mode> mode;
};

struct report {
    std::string room;
    std::string message;
    std::optional<std::string> reason;
};

struct list_reports {
    std::optional<std::string> room;
};

struct resolve {
    std::int64_t report = 0;
    std::optional<std::string> action;
};

} // namespace kring::protocol
