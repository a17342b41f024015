#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace kring {

// A serialized server message, framed once for the wire. A chat message is
// written once and the same immutable bytes are shared by every recipient's
// send queue: a server's WebSocket frames are not masked (RFC 6455, 5.1), so
// the frame header is the same for everyone and is built here, in front of
// the text, once.
class frame {
public:
    // FIN and the opcode, the frame's first byte.
    enum kind : unsigned char { text_message = 0x81, close_frame = 0x88, ping_frame = 0x89, pong_frame = 0x8a };

    explicit frame(std::string_view text, kind first = text_message)
    {
        auto const size = text.size();
        bytes_.reserve(max_header + size);
        bytes_.push_back(static_cast<char>(first));
        if (size < 126) {
            bytes_.push_back(static_cast<char>(size));
        } else if (size <= 0xffff) {
            bytes_.push_back(static_cast<char>(126));
            put_big_endian(size, 2);
        } else {
            bytes_.push_back(static_cast<char>(127));
            put_big_endian(size, 8);
        }
        header_bytes_ = static_cast<std::uint8_t>(bytes_.size());
        bytes_.append(text);
    }

    // The message: one JSON object (or a control frame's payload).
    std::string_view text() const { return std::string_view{bytes_}.substr(header_bytes_); }
    // The header and the message, as they go on the socket.
    std::string_view wire() const { return bytes_; }

    static constexpr std::size_t max_header = 10;

private:
    void put_big_endian(std::uint64_t value, int bytes)
    {
        for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8)
            bytes_.push_back(static_cast<char>((value >> shift) & 0xff));
    }

    std::string bytes_;
    std::uint8_t header_bytes_ = 0;
};

using shared_frame = std::shared_ptr<frame const>;

inline shared_frame make_frame(std::string_view text)
{
    return std::make_shared<frame const>(text);
}

} // namespace kring
