#pragma once

#include <atomic>
#include <cstdint>

namespace kring {

// A mutex of 4 bytes instead of std::mutex's 40, for what there is one of
// per connection (an identity, a connection's inbox) and whose lock is held
// for a few instructions.
//
// Free, locking and unlocking are one atomic instruction each. A thread
// that finds it held marks it contended and sleeps on it (std::atomic's
// wait, a futex on Linux) until an unlock that saw the mark wakes one
// sleeper. This is the third mutex of Ulrich Drepper's "Futexes Are
// Tricky", as Rust's standard library also has it. It is Lockable:
// std::lock_guard and std::unique_lock take it.
class small_mutex {
public:
    small_mutex() = default;
    small_mutex(small_mutex const&) = delete;
    small_mutex& operator=(small_mutex const&) = delete;

    void lock() noexcept
    {
        std::uint32_t seen = free;
        if (!state_.compare_exchange_strong(seen, held, std::memory_order_acquire, std::memory_order_relaxed))
            lock_contended(seen);
    }

    bool try_lock() noexcept
    {
        std::uint32_t seen = free;
        return state_.compare_exchange_strong(seen, held, std::memory_order_acquire, std::memory_order_relaxed);
    }

    void unlock() noexcept
    {
        if (state_.exchange(free, std::memory_order_release) == contended)
            state_.notify_one();
    }

private:
    static constexpr std::uint32_t free = 0;
    static constexpr std::uint32_t held = 1;      // and nobody sleeps on it
    static constexpr std::uint32_t contended = 2; // somebody may sleep on it

    void lock_contended(std::uint32_t seen) noexcept
    {
        // Taken as contended, since others may sleep still: the unlock then wakes one.
        if (seen != contended)
            seen = state_.exchange(contended, std::memory_order_acquire);
        while (seen != free) {
            state_.wait(contended, std::memory_order_relaxed);
            seen = state_.exchange(contended, std::memory_order_acquire);
        }
    }

    std::atomic<std::uint32_t> state_{free};
};

} // namespace kring
