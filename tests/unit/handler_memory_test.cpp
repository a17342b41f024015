#include "net/handler_memory.hpp"
#include "net/network_threads.hpp"

#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <functional>
#include <memory>

using kring::handler_allocator;
using kring::handler_memory;

TEST_CASE("one operation at a time lives in the handler memory; another, or a larger one, takes the heap")
{
    handler_memory<64> memory;
    void* const first = memory.allocate(64);
    void* const second = memory.allocate(16); // the room is taken
    CHECK(first != second);
    memory.deallocate(second);
    memory.deallocate(first);
    CHECK(memory.allocate(32) == first); // free again, and used again
    void* const too_big = memory.allocate(65);
    CHECK(too_big != first);
    memory.deallocate(too_big);
    memory.deallocate(first);
}

TEST_CASE("an operation's memory is free again when its handler runs, so the handler can start the next one")
{
    boost::asio::io_context ioc;
    boost::asio::steady_timer timer{ioc};
    handler_memory<512> memory;
    int waits = 0;
    void* room_of_first = nullptr;
    std::function<void()> wait_again;
    auto const in_room = [&](std::size_t size) {
        // What the allocator hands out while nothing uses the room is the room.
        void* const p = memory.allocate(size);
        memory.deallocate(p);
        return p;
    };
    room_of_first = in_room(1);
    wait_again = [&] {
        timer.expires_after(std::chrono::milliseconds{1});
        timer.async_wait(boost::asio::bind_allocator(handler_allocator<char, 512>{memory}, [&](boost::system::error_code) {
            ++waits;
            CHECK(in_room(1) == room_of_first); // the finished wait gave it back
            if (waits < 3)
                wait_again();
        }));
        CHECK(in_room(1) != room_of_first); // the pending wait holds the room
    };
    wait_again();
    ioc.run();
    CHECK(waits == 3);
}

TEST_CASE("a quiet socket's wait to be readable, as the transport starts it, fits the room the transport keeps")
{
    boost::asio::io_context ioc;
    kring::network_socket socket{ioc};
    socket.open(boost::asio::ip::tcp::v4());
    handler_memory<kring::socket_wait_bytes> memory;
    void* const room = memory.allocate(1);
    memory.deallocate(room);
    // The transport's handler holds one shared pointer, to the transport.
    auto const ended = std::make_shared<bool>(false);
    socket.async_wait(boost::asio::socket_base::wait_read,
                      boost::asio::bind_allocator(handler_allocator<char, kring::socket_wait_bytes>{memory},
                                                  [ended](boost::system::error_code ec) {
                                                      CHECK(ec == boost::asio::error::operation_aborted);
                                                      *ended = true;
                                                  }));
    void* const meanwhile = memory.allocate(1);
    CHECK(meanwhile != room); // the pending wait took the room, so it fitted
    memory.deallocate(meanwhile);
    socket.close();
    ioc.run();
    CHECK(*ended);
}
