#pragma once

#include "circle/participant.hpp"
#include "identity.hpp"
#include "network_table.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstddef>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace kring {

// How many identities may be alive at once, connected or waiting to be
// resumed, so that connecting and dropping in a loop cannot fill memory.
struct identity_limits {
    std::size_t total = 20000;
    std::size_t per_network = 512;
};

// Every identity alive on this server, found by the digest of its resume
// token. A dropped identity waits out the grace period, then leaves its rooms
// and is forgotten. Past a limit, a new identity takes the place of the one
// that has waited longest to be resumed (of its network, or of all); a
// connected identity is never pushed out.
class participant_directory {
public:
    // `networks` counts the identities of each network.
    participant_directory(boost::asio::any_io_executor executor, std::chrono::seconds grace, network_table& networks,
                          identity_limits limits = {});

    struct created {
        std::shared_ptr<participant> who;
        std::string token; // its resume token, for the welcome: only its hash is kept
    };

    // A new identity for a client of `network` (its keyed hash, if known).
    // `lang`: the language of its pseudonym (random_pseudonym).
    created create(std::optional<digest> const& network = std::nullopt, std::string_view lang = "en");

    struct claimed {
        std::shared_ptr<participant> who;       // null: no such identity (any more)
        std::shared_ptr<frame_sink> replaced;   // the connection it had, if any
    };

    // Attaches `sink` to the identity holding `token`, if it is still alive.
    claimed claim(std::string_view token, std::shared_ptr<frame_sink> const& sink);

    // Starts the grace period of a participant whose connection dropped.
    void disconnected(std::shared_ptr<participant> const& who, std::uint64_t generation);

    // The login an identity came from, if it is a moderator's or admin's.
    std::optional<digest> staff_token_of(std::string_view token) const;

    // Ends an identity at once: it leaves its rooms and can't be resumed.
    void forget(std::shared_ptr<participant> const& who);

    // Cancels every grace timer, so the server can stop.
    void shutdown();

    std::size_t size() const;

private:
    using token_key = digest; // SHA-256 of a resume token
    struct entry {
        std::shared_ptr<participant> who;
        std::shared_ptr<boost::asio::steady_timer> grace_timer;
        network_table::handle network; // none: not known
        // While waiting to be resumed: its place among those waiting, oldest first.
        std::optional<std::list<token_key>::iterator> waiting;
        std::optional<std::list<token_key>::iterator> waiting_in_network;
    };

    void expire(std::shared_ptr<participant> const& who, std::uint64_t generation);
    static void leave_everything(participant& who);
    // Under the lock; each returns the identity pushed out, to be ended outside it.
    std::shared_ptr<participant> make_room_locked(std::optional<digest> const& network);
    std::shared_ptr<participant> erase_locked(std::map<token_key, entry>::iterator found);
    void stop_waiting_locked(entry& e);

    boost::asio::any_io_executor executor_;
    std::chrono::seconds const grace_;
    identity_limits const limits_;
    mutable std::mutex mutex_;
    std::map<token_key, entry> by_token_;
    std::list<token_key> waiting_;                          // dropped identities, oldest first
    std::map<digest, std::list<token_key>> waiting_by_network_; // the same, per network
    network_table& networks_;                               // identities alive per network, among what it keeps
    bool stopping_ = false;
};

} // namespace kring
