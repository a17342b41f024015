// The talking piece: a round in which only the one holding the piece
// speaks, and everyone sees whose turn it is.
#include "circle/room.hpp"

#include <algorithm>

namespace kring {

// Who steers a round: a moderator or facilitator of the circle who is in it.
verdict room::check_round_actor_locked(participant const& actor)
{
    return check_facilitator_locked(actor);
}

verdict room::start_round(participant const& actor, std::optional<std::vector<std::string>> const& order,
                          std::optional<std::string> prompt, std::optional<std::string_view> ref,
                          std::optional<std::int64_t> turn_seconds)
{
    std::lock_guard lock{mutex_};
    if (auto const checked = check_round_actor_locked(actor); !checked.done())
        return checked;
    if (round_)
        return refusal{protocol::error_code::round_running};
    if (phase_ == protocol::circle_phase::lobby)
        return refusal{protocol::error_code::wrong_phase}; // the circle has not begun

    round_state round;
    if (order) {
        for (auto const& id : *order)
            if (find_in(members_, id) == members_.end())
                return refusal{protocol::error_code::no_such_member};
        round.order = *order;
    } else {
        for (auto const& m : members_)
            if (!m.who->may_facilitate(slug()))
                round.order.push_back(m.who->id());
    }
    if (std::none_of(round.order.begin(), round.order.end(),
                     [&](std::string const& id) { return may_hold_piece_locked(id); }))
        return refusal{protocol::error_code::empty_round};
    round.prompt = std::move(prompt);
    round.turn_seconds = turn_seconds;
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
    new_turn_locked();
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
            new_turn_locked();
            return tell_round_locked(actor, ref);
        }
        round.skipped.push_back(round.order[i]);
    }
    end_round_locked(true, actor, ref);
}

// What `viewer` sees of the round. In a circle with quiet arrivals a
// participant hears of no other participant's comings and goings, so its
// view names only itself, the staff and the holder.
room::round_view room::round_view_locked(participant const& viewer) const
{
    auto const& round = *round_;
    auto const& holder = round.order[round.holder];
    bool const sees_all = !settings_.quiet_arrivals || viewer.may_facilitate(slug());
    auto const shown = [&](std::string const& id) {
        if (sees_all || id == viewer.id() || id == holder)
            return true;
        auto const m = std::find_if(members_.begin(), members_.end(),
                                    [&](member const& x) { return x.who->id() == id; });
        return m != members_.end() && (m->who->keeps_circles() || m->who->may_facilitate(slug()));
    };
    round_view view;
    std::copy_if(round.order.begin(), round.order.end(), std::back_inserter(view.order), shown);
    std::copy_if(round.passed.begin(), round.passed.end(), std::back_inserter(view.passed), shown);
    std::copy_if(round.skipped.begin(), round.skipped.end(), std::back_inserter(view.skipped), shown);
    view.holder = holder;
    view.prompt = round.prompt;
    view.turn_seconds = round.turn_seconds;
    return view;
}

protocol::round_entry room::round_view::entry() const
{
    std::optional<std::string_view> shown_prompt;
    if (prompt)
        shown_prompt = *prompt;
    return {order, holder, shown_prompt, passed, skipped, turn_seconds};
}

void room::tell_round_locked(participant const* actor, std::optional<std::string_view> ref,
                             participant const* quietly_about) const
{
    for (auto const& m : members_) {
        // An arrival or a departure that moved no piece is news only to
        // those who hear of that member's comings and goings.
        if (quietly_about && !sees_presence_locked(*m.who, *quietly_about))
            continue;
        auto const view = round_view_locked(*m.who);
        bool const own = ref && m.who.get() == actor;
        m.who->deliver(this, make_frame(protocol::write_round(slug(), view.entry(), own ? ref : std::nullopt)));
    }
}

void room::new_turn_locked()
{
    auto& round = *round_;
    ++round.turn;
    if (!timers_ || !round.turn_seconds)
        return;
    std::weak_ptr<room> const self = weak_from_this();
    timers_->arm("turn:" + slug(), std::chrono::seconds{*round.turn_seconds}, [self, turn = round.turn] {
        if (auto const r = self.lock())
            r->turn_overdue(turn);
    });
}

void room::turn_overdue(std::uint64_t turn)
{
    std::lock_guard lock{mutex_};
    if (!round_ || round_->turn != turn || !round_->turn_seconds)
        return; // the piece moved on since
    auto const& holder = round_->order[round_->holder];
    auto const reminder = make_frame(protocol::write_round_reminder(slug(), holder, *round_->turn_seconds));
    for (auto const& m : members_)
        if (m.who->id() == holder || m.who->may_facilitate(slug()))
            m.who->deliver(this, reminder);
}

void room::end_round_locked(bool complete, participant const* actor, std::optional<std::string_view> ref)
{
    if (timers_)
        timers_->disarm("turn:" + slug());
    round_.reset();
    broadcast_locked(make_frame(protocol::write_round_ended(slug(), complete, std::nullopt)), ref ? actor : nullptr);
    if (ref && actor)
        actor->deliver(this, make_frame(protocol::write_round_ended(slug(), complete, ref)));
}

bool room::round_arrival_locked(member const& m)
{
    if (!round_ || m.who->may_facilitate(slug()))
        return false;
    round_->order.push_back(m.who->id());
    return true;
}

void room::round_departure_locked(participant const& who)
{
    if (!round_)
        return;
    auto const& id = who.id();
    auto& round = *round_;
    std::erase(round.passed, id);
    std::erase(round.skipped, id);
    auto const at = std::find(round.order.begin(), round.order.end(), id);
    if (at == round.order.end())
        return;
    auto const index = static_cast<std::size_t>(at - round.order.begin());
    round.order.erase(at);
    if (index == round.holder)
        return pass_piece_locked(index, nullptr, std::nullopt); // the next one is at its place now
    if (index < round.holder)
        --round.holder;
    tell_round_locked(nullptr, std::nullopt, &who);
}

} // namespace kring
