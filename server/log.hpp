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

enum class format {
    text, // 2026-01-02T03:04:05.678Z info listening on ...
    json, // {"time":"2026-01-02T03:04:05.678Z","level":"info","msg":"listening on ..."}
};

// How lines are written from now on. With `journald`, each line starts with
// its syslog priority, <6> for info, <4> warn, <3> error, which journald
// takes as the line's priority (and strips).
void configure(format f, bool journald);

// Whether standard error is the journal's stream (systemd sets
// JOURNAL_STREAM to its device and inode).
bool stderr_is_journal();

// One line as configure() has it written: `level` "info", "warn" or "error".
std::string format_line(std::string_view stamp, std::string_view level, std::string_view line, format f,
                        bool journald);

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
