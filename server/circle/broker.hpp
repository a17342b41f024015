#pragma once

#include "circle/room.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kring {

// The rooms this server hosts, by slug. Rooms are topics: members subscribe
// by joining, and a room hands each message to its members itself.
class broker {
public:
    // `timers` (when given) remind the holders of the talking piece.
    explicit broker(std::size_t history_limit, std::size_t held_seats_per_network = 3,
                    circle_timers* timers = nullptr);

    std::shared_ptr<room> find(std::string_view slug) const;

    // Adds a room, or returns the one already hosted under that slug.
    std::shared_ptr<room> add(room_settings settings);

    std::size_t room_count() const;

    // How many are in each circle with anyone in it now, by slug.
    std::vector<std::pair<std::string, std::size_t>> presence() const;

private:
    std::size_t const history_limit_;
    std::size_t const held_seats_per_network_;
    circle_timers* const timers_;
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<room>, std::less<>> rooms_;
};

} // namespace kring
