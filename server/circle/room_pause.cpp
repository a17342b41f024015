// A moderator's pause of the circle: for a while, the participants can't
// write, react or raise a hand, and everyone is told why and until when.
// The room keeps the end and checks it on each request; the timer that
// announces the end lives with the sessions (circle_timers).
#include "circle/room.hpp"

#include <kring/protocol/server_messages.hpp>

namespace kring {

std::optional<refusal> room::pause_refusal_locked(participant const& who, std::int64_t now_ms) const
{
    if (!pause_ || pause_->until_ms <= now_ms || who.may_facilitate(slug()))
        return std::nullopt;
    refusal paused{protocol::error_code::paused};
    paused.until_ms = pause_->until_ms;
    return paused;
}

verdict room::pause(participant const& actor, std::optional<std::int64_t> until_ms,
                    std::optional<std::string> const& text, std::int64_t now_ms)
{
    std::lock_guard lock{mutex_};
    if (auto const checked = check_facilitator_locked(actor); !checked.done())
        return checked; // a pause is given from inside the circle
    if (!until_ms) {
        if (!pause_)
            return done;
        pause_.reset();
        broadcast_locked(make_frame(protocol::write_unpaused(slug())), nullptr);
        return done;
    }
    if (*until_ms <= now_ms)
        return refusal{protocol::error_code::bad_field};
    pause_ = pause_state{*until_ms, text};
    std::optional<std::string_view> words;
    if (pause_->text)
        words = *pause_->text;
    broadcast_locked(make_frame(protocol::write_paused(slug(), {*until_ms, words})), nullptr);
    return done;
}

void room::pause_elapsed(std::int64_t until_ms)
{
    std::lock_guard lock{mutex_};
    if (!pause_ || pause_->until_ms != until_ms)
        return; // ended early, or replaced by a new pause with its own timer
    pause_.reset();
    broadcast_locked(make_frame(protocol::write_unpaused(slug())), nullptr);
}

std::optional<std::int64_t> room::paused_until(std::int64_t now_ms) const
{
    std::lock_guard lock{mutex_};
    if (!pause_ || pause_->until_ms <= now_ms)
        return std::nullopt;
    return pause_->until_ms;
}

} // namespace kring
