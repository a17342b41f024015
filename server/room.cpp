#include "room.hpp"

#include <kring/protocol/server_messages.hpp>

#include <algorithm>
#include <atomic>

namespace kring {
namespace {

constexpr std::string_view participant_role = "participant";

std::string next_message_id()
{
    static std::atomic<std::uint64_t> counter{0};
    return "m" + std::to_string(++counter);
}

} // namespace

room::room(room_settings settings, std::size_t history_limit)
    : settings_(std::move(settings))
    , history_limit_(history_limit)
{
}

bool room::code_matches(std::optional<std::string> const& code) const
{
    if (!settings_.code_digest)
        return true;
    return code && constant_time_equal(sha256(*code), *settings_.code_digest);
}

std::vector<room::member>::iterator room::find_locked(participant const& who)
{
    return std::find_if(members_.begin(), members_.end(), [&](member const& m) { return m.who.get() == &who; });
}

room::outcome room::join(std::shared_ptr<participant> const& who, std::string name)
{
    std::lock_guard lock{mutex_};
    if (find_locked(*who) != members_.end())
        return protocol::error_code::already_joined;
    if (members_.size() >= settings_.capacity)
        return protocol::error_code::room_full;

    auto const& you = members_.emplace_back(member{who, std::move(name)});
    who->enter(shared_from_this());
    who->go_live(this, joined_frame_locked(you, 0, false));
    broadcast_locked(make_frame(protocol::write_member_joined(
                         slug(), {who->id(), you.name, participant_role})),
                     who.get());
    return std::nullopt;
}

room::outcome room::say(participant const& who, std::string_view text, std::optional<std::string_view> ref,
                        std::int64_t now_ms)
{
    std::lock_guard lock{mutex_};
    auto const sender = std::find_if(members_.begin(), members_.end(),
                                     [&](member const& m) { return m.who.get() == &who; });
    if (sender == members_.end())
        return protocol::error_code::not_in_room;

    auto const id = next_message_id();
    protocol::message_frame message{slug(), ++seq_, id, {who.id(), sender->name, participant_role}, text, now_ms, {}};
    auto const shared = make_frame(protocol::write_message(message));
    if (history_limit_ > 0) {
        history_.push_back({seq_, shared});
        if (history_.size() > history_limit_)
            history_.pop_front();
    }
    broadcast_locked(shared, ref ? &who : nullptr);
    if (ref) {
        message.ref = ref;
        who.deliver(this, make_frame(protocol::write_message(message)));
    }
    return std::nullopt;
}

room::outcome room::leave(participant& who)
{
    std::lock_guard lock{mutex_};
    auto const m = find_locked(who);
    if (m == members_.end())
        return protocol::error_code::not_in_room;
    who.deliver(this, make_frame(protocol::write_left(slug())));
    remove_locked(m);
    return std::nullopt;
}

void room::resume(participant& who, std::optional<std::uint64_t> since)
{
    std::lock_guard lock{mutex_};
    auto const m = find_locked(who);
    if (m == members_.end())
        return;
    std::uint64_t const after = since.value_or(0);
    bool const missed_some = seq_ > after;
    bool const gap = since && missed_some && (history_.empty() || history_.front().seq > after + 1);
    who.go_live(this, joined_frame_locked(*m, after, gap));
}

void room::expire(participant& who)
{
    std::lock_guard lock{mutex_};
    auto const m = find_locked(who);
    if (m != members_.end())
        remove_locked(m);
}

std::size_t room::member_count() const
{
    std::lock_guard lock{mutex_};
    return members_.size();
}

shared_frame room::joined_frame_locked(member const& you, std::uint64_t since, bool gap) const
{
    std::vector<protocol::member_entry> members;
    members.reserve(members_.size());
    for (auto const& m : members_)
        members.push_back({m.who->id(), m.name, participant_role});

    std::vector<std::string_view> history;
    for (auto const& stored : history_)
        if (stored.seq > since)
            history.emplace_back(*stored.frame);

    return make_frame(protocol::write_joined({
        .room = {slug(), settings_.title, settings_.capacity},
        .you = {you.who->id(), you.name, participant_role},
        .members = members,
        .history = history,
        .seq = seq_,
        .gap = gap,
    }));
}

void room::remove_locked(std::vector<member>::iterator m)
{
    auto const who = m->who;
    members_.erase(m);
    who->exit(this);
    broadcast_locked(make_frame(protocol::write_member_left(slug(), who->id())), nullptr);
}

void room::broadcast_locked(shared_frame const& frame, participant const* except) const
{
    for (auto const& m : members_)
        if (m.who.get() != except)
            m.who->deliver(this, frame);
}

} // namespace kring
