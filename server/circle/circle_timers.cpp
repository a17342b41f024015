#include "circle/circle_timers.hpp"

#include "circle/room.hpp"

#include <boost/asio/strand.hpp>

namespace kring {

circle_timers::circle_timers(boost::asio::any_io_executor executor)
    : executor_(std::move(executor))
{
}

void circle_timers::arm(std::string const& key, std::chrono::milliseconds delay, std::function<void()> then)
{
    auto timer = std::make_shared<boost::asio::steady_timer>(boost::asio::make_strand(executor_), delay);
    std::lock_guard lock{mutex_};
    if (stopping_)
        return;
    auto& slot = by_key_[key];
    if (slot)
        slot->cancel();
    slot = timer;
    // Under the lock: a disarm or a shutdown on another thread cancels it under it too.
    timer->async_wait([this, key, then = std::move(then), timer](boost::system::error_code ec) {
        if (ec)
            return;
        {
            std::lock_guard held{mutex_};
            auto const found = by_key_.find(key);
            if (found != by_key_.end() && found->second == timer)
                by_key_.erase(found);
        }
        then();
    });
}

void circle_timers::arm_pause(std::shared_ptr<room> const& r, std::int64_t until_ms, std::chrono::milliseconds delay)
{
    arm("pause:" + r->slug(), delay, [r, until_ms] { r->pause_elapsed(until_ms); });
}

void circle_timers::disarm(std::string const& key)
{
    std::lock_guard lock{mutex_};
    auto const found = by_key_.find(key);
    if (found == by_key_.end())
        return;
    found->second->cancel();
    by_key_.erase(found);
}

void circle_timers::shutdown()
{
    std::lock_guard lock{mutex_};
    stopping_ = true;
    for (auto& [key, timer] : by_key_)
        timer->cancel();
    by_key_.clear();
}

std::size_t circle_timers::size() const
{
    std::lock_guard lock{mutex_};
    return by_key_.size();
}

} // namespace kring
