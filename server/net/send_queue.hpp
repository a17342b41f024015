#pragma once

#include "frame.hpp"
#include "small_ring.hpp"

#include <cstddef>

namespace kring {

// The frames waiting to be written to one client, bounded in bytes. A frame
// is refused when it would take the queue past its bound, except into an
// empty queue, so that one large `joined` can always be sent.
class send_queue {
public:
    explicit send_queue(std::size_t max_bytes)
        : max_bytes_(max_bytes)
    {
    }

    // False when the bound is reached: the client reads too slowly.
    bool push(shared_frame frame)
    {
        if (!frames_.empty() && bytes_ + frame->size() > max_bytes_)
            return false;
        bytes_ += frame->size();
        frames_.push_back(std::move(frame));
        return true;
    }

    shared_frame const& front() const { return frames_.front(); }

    void pop()
    {
        bytes_ -= frames_.front()->size();
        frames_.pop_front();
    }

    void clear()
    {
        frames_.clear();
        bytes_ = 0;
    }

    bool empty() const { return frames_.empty(); }
    std::size_t size() const { return frames_.size(); }
    std::size_t bytes() const { return bytes_; }

private:
    small_ring<shared_frame> frames_; // a quiet connection's holds no memory; a drained one gives it back
    std::size_t bytes_ = 0;
    std::size_t max_bytes_;
};

} // namespace kring
