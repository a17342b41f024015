#pragma once

#include <boost/asio/buffer.hpp>
#include <boost/asio/compose.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/role.hpp>
#include <boost/beast/websocket/teardown.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

namespace kring {

// The layer between Beast's websocket::stream and the socket (plain TCP or
// TLS). Reads pass straight through. The write side has two writers that take
// turns, one whole write at a time, so that their bytes never interleave:
//
// - Beast, for the frames it writes itself: the upgrade's answer, pings,
//   pongs and close frames. They come through async_write_some, as from any
//   stream, and wait while a batch is on its way.
// - The transport, for everything Kring says: batches of frames framed once
//   and shared by every recipient (frame.hpp), many to one system call
//   (async_write_batch). A batch starts only when the write side is free;
//   once one of Beast's frames has gone, `on_free` says so.
//
// Everything runs on the connection's strand.
template <class Next>
class batch_stream {
public:
    using executor_type = typename Next::executor_type;
    using next_layer_type = Next;

    template <class... Args>
    explicit batch_stream(Args&&... args)
        : next_(std::forward<Args>(args)...)
        , turn_(next_.get_executor())
    {
    }

    executor_type get_executor() noexcept { return next_.get_executor(); }
    Next& next_layer() noexcept { return next_; }
    Next const& next_layer() const noexcept { return next_; }

    template <class MutableBuffers, class Handler>
    auto async_read_some(MutableBuffers const& buffers, Handler&& handler)
    {
        return next_.async_read_some(buffers, std::forward<Handler>(handler));
    }

    // Beast's own writes, each written whole once the write side is free.
    // Their few bytes are copied, and the waiting and writing below this
    // layer are done for all of Beast's operations by one erased step
    // (beast_step): the layers under this one (TLS, the timed socket) are
    // then compiled once for Beast's frames, not once for every kind of
    // buffers and every operation of Beast's that writes.
    template <class ConstBuffers, class Handler>
    auto async_write_some(ConstBuffers const& buffers, Handler&& handler)
    {
        return boost::asio::async_compose<Handler, void(boost::beast::error_code, std::size_t)>(
            beast_write{*this, copy_bytes(buffers)}, handler, next_);
    }

    // Whether a batch may start: nothing is being written and none of
    // Beast's frames waits for its turn.
    bool free() const { return !busy_ && !beast_waiting_; }

    // Writes `buffers` whole; call only when free(). `handler(error_code)`
    // runs once it is written or has failed.
    template <class ConstBuffers, class Handler>
    void async_write_batch(ConstBuffers const& buffers, Handler handler)
    {
        busy_ = true;
        boost::asio::async_write(next_, buffers,
                                 [this, handler = std::move(handler)](boost::beast::error_code ec, std::size_t) mutable {
                                     busy_ = false;
                                     if (beast_waiting_)
                                         turn_.cancel(); // Beast's frame goes next
                                     handler(ec);
                                 });
    }

    // `owner` (the transport) is kept alive while one of Beast's frames is
    // on its way, as this layer lives in it; `resume` is called when the
    // write side is free again after such a frame, so that the owner's
    // waiting frames go on.
    void attach(std::weak_ptr<void> owner, std::function<void()> resume)
    {
        owner_ = std::move(owner);
        resume_ = std::move(resume);
    }

private:
    template <class ConstBuffers>
    static std::vector<char> copy_bytes(ConstBuffers const& buffers)
    {
        std::vector<char> bytes(boost::asio::buffer_size(buffers));
        boost::asio::buffer_copy(boost::asio::buffer(bytes), buffers);
        return bytes;
    }

    // A Beast write's composed operation, waiting for its turn or its write,
    // behind one type.
    class beast_step {
    public:
        virtual ~beast_step() = default;
        virtual void resume(boost::beast::error_code ec, std::size_t written) = 0;
    };

    template <class Self>
    class beast_step_of final : public beast_step {
    public:
        explicit beast_step_of(Self&& self)
            : self_(std::move(self))
        {
        }
        void resume(boost::beast::error_code ec, std::size_t written) override { self_(ec, written); }

    private:
        Self self_;
    };

    // The one handler of the timer's wait and of the write. Destroyed
    // unused (the connection's executor shutting down), it destroys the
    // step and Beast's operation with it.
    struct resume_step {
        std::unique_ptr<beast_step> step;
        void operator()(boost::beast::error_code ec) { (*this)(ec, 0); }
        void operator()(boost::beast::error_code ec, std::size_t written)
        {
            auto const taken = std::move(step);
            taken->resume(ec, written);
        }
    };

    struct beast_write {
        batch_stream& stream;
        std::vector<char> bytes; // moved with the operation, its data stays put
        std::shared_ptr<void> owner = stream.owner_.lock();
        enum { starting, waiting, writing } state = starting;

        template <class Self>
        void operator()(Self& self, boost::beast::error_code ec = {}, std::size_t written = 0)
        {
            switch (state) {
            case starting:
                if (stream.busy_) {
                    // A batch is on its way; its end cancels this wait.
                    state = waiting;
                    stream.beast_waiting_ = true;
                    stream.turn_.expires_at(boost::asio::steady_timer::time_point::max());
                    stream.turn_.async_wait(erase(std::move(self)));
                    return;
                }
                [[fallthrough]];
            case waiting: {
                state = writing;
                stream.beast_waiting_ = false;
                stream.busy_ = true;
                auto& next = stream.next_;
                auto const frame = boost::asio::buffer(bytes);
                boost::asio::async_write(next, frame, erase(std::move(self)));
                return;
            }
            case writing: {
                // *this is gone once complete() returns: keep what is needed.
                auto& s = stream;
                auto const keep = std::move(owner);
                s.busy_ = false;
                self.complete(ec, written);
                if (s.free() && s.resume_)
                    s.resume_();
                return;
            }
            }
        }

        template <class Self>
        static resume_step erase(Self&& self)
        {
            return resume_step{std::make_unique<beast_step_of<Self>>(std::move(self))};
        }
    };

    Next next_;
    boost::asio::steady_timer turn_; // where Beast's frame waits for a batch to end
    std::weak_ptr<void> owner_;
    std::function<void()> resume_;
    bool busy_ = false;
    bool beast_waiting_ = false;
};

// Beast closes a connection through the layer under this one.
template <class Next>
void teardown(boost::beast::role_type role, batch_stream<Next>& stream, boost::beast::error_code& ec)
{
    using boost::beast::websocket::teardown;
    teardown(role, stream.next_layer(), ec);
}

template <class Next, class Handler>
void async_teardown(boost::beast::role_type role, batch_stream<Next>& stream, Handler&& handler)
{
    using boost::beast::websocket::async_teardown;
    async_teardown(role, stream.next_layer(), std::forward<Handler>(handler));
}

} // namespace kring
