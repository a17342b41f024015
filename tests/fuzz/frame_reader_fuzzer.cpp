// Fuzzes frame_reader (server/net/frame_reader.hpp), the first code that
// reads what a client sends once its WebSocket is open. The input is:
//   byte 0     the message size limit: 1 + 4 × (its low seven bits)
//   byte 1     the seed of the pieces the bytes come in
//   the rest   the bytes a client sends
// The bytes are read twice: all at once, and in pieces of 1 to 16 bytes the
// way the transport reads them, keeping what is left of a frame for the next
// piece. Both readings must say the same things in the same order, and each
// thing said must be one the RFC allows.
#include "fuzz_check.hpp"

#include "net/frame_reader.hpp"

#include <kring/protocol/text.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace {

using kring::frame_reader;
using what = frame_reader::what;

struct event {
    what kind;
    std::uint16_t code;
    std::string bytes; // a message, or a control frame's payload
    bool binary;
    bool operator==(event const&) const = default;
};

// Checks one result against the RFC's rules and records it; false once the
// reader has nothing more to say about these bytes.
bool note(frame_reader& reader, frame_reader::result const& r, std::size_t offered, std::size_t max_message,
          std::vector<event>& said)
{
    KRING_FUZZ_CHECK(r.used <= offered);
    if (r.kind == what::more)
        return r.used > 0;
    // A frame read is at least its two header bytes; a failure may be seen before any is taken.
    KRING_FUZZ_CHECK(r.kind == what::fail || r.used >= 2);
    switch (r.kind) {
    case what::message:
        KRING_FUZZ_CHECK(reader.message().size() <= max_message);
        KRING_FUZZ_CHECK(reader.binary() || kring::protocol::is_valid_utf8(reader.message()));
        KRING_FUZZ_CHECK(!reader.in_message());
        said.push_back({r.kind, 0, std::string{reader.message()}, reader.binary()});
        reader.message_taken();
        KRING_FUZZ_CHECK(reader.held() == 0);
        return true;
    case what::ping:
    case what::pong:
        KRING_FUZZ_CHECK(r.payload.size() <= 125);
        said.push_back({r.kind, 0, std::string{r.payload}, false});
        return true;
    case what::close:
        if (r.code == 1005)
            KRING_FUZZ_CHECK(r.payload.empty());
        else
            KRING_FUZZ_CHECK(kring::valid_close_code(r.code));
        KRING_FUZZ_CHECK(r.payload.size() <= 123);
        KRING_FUZZ_CHECK(kring::protocol::is_valid_utf8(r.payload));
        said.push_back({r.kind, r.code, std::string{r.payload}, false});
        return false; // nothing after a close is read
    case what::fail:
        KRING_FUZZ_CHECK(r.code == frame_reader::protocol_error || r.code == frame_reader::invalid_payload ||
                         r.code == frame_reader::too_big);
        KRING_FUZZ_CHECK(!r.why.empty() && r.why.size() <= 123);
        said.push_back({r.kind, r.code, {}, false});
        return false;
    case what::more:
        break;
    }
    return false;
}

std::vector<event> read_at_once(std::vector<char> bytes, std::size_t max_message)
{
    frame_reader reader{max_message};
    std::vector<event> said;
    std::size_t at = 0;
    for (bool more = true; more;) {
        auto const r = reader.read(std::span<char>{bytes}.subspan(at));
        more = note(reader, r, bytes.size() - at, max_message, said);
        at += r.used;
    }
    return said;
}

std::vector<event> read_in_pieces(std::vector<char> const& bytes, std::size_t max_message, std::uint32_t seed)
{
    frame_reader reader{max_message};
    std::vector<event> said;
    std::string held;
    bool ended = false;
    for (std::size_t at = 0; at < bytes.size() && !ended;) {
        seed = seed * 1103515245u + 12345u;
        auto const piece = std::min<std::size_t>(1 + (seed >> 16) % 16, bytes.size() - at);
        held.append(bytes.data() + at, piece);
        at += piece;
        std::size_t used = 0;
        for (bool more = true; more && !ended;) {
            auto const r = reader.read(std::span<char>{held}.subspan(used));
            more = note(reader, r, held.size() - used, max_message, said);
            ended = r.kind == what::close || r.kind == what::fail;
            used += r.used;
        }
        held.erase(0, used);
    }
    return said;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if (size < 2)
        return 0;
    std::size_t const max_message = 1 + 4 * (data[0] & 0x7fu);
    std::uint32_t const seed = data[1];
    std::vector<char> const bytes(data + 2, data + size);
    auto const at_once = read_at_once(bytes, max_message);
    auto const in_pieces = read_in_pieces(bytes, max_message, seed);
    KRING_FUZZ_CHECK(at_once == in_pieces);
    return 0;
}
