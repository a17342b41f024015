#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>

namespace kring {

// Something the server can ask to close when it shuts down.
class connection {
public:
    virtual ~connection() = default;
    // Safe from any thread: the connection posts the work to its own strand.
    virtual void shut_down() = 0;
};

// The open connections, so a shutdown can close each one properly and a
// limit can refuse connections past the configured number.
class connection_registry {
public:
    explicit connection_registry(std::size_t limit)
        : limit_(limit)
    {
    }

    // A number for the logs; 0 when the limit is reached.
    std::uint64_t add(std::weak_ptr<connection> c)
    {
        std::lock_guard lock{mutex_};
        if (open_.size() >= limit_)
            return 0;
        open_.emplace(++last_, std::move(c));
        return last_;
    }

    void remove(std::uint64_t number)
    {
        std::lock_guard lock{mutex_};
        open_.erase(number);
    }

    void shut_down_all()
    {
        std::map<std::uint64_t, std::weak_ptr<connection>> open;
        {
            std::lock_guard lock{mutex_};
            open = open_;
        }
        for (auto const& [number, weak] : open)
            if (auto c = weak.lock())
                c->shut_down();
    }

    std::size_t size() const
    {
        std::lock_guard lock{mutex_};
        return open_.size();
    }

private:
    std::size_t const limit_;
    mutable std::mutex mutex_;
    std::map<std::uint64_t, std::weak_ptr<connection>> open_;
    std::uint64_t last_ = 0;
};

} // namespace kring
