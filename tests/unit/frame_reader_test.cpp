#include "net/frame_reader.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>

using kring::frame_reader;
using what = frame_reader::what;

namespace {

// A frame as a client must send it (RFC 6455, 5.2): masked, with the length
// in the shortest form unless `length_bytes` asks for a longer one.
std::string client_frame(unsigned char first, std::string_view payload, int length_bytes = 0,
                         bool masked = true)
{
    std::string f;
    f.push_back(static_cast<char>(first));
    unsigned char const mask_bit = masked ? 0x80 : 0x00;
    auto const size = static_cast<std::uint64_t>(payload.size());
    if (length_bytes == 0)
        length_bytes = size < 126 ? 0 : size < 65536 ? 2 : 8;
    if (length_bytes == 0) {
        f.push_back(static_cast<char>(mask_bit | size));
    } else if (length_bytes == 2) {
        f.push_back(static_cast<char>(mask_bit | 126));
        f.push_back(static_cast<char>(size >> 8));
        f.push_back(static_cast<char>(size & 0xff));
    } else {
        f.push_back(static_cast<char>(mask_bit | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            f.push_back(static_cast<char>((size >> shift) & 0xff));
    }
    unsigned char const key[4] = {0x37, 0xfa, 0x21, 0x3d};
    if (masked)
        f.append(reinterpret_cast<char const*>(key), 4);
    for (std::size_t i = 0; i < payload.size(); ++i)
        f.push_back(static_cast<char>(static_cast<unsigned char>(payload[i]) ^ (masked ? key[i % 4] : 0)));
    return f;
}

std::string text_frame(std::string_view payload) { return client_frame(0x81, payload); }

std::string close_payload(std::uint16_t code, std::string_view reason = {})
{
    std::string p;
    p.push_back(static_cast<char>(code >> 8));
    p.push_back(static_cast<char>(code & 0xff));
    p.append(reason);
    return p;
}

frame_reader::result read_all(frame_reader& reader, std::string& bytes)
{
    return reader.read({bytes.data(), bytes.size()});
}

} // namespace

TEST_CASE("a masked text frame is read whole, in every length form")
{
    for (std::size_t size : {0UL, 1UL, 125UL, 126UL, 65535UL, 65536UL, 100000UL}) {
        CAPTURE(size);
        frame_reader reader{1 << 20};
        std::string const text(size, 'k');
        auto bytes = text_frame(text);
        auto const r = read_all(reader, bytes);
        REQUIRE(r.kind == what::message);
        CHECK(r.used == bytes.size());
        CHECK(reader.message() == text);
        CHECK_FALSE(reader.binary());
        CHECK_FALSE(reader.in_message());
    }
}

TEST_CASE("a length in a longer form than needed is still read")
{
    frame_reader reader{1024};
    for (int length_bytes : {2, 8}) {
        auto bytes = client_frame(0x81, "hello", length_bytes);
        auto const r = read_all(reader, bytes);
        REQUIRE(r.kind == what::message);
        CHECK(reader.message() == "hello");
    }
}

TEST_CASE("a frame that has not come whole asks for more at every cut, and takes nothing")
{
    std::string const text(300, 'a');
    auto const whole = text_frame(text);
    for (std::size_t cut = 0; cut < whole.size(); ++cut) {
        CAPTURE(cut);
        frame_reader reader{1024};
        std::string part = whole.substr(0, cut);
        auto const r = read_all(reader, part);
        CHECK(r.kind == what::more);
        CHECK(r.used == 0);
        CHECK_FALSE(reader.in_message());
    }
}

TEST_CASE("two frames in one read are taken one at a time")
{
    frame_reader reader{1024};
    auto bytes = text_frame("first") + text_frame("second");
    auto r = reader.read({bytes.data(), bytes.size()});
    REQUIRE(r.kind == what::message);
    CHECK(reader.message() == "first");
    reader.message_taken();
    CHECK(reader.message().empty());
    r = reader.read({bytes.data() + r.used, bytes.size() - r.used});
    REQUIRE(r.kind == what::message);
    CHECK(reader.message() == "second");
}

TEST_CASE("a binary message is read and said to be binary, whatever its bytes")
{
    frame_reader reader{1024};
    auto bytes = client_frame(0x82, std::string("\xff\x00\xfe", 3));
    auto const r = read_all(reader, bytes);
    REQUIRE(r.kind == what::message);
    CHECK(reader.binary());
    CHECK(reader.message() == std::string("\xff\x00\xfe", 3));
}

TEST_CASE("a message in pieces is put together, with pings and pongs between the pieces")
{
    frame_reader reader{1024};
    auto bytes = client_frame(0x01, "Sa") + client_frame(0x89, "are you there") + client_frame(0x00, "la") +
                 client_frame(0x8a, "") + client_frame(0x80, "m");
    std::span<char> rest{bytes.data(), bytes.size()};
    auto next = [&] {
        auto const r = reader.read(rest);
        rest = rest.subspan(r.used);
        return r;
    };
    auto r = next();
    CHECK(r.kind == what::more);
    CHECK(r.used > 0);
    CHECK(reader.in_message());
    r = next();
    REQUIRE(r.kind == what::ping);
    CHECK(r.payload == "are you there");
    CHECK(next().kind == what::more);
    r = next();
    REQUIRE(r.kind == what::pong);
    CHECK(r.payload.empty());
    r = next();
    REQUIRE(r.kind == what::message);
    CHECK(reader.message() == "Salam");
    CHECK_FALSE(reader.in_message());
    CHECK(rest.empty());
}

TEST_CASE("a close frame gives the client's code and reason")
{
    SUBCASE("with a code and a reason")
    {
        frame_reader reader{1024};
        auto bytes = client_frame(0x88, close_payload(1000, "tot ziens"));
        auto const r = read_all(reader, bytes);
        REQUIRE(r.kind == what::close);
        CHECK(r.code == 1000);
        CHECK(r.payload == "tot ziens");
    }
    SUBCASE("with no payload at all: 1005, as RFC 6455 names it")
    {
        frame_reader reader{1024};
        auto bytes = client_frame(0x88, "");
        auto const r = read_all(reader, bytes);
        REQUIRE(r.kind == what::close);
        CHECK(r.code == 1005);
        CHECK(r.payload.empty());
    }
    SUBCASE("with an application's own code")
    {
        frame_reader reader{1024};
        auto bytes = client_frame(0x88, close_payload(4321));
        auto const r = read_all(reader, bytes);
        REQUIRE(r.kind == what::close);
        CHECK(r.code == 4321);
    }
}

TEST_CASE("every way a client can break the protocol fails with the code the RFC gives")
{
    struct bad {
        char const* name;
        std::string bytes;
        std::uint16_t code;
    };
    std::string const over_125(126, 'p');
    bad const cases[] = {
        {"an unmasked frame", client_frame(0x81, "hi", 0, false), 1002},
        {"a reserved bit (RSV1: compression, never negotiated)", client_frame(0xc1, "hi"), 1002},
        {"RSV2", client_frame(0xa1, "hi"), 1002},
        {"RSV3", client_frame(0x91, "hi"), 1002},
        {"an unknown data opcode", client_frame(0x83, "hi"), 1002},
        {"an unknown control opcode", client_frame(0x8b, "hi"), 1002},
        {"a ping in pieces", client_frame(0x09, "hi"), 1002},
        {"a ping over 125 bytes", client_frame(0x89, over_125), 1002},
        {"a close over 125 bytes", client_frame(0x88, close_payload(1000, std::string(124, 'r'))), 1002},
        {"a continuation with no message begun", client_frame(0x80, "hi"), 1002},
        {"a new message inside one in pieces", client_frame(0x01, "a") + client_frame(0x81, "b"), 1002},
        {"a close frame of one byte", client_frame(0x88, "x"), 1002},
        {"close code 1005, never sent", client_frame(0x88, close_payload(1005)), 1002},
        {"close code 1006, never sent", client_frame(0x88, close_payload(1006)), 1002},
        {"close code 1004, reserved", client_frame(0x88, close_payload(1004)), 1002},
        {"close code 1015, never sent", client_frame(0x88, close_payload(1015)), 1002},
        {"close code 999", client_frame(0x88, close_payload(999)), 1002},
        {"close code 1016, unassigned", client_frame(0x88, close_payload(1016)), 1002},
        {"close code 2999", client_frame(0x88, close_payload(2999)), 1002},
        {"close code 5000", client_frame(0x88, close_payload(5000)), 1002},
        {"a close reason that is not UTF-8", client_frame(0x88, close_payload(1000, "\xc3")), 1007},
        {"a text message that is not UTF-8", client_frame(0x81, "caf\xe9"), 1007},
        {"a text message in pieces that is not UTF-8 when whole",
         client_frame(0x01, "ok") + client_frame(0x80, "\xed\xa0\x80"), 1007},
    };
    for (auto const& c : cases) {
        CAPTURE(c.name);
        frame_reader reader{1024};
        std::string bytes = c.bytes;
        std::span<char> rest{bytes.data(), bytes.size()};
        frame_reader::result r;
        do {
            r = reader.read(rest);
            rest = rest.subspan(r.used);
        } while (r.kind == what::more && r.used > 0);
        CHECK(r.kind == what::fail);
        CHECK(r.code == c.code);
        CHECK_FALSE(r.why.empty());
    }
}

TEST_CASE("a frame's length with its top bit set fails before anything else is read")
{
    frame_reader reader{1024};
    std::string bytes = "\x81\xff\x80";
    bytes.append(7, '\0');
    auto const r = read_all(reader, bytes);
    CHECK(r.kind == what::fail);
    CHECK(r.code == 1002);
}

TEST_CASE("a message over the limit fails with 1009 as soon as its length is known")
{
    SUBCASE("in one frame: only the header has come")
    {
        frame_reader reader{1000};
        auto bytes = text_frame(std::string(1001, 'x')).substr(0, 4);
        auto const r = read_all(reader, bytes);
        CHECK(r.kind == what::fail);
        CHECK(r.code == 1009);
    }
    SUBCASE("exactly at the limit is read")
    {
        frame_reader reader{1000};
        auto bytes = text_frame(std::string(1000, 'x'));
        CHECK(read_all(reader, bytes).kind == what::message);
    }
    SUBCASE("in pieces that are each small but together too big")
    {
        frame_reader reader{1000};
        std::string const piece(400, 'x');
        auto bytes = client_frame(0x01, piece) + client_frame(0x00, piece) + client_frame(0x80, piece);
        std::span<char> rest{bytes.data(), bytes.size()};
        auto r = reader.read(rest);
        CHECK(r.kind == what::more);
        rest = rest.subspan(r.used);
        r = reader.read(rest);
        CHECK(r.kind == what::more);
        rest = rest.subspan(r.used);
        r = reader.read(rest);
        CHECK(r.kind == what::fail);
        CHECK(r.code == 1009);
    }
    SUBCASE("a 64-bit length far past the limit")
    {
        frame_reader reader{1000};
        std::string bytes = "\x81\xff";
        bytes += std::string("\x00\x00\x01\x00\x00\x00\x00\x00", 8);
        auto const r = read_all(reader, bytes);
        CHECK(r.kind == what::fail);
        CHECK(r.code == 1009);
    }
}

TEST_CASE("a message read and taken leaves the reader holding no memory")
{
    frame_reader reader{1 << 20};
    auto bytes = text_frame(std::string(100000, 'x'));
    REQUIRE(read_all(reader, bytes).kind == what::message);
    CHECK(reader.held() >= 100000);
    reader.message_taken();
    CHECK(reader.message().empty());
    CHECK(reader.held() == 0);
    // The reader still reads after giving its memory back.
    auto small = text_frame("x");
    REQUIRE(read_all(reader, small).kind == what::message);
    CHECK(reader.message() == "x");
}

TEST_CASE("UTF-8 is checked by Unicode's rules, not only by byte patterns")
{
    using kring::valid_utf8;
    CHECK(valid_utf8(""));
    CHECK(valid_utf8("plain ASCII, longer than eight bytes"));
    CHECK(valid_utf8("سلام"));                 // Arabic / Farsi
    CHECK(valid_utf8("Привіт"));               // Ukrainian
    CHECK(valid_utf8("ሰላም"));                  // Tigrinya, three bytes each
    CHECK(valid_utf8("\xf0\x9f\xab\x82"));     // U+1FAC2, four bytes
    CHECK(valid_utf8("\xf4\x8f\xbf\xbf"));     // U+10FFFF, the last
    CHECK_FALSE(valid_utf8("\xc0\xaf"));       // overlong '/'
    CHECK_FALSE(valid_utf8("\xe0\x80\xaf"));   // overlong, three bytes
    CHECK_FALSE(valid_utf8("\xed\xa0\x80"));   // a surrogate, U+D800
    CHECK_FALSE(valid_utf8("\xf4\x90\x80\x80")); // past U+10FFFF
    CHECK_FALSE(valid_utf8("\xf5\x80\x80\x80"));
    CHECK_FALSE(valid_utf8("\x80"));           // a lone continuation byte
    CHECK_FALSE(valid_utf8("abcdefgh\xe2\x82")); // cut short after the fast path
    CHECK_FALSE(valid_utf8("abcdefghijklmno\xff"));
}

TEST_CASE("close codes a client may send, and those it may not")
{
    using kring::valid_close_code;
    for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4000, 4999})
        CHECK_MESSAGE(valid_close_code(static_cast<std::uint16_t>(code)), code);
    for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535})
        CHECK_MESSAGE(!valid_close_code(static_cast<std::uint16_t>(code)), code);
}
