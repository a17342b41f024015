// Where an evening circle is, and when it meets: its phases (lobby,
// check-in, sharing, check-out, closed), held here and seen by everyone,
// and the sessions of its schedule, which open it and close it.
#include "circle/room.hpp"

#include <kring/protocol/server_messages.hpp>

#include <algorithm>
#include <chrono>

namespace kring {

void room::open_session_locked(session_time const& session, bool announce, std::int64_t now_ms)
{
    // Each session starts with an empty ring: nothing of one evening reaches the next.
    history_.clear();
    deletions_.clear();
    mod_history_.clear();
    session_ = session;
    phase_ = protocol::circle_phase::lobby;
    if (announce)
        broadcast_locked(make_frame(protocol::write_phase(slug(), *phase_, std::nullopt, std::nullopt)), nullptr);
    // Its end closes it, whoever is there, under this lock: armed as it opens.
    if (!timers_)
        return;
    std::weak_ptr<room> const self = weak_from_this();
    auto const end = session.end;
    timers_->arm("session:" + slug(), std::chrono::milliseconds{std::max<std::int64_t>(0, end - now_ms)}, [self, end] {
        if (auto const r = self.lock())
            r->session_over(end);
    });
}

void room::close_session_locked(participant const* actor, std::optional<std::string_view> ref)
{
    std::optional<std::string_view> by;
    std::string name;
    if (actor) {
        auto const m = find_in(members_, *actor);
        if (m != members_.end())
            name = m->name;
        by = name;
    }
    // A session closed before its end stays closed until then: the next to
    // come does not open it again.
    if (session_)
        closed_session_end_ = session_->end;
    auto const closed = protocol::circle_phase::closed;
    broadcast_locked(make_frame(protocol::write_phase(slug(), closed, by, std::nullopt)), ref ? actor : nullptr);
    if (ref && actor)
        actor->deliver(this, make_frame(protocol::write_phase(slug(), closed, by, ref)));
    end_locked();
}

void room::close_overdue_session_locked(std::int64_t now_ms)
{
    if (session_ && now_ms >= session_->end)
        close_session_locked(nullptr, std::nullopt);
}

std::optional<session_time> room::session_to_open_locked(std::int64_t now_ms) const
{
    auto open = open_session(*settings_.schedule, now_ms);
    if (open && closed_session_end_ == open->end)
        return std::nullopt; // closed by hand already
    return open;
}

verdict room::set_phase(participant const& actor, protocol::circle_phase phase, std::optional<std::string_view> ref,
                        std::int64_t now_ms)
{
    std::lock_guard lock{mutex_};
    if (auto const checked = check_facilitator_locked(actor); !checked.done())
        return checked;
    if (settings_.schedule) {
        close_overdue_session_locked(now_ms);
        if (find_in(members_, actor) == members_.end())
            return refusal{protocol::error_code::not_in_room}; // the session it was in is over
    }
    if (phase == protocol::circle_phase::closed) {
        if (!phase_)
            return refusal{protocol::error_code::wrong_phase}; // nothing is open to close
        // Closing sends everyone away, as end does: a moderator's, or the
        // facilitator's of a peer-led circle.
        if (!actor.may_moderate(slug()) && !settings_.peer_led)
            return refusal{protocol::error_code::forbidden};
        close_session_locked(&actor, ref);
        return done;
    }
    if (phase_ && phase <= *phase_)
        return refusal{protocol::error_code::wrong_phase}; // on, never back
    if (!phase_ && settings_.schedule) {
        // Opened by hand: in its hours, or early, for its next session.
        auto session = open_session(*settings_.schedule, now_ms);
        if (!session)
            session = next_session(*settings_.schedule, now_ms);
        if (session)
            open_session_locked(*session, false, now_ms);
    }
    phase_ = phase;
    auto const by = find_in(members_, actor)->name;
    broadcast_locked(make_frame(protocol::write_phase(slug(), phase, by, std::nullopt)), ref ? &actor : nullptr);
    if (ref)
        actor.deliver(this, make_frame(protocol::write_phase(slug(), phase, by, ref)));
    return done;
}

void room::session_over(std::int64_t end_ms)
{
    std::lock_guard lock{mutex_};
    if (!session_ || session_->end != end_ms)
        return; // closed by hand since, or another session now
    close_session_locked(nullptr, std::nullopt);
}

std::optional<std::int64_t> room::session_end() const
{
    std::lock_guard lock{mutex_};
    if (!session_)
        return std::nullopt;
    return session_->end;
}

std::optional<session_time> room::next_session_at(std::int64_t now_ms) const
{
    std::lock_guard lock{mutex_};
    if (!settings_.schedule)
        return std::nullopt;
    return next_session(*settings_.schedule, now_ms);
}

std::string room::schedule_zone() const
{
    std::lock_guard lock{mutex_};
    return settings_.schedule ? settings_.schedule->zone : std::string{};
}

} // namespace kring
