// What moderators can do in a circle: mute, remove, ban, delete, pin, lock,
// the waiting room, slow and moderated modes, and ending it. Each verb checks
// that the actor may moderate this room and tells the members what happened
// (a mute only the moderators and the muted member).
// The rules these set are enforced on the hot path, in room.cpp.
#include "circle/room.hpp"

#include <kring/protocol/server_messages.hpp>

#include <algorithm>

namespace kring {

using protocol::error_code;

verdict room::check_actor_locked(participant const& actor) const
{
    if (!actor.may_moderate(slug()))
        return refusal{error_code::forbidden};
    return done;
}

verdict room::check_facilitator_locked(participant const& actor)
{
    if (!actor.may_facilitate(slug()))
        return refusal{error_code::forbidden};
    if (find_in(members_, actor) == members_.end())
        return refusal{error_code::not_in_room};
    return done;
}

std::variant<room::member_list::iterator, refusal> room::moderation_target_locked(participant const& actor,
                                                                                  std::string const& id)
{
    if (auto const checked = check_actor_locked(actor); !checked.done())
        return checked.refused();
    auto const target = find_in(members_, id);
    if (target == members_.end())
        return refusal{error_code::no_such_member};
    if (target->who->keeps_circles() || target->who->may_facilitate(slug()))
        return refusal{error_code::forbidden}; // staff answer to the admin, not to each other
    return target;
}

std::variant<room::member_list::iterator, refusal> room::waiting_target_locked(participant const& actor,
                                                                               std::string const& id)
{
    if (auto const checked = check_actor_locked(actor); !checked.done())
        return checked.refused();
    auto const target = find_in(waiting_list_, id);
    if (target == waiting_list_.end())
        return refusal{error_code::no_such_member};
    return target;
}

void room::broadcast_state_locked() const
{
    broadcast_locked(make_frame(protocol::write_room_state(entry_locked())), nullptr);
}

// A mute and a nudge are not announced: only the moderators and the member
// hear of them, so that no one is shamed before the circle.
void room::tell_privately_locked(shared_frame const& frame, std::string_view member_id) const
{
    alert_moderators_locked(frame);
    auto const target = std::find_if(members_.begin(), members_.end(),
                                     [&](member const& m) { return m.who->id() == member_id; });
    if (target != members_.end() && !target->who->may_moderate(slug()))
        target->who->deliver(this, frame);
}

verdict room::mute(participant const& actor, std::string const& member_id, std::optional<std::int64_t> until_ms,
                   std::int64_t now_ms)
{
    std::lock_guard lock{mutex_};
    auto target = moderation_target_locked(actor, member_id);
    if (auto const* refused = std::get_if<refusal>(&target))
        return *refused;
    auto const& who = *std::get<member_list::iterator>(target)->who;
    std::erase_if(mutes_, [&](mute_entry const& m) { return m.member == member_id || (m.until_ms && *m.until_ms <= now_ms); });
    mutes_.push_back({member_id, who.marks().device, until_ms});
    tell_privately_locked(make_frame(protocol::write_member_event({"muted", slug(), member_id, until_ms, {}, {}})), member_id);
    return done;
}

verdict room::unmute(participant const& actor, std::string const& member_id)
{
    std::lock_guard lock{mutex_};
    if (auto const checked = check_actor_locked(actor); !checked.done())
        return checked;
    auto const target = find_in(members_, member_id);
    if (target != members_.end() && (target->who->keeps_circles() || target->who->may_facilitate(slug())))
        return refusal{error_code::forbidden}; // staff are never muted: nor is their device unmuted
    auto const device = target != members_.end() ? target->who->marks().device : std::nullopt;
    auto const removed = std::erase_if(mutes_, [&](mute_entry const& m) {
        return m.member == member_id || (m.device && device && *m.device == *device);
    });
    if (removed == 0 && target == members_.end())
        return refusal{error_code::no_such_member};
    tell_privately_locked(make_frame(protocol::write_member_event({"unmuted", slug(), member_id, {}, {}, {}})), member_id);
    return done;
}

verdict room::nudge(participant const& actor, std::string const& member_id, std::optional<std::int64_t> item,
                    std::optional<std::string> const& text)
{
    std::lock_guard lock{mutex_};
    auto target = moderation_target_locked(actor, member_id);
    if (auto const* refused = std::get_if<refusal>(&target))
        return *refused;
    auto const& who = *std::get<member_list::iterator>(target);
    if (who.dropped != 0)
        return refusal{error_code::member_away}; // nothing of it is kept for later
    std::optional<std::string_view> words;
    if (text)
        words = *text;
    tell_privately_locked(make_frame(protocol::write_nudge(slug(), member_id, actor.display_name(), item, words)), member_id);
    return done;
}

verdict room::remove(participant const& actor, std::string const& member_id, std::optional<std::string> const& reason)
{
    std::lock_guard lock{mutex_};
    auto target = moderation_target_locked(actor, member_id);
    if (auto const* refused = std::get_if<refusal>(&target))
        return *refused;
    std::optional<std::string_view> why;
    if (reason)
        why = *reason;
    broadcast_locked(make_frame(protocol::write_member_event({"removed", slug(), member_id, {}, why, {}})), nullptr);
    unseat_locked(std::get<member_list::iterator>(target));
    return done;
}

std::variant<ban_target, refusal> room::ban_target_of(participant const& actor, std::string const& member_id)
{
    std::lock_guard lock{mutex_};
    if (auto const checked = check_actor_locked(actor); !checked.done())
        return checked.refused();
    auto it = find_in(members_, member_id);
    if (it == members_.end()) {
        it = find_in(waiting_list_, member_id);
        if (it == waiting_list_.end())
            return refusal{error_code::no_such_member};
    }
    if (it->who->keeps_circles() || it->who->may_facilitate(slug()))
        return refusal{error_code::forbidden};
    return ban_target{it->who, it->who->marks()};
}

void room::apply_ban(std::string const& member_id, std::string_view scope, std::optional<std::int64_t> until_ms)
{
    std::lock_guard lock{mutex_};
    auto const event = make_frame(protocol::write_member_event({"banned", slug(), member_id, until_ms, {}, scope}));
    if (auto const waiting = find_in(waiting_list_, member_id); waiting != waiting_list_.end()) {
        waiting->who->send(event);
        waiting->who->stop_waiting(this);
        waiting_list_.erase(waiting);
    }
    auto const it = find_in(members_, member_id);
    if (it == members_.end())
        return;
    broadcast_locked(event, nullptr);
    unseat_locked(it);
}

verdict room::delete_message(participant const& actor, std::string const& message)
{
    std::lock_guard lock{mutex_};
    if (auto const checked = check_actor_locked(actor); !checked.done())
        return checked;
    auto const found = std::find_if(history_.begin(), history_.end(), [&](auto const& m) { return m.id == message; });
    if (found == history_.end())
        return refusal{error_code::no_such_message};
    history_.erase(found);
    deletions_.push_back({seq_, message});
    if (deletions_.size() > std::max<std::size_t>(history_limit_, 16))
        deletions_.pop_front();
    broadcast_locked(make_frame(protocol::write_deleted(slug(), message)), nullptr);
    if (pin_ && pin_->message == message) {
        pin_.reset(); // a deleted message is not left pinned
        broadcast_locked(make_frame(protocol::write_pinned(slug(), std::nullopt)), nullptr);
    }
    return done;
}

verdict room::pin(participant const& actor, std::optional<std::string> const& message,
                  std::optional<std::string> const& text)
{
    std::lock_guard lock{mutex_};
    if (auto const checked = check_actor_locked(actor); !checked.done())
        return checked;
    if (message) {
        auto const found = std::find_if(history_.begin(), history_.end(), [&](auto const& m) { return m.id == *message; });
        if (found == history_.end())
            return refusal{error_code::no_such_message};
        pin_ = pin_state{*message, found->text, actor.display_name()};
    } else if (text) {
        pin_ = pin_state{std::nullopt, *text, actor.display_name()};
    } else {
        pin_.reset();
    }
    auto const entry = entry_locked();
    broadcast_locked(make_frame(protocol::write_pinned(slug(), entry.pinned)), nullptr);
    return done;
}

verdict room::set_locked(participant const& actor, bool locked)
{
    std::lock_guard lock{mutex_};
    if (auto const checked = check_actor_locked(actor); !checked.done())
        return checked;
    locked_ = locked;
    broadcast_state_locked();
    return done;
}

verdict room::configure(participant const& actor, std::optional<bool> waiting, std::optional<std::int64_t> slow,
                        std::optional<bool> moderated)
{
    std::lock_guard lock{mutex_};
    // A peer facilitator may turn moderated mode on and off, to give the
    // floor; the door and slow mode are a moderator's.
    if (!actor.may_moderate(slug())) {
        if (waiting || slow)
            return refusal{error_code::forbidden};
        if (auto const checked = check_facilitator_locked(actor); !checked.done())
            return checked;
    }
    if (waiting)
        waiting_ = *waiting;
    if (slow)
        slow_seconds_ = *slow;
    if (slow_seconds_ == 0)
        last_said_.clear(); // slow mode starts afresh when it comes back
    if (moderated)
        moderated_ = *moderated;
    if (!moderated_)
        floor_.reset(); // everyone may speak again
    broadcast_state_locked();
    if (!waiting_) {
        // Opening the door lets in whoever was waiting at it.
        auto admitted = std::move(waiting_list_);
        waiting_list_.clear();
        for (auto& m : admitted) {
            m.who->stop_waiting(this);
            seat_locked(std::move(m));
        }
    }
    return done;
}

verdict room::admit(participant const& actor, std::string const& member_id)
{
    std::lock_guard lock{mutex_};
    auto target = waiting_target_locked(actor, member_id);
    if (auto const* refused = std::get_if<refusal>(&target))
        return *refused;
    auto const it = std::get<member_list::iterator>(target);
    auto admitted = std::move(*it);
    waiting_list_.erase(it);
    admitted.who->stop_waiting(this);
    seat_locked(std::move(admitted));
    return done;
}

verdict room::deny(participant const& actor, std::string const& member_id)
{
    std::lock_guard lock{mutex_};
    auto target = waiting_target_locked(actor, member_id);
    if (auto const* refused = std::get_if<refusal>(&target))
        return *refused;
    auto const it = std::get<member_list::iterator>(target);
    it->who->send(make_frame(protocol::write_error_in_room(error_code::denied, protocol::describe(error_code::denied), slug())));
    it->who->stop_waiting(this);
    waiting_list_.erase(it);
    return done;
}

verdict room::end(participant const& actor)
{
    std::lock_guard lock{mutex_};
    if (auto const checked = check_actor_locked(actor); !checked.done())
        return checked;
    end_locked();
    return done;
}

// Everyone goes, and nothing of the session stays: the next starts empty.
void room::end_locked()
{
    auto const ended = make_frame(protocol::write_ended(slug()));
    broadcast_locked(ended, nullptr);
    for (auto const& m : waiting_list_) {
        m.who->send(ended);
        m.who->stop_waiting(this);
    }
    for (auto const& m : members_)
        m.who->exit(this);
    members_.clear();
    waiting_list_.clear();
    history_.clear();
    deletions_.clear();
    last_said_.clear();
    hands_.clear();
    mod_history_.clear();
    waiting_alerts_.clear();
    round_.reset();
    pin_.reset();
    pause_.reset();
    phase_.reset();
    session_.reset();
    floor_.reset();
}

std::variant<reported_message, refusal> room::find_reportable(participant const& reporter, std::string const& message)
{
    std::lock_guard lock{mutex_};
    auto const seat = find_in(members_, reporter);
    if (seat == members_.end())
        return refusal{error_code::not_in_room};
    auto const found = std::find_if(history_.begin(), history_.end(), [&](auto const& m) { return m.id == message; });
    if (found == history_.end() || found->seq <= reads_after_locked(*seat))
        return refusal{error_code::no_such_message}; // nor what it never read
    return reported_message{found->id, found->text, found->author_id, found->author_name};
}

} // namespace kring
