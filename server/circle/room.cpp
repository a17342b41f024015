// The hot path of a circle: joining, speaking, leaving and resuming, the
// speech and join rules every one of them passes through, and the fan-out.
#include "circle/room.hpp"

#include <kring/protocol/server_messages.hpp>
#include <kring/protocol/names.hpp>

#include <algorithm>
#include <atomic>

namespace kring {
namespace {

std::string next_message_id()
{
    static std::atomic<std::uint64_t> counter{0};
    return "m" + std::to_string(++counter);
}

} // namespace

room::room(room_settings settings, std::size_t history_limit, std::size_t held_seats_per_network,
           circle_timers* timers)
    : slug_(settings.slug)
    , settings_(std::move(settings))
    , history_limit_(history_limit)
    , held_seats_per_network_(held_seats_per_network)
    , timers_(timers)
{
}

void room::update(room_settings settings)
{
    std::lock_guard lock{mutex_};
    settings.slug = slug_;
    settings_ = std::move(settings);
}

bool room::has_code() const
{
    std::lock_guard lock{mutex_};
    return settings_.code_digest.has_value();
}

bool room::code_matches(std::optional<std::string> const& code) const
{
    std::lock_guard lock{mutex_};
    if (!settings_.code_digest)
        return true;
    return code && constant_time_equal(sha256(*code), *settings_.code_digest);
}

// Every way out of the circle passes here: a hand still up goes down.
void room::unseat_locked(member_list::iterator seat)
{
    auto const who = seat->who;
    members_.erase(seat);
    who->exit(this);
    std::erase_if(waiting_alerts_, [&](waiting_alert const& a) { return a.member == who->id(); });
    round_departure_locked(*who);
    if (floor_ == who->id()) {
        // That it went tells of a departure: to those who hear of it.
        floor_.reset();
        tell_presence_locked(make_frame(protocol::write_floor(slug(), std::nullopt, "", std::nullopt)), *who);
    }
    // That it went down tells of a departure: only those who may hear of
    // this member's comings and goings hear of it (quiet arrivals).
    if (std::erase(hands_, who->id()) > 0) {
        tell_presence_locked(make_frame(protocol::write_hand(slug(), who->id(), false, std::nullopt, std::nullopt)),
                             *who);
        alert_moderators_locked(make_frame(protocol::write_hands(slug(), hands_)));
    }
}

bool room::is_muted_locked(participant const& who, std::int64_t now_ms) const
{
    auto const device = who.marks().device;
    return std::any_of(mutes_.begin(), mutes_.end(), [&](mute_entry const& m) {
        bool const same = m.member == who.id() || (m.device && device && *m.device == *device);
        return same && (!m.until_ms || *m.until_ms > now_ms);
    });
}

std::optional<refusal> room::speech_refusal_locked(participant const& who, std::int64_t now_ms)
{
    if (who.may_facilitate(slug()))
        return std::nullopt;
    if (auto paused = pause_refusal_locked(who, now_ms))
        return paused;
    if (is_muted_locked(who, now_ms))
        return refusal{protocol::error_code::muted};
    // In a round only the holder speaks, even in a moderated circle.
    if (round_) {
        if (round_->order[round_->holder] != who.id())
            return refusal{protocol::error_code::not_your_turn};
    } else if (moderated_ && floor_ != who.id()) {
        return refusal{protocol::error_code::moderated};
    }
    if (slow_seconds_ == 0)
        return std::nullopt;
    auto const last = last_said_.find(who.id());
    if (last != last_said_.end()) {
        std::int64_t const wait_ms = last->second + slow_seconds_ * 1000 - now_ms;
        if (wait_ms > 0)
            return refusal{protocol::error_code::slow_mode, (wait_ms + 999) / 1000};
    }
    remember_said_locked(who.id(), now_ms);
    return std::nullopt;
}

// A clock outlives its member's seat (leaving and rejoining skips no wait)
// but is no use once its wait is over: past twice the members, those are
// forgotten, so that everyone who ever spoke and left does not pile up.
void room::remember_said_locked(std::string const& id, std::int64_t now_ms)
{
    last_said_[id] = now_ms;
    if (last_said_.size() <= 2 * members_.size() + 16)
        return;
    auto const waited_out = now_ms - slow_seconds_ * 1000;
    std::erase_if(last_said_, [&](auto const& clock) { return clock.second <= waited_out; });
}

std::size_t room::slow_mode_clocks() const
{
    std::lock_guard lock{mutex_};
    return last_said_.size();
}

bool room::imitates_staff_locked(std::string_view name) const
{
    return std::any_of(members_.begin(), members_.end(), [&](member const& m) {
        return m.who->is_staff() && protocol::names_look_alike(name, m.name);
    });
}

room::member_list::iterator room::find_in(member_list& list, participant const& who)
{
    return std::find_if(list.begin(), list.end(), [&](member const& m) { return m.who.get() == &who; });
}

room::member_list::iterator room::find_in(member_list& list, std::string_view id)
{
    return std::find_if(list.begin(), list.end(), [&](member const& m) { return m.who->id() == id; });
}

std::variant<room::admission, refusal> room::join(std::shared_ptr<participant> const& who, std::string name,
                                                 bool chosen, bool agreed, std::string lang, std::int64_t now_ms)
{
    // Judged before the lock: the circle need not wait on ICU for it.
    bool const runs_it = who->may_facilitate(slug());
    bool const claims_role = !runs_it && protocol::is_reserved_name(name);
    auto key = protocol::name_key(name);
    std::lock_guard lock{mutex_};
    if (find_in(members_, *who) != members_.end() || find_in(waiting_list_, *who) != waiting_list_.end())
        return refusal{protocol::error_code::already_joined};
    if (!runs_it) {
        if (locked_)
            return refusal{protocol::error_code::locked};
        if (claims_role)
            return refusal{protocol::name_refusal::reserved};
        if (imitates_staff_locked(name))
            return refusal{protocol::name_refusal::imitates_staff};
    }
    if (name_taken_locked(key)) {
        if (chosen)
            return refusal{protocol::error_code::name_taken};
        name = free_name_locked(std::move(name));
        key = protocol::name_key(name);
    }
    if (settings_.schedule) {
        close_overdue_session_locked(now_ms);
        if (!phase_) {
            if (auto const open = session_to_open_locked(now_ms))
                open_session_locked(*open, true, now_ms);
            else if (!runs_it)
                return refusal{protocol::error_code::closed};
        }
    }
    if (!runs_it) {
        if (settings_.agreement_required && !agreed)
            return refusal{protocol::error_code::agreement_required};
        if (connected_count_locked() >= settings_.capacity)
            return refusal{protocol::error_code::room_full};
        if (waiting_) {
            who->send(make_frame(protocol::write_waiting(slug())));
            auto const knock = make_frame(protocol::write_knock(slug(), {who->id(), name, who->role_in(slug())}));
            member waiting{who, std::move(name), std::move(key)};
            waiting.lang = std::move(lang);
            waiting_list_.push_back(std::move(waiting));
            who->wait_at(shared_from_this());
            alert_moderators_locked(knock);
            return admission::waiting;
        }
    }
    member seated{who, std::move(name), std::move(key)};
    seated.lang = std::move(lang);
    seat_locked(std::move(seated));
    return admission::joined;
}

// Seated members and those at the door alike: admitting one must not seat
// a second of the same name.
bool room::name_taken_locked(std::string_view key) const
{
    auto const same = [&](member const& m) { return m.name_key == key; };
    return std::any_of(members_.begin(), members_.end(), same) ||
           std::any_of(waiting_list_.begin(), waiting_list_.end(), same);
}

std::string room::free_name_locked(std::string name) const
{
    for (int n = 2;; ++n) {
        auto candidate = name + " (" + std::to_string(n) + ")";
        if (!name_taken_locked(protocol::name_key(candidate)))
            return candidate;
    }
}

void room::seat_locked(member m)
{
    m.seated_at = seq_;
    // Seats for the circle's capacity at once, rather than a vector's
    // doubling (16 for 10); a large circle still grows as it fills.
    if (members_.size() == members_.capacity()) {
        auto const seats = std::min<std::size_t>(settings_.capacity, 32);
        members_.reserve(members_.size() < seats ? seats : 2 * members_.size());
    }
    auto const& you = members_.emplace_back(std::move(m));
    you.who->enter(shared_from_this());
    bool const in_round = round_arrival_locked(you); // before joined, which then shows it in the order
    you.who->go_live(this, joined_frame_locked(you, 0, false));
    tell_presence_locked(make_frame(protocol::write_member_joined(slug(), entry_of(you))), *you.who);
    if (in_round)
        tell_round_locked(nullptr, std::nullopt, you.who.get());
    knock_again_locked(*you.who);
    show_hands_locked(*you.who);
    show_waiting_alerts_locked(*you.who);
}

// A moderator who arrives (or comes back) hears who is waiting at the door.
void room::knock_again_locked(participant const& who) const
{
    if (!who.may_moderate(slug()))
        return;
    for (auto const& waiting : waiting_list_)
        who.deliver(this, make_frame(protocol::write_knock(slug(), entry_of(waiting))));
}

verdict room::say(participant const& who, std::string_view text, std::optional<std::string_view> ref,
                  std::int64_t now_ms, alert_outcome* alarming)
{
    std::lock_guard lock{mutex_};
    auto const sender = find_in(members_, who);
    if (sender == members_.end())
        return refusal{protocol::error_code::not_in_room};
    if (who.may_facilitate(slug()))
        alarming = nullptr; // the one running the circle, naming the words, is not in danger
    if (auto const refused = speech_refusal_locked(who, now_ms)) {
        if (alarming)
            *alarming = raise_alert_locked(*sender, protocol::alert_kind::words, std::nullopt, now_ms);
        return *refused;
    }

    auto id = next_message_id();
    protocol::message_frame message{slug(), ++seq_, id, author_of(*sender), text, now_ms, {}, nullptr, {}};
    auto const shared = make_frame(protocol::write_message(message));
    if (history_limit_ > 0) {
        history_.push_back(
            {seq_, id, shared, std::string{text}, who.id(), sender->name, std::string{who.role_in(slug())}, now_ms, {}, {}});
        if (history_.size() > history_limit_)
            history_.pop_front();
    }
    broadcast_locked(shared, ref ? &who : nullptr);
    if (ref) {
        message.ref = ref;
        who.deliver(this, make_frame(protocol::write_message(message)));
    }
    if (alarming)
        *alarming = raise_alert_locked(*sender, protocol::alert_kind::words, id, now_ms);
    return done;
}

verdict room::leave(participant& who)
{
    std::lock_guard lock{mutex_};
    auto const left = make_frame(protocol::write_left(slug()));
    auto const waiting = find_in(waiting_list_, who);
    if (waiting != waiting_list_.end()) {
        who.send(left);
        who.stop_waiting(this);
        waiting_list_.erase(waiting);
        return done;
    }
    auto const m = find_in(members_, who);
    if (m == members_.end())
        return refusal{protocol::error_code::not_in_room};
    who.deliver(this, left);
    unseat_locked(m); // its slow-mode clock stays: leaving and rejoining skips no wait
    tell_presence_locked(make_frame(protocol::write_member_left(slug(), who.id())), who);
    return done;
}

void room::resume(participant& who, std::optional<std::uint64_t> since)
{
    std::lock_guard lock{mutex_};
    auto const m = find_in(members_, who);
    if (m == members_.end())
        return;
    // A resume brings what it missed, never what came before it sat down.
    std::uint64_t const after = std::max(since.value_or(0), reads_after_locked(*m));
    bool const missed_some = seq_ > after;
    bool const gap = since && missed_some && (history_.empty() || history_.front().seq > after + 1);
    bool const was_away = m->dropped != 0;
    m->dropped = 0;
    who.go_live(this, joined_frame_locked(*m, after, gap));
    // What changed on the messages it has while it was away: their counts
    // and translations as they are now.
    if (since)
        for (auto const& stored : history_) {
            if (stored.seq <= reads_after_locked(*m) || stored.seq > *since)
                continue;
            if (!stored.reactions.empty())
                who.deliver(this, make_frame(protocol::write_reactions(slug(), stored.id, counts_of(stored),
                                                                       std::nullopt)));
            for (auto const& t : stored.translations)
                who.deliver(this, make_frame(protocol::write_translation(slug(), stored.id, {t.lang, t.text, t.by},
                                                                         std::nullopt)));
        }
    if (was_away)
        tell_presence_locked(make_frame(protocol::write_member_back(slug(), who.id())), who);
    knock_again_locked(who);
    show_hands_locked(who);
    show_waiting_alerts_locked(who);
}

void room::member_dropped(participant& who, std::uint64_t generation)
{
    std::lock_guard lock{mutex_};
    auto const m = find_in(members_, who);
    if (m == members_.end() || m->dropped != 0 || !who.still_detached(generation))
        return; // not here, already away, or back already
    m->dropped = ++drops_;
    tell_presence_locked(make_frame(protocol::write_member_away(slug(), who.id())), who);
    if (!who.may_moderate(slug()))
        release_held_seat_locked(who.marks().address);
}

std::size_t room::connected_count_locked() const
{
    return static_cast<std::size_t>(
        std::count_if(members_.begin(), members_.end(), [](member const& m) { return m.dropped == 0; }));
}

// So that connecting, joining and dropping in a loop cannot fill a circle
// with seats nobody sits in, one network holds only so many.
void room::release_held_seat_locked(std::optional<digest> const& network)
{
    if (!network)
        return;
    std::size_t held = 0;
    auto oldest = members_.end();
    for (auto it = members_.begin(); it != members_.end(); ++it) {
        if (it->dropped == 0 || it->who->marks().address != network || it->who->may_moderate(slug()))
            continue;
        ++held;
        if (oldest == members_.end() || it->dropped < oldest->dropped)
            oldest = it;
    }
    if (held <= held_seats_per_network_)
        return;
    auto const gone = oldest->who;
    unseat_locked(oldest);
    last_said_.erase(gone->id());
    tell_presence_locked(make_frame(protocol::write_member_left(slug(), gone->id())), *gone);
}

void room::expire(participant& who)
{
    std::lock_guard lock{mutex_};
    std::erase_if(waiting_list_, [&](member const& m) { return m.who.get() == &who; });
    who.stop_waiting(this);
    auto const m = find_in(members_, who);
    if (m == members_.end())
        return;
    unseat_locked(m);
    last_said_.erase(who.id());
    tell_presence_locked(make_frame(protocol::write_member_left(slug(), who.id())), who);
}

std::size_t room::member_count() const
{
    std::lock_guard lock{mutex_};
    return members_.size();
}

protocol::member_entry room::entry_of(member const& m) const
{
    return {m.who->id(), m.name, m.who->role_in(slug()), m.dropped != 0, hand_up_locked(m.who->id()), m.listening};
}

// Who wrote something: {id, name, role}, without the state of the moment
// (a hand, listening, away), which a kept message would carry stale.
protocol::member_entry room::author_of(member const& m) const
{
    return {m.who->id(), m.name, m.who->role_in(slug())};
}

protocol::room_entry room::entry_locked() const
{
    protocol::room_entry entry{slug(), settings_.title, settings_.capacity, locked_, waiting_, slow_seconds_,
                               moderated_ ? "moderated" : "open", std::nullopt, settings_.quiet_arrivals};
    entry.history = protocol::to_string(settings_.history);
    entry.agreement_required = settings_.agreement_required;
    entry.peer_led = settings_.peer_led;
    if (pin_)
        entry.pinned = protocol::pinned_entry{pin_->message, pin_->text, pin_->by};
    return entry;
}

std::uint64_t room::reads_after_locked(member const& you) const
{
    // Its moderators and facilitators keep the circle safe: they read the session.
    if (settings_.history == protocol::history_mode::session || you.who->may_facilitate(slug()))
        return 0;
    return you.seated_at;
}

shared_frame room::joined_frame_locked(member const& you, std::uint64_t since, bool gap) const
{
    auto const reads_after = std::max(since, reads_after_locked(you));
    std::vector<protocol::member_entry> members;
    members.reserve(members_.size());
    for (auto const& m : members_)
        if (m.who == you.who || sees_presence_locked(*you.who, *m.who))
            members.push_back(entry_of(m));

    std::vector<std::string_view> history;
    for (auto const& stored : history_)
        if (stored.seq > reads_after)
            history.emplace_back(stored.frame->text());
    std::vector<std::string_view> mod_history;
    if (you.who->may_facilitate(slug()))
        for (std::size_t i = 0; i < mod_history_.size(); ++i)
            mod_history.emplace_back(mod_history_[i]->text());
    std::vector<std::string_view> deleted;
    if (since > 0) // a resume: messages the client has may have gone since
        for (std::size_t i = 0; i < deletions_.size(); ++i)
            if (deletions_[i].at_seq >= since)
                deleted.emplace_back(deletions_[i].id);

    std::optional<protocol::pause_entry> pause;
    if (pause_)
        pause = protocol::pause_entry{pause_->until_ms, pause_->text};
    std::optional<protocol::session_entry> session;
    if (session_ && settings_.schedule)
        session = protocol::session_entry{session_->opens, session_->start, session_->end, settings_.schedule->zone};
    std::string agreement;
    if (auto const* text = agreement_locked(you.lang))
        agreement = protocol::write_agreement_object(*text);
    std::optional<round_view> round_seen;
    std::optional<protocol::round_entry> round;
    if (round_) {
        round_seen = round_view_locked(*you.who);
        round = round_seen->entry();
    }

    return make_frame(protocol::write_joined({
        .room = entry_locked(),
        .you = entry_of(you),
        .members = members,
        .history = history,
        .seq = seq_,
        .gap = gap,
        .deleted = deleted,
        .mod_history = mod_history,
        .pause = pause,
        .round = round,
        .agreement = agreement,
        .phase = phase_,
        .session = session,
    }));
}

void room::broadcast_locked(shared_frame const& frame, participant const* except) const
{
    for (auto const& m : members_)
        if (m.who.get() != except)
            m.who->deliver(this, frame);
}

bool room::sees_presence_locked(participant const& viewer, participant const& subject) const
{
    return !settings_.quiet_arrivals || subject.keeps_circles() || subject.may_facilitate(slug()) ||
           viewer.may_facilitate(slug());
}

void room::tell_presence_locked(shared_frame const& frame, participant const& subject) const
{
    for (auto const& m : members_)
        if (m.who.get() != &subject && sees_presence_locked(*m.who, subject))
            m.who->deliver(this, frame);
}

void room::alert_moderators(shared_frame const& frame) const
{
    std::lock_guard lock{mutex_};
    alert_moderators_locked(frame);
}

void room::alert_moderators_locked(shared_frame const& frame) const
{
    for (auto const& m : members_)
        if (m.who->may_facilitate(slug()))
            m.who->deliver(this, frame);
}

} // namespace kring
