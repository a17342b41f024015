#pragma once

#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

// One line per event on standard error, with a UTC timestamp. Callers never
// pass message text or addresses: Kring's logs hold no one's words.
namespace kring::log {

void info(std::string_view line);
void warn(std::string_view line);
void error(std::string_view line);

// The completion handler every co_spawn gets: an exception that escapes the
// coroutine `what` is logged, never swallowed.
std::function<void(std::exception_ptr)> on_exception(std::string what);

// Lets one line through per interval and counts the others, so that a
// condition that repeats thousands of times a second (no file descriptors
// left, a flood of refused connections) costs a line a second, not the disk.
class throttle {
public:
    using clock = std::chrono::steady_clock;

    explicit throttle(clock::duration interval)
        : interval_(interval)
    {
    }

    // The line to write at `now`, saying how many were held back before it;
    // nothing when a line was let through less than an interval ago.
    std::optional<std::string> pass(std::string_view line, clock::time_point now);

    // Writes `line` as a warning if it is let through now. Thread-safe.
    void warn(std::string_view line);

private:
    clock::duration const interval_;
    std::mutex mutex_;
    std::optional<clock::time_point> last_;
    std::size_t held_ = 0;
};

} // namespace kring::log
