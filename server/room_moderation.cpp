// What moderators can do in a room, and the rules they set that the room
// enforces on every participant: mutes, slow mode, moderated mode, the lock
// and the waiting room. Staff are never subject to these rules.
#include "room.hpp"

#include <kring/protocol/server_messages.hpp>
#include <kring/protocol/text.hpp>

#include <algorithm>

namespace kring {

using protocol::error_code;

room::outcome room::check_actor_locked(participant const& actor) const
{
    if (!actor.may_moderate(slug()))
        return refusal{error_code::forbidden};
    return std::nullopt;
}

std::variant<room::member_list::iterator, refusal> room::moderation_target_locked(participant const& actor,
                                                                                  std::string const& id)
{
    if (auto const refused = check_actor_locked(actor))
        return *refused;
    auto const target = find_locked(id);
    if (target == members_.end())
        return refusal{error_code::no_such_member};
    if (target->who->is_staff())
        return refusal{error_code::forbidden}; // staff answer to the admin, not to each other
    return target;
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
    if (who.may_moderate(slug()))
        return std::nullopt;
    if (is_muted_locked(who, now_ms))
        return refusal{error_code::muted};
    if (moderated_)
        return refusal{error_code::moderated};
    auto const last = last_said_.find(who.id());
    if (slow_seconds_ > 0 && last != last_said_.end()) {
        std::int64_t const wait_ms = last->second + slow_seconds_ * 1000 - now_ms;
        if (wait_ms > 0)
            return refusal{error_code::slow_mode, (wait_ms + 999) / 1000};
    }
    last_said_[who.id()] = now_ms;
    return std::nullopt;
}

bool room::imitates_staff_locked(std::string_view name) const
{
    return std::any_of(members_.begin(), members_.end(), [&](member const& m) {
        return m.who->is_staff() && protocol::names_look_alike(name, m.name);
    });
}

void room::broadcast_state_locked() const
{
    broadcast_locked(make_frame(protocol::write_room_state(entry_locked())), nullptr);
}

room::outcome room::mute(participant const& actor, std::string const& member_id, std::optional<std::int64_t> until_ms,
                         std::int64_t now_ms)
{
    std::lock_guard lock{mutex_};
    auto target = moderation_target_locked(actor, member_id);
    if (auto const* refused = std::get_if<refusal>(&target))
        return *refused;
    auto const& who = *std::get<member_list::iterator>(target)->who;
    std::erase_if(mutes_, [&](mute_entry const& m) { return m.member == member_id || (m.until_ms && *m.until_ms <= now_ms); });
    mutes_.push_back({member_id, who.marks().device, until_ms});
    broadcast_locked(make_frame(protocol::write_member_event({"muted", slug(), member_id, until_ms, {}, {}})), nullptr);
    return std::nullopt;
}

room::outcome room::unmute(participant const& actor, std::string const& member_id)
{
    std::lock_guard lock{mutex_};
    if (auto const refused = check_actor_locked(actor))
        return refused;
    auto const target = find_locked(member_id);
    auto const device = target != members_.end() ? target->who->marks().device : std::nullopt;
    auto const removed = std::erase_if(mutes_, [&](mute_entry const& m) {
        return m.member == member_id || (m.device && device && *m.device == *device);
    });
    if (removed == 0 && target == members_.end())
        return refusal{error_code::no_such_member};
    broadcast_locked(make_frame(protocol::write_member_event({"unmuted", slug(), member_id, {}, {}, {}})), nullptr);
    return std::nullopt;
}

room::outcome room::remove(participant const& actor, std::string const& member_id,
                           std::optional<std::string> const& reason)
{
    std::lock_guard lock{mutex_};
    auto target = moderation_target_locked(actor, member_id);
    if (auto const* refused = std::get_if<refusal>(&target))
        return *refused;
    auto const it = std::get<member_list::iterator>(target);
    std::optional<std::string_view> why;
    if (reason)
        why = *reason;
    broadcast_locked(make_frame(protocol::write_member_event({"removed", slug(), member_id, {}, why, {}})), nullptr);
    auto const who = it->who;
    members_.erase(it);
    who->exit(this);
    return std::nullopt;
}

std::variant<ban_target, refusal> room::ban_target_of(participant const& actor, std::string const& member_id)
{
    std::lock_guard lock{mutex_};
    if (auto const refused = check_actor_locked(actor))
        return *refused;
    auto it = find_locked(member_id);
    if (it == members_.end()) {
        it = std::find_if(waiting_list_.begin(), waiting_list_.end(), [&](auto const& m) { return m.who->id() == member_id; });
        if (it == waiting_list_.end())
            return refusal{error_code::no_such_member};
    }
    if (it->who->is_staff())
        return refusal{error_code::forbidden};
    return ban_target{it->who, it->who->marks()};
}

void room::apply_ban(std::string const& member_id, std::string_view scope, std::optional<std::int64_t> until_ms)
{
    std::lock_guard lock{mutex_};
    auto const event = make_frame(protocol::write_member_event({"banned", slug(), member_id, until_ms, {}, scope}));
    auto const waiting = std::find_if(waiting_list_.begin(), waiting_list_.end(),
                                      [&](member const& m) { return m.who->id() == member_id; });
    if (waiting != waiting_list_.end()) {
        waiting->who->send(event);
        waiting->who->stop_waiting(this);
        waiting_list_.erase(waiting);
    }
    auto const it = find_locked(member_id);
    if (it == members_.end())
        return;
    broadcast_locked(event, nullptr);
    auto const who = it->who;
    members_.erase(it);
    who->exit(this);
}

room::outcome room::delete_message(participant const& actor, std::string const& message)
{
    std::lock_guard lock{mutex_};
    if (auto const refused = check_actor_locked(actor))
        return refused;
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
    return std::nullopt;
}

room::outcome room::pin(participant const& actor, std::optional<std::string> const& message,
                        std::optional<std::string> const& text)
{
    std::lock_guard lock{mutex_};
    if (auto const refused = check_actor_locked(actor))
        return refused;
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
    return std::nullopt;
}

room::outcome room::set_locked(participant const& actor, bool locked)
{
    std::lock_guard lock{mutex_};
    if (auto const refused = check_actor_locked(actor))
        return refused;
    locked_ = locked;
    broadcast_state_locked();
    return std::nullopt;
}

room::outcome room::configure(participant const& actor, std::optional<bool> waiting, std::optional<std::int64_t> slow,
                              std::optional<bool> moderated)
{
    std::lock_guard lock{mutex_};
    if (auto const refused = check_actor_locked(actor))
        return refused;
    if (waiting)
        waiting_ = *waiting;
    if (slow)
        slow_seconds_ = *slow;
    if (moderated)
        moderated_ = *moderated;
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
    return std::nullopt;
}

room::outcome room::admit(participant const& actor, std::string const& member_id)
{
    std::lock_guard lock{mutex_};
    if (auto const refused = check_actor_locked(actor))
        return refused;
    auto const it = std::find_if(waiting_list_.begin(), waiting_list_.end(),
                                 [&](auto const& m) { return m.who->id() == member_id; });
    if (it == waiting_list_.end())
        return refusal{error_code::no_such_member};
    auto admitted = std::move(*it);
    waiting_list_.erase(it);
    admitted.who->stop_waiting(this);
    seat_locked(std::move(admitted));
    return std::nullopt;
}

room::outcome room::deny(participant const& actor, std::string const& member_id)
{
    std::lock_guard lock{mutex_};
    if (auto const refused = check_actor_locked(actor))
        return refused;
    auto const it = std::find_if(waiting_list_.begin(), waiting_list_.end(),
                                 [&](auto const& m) { return m.who->id() == member_id; });
    if (it == waiting_list_.end())
        return refusal{error_code::no_such_member};
    it->who->send(make_frame(protocol::write_error_in_room(error_code::denied, protocol::describe(error_code::denied), slug())));
    it->who->stop_waiting(this);
    waiting_list_.erase(it);
    return std::nullopt;
}

room::outcome room::end(participant const& actor)
{
    std::lock_guard lock{mutex_};
    if (auto const refused = check_actor_locked(actor))
        return refused;
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
    pin_.reset();
    return std::nullopt;
}

std::variant<reported_message, refusal> room::find_reportable(participant const& reporter, std::string const& message)
{
    std::lock_guard lock{mutex_};
    if (find_locked(reporter) == members_.end())
        return refusal{error_code::not_in_room};
    auto const found = std::find_if(history_.begin(), history_.end(), [&](auto const& m) { return m.id == message; });
    if (found == history_.end())
        return refusal{error_code::no_such_message};
    return reported_message{found->id, found->text, found->author_id, found->author_name};
}

} // namespace kring
