#include "frame.hpp"

#include <doctest/doctest.h>

#include <string>

using kring::make_frame;

namespace {

// The header RFC 6455 (5.2) gives an unmasked, final text frame of `size` bytes.
std::string header_of(std::size_t size)
{
    std::string h{"\x81"};
    if (size < 126) {
        h.push_back(static_cast<char>(size));
    } else if (size < 65536) {
        h.push_back(126);
        h.push_back(static_cast<char>(size >> 8));
        h.push_back(static_cast<char>(size & 0xff));
    } else {
        h.push_back(127);
        for (int shift = 56; shift >= 0; shift -= 8)
            h.push_back(static_cast<char>((static_cast<std::uint64_t>(size) >> shift) & 0xff));
    }
    return h;
}

} // namespace

TEST_CASE("a frame carries its text behind the WebSocket header for every length class")
{
    for (std::size_t size : {0UL, 1UL, 125UL, 126UL, 127UL, 65535UL, 65536UL, 70000UL}) {
        CAPTURE(size);
        std::string const text(size, 'x');
        auto const frame = make_frame(text);
        CHECK(frame->text() == text);
        CHECK(frame->wire() == header_of(size) + text);
    }
}

TEST_CASE("a frame's header is its first bytes: 2, 4 or 10 of them")
{
    CHECK(make_frame(std::string(125, 'a'))->wire().size() == 125 + 2);
    CHECK(make_frame(std::string(126, 'a'))->wire().size() == 126 + 4);
    CHECK(make_frame(std::string(65536, 'a'))->wire().size() == 65536 + 10);
    auto const frame = make_frame(R"({"type":"pong"})");
    CHECK(frame->wire().substr(0, 2) == std::string_view{"\x81\x0f", 2});
}

TEST_CASE("a control frame is framed like a message, with its own opcode")
{
    using kring::frame;
    CHECK(frame{"", frame::ping_frame}.wire() == std::string("\x89\x00", 2));
    CHECK(frame{"hi", frame::pong_frame}.wire() == "\x8a\x02hi");
    CHECK(frame{std::string_view("\x03\xe8", 2), frame::close_frame}.wire() == std::string("\x88\x02\x03\xe8", 4));
    CHECK(frame{"hi", frame::pong_frame}.text() == "hi");
}
