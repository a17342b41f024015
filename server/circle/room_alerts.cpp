// The alerts that tell a circle's moderators someone may be in danger:
// asked for ("I need help now") or read in what they said (crisis words).
// An alert says who and where, never what was said.
#include "circle/room.hpp"

#include <algorithm>

namespace kring {

namespace {

// Another alert of the same kind from the same member within it reaches no
// one again: a distressed member pressing the button three times, or
// writing three worried lines, is one alert to the moderators.
constexpr std::int64_t alert_interval_ms = 60'000;

} // namespace

std::variant<alert_outcome, refusal> room::ask_for_help(participant const& who, std::int64_t now_ms)
{
    std::lock_guard lock{mutex_};
    auto const m = find_in(members_, who);
    if (m == members_.end())
        return refusal{protocol::error_code::not_in_room};
    return raise_alert_locked(*m, protocol::alert_kind::help, std::nullopt, now_ms);
}

std::size_t room::waiting_alerts() const
{
    std::lock_guard lock{mutex_};
    return waiting_alerts_.size();
}

alert_outcome room::raise_alert_locked(member& subject, protocol::alert_kind kind,
                                       std::optional<std::string_view> message, std::int64_t now_ms)
{
    auto const& who = *subject.who;
    auto const is_there = [&](member const& m) {
        return m.dropped == 0 && m.who.get() != &who && m.who->may_facilitate(slug());
    };
    auto& last = subject.alerted_at[static_cast<std::size_t>(kind)];
    if (last != 0 && now_ms - last < alert_interval_ms) {
        bool const waiting = std::any_of(waiting_alerts_.begin(), waiting_alerts_.end(), [&](waiting_alert const& a) {
            return a.member == who.id() && a.kind == kind;
        });
        return {false, !waiting && std::any_of(members_.begin(), members_.end(), is_there)};
    }
    last = now_ms;

    // Reached only when a moderator's connection took it: one whose
    // connection is gone but not yet marked away, or back but not yet
    // resumed, does not count.
    bool reached = false;
    auto const frame = make_frame(protocol::write_alert({slug(), who.id(), subject.name, kind, now_ms, message}));
    for (auto const& m : members_)
        if (is_there(m) && m.who->deliver(this, frame))
            reached = true;
    if (reached)
        return {true, true};
    std::erase_if(waiting_alerts_, [&](waiting_alert const& a) { return a.member == who.id() && a.kind == kind; });
    waiting_alerts_.push_back(
        {who.id(), subject.name, kind, message ? std::optional<std::string>{*message} : std::nullopt, now_ms});
    return {true, false};
}

void room::show_waiting_alerts_locked(participant const& who)
{
    if (waiting_alerts_.empty() || !who.may_facilitate(slug()))
        return;
    for (auto const& a : waiting_alerts_) {
        if (a.member == who.id())
            continue; // a moderator's own call for help waits for another
        std::optional<std::string_view> message;
        if (a.message)
            message = *a.message;
        who.deliver(this, make_frame(protocol::write_alert({slug(), a.member, a.name, a.kind, a.at, message, true})));
    }
    std::erase_if(waiting_alerts_, [&](waiting_alert const& a) { return a.member != who.id(); });
}

} // namespace kring
