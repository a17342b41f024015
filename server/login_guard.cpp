#include "login_guard.hpp"

#include <algorithm>

namespace kring {
namespace {

constexpr std::int64_t window_ms = 60'000;

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
    bool over = over_limit_locked(by_account_[account_key(account)], now_ms);
    if (address)
        over = over_limit_locked(by_address_[*address], now_ms) || over;
    return over;
}

void login_guard::failed(std::string const& account, std::optional<digest> const& address, std::int64_t now_ms)
{
    std::lock_guard lock{mutex_};
    by_account_[account_key(account)].push_back(now_ms);
    if (address)
        by_address_[*address].push_back(now_ms);
    if (by_account_.size() > 100000)
        by_account_.clear(); // a flood of made-up names must not grow memory without end
    if (by_address_.size() > 100000)
        by_address_.clear();
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
