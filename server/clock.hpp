#pragma once

#include <chrono>
#include <cstdint>

namespace kring {

// Server time in milliseconds since the Unix epoch, as the protocol's `ts`.
inline std::int64_t now_ms()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// Milliseconds on a clock that never jumps, for rates: a clock set back
// must not refill or drain a budget.
inline std::int64_t steady_ms()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// Seconds since the Unix epoch, for the store's creation times.
inline std::int64_t now_seconds()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace kring
