#include "log.hpp"

#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>

namespace kring::log {
namespace {

std::mutex output_mutex;
std::atomic<format> chosen_format{format::text};
std::atomic<bool> to_journald{false};

char const* priority_of(std::string_view level)
{
    if (level == "error")
        return "<3>";
    if (level == "warn")
        return "<4>";
    return "<6>";
}

void append_json_string(std::string& out, std::string_view text)
{
    static constexpr char hex[] = "0123456789abcdef";
    out += '"';
    for (char const ch : text) {
        auto const c = static_cast<unsigned char>(ch);
        if (ch == '"' || ch == '\\') {
            out += '\\';
            out += ch;
        } else if (c < 0x20) {
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0xf];
        } else {
            out += ch; // UTF-8 passes through as it is
        }
    }
    out += '"';
}

void write(std::string_view level, std::string_view line)
{
    auto const now = std::chrono::system_clock::now();
    auto const seconds = std::chrono::system_clock::to_time_t(now);
    auto const millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);

    char full[64];
    std::snprintf(full, sizeof full, "%s.%03dZ", stamp, static_cast<int>(millis));
    auto const out = format_line(full, level, line, chosen_format.load(), to_journald.load());

    std::lock_guard lock{output_mutex};
    std::fwrite(out.data(), 1, out.size(), stderr);
    std::fflush(stderr);
}

} // namespace

void configure(format f, bool journald)
{
    chosen_format = f;
    to_journald = journald;
}

bool stderr_is_journal()
{
    char const* stream = std::getenv("JOURNAL_STREAM");
    if (stream == nullptr)
        return false;
    unsigned long long device = 0;
    unsigned long long inode = 0;
    if (std::sscanf(stream, "%llu:%llu", &device, &inode) != 2)
        return false;
    struct stat st{};
    if (fstat(2, &st) != 0)
        return false;
    return static_cast<unsigned long long>(st.st_dev) == device && static_cast<unsigned long long>(st.st_ino) == inode;
}

std::string format_line(std::string_view stamp, std::string_view level, std::string_view line, format f,
                        bool journald)
{
    std::string out;
    out.reserve(line.size() + 64);
    if (journald)
        out += priority_of(level);
    if (f == format::json) {
        out += "{\"time\":";
        append_json_string(out, stamp);
        out += ",\"level\":";
        append_json_string(out, level);
        out += ",\"msg\":";
        append_json_string(out, line);
        out += '}';
    } else {
        out += stamp;
        out += ' ';
        out += level;
        out += ' ';
        out += line;
    }
    out += '\n';
    return out;
}

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
