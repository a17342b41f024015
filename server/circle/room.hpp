#pragma once

#include "circle/circle_timers.hpp"
#include "circle/participant.hpp"
#include "circle/schedule.hpp"
#include "circle/verdict.hpp"
#include "frame.hpp"
#include "identity.hpp"
#include "small_ring.hpp"

#include <kring/protocol/agreement.hpp>
#include <kring/protocol/circle_messages.hpp>
#include <kring/protocol/error_code.hpp>
#include <kring/protocol/help_lines.hpp>
#include <kring/protocol/server_messages.hpp>

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <variant>
#include <string>
#include <vector>

namespace kring {

struct room_settings {
    std::string slug;
    std::string title;
    std::size_t capacity = 12;
    std::optional<digest> code_digest; // SHA-256 of the access code, if any
    bool quiet_arrivals = false;       // member_joined and member_left go to moderators only
    protocol::history_mode history = protocol::history_mode::joined; // what a newcomer reads
    bool agreement_required = false;   // a participant joins only agreeing to it
    bool peer_led = false;             // run by a facilitator
    // The agreement by language: the circle's own, or the deployment's.
    std::shared_ptr<std::vector<protocol::agreement_text> const> agreement = {};
    // When it meets; none: whenever someone comes.
    std::optional<kring::schedule> schedule = {};
};

// What a moderator needs to know of a member to ban it.
struct ban_target {
    std::shared_ptr<participant> who;
    ban_marks marks;
};

// What became of an alert: whether it was raised (not one a minute after
// the same), and whether a moderator of the circle was there to get it.
struct alert_outcome {
    bool raised = false;
    bool reached = false;
};

// What a report keeps of the reported message.
struct reported_message {
    std::string id;
    std::string text;
    std::string author_id;
    std::string author_name;
};

// One circle: its members, its sequence counter, the ring of its recent
// messages and the rules its moderators set. Everything happens under one
// lock, and frames are handed to members inside it, so every member sees
// the room's frames in seq order.
//
// room.cpp holds what every message and every join passes through (the hot
// path, and the speech and join rules, presence and names);
// room_gestures.cpp what members do besides speaking (reactions, raised
// hands, listening); room_pause.cpp a moderator's pause of the circle;
// room_private.cpp the words that reach only some (whispers, the
// moderators' channel); room_alerts.cpp the alerts that tell moderators
// someone may be in danger; room_round.cpp the talking piece;
// room_agreement.cpp the circle's agreement; room_moderation.cpp holds the
// moderators' verbs and the helpers only they use.
class room : public std::enable_shared_from_this<room> {
public:
    // A member whose connection dropped keeps its seat for the resume grace,
    // but no more than `held_seats_per_network` such seats per network.
    // `timers` (when given) remind the holder of the talking piece when its
    // turn runs past the round's soft time.
    room(room_settings settings, std::size_t history_limit, std::size_t held_seats_per_network = 3,
         circle_timers* timers = nullptr);

    std::string const& slug() const { return slug_; }
    bool has_code() const;
    bool code_matches(std::optional<std::string> const& code) const;
    // New title, capacity or code from the store (`kring room edit`).
    void update(room_settings settings);

    enum class admission { joined, waiting };

    // Seats `who` under `name` and sends `joined`, or puts it in the waiting
    // room (`waiting` to it, `knock` to the moderators). A name someone else
    // in the circle goes by is refused (name_taken) when `who` chose it; a
    // name given by the server (a pseudonym, a moderator's own) gets a number
    // instead: "Gentle Heron 27 (2)".
    //
    // In a circle that requires its agreement, a participant who did not
    // agree is refused (agreement_required). `lang` is the language the
    // member reads the agreement in (joined.agreement).
    //
    // A scheduled circle seats a participant only while a session is open
    // (its lobby included), or once its moderator opened it early
    // (closed); a session opens when its first member comes in its hours.
    std::variant<admission, refusal> join(std::shared_ptr<participant> const& who, std::string name,
                                          bool chosen = true, bool agreed = false, std::string lang = "en",
                                          std::int64_t now_ms = 0);

