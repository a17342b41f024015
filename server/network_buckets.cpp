#include "network_buckets.hpp"

namespace kring {
namespace {

constexpr std::int64_t sweep_interval_ms = 60'000;
constexpr std::int64_t crowded_sweep_interval_ms = 1'000;

} // namespace

network_buckets::network_buckets(message_rate rate, std::size_t max_networks)
    : rate_(rate)
    , max_networks_(max_networks)
{
}

std::int64_t network_buckets::take(digest const& network, std::int64_t now_ms)
{
    std::lock_guard lock{mutex_};
    if (now_ms - last_sweep_ms_ >= sweep_interval_ms)
        forget_full_locked(now_ms);
    auto found = buckets_.find(network);
    if (found == buckets_.end()) {
        // At the bound, a sweep makes room; at most once a second, so
        // that a full map does not cost a sweep per message.
        if (buckets_.size() >= max_networks_ && now_ms - last_sweep_ms_ >= crowded_sweep_interval_ms)
            forget_full_locked(now_ms);
        if (buckets_.size() >= max_networks_)
            return 0; // more networks sending at once than held: see the class comment
        found = buckets_.emplace(network, token_bucket{rate_, now_ms}).first;
    }
    auto const wait = found->second.wait_ms(now_ms);
    if (wait == 0)
        found->second.take();
    return wait;
}

std::size_t network_buckets::tracked() const
{
    std::lock_guard lock{mutex_};
    return buckets_.size();
}

void network_buckets::forget_full_locked(std::int64_t now_ms)
{
    std::erase_if(buckets_, [&](auto& entry) { return entry.second.full(now_ms); });
    last_sweep_ms_ = now_ms;
}

} // namespace kring
