#include "circle/ban_list.hpp"

#include <algorithm>

namespace kring {

void ban_list::add(ban_record ban, std::string participant_id)
{
    std::lock_guard lock{mutex_};
    bans_.push_back({std::move(ban), std::move(participant_id)});
}

void ban_list::reload(std::vector<ban_record> stored)
{
    std::lock_guard lock{mutex_};
    std::erase_if(bans_, [](entry const& e) { return e.ban.id != 0; });
    for (auto& ban : stored)
        bans_.push_back({std::move(ban), {}});
}

bool ban_list::holds(std::string_view room, std::string_view participant_id, ban_marks const& marks,
                     std::int64_t now_ms) const
{
    auto const same = [](std::optional<digest> const& a, std::optional<digest> const& b) {
        return a && b && constant_time_equal(*a, *b);
    };
    std::lock_guard lock{mutex_};
    return std::any_of(bans_.begin(), bans_.end(), [&](entry const& e) {
        bool const here = !e.ban.room || *e.ban.room == room;
        bool const in_force = !e.ban.expires_at_ms || *e.ban.expires_at_ms > now_ms;
        bool const matches = (!e.participant_id.empty() && e.participant_id == participant_id) ||
                             same(e.ban.device, marks.device) || same(e.ban.address, marks.address);
        return here && in_force && matches;
    });
}

} // namespace kring