    // Phases (room_phases.cpp). A moderator or facilitator moves the circle
    // on, never back (wrong_phase): everyone gets `phase`, the actor's copy
    // with `ref`. Moving a circle with no session on opens it early, to
    // its next session. `closed` ends the session as `end` does.
    verdict set_phase(participant const& actor, protocol::circle_phase phase, std::optional<std::string_view> ref,
                      std::int64_t now_ms);
    // The scheduled end of the session that ended at `end_ms`: it is closed
    // like `end`, unless it was closed since.
    void session_over(std::int64_t end_ms);
    // When the session now open ends (the timer's), if one is open.
    std::optional<std::int64_t> session_end() const;
    // The session a join refused as closed would wait for, with the zone.
    std::optional<session_time> next_session_at(std::int64_t now_ms) const;
    std::string schedule_zone() const;

    // The agreement in `lang`, else English, else the first there is.
    std::optional<protocol::agreement_text> agreement(std::string_view lang) const;
    // A moderator or facilitator points the circle to item `item` (from 1):
    // everyone gets `agreement_point`; the actor's copy carries `ref`.
    verdict point_agreement(participant const& actor, std::size_t item, std::optional<std::string_view> ref);

    // The circle's interpreter attaches a translation to a message still in
    // the ring, one per language (a second replaces the first): everyone
    // gets `translation`, newcomers see it in joined.history, and it goes
    // when its message is deleted.
    verdict translate(participant const& who, std::string_view message, std::string_view lang, std::string_view text,
                      std::optional<std::string_view> ref);

    // Writes the message once and shares it; the sender's copy carries `ref`.
    // `alarming` is given when the text holds crisis words: said or not (a
    // muted member is still heard by the moderators), a participant's
    // alarming text raises an alert of kind words, and what became of it
    // is written there.
    verdict say(participant const& who, std::string_view text, std::optional<std::string_view> ref,
                std::int64_t now_ms, alert_outcome* alarming = nullptr);

    // "I need help now": the moderators and admins of the circle who are
    // connected get `alert` (who and where, never words). With none there,
    // the alert waits for the first who comes (in `joined`, or on its
    // resume). Nothing reaches anyone else.
    std::variant<alert_outcome, refusal> ask_for_help(participant const& who, std::int64_t now_ms);
    // Alerts waiting for a moderator (none was there when they were raised).
    std::size_t waiting_alerts() const;

    // The talking piece (room_round.cpp). A moderator starts a round: the
    // piece goes round `order` (the participants present, in the order they
    // came, when none is given); while it does, a participant speaks only
    // holding it (not_your_turn), and moderators always may. The piece goes
    // past those who are away or just listening. Everyone gets `round` at
    // each step and `round_ended` at the end; the actor's copy carries `ref`.
    // With `turn_seconds`, a turn that lasts longer brings its holder and
    // those running the circle a gentle `round_reminder`, once; it cuts no
    // one off.
    verdict start_round(participant const& actor, std::optional<std::vector<std::string>> const& order,
                        std::optional<std::string> prompt, std::optional<std::string_view> ref,
                        std::optional<std::int64_t> turn_seconds = std::nullopt);
    // The turn numbered `turn` has lasted its soft time (the timer's).
    void turn_overdue(std::uint64_t turn);
    // The holder's done or pass, a moderator's skip or end.
    verdict move_round(participant const& actor, protocol::round_step step, std::optional<std::string_view> ref);
    // A moderator hands the piece to `member_id` (present, connected): it holds
    // it now, and the one it was taken from has it back next.
    verdict give_piece(participant const& actor, std::string_view member_id, std::optional<std::string_view> ref);

    // `who` gives (on) or takes back a reaction to a message still in the
    // ring: everyone gets the new counts; the reactor's copy carries `ref`.
    // When nothing changes, only the reactor hears the counts.
    verdict react(participant const& who, std::string_view message, protocol::reaction reaction, bool on,
                  std::optional<std::string_view> ref, std::int64_t now_ms);

    // `actor` raises or lowers its own hand, or (a moderator) lowers
    // `member`'s. Everyone gets `hand`; the moderators also the queue
    // (`hands`). When nothing changes, only the actor hears it.
    verdict hand(participant const& actor, std::optional<std::string> const& member_id, bool up,
                 std::optional<std::string_view> ref, std::int64_t now_ms);

    // In a moderated circle, one running it gives `member` the floor: it may
    // speak until the floor is taken back (nullopt) or given to another;
    // its raised hand goes down. Everyone gets `floor`; the actor's copy
    // carries `ref`.
    verdict give_floor(participant const& actor, std::optional<std::string> const& member_id,
                       std::optional<std::string_view> ref);

