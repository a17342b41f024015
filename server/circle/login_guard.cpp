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

std::string account_key(std::string const& account)
{
    std::string key = account;
    std::transform(key.begin(), key.end(), key.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    return key;
}

} // namespace

login_guard::login_guard(std::size_t max_failures, std::size_t max_pending_hashes)
    : max_failures_(max_failures)
    , max_pending_(max_pending_hashes)
{
}

bool login_guard::over_limit_locked(std::vector<std::int64_t>& failures, std::int64_t now_ms) const
{
    std::erase_if(failures, [&](std::int64_t at) { return at <= now_ms - window_ms; });
    return failures.size() >= max_failures_;
}

bool login_guard::throttled(std::string const& account, std::optional<digest> const& address, std::int64_t now_ms)
{
    std::lock_guard lock{mutex_};
    bool over = false;
    if (auto found = by_account_.find(account_key(account)); found != by_account_.end())
        over = over_limit_locked(found->second, now_ms);
    if (address)
        if (auto found = by_address_.find(*address); found != by_address_.end())
            over = over_limit_locked(found->second, now_ms) || over;
    return over;
}

void login_guard::failed(std::string const& account, std::optional<digest> const& address, std::int64_t now_ms)
{
    std::lock_guard lock{mutex_};
    // A flood of made-up names must not grow memory without end: forget
    // failures older than the window first, and past the bound record no
    // new names (the per-address count still holds them back).
    forget_old_locked(by_account_, now_ms);
    forget_old_locked(by_address_, now_ms);
    auto const key = account_key(account);
    if (by_account_.size() < max_tracked || by_account_.contains(key))
        by_account_[key].push_back(now_ms);
    if (address && (by_address_.size() < max_tracked || by_address_.contains(*address)))
        by_address_[*address].push_back(now_ms);
}

void login_guard::succeeded(std::string const& account)
{
    std::lock_guard lock{mutex_};
    by_account_.erase(account_key(account));
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
