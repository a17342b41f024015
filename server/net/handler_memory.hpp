#pragma once

#include <cstddef>
#include <new>

namespace kring {

// Room inside an object for the one asynchronous operation it keeps
// pending, as in Asio's allocation example: a quiet WebSocket always waits
// for its socket to be readable, and that wait then costs no heap block of
// its own. One operation at a time uses the room; another one, or one too
// big for it, takes the heap. Asio gives the memory back before it calls the
// handler, so the handler may start the next wait at once.
template <std::size_t Bytes>
class handler_memory {
public:
    handler_memory() = default;
    handler_memory(handler_memory const&) = delete;
    handler_memory& operator=(handler_memory const&) = delete;

    void* allocate(std::size_t size)
    {
        if (!in_use_ && size <= Bytes) {
            in_use_ = true;
            return storage_;
        }
        return ::operator new(size);
    }

    void deallocate(void* pointer)
    {
        if (pointer == storage_)
            in_use_ = false;
        else
            ::operator delete(pointer);
    }

private:
    alignas(std::max_align_t) unsigned char storage_[Bytes];
    bool in_use_ = false;
};

// The allocator a handler carries (asio::bind_allocator) to use that room.
template <class T, std::size_t Bytes>
class handler_allocator {
public:
    using value_type = T;
    template <class U>
    struct rebind {
        using other = handler_allocator<U, Bytes>;
    };

    explicit handler_allocator(handler_memory<Bytes>& memory)
        : memory_(&memory)
    {
    }

    template <class U>
    handler_allocator(handler_allocator<U, Bytes> const& other) noexcept
        : memory_(other.memory_)
    {
    }

    T* allocate(std::size_t count) { return static_cast<T*>(memory_->allocate(sizeof(T) * count)); }
    void deallocate(T* pointer, std::size_t) { memory_->deallocate(pointer); }

    template <class U>
    bool operator==(handler_allocator<U, Bytes> const& other) const noexcept
    {
        return memory_ == other.memory_;
    }

private:
    template <class, std::size_t>
    friend class handler_allocator;

    handler_memory<Bytes>* memory_;
};

} // namespace kring
