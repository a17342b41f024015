#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace kring {

class room;

// The timers that announce the end of the circles' pauses (`unpaused`), one
// per paused circle. The room knows when its pause ends and refuses by it
// alone; a timer only tells everyone when the time has run out. Like the
// resume-grace timers, they are all cancelled when the server stops, so that
// a long pause never holds up a clean stop.
class pause_timers {
public:
    explicit pause_timers(boost::asio::any_io_executor executor);

    // In `delay`, tells `r` that its pause until `until_ms` is over; in place
    // of the timer it had.
    void arm(std::shared_ptr<room> const& r, std::int64_t until_ms, std::chrono::milliseconds delay);
    // The circle's pause was ended early: its timer is not needed.
    void disarm(std::string const& slug);
    void shutdown();
    std::size_t size() const;

private:
    boost::asio::any_io_executor executor_;
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<boost::asio::steady_timer>, std::less<>> by_room_;
    bool stopping_ = false;
};

} // namespace kring
