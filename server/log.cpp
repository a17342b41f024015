#include "log.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace kring::log {
namespace {

std::mutex output_mutex;

void write(std::string_view level, std::string_view line)
{
    auto const now = std::chrono::system_clock::now();
    auto const seconds = std::chrono::system_clock::to_time_t(now);
    auto const millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);

    std::lock_guard lock{output_mutex};
    std::fprintf(stderr, "%s.%03dZ %.*s %.*s\n", stamp, static_cast<int>(millis), static_cast<int>(level.size()),
                 level.data(), static_cast<int>(line.size()), line.data());
    std::fflush(stderr);
}

} // namespace

void info(std::string_view line) { write("info", line); }
void warn(std::string_view line) { write("warn", line); }
void error(std::string_view line) { write("error", line); }

std::function<void(std::exception_ptr)> on_exception(std::string what)
{
    return [what = std::move(what)](std::exception_ptr failure) {
        if (!failure)
            return;
        try {
            std::rethrow_exception(failure);
        } catch (std::exception const& e) {
            error(what + " failed: " + e.what());
        } catch (...) {
            error(what + " failed");
        }
    };
}

std::optional<std::string> throttle::pass(std::string_view line, clock::time_point now)
{
    std::lock_guard lock{mutex_};
    if (last_ && now - *last_ < interval_) {
        ++held_;
        return std::nullopt;
    }
    std::string out{line};
    if (held_ > 0)
        out += " (" + std::to_string(held_) + " more like it held back)";
    last_ = now;
    held_ = 0;
    return out;
}

void throttle::warn(std::string_view line)
{
    if (auto const out = pass(line, clock::now()))
        write("warn", *out);
}

} // namespace kring::log
