#include "small_mutex.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

using kring::small_mutex;

TEST_CASE("small_mutex: four bytes, and one holder at a time")
{
    static_assert(sizeof(small_mutex) == 4);
    small_mutex m;
    CHECK(m.try_lock());
    CHECK_FALSE(m.try_lock()); // held
    m.unlock();
    {
        std::lock_guard lock{m};
        CHECK_FALSE(m.try_lock());
    }
    CHECK(m.try_lock());
    m.unlock();
}

TEST_CASE("small_mutex: a thread that finds it held sleeps until the holder lets go")
{
    small_mutex m;
    std::atomic<bool> entered{false};
    m.lock();
    std::thread waiter{[&] {
        std::lock_guard lock{m};
        entered = true;
    }};
    // The waiter is on its way to sleep on the lock, or asleep: it must not get in.
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
    CHECK_FALSE(entered.load());
    m.unlock();
    waiter.join();
    CHECK(entered.load());
    CHECK(m.try_lock()); // the waiter let go as well
    m.unlock();
}

TEST_CASE("small_mutex: four threads counting under it lose no count")
{
    // Increments of a plain integer: any overlap of two holders loses
    // counts (and ThreadSanitizer names the race).
    small_mutex m;
    std::uint64_t count = 0;
    constexpr int threads = 4;
    constexpr int rounds = 200000;
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
        workers.emplace_back([&] {
            for (int i = 0; i < rounds; ++i) {
                std::lock_guard lock{m};
                ++count;
            }
        });
    for (auto& w : workers)
        w.join();
    CHECK(count == std::uint64_t{threads} * rounds);
}
