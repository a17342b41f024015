#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace kring {

// Reads what a client sends on an open WebSocket (RFC 6455, section 5): its
// frames, unmasked, with fragmented messages put together. It holds no
// socket and no buffer of the connection's: it is given the bytes that came
// in, takes the first whole frame and says what it was. Only a message in
// pieces, or one being handled, is kept here (message()); a quiet connection's
// reader holds no memory.
//
// It checks what a server must: every client frame masked, no reserved bits
// (Kring negotiates no extension), known opcodes, control frames whole and
// at most 125 bytes, continuations only inside a message, a message no larger
// than the limit, text that is UTF-8, and a close frame's code and reason.
class frame_reader {
public:
    enum class what {
        more,    // no whole frame yet: call again with more bytes
        message, // a whole text or binary message: message(), binary()
        ping,    // payload: what the pong must carry
        pong,
        close,   // code (1005 when the client gave none), payload: its reason
        fail,    // the client broke the protocol: close with code, why
    };

    struct result {
        what kind = what::more;
        std::size_t used = 0;        // bytes of the input taken
        std::uint16_t code = 0;      // close: the client's; fail: the one to close with
        std::string_view payload;    // ping, pong, close: into the input
        std::string_view why;        // fail: for the close frame's reason
    };

    explicit frame_reader(std::size_t max_message)
        : max_message_(max_message)
    {
    }

    // Takes at most one frame from the start of `input`. A control frame's
    // payload is unmasked where it lies, so the input must stay until the
    // result is used. After `fail`, the connection is to be closed.
    result read(std::span<char> input);

    // The last message read, valid until message_taken().
    std::string_view message() const { return message_; }
    bool binary() const { return binary_; }
    // The message has been handled: its memory is given back.
    void message_taken();
    // The memory held for messages, beyond the reader itself.
    std::size_t held() const { return message_.capacity() > std::string{}.capacity() ? message_.capacity() : 0; }

    // Whether bytes are held of a message that has not yet come whole.
    bool in_message() const { return in_message_; }

    static constexpr std::uint16_t protocol_error = 1002;
    static constexpr std::uint16_t invalid_payload = 1007;
    static constexpr std::uint16_t too_big = 1009;

private:
    std::size_t max_message_;
    std::string message_;
    bool binary_ = false;
    bool in_message_ = false; // a fragmented message has begun
};

// Whether `text` is well-formed UTF-8 (Unicode 3.9, table 3-7), as a text
// message and a close frame's reason must be.
bool valid_utf8(std::string_view text);

// Whether a close frame may carry `code` (RFC 6455, section 7.4).
bool valid_close_code(std::uint16_t code);

} // namespace kring
