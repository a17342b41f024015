// A circle's agreement: the few numbered rules a participant accepts on
// joining, which anyone may read again and to which the one running the
// circle may point everyone.
#include "circle/room.hpp"

#include <algorithm>

namespace kring {

protocol::agreement_text const* room::agreement_locked(std::string_view lang) const
{
    if (!settings_.agreement)
        return nullptr;
    return protocol::agreement_in(*settings_.agreement, lang);
}

std::optional<protocol::agreement_text> room::agreement(std::string_view lang) const
{
    std::lock_guard lock{mutex_};
    if (auto const* text = agreement_locked(lang))
        return *text;
    return std::nullopt;
}

verdict room::point_agreement(participant const& actor, std::size_t item, std::optional<std::string_view> ref)
{
    std::lock_guard lock{mutex_};
    if (auto const checked = check_facilitator_locked(actor); !checked.done())
        return checked;
    // A circle's own agreement may have more items in one language than in
    // another: an item is there when some language has it.
    std::size_t items = 0;
    if (settings_.agreement)
        for (auto const& text : *settings_.agreement)
            items = std::max(items, text.items.size());
    if (item < 1 || item > items)
        return refusal{protocol::error_code::no_such_item};
    auto const by = find_in(members_, actor)->name;
    broadcast_locked(make_frame(protocol::write_agreement_point(slug(), item, by, std::nullopt)),
                     ref ? &actor : nullptr);
    if (ref)
        actor.deliver(this, make_frame(protocol::write_agreement_point(slug(), item, by, ref)));
    return done;
}

} // namespace kring
