#pragma once

#include "frame.hpp"
#include "identity.hpp"
#include "participant.hpp"

#include <kring/protocol/error_code.hpp>

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace kring {

struct room_settings {
    std::string slug;
    std::string title;
    std::size_t capacity = 12;
    std::optional<digest> code_digest; // SHA-256 of the access code, if any
};

// One circle: its members, its sequence counter and the ring of its recent
// messages. Everything happens under one lock, and frames are handed to
// members inside it, so every member sees the room's frames in seq order.
class room : public std::enable_shared_from_this<room> {
public:
    room(room_settings settings, std::size_t history_limit);

    std::string const& slug() const { return settings_.slug; }
    bool code_matches(std::optional<std::string> const& code) const;

    using outcome = std::optional<protocol::error_code>; // empty: done

    // Seats `who` under `name`; sends `joined` to it and `member_joined` to the others.
    outcome join(std::shared_ptr<participant> const& who, std::string name);

    // Writes the message once and shares it; the sender's copy carries `ref`.
    outcome say(participant const& who, std::string_view text, std::optional<std::string_view> ref,
                std::int64_t now_ms);

    // Sends `left` to `who` and `member_left` to the others.
    outcome leave(participant& who);

    // Sends `who` a fresh `joined` with what it missed after `since`.
    void resume(participant& who, std::optional<std::uint64_t> since);

    // A dropped member was not resumed in time: `member_left` to the others.
    void expire(participant& who);

    std::size_t member_count() const;

private:
    struct member {
        std::shared_ptr<participant> who;
        std::string name;
    };
    struct stored_message {
        std::uint64_t seq;
        shared_frame frame;
    };

    std::vector<member>::iterator find_locked(participant const& who);
    shared_frame joined_frame_locked(member const& you, std::uint64_t since, bool gap) const;
    void remove_locked(std::vector<member>::iterator m);
    void broadcast_locked(shared_frame const& frame, participant const* except) const;

    room_settings const settings_;
    std::size_t const history_limit_;

    mutable std::mutex mutex_;
    std::vector<member> members_;
    std::deque<stored_message> history_;
    std::uint64_t seq_ = 0;
};

} // namespace kring
