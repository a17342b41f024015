#pragma once

#include "identity.hpp"
#include "circle/participant.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>

namespace kring {

// Every identity alive on this server, found by the digest of its resume
// token. A dropped identity waits out the grace period, then leaves its rooms
// and is forgotten.
class participant_directory {
public:
    participant_directory(boost::asio::any_io_executor executor, std::chrono::seconds grace);

    std::shared_ptr<participant> create();

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
    void expire(std::shared_ptr<participant> const& who, std::uint64_t generation);
    static void leave_everything(participant& who);

    struct entry {
        std::shared_ptr<participant> who;
        std::shared_ptr<boost::asio::steady_timer> grace_timer;
    };

    boost::asio::any_io_executor executor_;
    std::chrono::seconds const grace_;
    mutable std::mutex mutex_;
    std::map<digest, entry> by_token_;
    bool stopping_ = false;
};

} // namespace kring
