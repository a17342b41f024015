#include "net/frame_reader.hpp"

#include <unicode/utf8.h>

#include <cstring>

namespace kring {

namespace {

enum opcode : unsigned char { op_continuation = 0x0, op_text = 0x1, op_binary = 0x2, op_close = 0x8, op_ping = 0x9, op_pong = 0xa };

frame_reader::result failed(std::uint16_t code, std::string_view why)
{
    return {frame_reader::what::fail, 0, code, {}, why};
}

void unmask(char* bytes, std::size_t size, unsigned char const (&key)[4])
{
    for (std::size_t i = 0; i < size; ++i)
        bytes[i] = static_cast<char>(static_cast<unsigned char>(bytes[i]) ^ key[i % 4]);
}

} // namespace

bool valid_utf8(std::string_view text)
{
    auto const* s = reinterpret_cast<std::uint8_t const*>(text.data());
    auto const length = static_cast<std::int32_t>(text.size());
    std::int32_t i = 0;
    while (i < length) {
        // Eight ASCII bytes at a time: most of what Kring is sent.
        if (length - i >= 8) {
            std::uint64_t eight;
            std::memcpy(&eight, s + i, 8);
            if ((eight & 0x8080808080808080ull) == 0) {
                i += 8;
                continue;
            }
        }
        UChar32 c;
        U8_NEXT(s, i, length, c);
        if (c < 0)
            return false; // ill-formed: overlong, a surrogate, past U+10FFFF, cut short
    }
    return true;
}

bool valid_close_code(std::uint16_t code)
{
    if (code >= 3000 && code <= 4999)
        return true; // for libraries and applications (Kring's own are 4xxx)
    switch (code) {
    case 1000: case 1001: case 1002: case 1003: case 1007: case 1008:
    case 1009: case 1010: case 1011: case 1012: case 1013: case 1014:
        return true;
    default:
        return false; // 1004 to 1006 and 1015 are never sent; the rest are unassigned
    }
}

frame_reader::result frame_reader::read(std::span<char> input)
{
    if (input.size() < 2)
        return {};
    auto const b0 = static_cast<unsigned char>(input[0]);
    auto const b1 = static_cast<unsigned char>(input[1]);
    bool const fin = (b0 & 0x80) != 0;
    auto const op = static_cast<unsigned char>(b0 & 0x0f);
    bool const control = (op & 0x8) != 0;

    // What the first two bytes say is checked before waiting for the rest.
    if ((b0 & 0x70) != 0)
        return failed(protocol_error, "reserved bits set");
    if ((b1 & 0x80) == 0)
        return failed(protocol_error, "frame not masked");
    if (op != op_continuation && op != op_text && op != op_binary && op != op_close && op != op_ping && op != op_pong)
        return failed(protocol_error, "unknown opcode");
    std::uint64_t length = b1 & 0x7f;
    if (control && (!fin || length > 125))
        return failed(protocol_error, "control frame in pieces or too long");
    if (op == op_continuation && !in_message_)
        return failed(protocol_error, "continuation outside a message");
    if ((op == op_text || op == op_binary) && in_message_)
        return failed(protocol_error, "new message inside another");

    std::size_t header = 2;
    if (length == 126 || length == 127) {
        std::size_t const extra = length == 126 ? 2 : 8;
        if (input.size() < header + extra)
            return {};
        length = 0;
        for (std::size_t i = 0; i < extra; ++i)
            length = (length << 8) | static_cast<unsigned char>(input[header + i]);
        header += extra;
        if (length >> 63)
            return failed(protocol_error, "frame length out of range");
    }
    if (!control) {
        auto const so_far = op == op_continuation ? message_.size() : 0;
        if (length > max_message_ - so_far)
            return failed(too_big, "message too big");
    }
    unsigned char key[4];
    if (input.size() < header + 4)
        return {};
    std::memcpy(key, input.data() + header, 4);
    header += 4;
    if (input.size() - header < length)
        return {};

    auto const size = static_cast<std::size_t>(length);
    char* const payload = input.data() + header;
    result r;
    r.used = header + size;

    if (control) {
        unmask(payload, size, key);
        std::string_view const body{payload, size};
        if (op == op_ping) {
            r.kind = what::ping;
            r.payload = body;
            return r;
        }
        if (op == op_pong) {
            r.kind = what::pong;
            r.payload = body;
            return r;
        }
        // A close frame: nothing, or a code and a reason in UTF-8.
        if (size == 1)
            return failed(protocol_error, "close frame of one byte");
        r.kind = what::close;
        r.code = 1005;
        if (size >= 2) {
            r.code = static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                                static_cast<unsigned char>(payload[1]));
            if (!valid_close_code(r.code))
                return failed(protocol_error, "close code not allowed");
            r.payload = body.substr(2);
            if (!valid_utf8(r.payload))
                return failed(invalid_payload, "close reason not UTF-8");
        }
        return r;
    }

    if (op != op_continuation) {
        message_.clear();
        binary_ = op == op_binary;
        in_message_ = true;
    }
    auto const at = message_.size();
    message_.append(payload, size);
    unmask(message_.data() + at, size, key);
    if (!fin)
        return r; // what::more: the next piece is still to come
    in_message_ = false;
    if (!binary_ && !valid_utf8(message_))
        return failed(invalid_payload, "text not UTF-8");
    r.kind = what::message;
    return r;
}

void frame_reader::message_taken()
{
    std::string{}.swap(message_);
}

} // namespace kring
