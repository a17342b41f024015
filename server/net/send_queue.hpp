#pragma once

#include "frame.hpp"
#include "small_ring.hpp"

#include <boost/asio/buffer.hpp>

#include <algorithm>
#include <cstddef>
#include <iterator>

namespace kring {

// The frames waiting to be written to one client, bounded in bytes of text.
// A frame is refused when it would take the waiting frames past the bound,
// except when none waits, so that one large `joined` can always be sent.
class send_queue {
    // Emptied, it holds no slots at all: a quiet connection keeps no memory
    // here, and the next burst takes its slots from malloc's per-thread cache.
    using ring = small_ring<shared_frame, 0>;

public:
    // The wire bytes of the first frames of a queue, as one buffer sequence
    // for a gathered write (`writev`). Valid while those frames are queued.
    class front_buffers {
    public:
        class const_iterator {
        public:
            using iterator_category = std::bidirectional_iterator_tag;
            using value_type = boost::asio::const_buffer;
            using difference_type = std::ptrdiff_t;
            using pointer = value_type const*;
            using reference = value_type;

            const_iterator() = default;
            const_iterator(ring const* frames, std::size_t at)
                : frames_(frames)
                , at_(at)
            {
            }

            value_type operator*() const
            {
                auto const wire = (*frames_)[at_]->wire();
                return {wire.data(), wire.size()};
            }
            const_iterator& operator++()
            {
                ++at_;
                return *this;
            }
            const_iterator operator++(int)
            {
                auto was = *this;
                ++at_;
                return was;
            }
            const_iterator& operator--()
            {
                --at_;
                return *this;
            }
            const_iterator operator--(int)
            {
                auto was = *this;
                --at_;
                return was;
            }
            bool operator==(const_iterator const& other) const { return at_ == other.at_; }
            bool operator!=(const_iterator const& other) const { return at_ != other.at_; }

        private:
            ring const* frames_ = nullptr;
            std::size_t at_ = 0;
        };

        front_buffers(ring const& frames, std::size_t count)
            : frames_(&frames)
            , count_(count)
        {
        }
        const_iterator begin() const { return {frames_, 0}; }
        const_iterator end() const { return {frames_, count_}; }

    private:
        ring const* frames_;
        std::size_t count_;
    };

    explicit send_queue(std::size_t max_bytes)
        : max_bytes_(max_bytes)
    {
    }

    // False when the bound is reached: the client reads too slowly. Frames
    // being written no longer count against the bound.
    bool push(shared_frame const& frame)
    {
        auto const size = frame->text().size();
        if (frames_.size() > writing_ && bytes_ + size > max_bytes_)
            return false;
        bytes_ += size;
        frames_.push_back(frame);
        return true;
    }

    shared_frame const& front() const { return frames_.front(); }

    // The next frames to write, at most `most`, as one buffer sequence for a
    // gathered write. They stay in the queue until written() or clear().
    front_buffers start_writing(std::size_t most)
    {
        writing_ = std::min(most, frames_.size());
        for (std::size_t i = 0; i < writing_; ++i)
            bytes_ -= frames_[i]->text().size();
        return {frames_, writing_};
    }

    // The frames start_writing() gave have been written.
    void written()
    {
        for (; writing_ > 0; --writing_)
            frames_.pop_front();
    }

    bool writing() const { return writing_ > 0; }

    // Drops the first frame, which is not being written.
    void pop()
    {
        bytes_ -= frames_.front()->text().size();
        frames_.pop_front();
    }

    // Forgets every frame but those being written: their bytes are in use.
    void clear()
    {
        frames_.keep_front(writing_);
        bytes_ = 0;
    }

    bool empty() const { return frames_.empty(); }
    std::size_t size() const { return frames_.size(); }
    // The text of the frames waiting, not of those being written.
    std::size_t bytes() const { return bytes_; }

private:
    ring frames_; // a quiet connection's holds no memory; a drained one gives it back
    std::size_t bytes_ = 0;
    std::size_t writing_ = 0; // frames at the front being written
    std::size_t max_bytes_;
};

} // namespace kring
