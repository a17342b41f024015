// What members do in a circle besides speaking: react to a message, raise
// a hand to ask for a turn, and say they are just listening. Each tells
// everyone what changed; the sender's copy carries its ref.
#include "circle/room.hpp"

#include <kring/protocol/server_messages.hpp>

#include <algorithm>

namespace kring {

verdict room::react(participant const& who, std::string_view message, protocol::reaction reaction, bool on,
                    std::optional<std::string_view> ref, std::int64_t now_ms)
{
    std::lock_guard lock{mutex_};
    auto const reactor = find_in(members_, who);
    if (reactor == members_.end())
        return refusal{protocol::error_code::not_in_room};
    if (auto paused = pause_refusal_locked(who, now_ms))
        return *paused;
    if (!who.may_moderate(slug()) && is_muted_locked(who, now_ms))
        return refusal{protocol::error_code::muted};
    // Only what it could read: under history joined, not what came before it.
    auto const found = std::find_if(history_.begin(), history_.end(), [&](auto const& m) { return m.id == message; });
    if (found == history_.end() || found->seq <= reads_after_locked(*reactor))
        return refusal{protocol::error_code::no_such_message};

    auto& given = found->reactions;
    auto const mine = std::find_if(given.begin(), given.end(), [&](given_reaction const& g) {
        return g.member == who.id() && g.reaction == reaction;
    });
    bool const changed = on ? mine == given.end() : mine != given.end();
    // Reactions stay when their givers leave, and every visit is a new
    // identity: six for each seat is as many as a message holds.
    if (on && changed && given.size() >= protocol::reaction_kinds * std::max<std::size_t>(1, settings_.capacity))
        return refusal{protocol::error_code::reactions_full};
    if (on && changed)
        given.push_back({who.id(), reaction});
    else if (changed)
        given.erase(mine);
    auto const counts = counts_of(*found);
    if (changed) {
        rewrite_locked(*found);
        broadcast_locked(make_frame(protocol::write_reactions(slug(), message, counts, std::nullopt)),
                         ref ? &who : nullptr);
    }
    if (ref || !changed)
        who.deliver(this, make_frame(protocol::write_reactions(slug(), message, counts, ref)));
    return done;
}

protocol::reaction_counts room::counts_of(stored_message const& m)
{
    protocol::reaction_counts counts{};
    for (auto const& g : m.reactions)
        ++counts[static_cast<std::size_t>(g.reaction)];
    return counts;
}

// A newcomer's joined.history shows each message with its counts and translations.
void room::rewrite_locked(stored_message& m)
{
    protocol::member_entry const from{m.author_id, m.author_name, m.author_role};
    auto const counts = counts_of(m);
    std::vector<protocol::translation_entry> translations;
    for (auto const& t : m.translations)
        translations.push_back({t.lang, t.text, t.by});
    protocol::message_frame frame{slug(), m.seq, m.id, from, m.text, m.ts, std::nullopt, &counts, {}};
    frame.translations = translations;
    m.frame = make_frame(protocol::write_message(frame));
}

verdict room::translate(participant const& who, std::string_view message, std::string_view lang,
                        std::string_view text, std::optional<std::string_view> ref)
{
    std::lock_guard lock{mutex_};
    auto const interpreter = find_in(members_, who);
    if (interpreter == members_.end())
        return refusal{protocol::error_code::not_in_room};
    if (!who.interprets(slug()))
        return refusal{protocol::error_code::forbidden};
    auto const found = std::find_if(history_.begin(), history_.end(),
                                    [&](stored_message const& m) { return m.id == message; });
    if (found == history_.end() || found->seq <= reads_after_locked(*interpreter))
        return refusal{protocol::error_code::no_such_message};
    auto const same = std::find_if(found->translations.begin(), found->translations.end(),
                                   [&](stored_message::translation const& t) { return t.lang == lang; });
    if (same != found->translations.end())
        same->text = text, same->by = interpreter->name;
    else
        found->translations.push_back({std::string{lang}, std::string{text}, interpreter->name});
    rewrite_locked(*found);
    // Only to those who could read the message (history joined).
    protocol::translation_entry const entry{lang, text, interpreter->name};
    auto const shown = make_frame(protocol::write_translation(slug(), message, entry, std::nullopt));
    for (auto const& m : members_)
        if (found->seq > reads_after_locked(m) && !(ref && m.who.get() == &who))
            m.who->deliver(this, shown);
    if (ref)
        who.deliver(this, make_frame(protocol::write_translation(slug(), message, entry, ref)));
    return done;
}

verdict room::hand(participant const& actor, std::optional<std::string> const& member_id, bool up,
                   std::optional<std::string_view> ref, std::int64_t now_ms)
{
    std::lock_guard lock{mutex_};
    std::string_view const id = member_id ? std::string_view{*member_id} : std::string_view{actor.id()};
    bool const own = id == actor.id();
    if (find_in(members_, actor) == members_.end())
        return refusal{protocol::error_code::not_in_room}; // moderators too: hands are kept from inside
    if (auto paused = pause_refusal_locked(actor, now_ms))
        return *paused;
    if (!own && (up || !actor.may_facilitate(slug())))
        return refusal{protocol::error_code::forbidden}; // no one raises another's hand
    if (!own && find_in(members_, id) == members_.end())
        return refusal{protocol::error_code::no_such_member};
    if (own && up && !actor.may_moderate(slug()) && is_muted_locked(actor, now_ms))
        return refusal{protocol::error_code::muted};

    bool const was_up = hand_up_locked(id);
    if (was_up == up) {
        actor.deliver(this, make_frame(protocol::write_hand(slug(), id, up, std::nullopt, ref)));
        return done;
    }
    if (up)
        hands_.emplace_back(id);
    else
        std::erase(hands_, id);
    std::optional<std::string_view> const by = own ? std::nullopt : std::optional{std::string_view{actor.id()}};
    hand_changed_locked(id, up, &actor, by, ref);
    return done;
}

bool room::hand_up_locked(std::string_view id) const
{
    return std::find(hands_.begin(), hands_.end(), id) != hands_.end();
}

// Everyone hears of the hand; the actor's copy carries its ref; the
// moderators get the queue after it.
void room::hand_changed_locked(std::string_view id, bool up, participant const* actor,
                               std::optional<std::string_view> by, std::optional<std::string_view> ref) const
{
    broadcast_locked(make_frame(protocol::write_hand(slug(), id, up, by, std::nullopt)), ref ? actor : nullptr);
    if (ref && actor)
        actor->deliver(this, make_frame(protocol::write_hand(slug(), id, up, by, ref)));
    alert_moderators_locked(make_frame(protocol::write_hands(slug(), hands_)));
}

verdict room::give_floor(participant const& actor, std::optional<std::string> const& member_id,
                         std::optional<std::string_view> ref)
{
    std::lock_guard lock{mutex_};
    if (auto const checked = check_facilitator_locked(actor); !checked.done())
        return checked;
    if (!moderated_)
        return refusal{protocol::error_code::wrong_phase}; // everyone may speak already
    if (member_id) {
        auto const m = find_in(members_, *member_id);
        if (m == members_.end())
            return refusal{protocol::error_code::no_such_member};
        if (m->dropped != 0)
            return refusal{protocol::error_code::member_away};
    }
    floor_ = member_id;
    auto const by = find_in(members_, actor)->name;
    std::optional<std::string_view> given;
    if (floor_)
        given = *floor_;
    broadcast_locked(make_frame(protocol::write_floor(slug(), given, by, std::nullopt)), ref ? &actor : nullptr);
    if (ref)
        actor.deliver(this, make_frame(protocol::write_floor(slug(), given, by, ref)));
    if (floor_ && std::erase(hands_, *floor_) > 0)
        hand_changed_locked(*floor_, false, nullptr, by, std::nullopt);
    return done;
}

// A moderator who arrives (or comes back) sees the queue of raised hands.
void room::show_hands_locked(participant const& who) const
{
    if (who.may_facilitate(slug()) && !hands_.empty())
        who.deliver(this, make_frame(protocol::write_hands(slug(), hands_)));
}

verdict room::set_listening(participant const& who, bool on, std::optional<std::string_view> ref)
{
    std::lock_guard lock{mutex_};
    auto const m = find_in(members_, who);
    if (m == members_.end())
        return refusal{protocol::error_code::not_in_room};
    if (m->listening == on) {
        who.deliver(this, make_frame(protocol::write_listening(slug(), who.id(), on, ref)));
        return done;
    }
    m->listening = on;
    broadcast_locked(make_frame(protocol::write_listening(slug(), who.id(), on, std::nullopt)), ref ? &who : nullptr);
    if (ref)
        who.deliver(this, make_frame(protocol::write_listening(slug(), who.id(), on, ref)));
    return done;
}

} // namespace kring
