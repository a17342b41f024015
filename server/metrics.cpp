#include "metrics.hpp"

#include <algorithm>

namespace kring {

std::size_t sharded_count::shard()
{
    static std::atomic<std::size_t> next{0};
    thread_local std::size_t const mine = next.fetch_add(1, std::memory_order_relaxed) % shards;
    return mine;
}

std::int64_t sharded_count::value() const
{
    std::int64_t sum = 0;
    for (auto const& s : slots_)
        sum += s.value.load(std::memory_order_relaxed);
    return sum;
}

void latency_histogram::observe(std::chrono::steady_clock::duration took)
{
    auto const micros = std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::microseconds>(took).count());
    double const seconds = static_cast<double>(micros) / 1e6;
    auto const bucket = std::lower_bound(bounds.begin(), bounds.end(), seconds) - bounds.begin();
    buckets_[static_cast<std::size_t>(bucket)].fetch_add(1, std::memory_order_relaxed);
    sum_micros_.fetch_add(static_cast<std::uint64_t>(micros), std::memory_order_relaxed);
}

std::array<std::uint64_t, latency_histogram::bounds.size() + 1> latency_histogram::cumulative() const
{
    std::array<std::uint64_t, bounds.size() + 1> out{};
    std::uint64_t running = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
        running += buckets_[i].load(std::memory_order_relaxed);
        out[i] = running;
    }
    return out;
}

double latency_histogram::sum_seconds() const
{
    return static_cast<double>(sum_micros_.load(std::memory_order_relaxed)) / 1e6;
}

void metrics::count_action(std::string_view kind)
{
    auto const found = std::find(moderation_kinds.begin(), moderation_kinds.end(), kind);
    actions[static_cast<std::size_t>(found - moderation_kinds.begin())].add();
}

metrics& server_metrics()
{
    static metrics the_metrics;
    return the_metrics;
}

} // namespace kring
