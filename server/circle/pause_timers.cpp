#include "circle/pause_timers.hpp"

#include "circle/room.hpp"

#include <boost/asio/strand.hpp>

namespace kring {

pause_timers::pause_timers(boost::asio::any_io_executor executor)
    : executor_(std::move(executor))
{
}

void pause_timers::arm(std::shared_ptr<room> const& r, std::int64_t until_ms, std::chrono::milliseconds delay)
{
    auto timer = std::make_shared<boost::asio::steady_timer>(boost::asio::make_strand(executor_), delay);
    std::lock_guard lock{mutex_};
    if (stopping_)
        return;
    auto& slot = by_room_[r->slug()];
    if (slot)
        slot->cancel();
    slot = timer;
    // Under the lock: a disarm or a shutdown on another thread cancels it under it too.
    timer->async_wait([this, r, until_ms, timer](boost::system::error_code ec) {
        if (ec)
            return;
        {
            std::lock_guard held{mutex_};
            auto const found = by_room_.find(r->slug());
            if (found != by_room_.end() && found->second == timer)
                by_room_.erase(found);
        }
        r->pause_elapsed(until_ms);
    });
}

void pause_timers::disarm(std::string const& slug)
{
    std::lock_guard lock{mutex_};
    auto const found = by_room_.find(slug);
    if (found == by_room_.end())
        return;
    found->second->cancel();
    by_room_.erase(found);
}

void pause_timers::shutdown()
{
    std::lock_guard lock{mutex_};
    stopping_ = true;
    for (auto& [slug, timer] : by_room_)
        timer->cancel();
    by_room_.clear();
}

std::size_t pause_timers::size() const
{
    std::lock_guard lock{mutex_};
    return by_room_.size();
}

} // namespace kring
