#pragma once

#include "identity.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace kring {

class client;

// The connections each moderator's login is open on, so that a logout ends
// that login on every connection at once, not at the next check, and a new
// password ends every login of its moderator at once.
class login_registry {
public:
    void add(digest const& token, std::int64_t staff_id, std::weak_ptr<client> holder)
    {
        std::lock_guard lock{mutex_};
        open_.emplace(token, entry{staff_id, std::move(holder)});
    }

    void remove(digest const& token, client const* holder)
    {
        std::lock_guard lock{mutex_};
        auto [first, last] = open_.equal_range(token);
        while (first != last) {
            auto const held = first->second.holder.lock();
            first = !held || held.get() == holder ? open_.erase(first) : std::next(first);
        }
    }

    // The connections that hold `token` now, but `except`.
    std::vector<std::shared_ptr<client>> holders(digest const& token, client const* except) const
    {
        std::lock_guard lock{mutex_};
        std::vector<std::shared_ptr<client>> out;
        auto [first, last] = open_.equal_range(token);
        for (; first != last; ++first)
            if (auto held = first->second.holder.lock(); held && held.get() != except)
                out.push_back(std::move(held));
        return out;
    }

    // The connections that hold any login of `staff_id` now, but `except`,
    // each with the token it holds.
    std::vector<std::pair<digest, std::shared_ptr<client>>> holders_of(std::int64_t staff_id,
                                                                       client const* except) const
    {
        std::lock_guard lock{mutex_};
        std::vector<std::pair<digest, std::shared_ptr<client>>> out;
        for (auto const& [token, open] : open_)
            if (auto held = open.holder.lock(); held && open.staff_id == staff_id && held.get() != except)
                out.emplace_back(token, std::move(held));
        return out;
    }

private:
    struct entry {
        std::int64_t staff_id;
        std::weak_ptr<client> holder;
    };

    mutable std::mutex mutex_;
    std::multimap<digest, entry> open_;
};

} // namespace kring