    // `who` is just listening (on), or not any more: everyone hears it; the
    // sender's copy carries `ref`. When nothing changes, only the sender.
    verdict set_listening(participant const& who, bool on, std::optional<std::string_view> ref);

    // A private word between a moderator (or admin) of the room and one
    // participant there, either way; never between two participants, and
    // never kept. Only the two ends get it; the sender's copy carries `ref`.
    verdict whisper(participant const& from, std::string_view member_id, std::string_view text,
                    std::optional<std::string_view> ref, std::int64_t now_ms);

    // A word to the moderators and admins of the room who are in it, for
    // handover and debriefing; the sender's copy carries `ref`. The recent
    // ones are kept in memory for moderators who come later (joined), until
    // the circle is ended.
    verdict mod_say(participant const& from, std::string_view text, std::optional<std::string_view> ref,
                    std::int64_t now_ms);

    verdict leave(participant& who);
    void resume(participant& who, std::optional<std::uint64_t> since);
    // `who`'s connection dropped. Its seat is held, and does not keep a
    // newcomer out: capacity counts connected members, and one who comes
    // back has its own seat even past it. The others hear it is away
    // (member_away), unless a connection came back since `generation`. Past
    // the held seats of its network, the seat held longest gives way
    // (member_left).
    void member_dropped(participant& who, std::uint64_t generation);
    // A dropped member was not resumed in time.
    void expire(participant& who);
    std::size_t member_count() const;
    // The slow-mode clocks kept (member id -> last message): only while slow
    // mode is on, and, past twice the members, only those still running.
    std::size_t slow_mode_clocks() const;

    // Moderation. Each checks that `actor` may moderate this room and that
    // the target is a participant, and tells every member what happened;
    // a mute and an unmute only the moderators and the member concerned.
    verdict mute(participant const& actor, std::string const& member_id, std::optional<std::int64_t> until_ms,
                 std::int64_t now_ms);
    verdict unmute(participant const& actor, std::string const& member_id);
    verdict remove(participant const& actor, std::string const& member_id, std::optional<std::string> const& reason);
    std::variant<ban_target, refusal> ban_target_of(participant const& actor, std::string const& member_id);
    // Removes a banned member (if still here) with a `banned` event.
    void apply_ban(std::string const& member_id, std::string_view scope, std::optional<std::int64_t> until_ms);
    // A private word to one participant: it and the moderators get `nudge`.
    verdict nudge(participant const& actor, std::string const& member_id, std::optional<std::int64_t> item,
                  std::optional<std::string> const& text);
    // Freezes the input of the participants until `until_ms` (UTC), or ends
    // the pause (nullopt): everyone gets `paused` or `unpaused`. Ending a
    // pause that is not on changes nothing and sends nothing.
    verdict pause(participant const& actor, std::optional<std::int64_t> until_ms,
                  std::optional<std::string> const& text, std::int64_t now_ms);
    // The pause that was to last until `until_ms` is over: `unpaused` to
    // everyone, unless it was ended or replaced since.
    void pause_elapsed(std::int64_t until_ms);
    // Until when the room is paused, if it is at `now_ms`.
    std::optional<std::int64_t> paused_until(std::int64_t now_ms) const;
    verdict delete_message(participant const& actor, std::string const& message);
    verdict pin(participant const& actor, std::optional<std::string> const& message,
                std::optional<std::string> const& text);
    verdict set_locked(participant const& actor, bool locked);
    verdict configure(participant const& actor, std::optional<bool> waiting, std::optional<std::int64_t> slow,
                      std::optional<bool> moderated);
    verdict admit(participant const& actor, std::string const& member_id);
    verdict deny(participant const& actor, std::string const& member_id);
    verdict end(participant const& actor);

