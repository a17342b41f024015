#pragma once

#include "identity.hpp"

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace kring {

// Failed logins a minute after which further attempts wait.
struct login_ceilings {
    std::size_t per_name_and_network; // one name from one network: the guesser's own
    std::size_t per_name;             // one name from every network together
    std::size_t per_network;          // one network, whatever the names
};

// Slows down password guessing, in memory only: past a ceiling, attempts
// are refused without running the hash. The low ceiling counts one name
// from one network, so that a stranger guessing a moderator's password
// elsewhere cannot lock her out; a much higher one for the name across
// networks bounds guessing spread over many of them. It also bounds how
// many hashes wait at once, so a login flood cannot exhaust memory.
class login_guard {
public:
    login_guard(login_ceilings ceilings, std::size_t max_pending_hashes);

    bool throttled(std::string const& account, std::optional<digest> const& network, std::int64_t now_ms);
    void failed(std::string const& account, std::optional<digest> const& network, std::int64_t now_ms);
    // Forgets the failures of this name from this network; those from
    // elsewhere still count against the name.
    void succeeded(std::string const& account, std::optional<digest> const& network);

    // A place among the hashes allowed at once; false when all are taken.
    bool begin_hash();
    void end_hash();

private:
    using name_and_network = std::pair<std::string, std::optional<digest>>;

    login_ceilings const ceilings_;
    std::size_t const max_pending_;
    std::atomic<std::size_t> pending_{0};
    std::mutex mutex_;
    std::map<name_and_network, std::vector<std::int64_t>> by_name_and_network_;
    std::map<std::string, std::vector<std::int64_t>> by_name_;
    std::map<digest, std::vector<std::int64_t>> by_network_;
};

} // namespace kring
