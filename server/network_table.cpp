#include "network_table.hpp"

#include <algorithm>

namespace kring {
namespace {

constexpr std::int64_t sweep_interval_ms = 60'000;
constexpr std::int64_t crowded_sweep_interval_ms = 1'000;

message_rate arrival_rate(std::size_t per_minute)
{
    auto const burst = static_cast<std::int64_t>(std::max<std::size_t>(per_minute, 1));
    return {std::max<std::int64_t>(1, burst / 60), burst};
}

} // namespace

network_table::network_table(network_rates rates, std::size_t max_networks)
    : arrivals_(arrival_rate(rates.connections_a_minute))
    , messages_(rates.messages)
    , max_networks_(max_networks)
{
}

// A new record's budgets are full, whatever time they start from: a bucket
// refills to its burst and no further.
network_table::records::iterator network_table::add_locked(digest const& network)
{
    return records_.try_emplace(network, record{0, 0, token_count{arrivals_, 0}, token_count{messages_, 0}}).first;
}

network_table::handle network_table::connect(digest const& network, std::size_t limit, std::int64_t now_ms)
{
    std::lock_guard lock{mutex_};
    if (now_ms - last_sweep_ms_ >= sweep_interval_ms)
        sweep_locked(now_ms);
    auto found = records_.find(network);
    bool budgeted = true;
    if (found == records_.end()) {
        if (records_.size() >= max_networks_ && now_ms - last_sweep_ms_ >= crowded_sweep_interval_ms)
            sweep_locked(now_ms);
        // Counted all the same, as the limit needs; but past the bound a new
        // network's budget is not spent, which would keep its record.
        budgeted = records_.size() < max_networks_;
        found = add_locked(network);
    }
    auto& r = found->second;
    if (r.connections >= limit || r.arrivals.wait_ms(arrivals_, now_ms) != 0)
        return nullptr;
    if (budgeted)
        r.arrivals.take();
    ++r.connections;
    return &*found;
}

void network_table::disconnect(handle counted)
{
    if (!counted)
        return;
    std::lock_guard lock{mutex_};
    --counted->second.connections;
}

network_table::handle network_table::add_identity(digest const& network)
{
    std::lock_guard lock{mutex_};
    auto const found = add_locked(network);
    ++found->second.identities;
    return &*found;
}

void network_table::remove_identity(handle counted)
{
    if (!counted)
        return;
    std::lock_guard lock{mutex_};
    --counted->second.identities;
}

std::int64_t network_table::take_message(digest const& network, std::int64_t now_ms)
{
    std::lock_guard lock{mutex_};
    if (now_ms - last_sweep_ms_ >= sweep_interval_ms)
        sweep_locked(now_ms);
    auto found = records_.find(network);
    if (found == records_.end()) {
        // At the bound, a sweep makes room; at most once a second, so
        // that a full table does not cost a sweep per message.
        if (records_.size() >= max_networks_ && now_ms - last_sweep_ms_ >= crowded_sweep_interval_ms)
            sweep_locked(now_ms);
        if (records_.size() >= max_networks_)
            return 0; // more networks at once than held: see the class comment
        found = add_locked(network);
    }
    auto const wait = found->second.messages.wait_ms(messages_, now_ms);
    if (wait == 0)
        found->second.messages.take();
    return wait;
}

std::size_t network_table::connections(digest const& network) const
{
    std::lock_guard lock{mutex_};
    auto const found = records_.find(network);
    return found == records_.end() ? 0 : found->second.connections;
}

std::size_t network_table::identities(digest const& network) const
{
    std::lock_guard lock{mutex_};
    auto const found = records_.find(network);
    return found == records_.end() ? 0 : found->second.identities;
}

std::size_t network_table::tracked() const
{
    std::lock_guard lock{mutex_};
    return records_.size();
}

void network_table::sweep_locked(std::int64_t now_ms)
{
    std::erase_if(records_, [&](auto const& entry) {
        auto const& r = entry.second;
        return r.connections == 0 && r.identities == 0 && r.arrivals.full(arrivals_, now_ms) && r.messages.full(messages_, now_ms);
    });
    last_sweep_ms_ = now_ms;
}

} // namespace kring
