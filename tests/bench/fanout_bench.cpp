// Fan-out benchmark: one sender, MEMBERS listeners in one circle of a real
// kring process on this machine. Prints deliveries per second (messages
// times listeners) from the first send to the last listener's last message.
//
//   build/tests/fanout_bench [--members N] [--messages N] [--text-bytes N] [--threads N] [--budgets 0|1]
//
// KRING_BINARY=/path/to/kring in the environment runs another build of the
// server (an older one, to compare side by side in one run). The sender
// floods on purpose, so the server is started with message budgets far
// above its defaults; a build from before those options needs --budgets 0.
//
// The listeners run in this process on one thread, so on a 2-core machine
// the bench and the server share the cores: the figure is a floor.
#include "../integration/kring_process.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

namespace {

struct options {
    int members = 50;
    int messages = 2000;
    int text_bytes = 100;
    int threads = 2;
    bool budgets = true; // pass the message budget options to the server
};

options parse(int argc, char** argv)
{
    options o;
    for (int i = 1; i + 1 < argc; i += 2) {
        std::string const name = argv[i];
        int const value = std::atoi(argv[i + 1]);
        if (name == "--members")
            o.members = value;
        else if (name == "--messages")
            o.messages = value;
        else if (name == "--text-bytes")
            o.text_bytes = value;
        else if (name == "--threads")
            o.threads = value;
        else if (name == "--budgets")
            o.budgets = value != 0;
    }
    return o;
}

// A client that says hello, joins the demo circle, then counts `message` frames.
class listener : public std::enable_shared_from_this<listener> {
public:
    listener(asio::io_context& ioc, unsigned short port, int expected, std::function<void()> on_done)
        : ws_(ioc)
        , port_(port)
        , expected_(expected)
        , on_done_(std::move(on_done))
    {
    }

    void start(std::function<void()> on_joined)
    {
        on_joined_ = std::move(on_joined);
        beast::get_lowest_layer(ws_).connect(tcp::endpoint{asio::ip::make_address("127.0.0.1"), port_});
        ws_.read_message_max(8 << 20);
        ws_.handshake("127.0.0.1", "/ws");
        ws_.write(asio::buffer(std::string{R"({"type":"hello","v":1})"}));
        ws_.write(asio::buffer(std::string{R"({"type":"join","room":"demo"})"}));
        read();
    }

    websocket::stream<beast::tcp_stream>& socket() { return ws_; }

private:
    void read()
    {
        ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec)
                return;
            std::string_view const frame{static_cast<char const*>(self->buffer_.data().data()), self->buffer_.size()};
            if (frame.starts_with(R"({"type":"joined")") && self->on_joined_)
                std::exchange(self->on_joined_, {})();
            else if (frame.starts_with(R"({"type":"message")") && ++self->received_ == self->expected_)
                self->on_done_();
            self->buffer_.consume(self->buffer_.size());
            self->read();
        });
    }

    websocket::stream<beast::tcp_stream> ws_;
    beast::flat_buffer buffer_;
    unsigned short port_;
    int expected_;
    int received_ = 0;
    std::function<void()> on_joined_;
    std::function<void()> on_done_;
};

std::vector<std::string> server_arguments(options const& o)
{
    std::vector<std::string> args{"--room-capacity", std::to_string(o.members + 1), "--threads",
                                  std::to_string(o.threads), "--history", "200", "--max-send-queue-bytes",
                                  std::to_string(64 << 20)};
    if (o.budgets)
        args.insert(args.end(), {"--message-rate", "100000", "--message-burst", "100000", "--network-message-rate",
                                 "1000000", "--network-message-burst", "1000000"});
    return args;
}

} // namespace

int main(int argc, char** argv)
{
    auto const o = parse(argc, argv);
    kring::test::kring_process server{server_arguments(o)};
    asio::io_context ioc;
    int joined = 0;
    int done = 0;
    clock_type::time_point start;
    clock_type::time_point end;

    std::vector<std::shared_ptr<listener>> listeners;
    for (int i = 0; i < o.members; ++i) {
        listeners.push_back(std::make_shared<listener>(ioc, server.port(), o.messages, [&] {
            if (++done == o.members) {
                end = clock_type::now();
                ioc.stop();
            }
        }));
        listeners.back()->start([&] { ++joined; });
    }
    while (joined < o.members)
        ioc.run_one();

    // The sender is the first listener: it hears its own messages too.
    std::string const text(static_cast<std::size_t>(o.text_bytes), 'x');
    std::string const say = R"({"type":"say","room":"demo","text":")" + text + R"("})";
    start = clock_type::now();
    auto& sender = listeners.front()->socket();
    int sent = 0;
    std::function<void()> send_next = [&] {
        if (sent++ == o.messages)
            return;
        sender.async_write(asio::buffer(say), [&](beast::error_code ec, std::size_t) {
            if (!ec)
                send_next();
        });
    };
    send_next();
    ioc.run();

    double const seconds = std::chrono::duration<double>(end - start).count();
    double const deliveries = double(o.members) * o.messages;
    std::printf("members %d, messages %d, text %d bytes, server threads %d\n", o.members, o.messages, o.text_bytes,
                o.threads);
    std::printf("%.0f deliveries in %.3f s: %.0f deliveries/s, %.0f messages/s\n", deliveries, seconds,
                deliveries / seconds, o.messages / seconds);
    return 0;
}
