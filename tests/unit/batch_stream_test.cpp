#include "net/batch_stream.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace asio = boost::asio;
using boost::beast::error_code;

namespace {

// Stands in for a socket whose buffer takes only a few bytes at a time, so
// that every write stops part-way and goes on in a later pass, as a real one
// does when a client reads slowly. What reaches it is kept in `wire`.
struct trickling_socket {
    using executor_type = asio::io_context::executor_type;

    asio::io_context& io;
    std::string& wire;
    std::size_t per_write = 3;

    executor_type get_executor() { return io.get_executor(); }

    template <class ConstBuffers, class Handler>
    void async_write_some(ConstBuffers const& buffers, Handler&& handler)
    {
        std::string taken(std::min(per_write, asio::buffer_size(buffers)), '\0');
        asio::buffer_copy(asio::buffer(taken), buffers);
        wire += taken;
        asio::post(io, [handler = std::forward<Handler>(handler), n = taken.size()]() mutable { handler(error_code{}, n); });
    }

    template <class MutableBuffers, class Handler>
    void async_read_some(MutableBuffers const&, Handler&&)
    {
    }
};

struct fixture {
    asio::io_context io;
    std::string wire;
    kring::batch_stream<trickling_socket> stream{trickling_socket{io, wire}};
    std::vector<std::string> done; // which writes finished, in order
    int resumed = 0;

    fixture()
    {
        stream.attach({}, [this] { ++resumed; });
    }

    // A write of Beast's own (a pong, a ping, a close frame), as Beast makes it.
    void beast_writes(std::string const& bytes, std::string name)
    {
        asio::async_write(stream, asio::buffer(bytes), [this, name](error_code ec, std::size_t) {
            CHECK_FALSE(ec);
            done.push_back(name);
        });
    }

    void batch(std::vector<asio::const_buffer> const& buffers, std::string name)
    {
        REQUIRE(stream.free());
        stream.async_write_batch(buffers, [this, name](error_code ec) {
            CHECK_FALSE(ec);
            done.push_back(name);
        });
    }
};

} // namespace

TEST_CASE("one of Beast's frames waits for the batch on its way, then goes whole after it")
{
    fixture f;
    std::string const first = "[one message]", second = "[another]", pong = "<pong>";
    f.batch({asio::buffer(first), asio::buffer(second)}, "batch");
    CHECK_FALSE(f.stream.free());
    f.beast_writes(pong, "pong");
    CHECK_FALSE(f.stream.free());
    f.io.run();
    CHECK(f.wire == first + second + pong);
    CHECK(f.done == std::vector<std::string>{"batch", "pong"});
    CHECK(f.resumed == 1); // told that the write side is free again
    CHECK(f.stream.free());
}

TEST_CASE("a batch waits while one of Beast's frames is on its way, and is told when it may go")
{
    fixture f;
    std::string const pong = "<pong>", message = "[a message]";
    f.beast_writes(pong, "pong");
    CHECK_FALSE(f.stream.free());
    f.io.run();
    CHECK(f.stream.free());
    CHECK(f.resumed == 1);
    f.batch({asio::buffer(message)}, "batch");
    f.io.restart();
    f.io.run();
    CHECK(f.wire == pong + message);
    CHECK(f.done == std::vector<std::string>{"pong", "batch"});
}

TEST_CASE("batches and Beast's frames take turns without ever cutting into each other")
{
    fixture f;
    std::string const a = "[aaaaaaaa]", b = "[bbbbbbbbbbbb]", ping = "<ping>", close = "<close>";
    f.batch({asio::buffer(a)}, "a");
    f.beast_writes(ping, "ping");
    f.io.run_one(); // the batch's first few bytes are on the wire
    CHECK(f.wire.size() < a.size());
    f.io.run();
    f.batch({asio::buffer(b)}, "b");
    f.beast_writes(close, "close");
    f.io.restart();
    f.io.run();
    CHECK(f.wire == a + ping + b + close);
    CHECK(f.done == std::vector<std::string>{"a", "ping", "b", "close"});
}
