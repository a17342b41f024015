#include "circle/login_guard.hpp"

#include <algorithm>

namespace kring {
namespace {

constexpr std::int64_t window_ms = 60'000;
constexpr std::size_t max_tracked = 100'000;

template <class Map>
void forget_old_locked(Map& map, std::int64_t now_ms)
{
    if (map.size() < max_tracked)
        return;
    std::erase_if(map, [&](auto const& entry) { return entry.second.empty() || entry.second.back() <= now_ms - window_ms; });
}

template <class Map, class Key>
void record_locked(Map& map, Key const& key, std::int64_t now_ms)
{
    forget_old_locked(map, now_ms);
    if (map.size() < max_tracked || map.contains(key))
        map[key].push_back(now_ms);
}

template <class Map, class Key>
bool over_locked(Map& map, Key const& key, std::size_t ceiling, std::int64_t now_ms)
{
    auto const found = map.find(key);
    if (found == map.end())
        return false;
    std::erase_if(found->second, [&](std::int64_t at) { return at <= now_ms - window_ms; });
    return found->second.size() >= ceiling;
}

std::string account_key(std::string const& account)
{
    std::string key = account;
    std::transform(key.begin(), key.end(), key.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    return key;
}

} // namespace

login_guard::login_guard(login_ceilings ceilings, std::size_t max_pending_hashes)
    : ceilings_(ceilings)
    , max_pending_(max_pending_hashes)
{
}

bool login_guard::throttled(std::string const& account, std::optional<digest> const& network, std::int64_t now_ms)
{
    std::lock_guard lock{mutex_};
    auto const name = account_key(account);
    // Each count is pruned, so all three are looked at.
    bool over =
        over_locked(by_name_and_network_, name_and_network{name, network}, ceilings_.per_name_and_network, now_ms);
    over = over_locked(by_name_, name, ceilings_.per_name, now_ms) || over;
    if (network)
        over = over_locked(by_network_, *network, ceilings_.per_network, now_ms) || over;
    return over;
}

void login_guard::failed(std::string const& account, std::optional<digest> const& network, std::int64_t now_ms)
{
    std::lock_guard lock{mutex_};
    // A flood of made-up names must not grow memory without end: failures
    // older than the window are forgotten first, and past the bound no new
    // key is recorded (the per-network count still holds them back).
    auto const name = account_key(account);
    record_locked(by_name_and_network_, name_and_network{name, network}, now_ms);
    record_locked(by_name_, name, now_ms);
    if (network)
        record_locked(by_network_, *network, now_ms);
}

void login_guard::succeeded(std::string const& account, std::optional<digest> const& network)
{
    std::lock_guard lock{mutex_};
    by_name_and_network_.erase(name_and_network{account_key(account), network});
}

bool login_guard::begin_hash()
{
    if (pending_.fetch_add(1) >= max_pending_) {
        pending_.fetch_sub(1);
        return false;
    }
    return true;
}

void login_guard::end_hash()
{
    pending_.fetch_sub(1);
}

} // namespace kring