    // Reports: the message as it is in the ring, and the live alert.
    std::variant<reported_message, refusal> find_reportable(participant const& reporter, std::string const& message);
    void alert_moderators(shared_frame const& frame) const;

private:
    struct member {
        std::shared_ptr<participant> who;
        std::string name;
        std::string name_key;      // protocol::name_key(name): no two members share one
        std::uint64_t dropped = 0; // the room's count of drops when it dropped; 0: connected
        bool listening = false;    // just listening, as it said; until it says otherwise or leaves
        std::array<std::int64_t, 2> alerted_at{}; // by alert kind: when its last alert was raised, ms
        std::string lang = "en";   // the language it reads the agreement in
        std::uint64_t seated_at = 0; // the room's seq when it sat down: under history joined, it reads after it
    };
    // An alert raised with no moderator there, until one comes.
    struct waiting_alert {
        std::string member;
        std::string name;
        protocol::alert_kind kind;
        std::optional<std::string> message;
        std::int64_t at;
    };
    struct given_reaction {
        std::string member;
        protocol::reaction reaction;
    };
    struct stored_message {
        std::uint64_t seq;
        std::string id;
        shared_frame frame; // written again, with the counts, when its reactions change
        std::string text;
        std::string author_id;
        std::string author_name;
        std::string author_role;
        std::int64_t ts = 0;
        std::vector<given_reaction> reactions; // one of each per member
        struct translation {
            std::string lang;
            std::string text;
            std::string by;
        };
        std::vector<translation> translations; // one per language
    };
    struct mute_entry {
        std::string member;
        std::optional<digest> device;
        std::optional<std::int64_t> until_ms;
    };

    using member_list = std::vector<member>;
    // The one lookup for both lists, the seated members and the waiting room.
    static member_list::iterator find_in(member_list& list, participant const& who);
    static member_list::iterator find_in(member_list& list, std::string_view id);
    protocol::room_entry entry_locked() const;
    protocol::member_entry entry_of(member const& m) const;
    protocol::member_entry author_of(member const& m) const;
    shared_frame joined_frame_locked(member const& you, std::uint64_t since, bool gap) const;
    // The seq after which `you` may read the ring: under history joined, a
    // participant reads only what was said since it sat down.
    std::uint64_t reads_after_locked(member const& you) const;
    protocol::agreement_text const* agreement_locked(std::string_view lang) const;
    void seat_locked(member m);
    void broadcast_locked(shared_frame const& frame, participant const* except) const;
    // An arrival, a departure, away or back: to everyone, or, in a room with
    // quiet arrivals, a participant's only to the moderators.
    void tell_presence_locked(shared_frame const& frame, participant const& subject) const;
    bool sees_presence_locked(participant const& viewer, participant const& subject) const;
    bool name_taken_locked(std::string_view key) const;
    std::string free_name_locked(std::string name) const;
    void broadcast_state_locked() const;
    void alert_moderators_locked(shared_frame const& frame) const;
    void tell_privately_locked(shared_frame const& frame, std::string_view member_id) const;
    void knock_again_locked(participant const& who) const;
    void show_hands_locked(participant const& who) const;
    alert_outcome raise_alert_locked(member& subject, protocol::alert_kind kind,
                                     std::optional<std::string_view> message, std::int64_t now_ms);
    // A moderator who comes gets the alerts that waited for one, and they are done.
    void show_waiting_alerts_locked(participant const& who);
    verdict check_round_actor_locked(participant const& actor);
    bool may_hold_piece_locked(std::string_view id) const;
    // The piece goes to the first one at or after `from` who may hold it;
    // with none, the round is complete. Everyone hears where it went.
    void pass_piece_locked(std::size_t from, participant const* actor, std::optional<std::string_view> ref);
    struct round_view {
        std::vector<std::string> order;
        std::string holder;
        std::optional<std::string> prompt;
        std::vector<std::string> passed;
        std::vector<std::string> skipped;
        std::optional<std::int64_t> turn_seconds;
        protocol::round_entry entry() const; // refers to this view's strings
    };
    round_view round_view_locked(participant const& viewer) const;
    // `round` to every member, each its own view; with `quietly_about` (an
    // arrival or departure that moved no piece), only to those who hear of
    // that member's comings and goings.
    void tell_round_locked(participant const* actor, std::optional<std::string_view> ref,
                           participant const* quietly_about = nullptr) const;
    void end_round_locked(bool complete, participant const* actor, std::optional<std::string_view> ref);
    // A new holder: its turn's soft time starts.
    void new_turn_locked();
    // A participant sat down during a round: to the end of its order (true;
    // the caller tells the round once the arrival is told), or a member left
    // (out of it; the piece moves on if it held it).
    bool round_arrival_locked(member const& m);
    void round_departure_locked(participant const& who);
    bool hand_up_locked(std::string_view id) const;
    void hand_changed_locked(std::string_view id, bool up, participant const* actor,
                             std::optional<std::string_view> by, std::optional<std::string_view> ref) const;
    verdict check_actor_locked(participant const& actor) const;
    // What end does: everyone out, the ring and the session's state wiped.
    void end_locked();
    // A session past its end (its timer late, or lost to a restart) is closed.
    void close_overdue_session_locked(std::int64_t now_ms);
    void close_session_locked(participant const* actor, std::optional<std::string_view> ref);
    // `announce`: tell everyone the lobby is open (a join opened it).
    void open_session_locked(session_time const& session, bool announce, std::int64_t now_ms);
    // The session open at `now_ms` that a join may open: not one closed by hand.
    std::optional<session_time> session_to_open_locked(std::int64_t now_ms) const;
    // A moderator or facilitator of the circle, in it.
    verdict check_facilitator_locked(participant const& actor);
    void unseat_locked(member_list::iterator seat);
    std::size_t connected_count_locked() const;
    void release_held_seat_locked(std::optional<digest> const& network);
    std::variant<member_list::iterator, refusal> moderation_target_locked(participant const& actor,
                                                                          std::string const& id);
    // Someone in the waiting room, for admit and deny.
    std::variant<member_list::iterator, refusal> waiting_target_locked(participant const& actor, std::string const& id);
    bool is_muted_locked(participant const& who, std::int64_t now_ms) const;
    // `paused` for a participant while the pause lasts; nothing for moderators.
    std::optional<refusal> pause_refusal_locked(participant const& who, std::int64_t now_ms) const;
    std::optional<refusal> speech_refusal_locked(participant const& who, std::int64_t now_ms);
    void remember_said_locked(std::string const& id, std::int64_t now_ms);
    bool imitates_staff_locked(std::string_view name) const;
    static protocol::reaction_counts counts_of(stored_message const& m);
    // Writes the kept frame again with its counts and translations, for joined.history.
    void rewrite_locked(stored_message& m);

