#pragma once

#include "identity.hpp"

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace kring {

// Slows down password guessing, in memory only: after `max_failures` failed
// logins within a minute for one account, or from one address, further
// attempts are refused without running the hash. It also bounds how many
// hashes wait at once, so a login flood cannot exhaust memory.
class login_guard {
public:
    login_guard(std::size_t max_failures, std::size_t max_pending_hashes);

    bool throttled(std::string const& account, std::optional<digest> const& address, std::int64_t now_ms);
    void failed(std::string const& account, std::optional<digest> const& address, std::int64_t now_ms);
    void succeeded(std::string const& account);

    // A place among the hashes allowed at once; false when all are taken.
    bool begin_hash();
    void end_hash();

private:
    bool over_limit_locked(std::vector<std::int64_t>& failures, std::int64_t now_ms) const;

    std::size_t const max_failures_;
    std::size_t const max_pending_;
    std::atomic<std::size_t> pending_{0};
    std::mutex mutex_;
    std::map<std::string, std::vector<std::int64_t>> by_account_;
    std::map<digest, std::vector<std::int64_t>> by_address_;
};

} // namespace kring
