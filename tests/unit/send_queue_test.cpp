#include "net/send_queue.hpp"

#include <doctest/doctest.h>

#include <string>

using kring::make_frame;
using kring::send_queue;

namespace {

kring::shared_frame frame_of_size(std::size_t bytes, char fill = 'x')
{
    return make_frame(std::string(bytes, fill));
}

} // namespace

TEST_CASE("a new send queue is empty")
{
    send_queue const queue{100};
    CHECK(queue.empty());
    CHECK(queue.size() == 0);
    CHECK(queue.bytes() == 0);
}

TEST_CASE("a send queue accepts frames up to its byte bound and refuses the one that would pass it")
{
    send_queue queue{10};
    REQUIRE(queue.push(frame_of_size(4)));
    CHECK(queue.bytes() == 4);
    CHECK(queue.push(frame_of_size(6))); // exactly at the bound
    CHECK(queue.bytes() == 10);
    CHECK(queue.size() == 2);

    SUBCASE("one byte more is refused and leaves the queue as it was")
    {
        CHECK_FALSE(queue.push(frame_of_size(1)));
        CHECK(queue.bytes() == 10);
        CHECK(queue.size() == 2);
    }
    SUBCASE("an empty frame still fits")
    {
        CHECK(queue.push(frame_of_size(0)));
        CHECK(queue.size() == 3);
    }
    SUBCASE("room made by pop is usable again")
    {
        queue.pop();
        CHECK(queue.bytes() == 6);
        CHECK(queue.push(frame_of_size(4)));
        CHECK_FALSE(queue.push(frame_of_size(1)));
        CHECK(queue.bytes() == 10);
    }
}

TEST_CASE("an empty send queue accepts one frame larger than its bound, and nothing after it")
{
    send_queue queue{10};
    CHECK(queue.push(frame_of_size(1000)));
    CHECK(queue.bytes() == 1000);
    CHECK(queue.size() == 1);
    CHECK_FALSE(queue.push(frame_of_size(1)));
    CHECK_FALSE(queue.push(frame_of_size(1000)));
    CHECK(queue.size() == 1);

    SUBCASE("once it is written, the queue takes frames again")
    {
        queue.pop();
        CHECK(queue.empty());
        CHECK(queue.bytes() == 0);
        CHECK(queue.push(frame_of_size(10)));
    }
}

TEST_CASE("a send queue hands out frames in order, as the same shared bytes")
{
    send_queue queue{100};
    auto const first = frame_of_size(3, 'a');
    auto const second = frame_of_size(5, 'b');
    REQUIRE(queue.push(first));
    REQUIRE(queue.push(second));

    CHECK(queue.front().get() == first.get());
    queue.pop();
    CHECK(queue.bytes() == 5);
    CHECK(queue.size() == 1);
    CHECK(queue.front().get() == second.get());
    queue.pop();
    CHECK(queue.empty());
    CHECK(queue.bytes() == 0);
}

TEST_CASE("clearing a send queue forgets its frames and their bytes")
{
    send_queue queue{10};
    REQUIRE(queue.push(frame_of_size(8)));
    REQUIRE(queue.push(frame_of_size(2)));
    queue.clear();
    CHECK(queue.empty());
    CHECK(queue.size() == 0);
    CHECK(queue.bytes() == 0);
    CHECK(queue.push(frame_of_size(6)));
    CHECK(queue.push(frame_of_size(4)));
    CHECK_FALSE(queue.push(frame_of_size(1)));
}

TEST_CASE("a frame shared by many queues is counted in each")
{
    auto const frame = frame_of_size(7);
    send_queue a{100};
    send_queue b{100};
    REQUIRE(a.push(frame));
    REQUIRE(b.push(frame));
    CHECK(a.bytes() == 7);
    CHECK(b.bytes() == 7);
    CHECK(a.front().get() == b.front().get());
    CHECK(frame.use_count() == 3);
}

TEST_CASE("frames being written stay queued until written, and no longer count as waiting")
{
    send_queue queue{10};
    REQUIRE(queue.push(frame_of_size(8, 'a')));
    REQUIRE(queue.push(frame_of_size(2, 'b')));
    auto const batch = queue.start_writing(64);
    CHECK(queue.writing());
    CHECK(std::distance(batch.begin(), batch.end()) == 2);
    CHECK(queue.size() == 2);
    CHECK(queue.bytes() == 0); // nothing waits

    SUBCASE("a frame as large as the bound fits beside them, then the bound holds")
    {
        CHECK(queue.push(frame_of_size(10, 'c')));
        CHECK_FALSE(queue.push(frame_of_size(1)));
        CHECK(queue.bytes() == 10);
    }
    SUBCASE("one larger than the bound fits when nothing else waits")
    {
        CHECK(queue.push(frame_of_size(1000)));
        CHECK_FALSE(queue.push(frame_of_size(1)));
    }
    SUBCASE("once written they are gone")
    {
        queue.written();
        CHECK_FALSE(queue.writing());
        CHECK(queue.empty());
        CHECK(queue.bytes() == 0);
    }
    SUBCASE("clearing keeps them, whose bytes are on their way, and drops the rest")
    {
        REQUIRE(queue.push(frame_of_size(5, 'c')));
        CHECK(queue.bytes() == 5);
        queue.clear();
        CHECK(queue.size() == 2);
        CHECK(queue.bytes() == 0);
        queue.written();
        CHECK(queue.empty());
        CHECK(queue.bytes() == 0);
    }
}

TEST_CASE("a batch is the wire bytes of the first frames, at most as many as asked, in order")
{
    send_queue queue{1000};
    std::vector<kring::shared_frame> frames;
    for (char c : std::string{"abcde"}) {
        frames.push_back(frame_of_size(3, c));
        REQUIRE(queue.push(frames.back()));
    }
    auto const batch = queue.start_writing(3);
    std::vector<std::string> seen;
    for (auto const buffer : batch)
        seen.emplace_back(static_cast<char const*>(buffer.data()), buffer.size());
    CHECK(seen == std::vector<std::string>{std::string{frames[0]->wire()}, std::string{frames[1]->wire()},
                                           std::string{frames[2]->wire()}});
    CHECK(boost::asio::buffer_size(batch) == 3 * (2 + 3));
    queue.written();
    CHECK(queue.size() == 2);
    CHECK(queue.front().get() == frames[3].get());
}
