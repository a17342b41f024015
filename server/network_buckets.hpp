#pragma once

#include "token_bucket.hpp"
#include "identity.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>

namespace kring {

// The message budgets of networks, each shared by all the connections from
// one network (its address mark): a token bucket per network, under one
// lock, since those connections may run on different network threads.
//
// Bounded in memory: a full bucket knows nothing a new one would not, so
// full ones are forgotten, once a minute and whenever `max_networks` are
// held. Networks that are sending need connections, so a bound of the
// connection limit is never reached in practice; if it were, a network not
// yet held would not be counted, and its connections' own budgets would
// still hold.
class network_buckets {
public:
    network_buckets(message_rate rate, std::size_t max_networks);

    // 0 when the network had a message left and it was taken; otherwise
    // the milliseconds until it has one.
    std::int64_t take(digest const& network, std::int64_t now_ms);

    // Networks held now (for tests).
    std::size_t tracked() const;

private:
    void forget_full_locked(std::int64_t now_ms);

    message_rate const rate_;
    std::size_t const max_networks_;
    mutable std::mutex mutex_;
    std::map<digest, token_bucket> buckets_;
    std::int64_t last_sweep_ms_ = 0;
};

} // namespace kring
