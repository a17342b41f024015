#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace kring {

// A first-in first-out queue on a ring of slots that grows by doubling from
// nothing. Unlike std::deque, which takes a 512-byte block as soon as it is
// made, an empty ring holds no memory and a short one little: a connection
// keeps several of these, and most connections are quiet. A ring that grew
// past `keep_slots` gives its memory back once it is empty again.
template <class T, std::size_t keep_slots = 64>
class small_ring {
public:
    bool empty() const { return size_ == 0; }
    std::size_t size() const { return size_; }
    std::size_t capacity() const { return slots_.size(); }

    T& front() { return slots_[head_]; }
    T const& front() const { return slots_[head_]; }
    // The i-th from the front; i < size().
    T const& operator[](std::size_t i) const { return slots_[(head_ + i) % slots_.size()]; }

    void push_back(T value)
    {
        if (size_ == slots_.size())
            grow();
        slots_[(head_ + size_) % slots_.size()] = std::move(value);
        ++size_;
    }

    void pop_front()
    {
        slots_[head_] = T{}; // what the slot held (a shared frame, say) goes now
        head_ = (head_ + 1) % slots_.size();
        if (--size_ == 0 && slots_.size() > keep_slots)
            clear();
    }

    // Drops all but the first `count`.
    void keep_front(std::size_t count)
    {
        for (std::size_t i = count; i < size_; ++i)
            slots_[(head_ + i) % slots_.size()] = T{};
        size_ = std::min(size_, count);
        if (size_ == 0 && slots_.size() > keep_slots)
            clear();
    }

    void clear()
    {
        std::vector<T>{}.swap(slots_);
        head_ = 0;
        size_ = 0;
    }

private:
    void grow()
    {
        std::vector<T> bigger;
        bigger.reserve(std::max<std::size_t>(4, 2 * slots_.size()));
        for (std::size_t i = 0; i < size_; ++i)
            bigger.push_back(std::move(slots_[(head_ + i) % slots_.size()]));
        bigger.resize(bigger.capacity());
        slots_ = std::move(bigger);
        head_ = 0;
    }

    std::vector<T> slots_;
    std::size_t head_ = 0;
    std::size_t size_ = 0;
};

} // namespace kring
