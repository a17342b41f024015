// The talking piece: a round in which only the one holding the piece
// speaks, and everyone sees whose turn it is.
#include "circle/room.hpp"

#include <algorithm>

namespace kring {

// Who steers a round: a moderator of the circle who is in it.
verdict room::check_round_actor_locked(participant const& actor)
{
    if (auto const checked = check_actor_locked(actor); !checked.done())
        return checked;
    if (find_in(members_, actor) == members_.end())
        return refusal{protocol::error_code::not_in_room};
    return done;
}

verdict room::start_round(participant const& actor, std::optional<std::vector<std::string>> const& order,
                          std::optional<std::string> prompt, std::optional<std::string_view> ref)
{
    std::lock_guard lock{mutex_};
    if (auto const checked = check_round_actor_locked(actor); !checked.done())
        return checked;
    if (round_)
        return refusal{protocol::error_code::round_running};
    round_state round;
    if (order) {
        for (auto const& id : *order)
            if (find_in(members_, id) == members_.end())
                return refusal{protocol::error_code::no_such_member};
        round.order = *order;
    } else {
        for (auto const& m : members_)
            if (!m.who->is_staff())
                round.order.push_back(m.who->id());
    }
    if (std::none_of(round.order.begin(), round.order.end(),
                     [&](std::string const& id) { return may_hold_piece_locked(id); }))
        return refusal{protocol::error_code::empty_round};
    round.prompt = std::move(prompt);
    round_ = std::move(round);
    pass_piece_locked(0, &actor, ref);
    return done;
}

verdict room::move_round(participant const& actor, protocol::round_step step, std::optional<std::string_view> ref)
{
    using protocol::round_step;
    std::lock_guard lock{mutex_};
    bool const by_moderator = step == round_step::skip || step == round_step::end;
    if (by_moderator) {
        if (auto const checked = check_round_actor_locked(actor); !checked.done())
            return checked;
    } else if (find_in(members_, actor) == members_.end()) {
        return refusal{protocol::error_code::not_in_room};
    }
    if (!round_)
        return refusal{protocol::error_code::no_round};
    auto const& holder = round_->order[round_->holder];
    switch (step) {
    case round_step::done:
    case round_step::pass:
        if (holder != actor.id())
            return refusal{protocol::error_code::not_your_turn};
        if (step == round_step::pass)
            round_->passed.push_back(holder);
        break;
    case round_step::skip:
        round_->skipped.push_back(holder);
        break;
    case round_step::end:
        end_round_locked(false, &actor, ref);
        return done;
    }
    pass_piece_locked(round_->holder + 1, &actor, ref);
    return done;
}

verdict room::give_piece(participant const& actor, std::string_view member_id, std::optional<std::string_view> ref)
{
    std::lock_guard lock{mutex_};
    if (auto const checked = check_round_actor_locked(actor); !checked.done())
        return checked;
    if (!round_)
        return refusal{protocol::error_code::no_round};
    auto const m = find_in(members_, member_id);
    if (m == members_.end())
        return refusal{protocol::error_code::no_such_member};
    if (m->dropped != 0)
        return refusal{protocol::error_code::member_away};
    auto& order = round_->order;
    std::string const id{member_id};
    if (auto const at = std::find(order.begin(), order.end(), id); at != order.end()) {
        auto const index = static_cast<std::size_t>(at - order.begin());
        order.erase(at);
        if (index < round_->holder)
            --round_->holder;
    }
    order.insert(order.begin() + static_cast<std::ptrdiff_t>(round_->holder), id);
    tell_round_locked(&actor, ref);
    return done;
}

bool room::may_hold_piece_locked(std::string_view id) const
{
    auto const m = std::find_if(members_.begin(), members_.end(),
                                [&](member const& x) { return x.who->id() == id; });
    return m != members_.end() && m->dropped == 0 && !m->listening;
}

void room::pass_piece_locked(std::size_t from, participant const* actor, std::optional<std::string_view> ref)
{
    auto& round = *round_;
    for (auto i = from; i < round.order.size(); ++i) {
        if (may_hold_piece_locked(round.order[i])) {
            round.holder = i;
            return tell_round_locked(actor, ref);
        }
        round.skipped.push_back(round.order[i]);
    }
    end_round_locked(true, actor, ref);
}

protocol::round_entry room::round_entry_locked() const
{
    auto const& round = *round_;
    std::optional<std::string_view> prompt;
    if (round.prompt)
        prompt = *round.prompt;
    return {round.order, round.order[round.holder], prompt, round.passed, round.skipped};
}

void room::tell_round_locked(participant const* actor, std::optional<std::string_view> ref) const
{
    auto const entry = round_entry_locked();
    broadcast_locked(make_frame(protocol::write_round(slug(), entry, std::nullopt)), ref ? actor : nullptr);
    if (ref && actor)
        actor->deliver(this, make_frame(protocol::write_round(slug(), entry, ref)));
}

void room::end_round_locked(bool complete, participant const* actor, std::optional<std::string_view> ref)
{
    round_.reset();
    broadcast_locked(make_frame(protocol::write_round_ended(slug(), complete, std::nullopt)), ref ? actor : nullptr);
    if (ref && actor)
        actor->deliver(this, make_frame(protocol::write_round_ended(slug(), complete, ref)));
}

void room::round_arrival_locked(member const& m)
{
    if (!round_ || m.who->is_staff())
        return;
    round_->order.push_back(m.who->id());
    tell_round_locked(nullptr, std::nullopt);
}

void room::round_departure_locked(std::string const& id)
{
    if (!round_)
        return;
    auto& round = *round_;
    std::erase(round.passed, id);
    std::erase(round.skipped, id);
    auto const at = std::find(round.order.begin(), round.order.end(), id);
    if (at == round.order.end())
        return;
    auto const index = static_cast<std::size_t>(at - round.order.begin());
    round.order.erase(at);
    if (index < round.holder) {
        --round.holder;
        tell_round_locked(nullptr, std::nullopt);
    } else if (index == round.holder) {
        pass_piece_locked(index, nullptr, std::nullopt); // the next one is at its place now
    } else {
        tell_round_locked(nullptr, std::nullopt);
    }
}

} // namespace kring
