#include "small_ring.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>

using kring::small_ring;

TEST_CASE("an empty ring holds no memory")
{
    small_ring<std::string> ring;
    CHECK(ring.empty());
    CHECK(ring.size() == 0);
    CHECK(ring.capacity() == 0);
}

TEST_CASE("a ring is first in, first out, across its wrap and while it grows")
{
    small_ring<int> ring;
    int next_in = 0;
    int next_out = 0;
    // Push three, pop two, again and again: the head walks round the ring
    // and the ring grows from 4 slots while items are in it.
    for (int round = 0; round < 50; ++round) {
        for (int i = 0; i < 3; ++i)
            ring.push_back(next_in++);
        for (int i = 0; i < 2; ++i) {
            REQUIRE(ring.front() == next_out);
            ring.pop_front();
            ++next_out;
        }
        CHECK(ring.size() == static_cast<std::size_t>(next_in - next_out));
    }
    CHECK(ring.capacity() >= ring.size());
    while (!ring.empty()) {
        REQUIRE(ring.front() == next_out++);
        ring.pop_front();
    }
    CHECK(next_out == next_in);
}

TEST_CASE("a ring starts with four slots and doubles")
{
    small_ring<int> ring;
    ring.push_back(1);
    CHECK(ring.capacity() == 4);
    for (int i = 0; i < 4; ++i)
        ring.push_back(i);
    CHECK(ring.capacity() == 8);
}

TEST_CASE("a ring lets go of what it held as soon as it is popped")
{
    small_ring<std::shared_ptr<int>> ring;
    auto const item = std::make_shared<int>(7);
    ring.push_back(item);
    ring.push_back(std::make_shared<int>(8));
    CHECK(item.use_count() == 2);
    ring.pop_front();
    CHECK(item.use_count() == 1);
}

TEST_CASE("a ring that grew large gives its memory back once empty; a small one keeps its slots")
{
    small_ring<int, 8> ring;
    for (int i = 0; i < 3; ++i)
        ring.push_back(i);
    while (!ring.empty())
        ring.pop_front();
    CHECK(ring.capacity() == 4); // small: kept, so a quiet connection does not allocate per message
    for (int i = 0; i < 20; ++i)
        ring.push_back(i);
    CHECK(ring.capacity() == 32);
    while (!ring.empty())
        ring.pop_front();
    CHECK(ring.capacity() == 0);
    ring.push_back(5);
    CHECK(ring.front() == 5);
    ring.clear();
    CHECK(ring.empty());
    CHECK(ring.capacity() == 0);
}

TEST_CASE("a ring reads by position from the front and can drop all but its first few, across its wrap")
{
    small_ring<std::string, 4> ring;
    for (auto const* s : {"a", "b", "c", "d"})
        ring.push_back(s);
    ring.pop_front();
    ring.pop_front();
    for (auto const* s : {"e", "f"}) // these wrap round to the start of the slots
        ring.push_back(s);
    REQUIRE(ring.size() == 4);
    CHECK(ring[0] == "c");
    CHECK(ring[3] == "f");

    ring.keep_front(2);
    CHECK(ring.size() == 2);
    CHECK(ring[1] == "d");
    ring.push_back("g");
    CHECK(ring[2] == "g");

    ring.keep_front(0);
    CHECK(ring.empty());
    ring.keep_front(5); // more than it holds: nothing changes
    CHECK(ring.empty());
}
