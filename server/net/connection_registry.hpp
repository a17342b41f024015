#pragma once

#include "clock.hpp"
#include "identity.hpp"
#include "network_table.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace kring {

// Something the server can ask to close when it shuts down.
class connection {
public:
    virtual ~connection() = default;
    // Safe from any thread: the connection posts the work to its own thread.
    virtual void shut_down() = 0;
    // Every half idle timeout, from any thread, one tick at a time: a
    // WebSocket pings a client it has not heard from, and drops one still
    // silent at the next tick. An HTTP connection keeps its own timeouts.
    virtual void check_idle() {}
};

// The open connections, so a shutdown can close each one properly and a
// limit can refuse connections past the configured number, past
// `limit_per_network` from one network, or arriving from one network faster
// than its budget in `networks` allows.
class connection_registry {
public:
    connection_registry(std::size_t limit, std::size_t limit_per_network, network_table& networks)
        : limit_(limit)
        , limit_per_network_(limit_per_network)
        , networks_(networks)
    {
    }

    // A number for the logs; 0 when a limit, or the network's, is reached.
    std::uint64_t add(std::weak_ptr<connection> c, std::optional<digest> network)
    {
        std::lock_guard lock{mutex_};
        if (open_.size() >= limit_)
            return 0;
        network_table::handle counted = nullptr;
        if (network) {
            counted = networks_.connect(*network, limit_per_network_, steady_ms());
            if (!counted)
                return 0;
        }
        open_.emplace(++last_, entry{std::move(c), counted});
        return last_;
    }

    // The connection `number` goes on as another object (an HTTP session
    // that became a WebSocket): same place, so no limit can refuse it now.
    void hand_over(std::uint64_t number, std::weak_ptr<connection> c)
    {
        std::lock_guard lock{mutex_};
        if (auto const found = open_.find(number); found != open_.end())
            found->second.weak = std::move(c);
    }

    // The connection `number` turned out to speak for a client of `network`
    // (a trusted proxy said so): it counts there from now on, if that
    // network's share and rate allow; false when they don't (it then counts
    // where it did).
    bool move_to(std::uint64_t number, std::optional<digest> network)
    {
        std::lock_guard lock{mutex_};
        auto const found = open_.find(number);
        if (found == open_.end())
            return false;
        auto& e = found->second;
        if (e.network ? network && network_table::network_of(e.network) == *network : !network)
            return true;
        network_table::handle counted = nullptr;
        if (network) {
            counted = networks_.connect(*network, limit_per_network_, steady_ms());
            if (!counted)
                return false;
        }
        networks_.disconnect(e.network);
        e.network = counted;
        return true;
    }

    void remove(std::uint64_t number)
    {
        std::lock_guard lock{mutex_};
        auto const found = open_.find(number);
        if (found == open_.end())
            return;
        networks_.disconnect(found->second.network);
        open_.erase(found);
    }

    void shut_down_all()
    {
        std::vector<std::weak_ptr<connection>> open;
        {
            std::lock_guard lock{mutex_};
            for (auto const& [number, e] : open_)
                open.push_back(e.weak);
        }
        for (auto const& weak : open)
            if (auto c = weak.lock())
                c->shut_down();
    }

    // The keep-alive tick (see connection::check_idle), for every open connection.
    void check_idle()
    {
        std::lock_guard lock{mutex_};
        for (auto const& [number, e] : open_)
            if (auto c = e.weak.lock())
                c->check_idle();
    }

    std::size_t size() const
    {
        std::lock_guard lock{mutex_};
        return open_.size();
    }

private:
    struct entry {
        std::weak_ptr<connection> weak;
        network_table::handle network; // none: not known (a Unix socket, a test)
    };

    std::size_t const limit_;
    std::size_t const limit_per_network_;
    network_table& networks_;
    mutable std::mutex mutex_;
    std::map<std::uint64_t, entry> open_;
    std::uint64_t last_ = 0;
};

} // namespace kring