    std::string const slug_;
    room_settings settings_;
    std::size_t const history_limit_;
    std::size_t const held_seats_per_network_;
    std::uint64_t drops_ = 0;

    mutable std::mutex mutex_;
    member_list members_;
    member_list waiting_list_;
    std::deque<stored_message> history_;
    // Recent deletions, so a resume can take away what a client still shows.
    struct deletion {
        std::uint64_t at_seq; // the room's seq when it was deleted
        std::string id;
    };
    small_ring<deletion> deletions_; // a deque would hold 512 bytes in every circle, most of which delete nothing
    std::uint64_t seq_ = 0;

    bool locked_ = false;
    bool waiting_ = false;
    std::int64_t slow_seconds_ = 0;
    bool moderated_ = false;
    struct pin_state {
        std::optional<std::string> message;
        std::string text;
        std::string by;
    };
    std::optional<pin_state> pin_;
    struct pause_state {
        std::int64_t until_ms = 0;
        std::optional<std::string> text;
    };
    std::optional<pause_state> pause_; // until its timer says it is over, or a moderator ends it
    std::vector<mute_entry> mutes_;
    std::map<std::string, std::int64_t, std::less<>> last_said_; // member id -> ms, while slow mode is on
    std::vector<std::string> hands_; // ids of the members whose hand is up, first raised first
    std::optional<std::string> floor_; // who may speak in moderated mode, given the floor
    small_ring<shared_frame> mod_history_; // the moderators' recent words; only they see them
    std::vector<waiting_alert> waiting_alerts_; // one per member and kind; gone when it leaves
    struct round_state {
        std::vector<std::string> order; // member ids, in turn
        std::size_t holder = 0;         // its index in order
        std::optional<std::string> prompt;
        std::vector<std::string> passed;
        std::vector<std::string> skipped;
        std::optional<std::int64_t> turn_seconds; // a turn's soft time
        std::uint64_t turn = 0;                  // counts the holders, for the reminder's timer
    };
    std::optional<round_state> round_;
    circle_timers* const timers_;
    std::optional<protocol::circle_phase> phase_; // none: no session on, or a circle without phases
    std::optional<session_time> session_;         // the scheduled session now open
    std::optional<std::int64_t> closed_session_end_; // the end of the last session closed, which stays closed
};

} // namespace kring
