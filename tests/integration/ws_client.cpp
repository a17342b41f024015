#include "ws_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <stdexcept>

namespace kring::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace json = boost::json;
using tcp = asio::ip::tcp;

ws_client::ws_client(unsigned short port, ws_options opts)
    : ws_(ioc_)
{
    auto& socket = beast::get_lowest_layer(ws_).socket();
    socket.open(tcp::v4());
    if (opts.receive_buffer_bytes > 0)
        socket.set_option(asio::socket_base::receive_buffer_size(opts.receive_buffer_bytes));
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
    ws_.read_message_max(64 * 1024 * 1024);
    bool done = false;
    beast::error_code ec;
    ws_.async_handshake("127.0.0.1:" + std::to_string(port), "/ws", [&](beast::error_code e) {
        ec = e;
        done = true;
    });
    if (!run_until(done, 5s) || ec)
        throw std::runtime_error{"websocket handshake failed: " + ec.message()};
}

ws_client::~ws_client()
{
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
    ioc_.restart();
    ioc_.poll();
}

websocket::response_type ws_client::upgrade_offering_deflate(unsigned short port)
{
    asio::io_context ioc;
    websocket::stream<beast::tcp_stream> ws{ioc};
    beast::get_lowest_layer(ws).connect(tcp::endpoint{asio::ip::make_address("127.0.0.1"), port});
    websocket::permessage_deflate deflate;
    deflate.client_enable = true;
    ws.set_option(deflate);
    websocket::response_type response;
    ws.async_handshake(response, "127.0.0.1:" + std::to_string(port), "/ws", [](beast::error_code) {});
    ioc.run_for(5s);
    return response;
}

bool ws_client::run_until(bool const& done, std::chrono::milliseconds timeout)
{
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    ioc_.restart();
    while (!done && std::chrono::steady_clock::now() < deadline)
        ioc_.run_one_until(deadline);
    return done;
}

void ws_client::start_read()
{
    if (read_pending_)
        return;
    read_pending_ = true;
    read_done_ = false;
    buffer_.clear();
    ws_.async_read(buffer_, [this](beast::error_code ec, std::size_t) {
        read_error_ = ec;
        read_done_ = true;
    });
}

json::object ws_client::receive(std::chrono::milliseconds timeout)
{
    start_read();
    if (!run_until(read_done_, timeout))
        throw std::runtime_error{"no frame arrived in time"}; // the read stays pending for the next call
    read_pending_ = false;
    if (read_error_) {
        auto const code = read_error_ == websocket::error::closed ? static_cast<int>(ws_.reason().code) : 0;
        throw std::runtime_error{"connection ended (close code " + std::to_string(code) + "): " +
                                 read_error_.message()};
    }
    auto const text = beast::buffers_to_string(buffer_.data());
    return json::parse(text).as_object();
}

json::object ws_client::expect(std::string const& type, std::chrono::milliseconds timeout)
{
    auto frame = receive(timeout);
    if (frame.at("type").as_string() != type)
        throw std::runtime_error{"expected " + type + ", got " + json::serialize(frame)};
    return frame;
}

ws_client::ending ws_client::read_until_closed(std::chrono::milliseconds timeout)
{
    auto const deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t frames = 0;
    for (;;) {
        start_read();
        auto const left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0 || !run_until(read_done_, left))
            throw std::runtime_error{"the connection did not end in time"};
        read_pending_ = false;
        if (read_error_) {
            int const code = read_error_ == websocket::error::closed ? static_cast<int>(ws_.reason().code) : 0;
            return {code, frames};
        }
        ++frames;
    }
}

void ws_client::send(std::string const& text)
{
    bool done = false;
    beast::error_code ec;
    ws_.text(true);
    ws_.async_write(asio::buffer(text), [&](beast::error_code e, std::size_t) {
        ec = e;
        done = true;
    });
    if (!run_until(done, 5s) || ec)
        throw std::runtime_error{"send failed: " + ec.message()};
}

json::object ws_client::hello()
{
    send(R"({"type":"hello","v":1})");
    return expect("welcome");
}

json::object ws_client::join(std::string const& room, std::optional<std::string> name)
{
    json::object request{{"type", "join"}, {"room", room}};
    if (name)
        request["name"] = *name;
    send(json::serialize(request));
    return expect("joined");
}

void ws_client::say(std::string const& room, std::string const& text, std::optional<std::string> ref)
{
    json::object request{{"type", "say"}, {"room", room}, {"text", text}};
    if (ref)
        request["ref"] = *ref;
    send(json::serialize(request));
}

} // namespace kring::test
