#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace kring {

class room;

// The timers that tell a circle its time has come: the end of a
// moderator's pause (`unpaused`) and the scheduled end of a session. A
// circle knows both times and refuses by them alone; a timer only tells
// everyone when the time has run out. One timer per key ("pause:tea",
// "session:tea"). Like the resume-grace timers, they are all cancelled when
// the server stops, so that a long pause never holds up a clean stop.
class circle_timers {
public:
    explicit circle_timers(boost::asio::any_io_executor executor);

    // In `delay`, calls `then`; in place of the timer `key` had.
    void arm(std::string const& key, std::chrono::milliseconds delay, std::function<void()> then);
    // In `delay`, tells `r` that its pause until `until_ms` is over.
    void arm_pause(std::shared_ptr<room> const& r, std::int64_t until_ms, std::chrono::milliseconds delay);
    // The timer is not needed (a pause ended early).
    void disarm(std::string const& key);
    void disarm_pause(std::string const& slug) { disarm("pause:" + slug); }
    void shutdown();
    std::size_t size() const;

private:
    boost::asio::any_io_executor executor_;
    mutable std::mutex mutex_;
    std::map<std::string, std::shared_ptr<boost::asio::steady_timer>, std::less<>> by_key_;
    bool stopping_ = false;
};

} // namespace kring
