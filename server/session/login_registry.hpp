#pragma once

#include "identity.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace kring {

class client;

// The connections each moderator's login is open on, so that a logout ends
// that login on every connection at once, not at the next check.
class login_registry {
public:
    void add(digest const& token, std::weak_ptr<client> holder)
    {
        std::lock_guard lock{mutex_};
        open_.emplace(token, std::move(holder));
    }

    void remove(digest const& token, client const* holder)
    {
        std::lock_guard lock{mutex_};
        auto [first, last] = open_.equal_range(token);
        while (first != last) {
            auto const held = first->second.lock();
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
            if (auto held = first->second.lock(); held && held.get() != except)
                out.push_back(std::move(held));
        return out;
    }

private:
    mutable std::mutex mutex_;
    std::multimap<digest, std::weak_ptr<client>> open_;
};

} // namespace kring
