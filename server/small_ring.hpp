#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>

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
    std::size_t capacity() const { return capacity_; }
    T& front() { return slots_[head_]; }
    T const& front() const { return slots_[head_]; }
    // The i-th from the front; i < size().
    T const& operator[](std::size_t i) const { return slots_[(head_ + i) % capacity_]; }

    void push_back(T value)
    {
        if (size_ == capacity_)
            grow();
        slots_[(head_ + size_) % capacity_] = std::move(value);
        ++size_;
    }

    void pop_front()
    {
        slots_[head_] = T{}; // what the slot held (a shared frame, say) goes now
        head_ = (head_ + 1) % capacity_;
        if (--size_ == 0 && capacity_ > keep_slots)
            clear();
    }

    // Drops all but the first `count`.
    void keep_front(std::size_t count)
    {
        for (std::size_t i = count; i < size_; ++i)
            slots_[(head_ + i) % capacity_] = T{};
        size_ = static_cast<std::uint32_t>(std::min<std::size_t>(size_, count));
        if (size_ == 0 && capacity_ > keep_slots)
            clear();
    }

    void clear()
    {
        slots_.reset();
        capacity_ = 0;
        head_ = 0;
        size_ = 0;
    }

private:
    void grow()
    {
        auto const bigger = std::max<std::uint32_t>(4, 2 * capacity_);
        auto slots = std::make_unique<T[]>(bigger);
        for (std::uint32_t i = 0; i < size_; ++i)
            slots[i] = std::move(slots_[(head_ + i) % capacity_]);
        slots_ = std::move(slots);
        capacity_ = bigger;
        head_ = 0;
    }

    // 24 bytes where a vector and two counts took 40: connections hold a few.
    std::unique_ptr<T[]> slots_;
    std::uint32_t capacity_ = 0;
    std::uint32_t head_ = 0;
    std::uint32_t size_ = 0;
};

} // namespace kring
