// The words in a circle that reach only some of its members: a whisper
// between a moderator and one participant, and the moderators' own channel.
// Neither is ever in the ring, a log or on disk; a whisper is not kept at
// all, the moderators' channel in memory until the circle is ended.
#include "circle/room.hpp"

#include <kring/protocol/server_messages.hpp>

#include <algorithm>
#include <atomic>

namespace kring {
namespace {

std::string next_whisper_id()
{
    static std::atomic<std::uint64_t> counter{0};
    return "w" + std::to_string(++counter);
}

std::string next_mod_message_id()
{
    static std::atomic<std::uint64_t> counter{0};
    return "d" + std::to_string(++counter);
}

// Enough for a handover between two shifts; no more than the ring keeps.
constexpr std::size_t mod_history_limit = 50;

} // namespace

// Either end may be a moderator or admin of the circle, and the other a
// participant: a moderator checks in on someone, and someone answers, or
// asks a moderator for help, without waiting to be asked. Two participants
// never write privately, and the staff have their own ways among themselves
// (a moderator of another circle visiting this one is neither end here).
// A mute, slow mode and moderated mode are about the room: a muted member
// can still ask a moderator why.
verdict room::whisper(participant const& from, std::string_view member_id, std::string_view text,
                      std::optional<std::string_view> ref, std::int64_t now_ms)
{
    std::lock_guard lock{mutex_};
    auto const sender = find_in(members_, from);
    if (sender == members_.end())
        return refusal{protocol::error_code::not_in_room};
    auto const target = find_in(members_, member_id);
    // A participant may write to a moderator present and to no one else,
    // and is told the same for anyone else, present or not: whether another
    // participant is still here is not theirs to learn (quiet arrivals).
    if (!from.keeps_circles() && (target == members_.end() || !target->who->may_moderate(slug())))
        return refusal{protocol::error_code::whisper_not_allowed};
    if (target == members_.end() || target == sender)
        return refusal{protocol::error_code::no_such_member};
    auto const& to = *target->who;
    bool const checks_in = from.may_moderate(slug()) && !to.keeps_circles();
    bool const answers = !from.keeps_circles() && to.may_moderate(slug());
    if (!checks_in && !answers)
        return refusal{protocol::error_code::whisper_not_allowed};
    if (target->dropped != 0)
        return refusal{protocol::error_code::member_away}; // it would be lost: nothing of it is kept

    auto const id = next_whisper_id();
    protocol::whisper_frame frame{slug(), id, author_of(*sender), author_of(*target), text, now_ms, std::nullopt};
    auto const shared = make_frame(protocol::write_whisper(frame));
    target->who->deliver(this, shared);
    if (ref)
        frame.ref = ref;
    from.deliver(this, ref ? make_frame(protocol::write_whisper(frame)) : shared);
    return done;
}

// Only the moderators present hear it, staff of other circles visiting
// this one not. A participant is told `forbidden`, as for every other
// moderator's request.
verdict room::mod_say(participant const& from, std::string_view text, std::optional<std::string_view> ref,
                      std::int64_t now_ms)
{
    std::lock_guard lock{mutex_};
    auto const sender = find_in(members_, from);
    if (sender == members_.end())
        return refusal{protocol::error_code::not_in_room};
    if (auto const checked = check_facilitator_locked(from); !checked.done())
        return checked;

    auto const id = next_mod_message_id();
    protocol::mod_message_frame frame{slug(), id, author_of(*sender), text, now_ms, std::nullopt};
    auto const shared = make_frame(protocol::write_mod_message(frame));
    if (history_limit_ > 0) {
        mod_history_.push_back(shared);
        if (mod_history_.size() > std::min(history_limit_, mod_history_limit))
            mod_history_.pop_front();
    }
    for (auto const& m : members_)
        if (m.who->may_facilitate(slug()) && !(ref && m.who.get() == &from))
            m.who->deliver(this, shared);
    if (ref) {
        frame.ref = ref;
        from.deliver(this, make_frame(protocol::write_mod_message(frame)));
    }
    return done;
}

} // namespace kring
