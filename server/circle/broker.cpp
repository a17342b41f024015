#include "circle/broker.hpp"

namespace kring {

broker::broker(std::size_t history_limit, std::size_t held_seats_per_network, circle_timers* timers)
    : history_limit_(history_limit)
    , held_seats_per_network_(held_seats_per_network)
    , timers_(timers)
{
}

std::shared_ptr<room> broker::find(std::string_view slug) const
{
    std::lock_guard lock{mutex_};
    auto const found = rooms_.find(slug);
    return found == rooms_.end() ? nullptr : found->second;
}

std::shared_ptr<room> broker::add(room_settings settings)
{
    std::lock_guard lock{mutex_};
    auto const found = rooms_.find(settings.slug);
    if (found != rooms_.end())
        return found->second;
    auto slug = settings.slug;
    auto created = std::make_shared<room>(std::move(settings), history_limit_, held_seats_per_network_, timers_);
    rooms_.emplace(std::move(slug), created);
    return created;
}

std::size_t broker::room_count() const
{
    std::lock_guard lock{mutex_};
    return rooms_.size();
}

std::vector<std::pair<std::string, std::size_t>> broker::presence() const
{
    std::vector<std::shared_ptr<room>> hosted;
    {
        std::lock_guard lock{mutex_};
        for (auto const& [slug, r] : rooms_)
            hosted.push_back(r);
    }
    // Each room's count under its own lock, not under the broker's.
    std::vector<std::pair<std::string, std::size_t>> out;
    for (auto const& r : hosted)
        if (auto const count = r->member_count(); count > 0)
            out.emplace_back(r->slug(), count);
    return out;
}

} // namespace kring
