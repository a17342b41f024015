#pragma once

#include "frame.hpp"
#include "identity.hpp"
#include "small_mutex.hpp"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace kring {

class room;

// What a moderator's or admin's login gives an identity.
struct staff_grant {
    bool admin = false; // admins keep every room
    std::string name;
    std::vector<std::string> rooms; // the rooms a moderator keeps; admins keep all
    std::vector<std::string> facilitates = {}; // peer-led circles it runs, without remove or ban
    std::vector<std::string> interprets = {};  // circles it translates in
    std::optional<digest> token;    // the login it came from, checked again on resume
};

// Keyed hashes that let a ban outlive the identity; never the key or address.
struct ban_marks {
    std::optional<digest> device;
    std::optional<digest> address;
};

// The connection that currently speaks for a participant.
class frame_sink {
public:
    virtual ~frame_sink() = default;
    // Queues a frame; safe to call from any thread.
    virtual void send(shared_frame frame) = 0;
    // Another connection resumed this identity: close this one (4002).
    virtual void close_replaced() = 0;
};

// An ephemeral anonymous identity. It outlives its connection for the resume
// grace period, keeping its seat in its rooms. Rooms deliver to it under
// their own lock; its mutex is always taken after a room's, never before.
class participant {
public:
    // `token_key`: the SHA-256 of its resume token. The token itself leaves
    // in the welcome and stays with the client; the server keeps only this.
    participant(std::string id, std::string pseudonym, digest token_key);

    std::string const& id() const { return id_; }
    std::string const& pseudonym() const { return pseudonym_; }
    digest const& token_key() const { return token_key_; }

    void grant(staff_grant grant);
    void revoke_staff();
    std::string_view role() const; // "participant", "moderator" or "admin"
    // What it is in one circle: "admin", "moderator", "facilitator",
    // "interpreter", or role() elsewhere.
    std::string_view role_in(std::string_view slug) const;
    bool is_staff() const; // any account: a moderator, admin, facilitator or interpreter
    // A moderator (of any circle) or an admin: staff that no circle's
    // moderator acts on, unlike a facilitator or interpreter elsewhere.
    bool keeps_circles() const;
    std::optional<digest> staff_token() const;
    bool may_moderate(std::string_view slug) const;
    // A circle's facilitator runs it as a moderator does (rounds, hands, the
    // pause, the agreement, the moderators' channel and their alerts), but
    // never removes, bans, mutes or deletes. Its moderators may too.
    bool may_facilitate(std::string_view slug) const;
    bool interprets(std::string_view slug) const;
    // The staff name for moderators and admins, the pseudonym for everyone else.
    std::string display_name() const;

    void set_marks(ban_marks marks);
    ban_marks marks() const;

    // Sends straight to the connection, whatever the rooms (e.g. `denied`).
    void send(shared_frame const& frame) const;

    // Makes `sink` the connection; returns the one it replaces, if any. Rooms
    // stay silent towards the new one until each resumes it (go_live).
    std::shared_ptr<frame_sink> attach(std::shared_ptr<frame_sink> const& sink);

    // Forgets `sink` if it is still the connection. Returns the generation
    // the grace period belongs to, or 0 if `sink` had been replaced.
    std::uint64_t detach(frame_sink const* sink);

    // True while no connection has come back since `generation` was detached.
    bool still_detached(std::uint64_t generation) const;

    // For rooms, under their lock.
    void enter(std::shared_ptr<room> const& r);
    void exit(room const* r);
    void go_live(room const* r, shared_frame const& first_frame);
    // True when it was handed to a connection.
    bool deliver(room const* r, shared_frame const& frame) const;

    std::vector<std::shared_ptr<room>> rooms() const;
    std::size_t room_count() const;

    // Waiting rooms this identity knocked at and is still waiting in.
    void wait_at(std::shared_ptr<room> const& r);
    void stop_waiting(room const* r);
    std::vector<std::shared_ptr<room>> waiting_rooms() const;
    std::size_t waiting_count() const;

private:
    struct membership {
        room const* key;
        std::weak_ptr<room> where; // rooms own their members, not the other way round
        bool live = false;         // frames flow to the connection
    };

    std::string const id_;
    std::string const pseudonym_;
    digest const token_key_;

    std::weak_ptr<frame_sink> sink_;
    std::vector<membership> rooms_;
    using waiting_room = std::pair<room const*, std::weak_ptr<room>>;
    std::unique_ptr<std::vector<waiting_room>> waiting_; // made at the first knock, gone when none is left
    std::unique_ptr<staff_grant const> staff_; // a participant's stays empty, holding nothing
    ban_marks marks_;
    // The lock and the generation fill the marks' padding. The generation
    // counts attaches and detaches: two billion reconnections are more than
    // any identity lives to see.
    mutable small_mutex mutex_;
    std::uint32_t generation_ = 1;
};

} // namespace kring
