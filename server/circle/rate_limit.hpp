#pragma once

#include "small_ring.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace kring {

// At most `count` events in any `window`: a sliding window of timestamps.
// Used on one thread; not thread-safe.
class rate_limit {
public:
    rate_limit(std::size_t count, std::chrono::milliseconds window)
        : count_(count)
        , window_ms_(window.count())
    {
    }

    // Records the event and returns true if it fits in the budget.
    bool allow(std::int64_t now_ms)
    {
        while (!events_.empty() && events_.front() <= now_ms - window_ms_)
            events_.pop_front();
        if (events_.size() >= count_)
            return false;
        events_.push_back(now_ms);
        return true;
    }

private:
    std::size_t count_;
    std::int64_t window_ms_;
    small_ring<std::int64_t> events_; // empty, and holding no memory, while nothing happens
};

} // namespace kring
