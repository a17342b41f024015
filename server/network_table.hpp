#pragma once

#include "identity.hpp"
#include "token_bucket.hpp"

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <unordered_map>
#include <utility>

namespace kring {

// How fast one network may do what the table budgets.
struct network_rates {
    std::size_t connections_a_minute = 300; // a burst of as many, a sixtieth of it back each second
    message_rate messages{20, 40};          // from all its connections together
};

// What the server keeps of each client network (the keyed hash of its
// address, address_mark.hpp), in one record: how many connections and
// identities it has open, and its budgets for new connections and for
// messages. One record a network, where every phone tends to have an
// address of its own: the mark is held once, not once in each of four maps.
//
// What is counted keeps the handle it was given: a pointer to its record,
// which the table keeps in place. A record that counts nothing and whose
// budgets are full knows nothing a new one would not, and a sweep forgets
// it, once a minute and whenever `max_networks` are held. The counts are
// bounded by the limits on connections and identities; a network that is
// only budgeted is not held past `max_networks` (it is then let through,
// and its connections' own budgets still hold).
//
// Safe from any thread: its lock is taken after the connection registry's
// or the identity directory's, never before.
class network_table {
public:
    struct record;
    using handle = std::pair<digest const, record>*; // null: no known network

    network_table(network_rates rates, std::size_t max_networks);
    network_table(network_table const&) = delete;
    network_table& operator=(network_table const&) = delete;

    // A new connection from `network`, counted if fewer than `limit` are
    // open from it and its budget has one left; null when refused.
    handle connect(digest const& network, std::size_t limit, std::int64_t now_ms);
    void disconnect(handle counted);

    // A new identity of `network`, counted; identities() says how many it has.
    handle add_identity(digest const& network);
    void remove_identity(handle counted);

    // 0 when the network had a message left and it was taken; otherwise
    // the milliseconds until it has one.
    std::int64_t take_message(digest const& network, std::int64_t now_ms);

    std::size_t connections(digest const& network) const;
    std::size_t identities(digest const& network) const;
    static digest const& network_of(handle counted) { return counted->first; }
    std::size_t tracked() const; // networks held now

    struct record {
        std::uint32_t connections = 0;
        std::uint32_t identities = 0;
        token_count arrivals; // at the table's rates
        token_count messages;
    };

private:
    // A mark is a keyed hash (HMAC-SHA-256), as even as hashes come and
    // beyond anyone's choosing without the server's key: its first eight
    // bytes are a hash table's hash as they are. A message's budget is then
    // found in one step, not in a tree's fourteen comparisons of 32 bytes at
    // 10,000 networks. The table keeps its records in place as it grows.
    struct mark_hash {
        std::size_t operator()(digest const& mark) const noexcept
        {
            std::size_t h;
            std::memcpy(&h, mark.data(), sizeof h);
            return h;
        }
    };
    using records = std::unordered_map<digest, record, mark_hash>;

    records::iterator add_locked(digest const& network);
    void sweep_locked(std::int64_t now_ms);

    message_rate const arrivals_;
    message_rate const messages_;
    std::size_t const max_networks_;
    mutable std::mutex mutex_;
    records records_;
    std::int64_t last_sweep_ms_ = 0;
};

} // namespace kring
