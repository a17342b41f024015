#include <kring/protocol/text.hpp>

#include <doctest/doctest.h>

#include <string>
#include <string_view>

namespace p = kring::protocol;

namespace {

std::string repeat(std::string_view piece, std::size_t times)
{
    std::string out;
    for (std::size_t i = 0; i < times; ++i)
        out += piece;
    return out;
}

} // namespace

TEST_CASE("valid UTF-8 of one to four bytes per character is accepted")
{
    for (std::string_view const text : {
             std::string_view{""},
             std::string_view{"plain ASCII"},
             std::string_view{"a\0b", 3},             // NUL is a character
             std::string_view{"\x7F"},                 // last one-byte character
             std::string_view{"\xC2\x80"},             // U+0080, first two-byte character
             std::string_view{"caf\xC3\xA9"},          // é
             std::string_view{"\xDF\xBF"},             // U+07FF, last two-byte character
             std::string_view{"\xE0\xA0\x80"},         // U+0800, first three-byte character
             std::string_view{"\xE2\x82\xAC"},         // €
             std::string_view{"\xED\x9F\xBF"},         // U+D7FF, just below the surrogates
             std::string_view{"\xEE\x80\x80"},         // U+E000, just above them
             std::string_view{"\xEF\xBF\xBF"},         // U+FFFF
             std::string_view{"\xF0\x90\x80\x80"},     // U+10000, first four-byte character
             std::string_view{"\xF0\x9F\x98\x80"},     // 😀
             std::string_view{"\xF4\x8F\xBF\xBF"},     // U+10FFFF, the last code point
             std::string_view{"مرحبا بكم"},
             std::string_view{"ሰላም"},
         }) {
        CAPTURE(text);
        CHECK(p::is_valid_utf8(text));
    }
}

TEST_CASE("invalid UTF-8 is refused")
{
    SUBCASE("overlong encodings")
    {
        CHECK_FALSE(p::is_valid_utf8("\xC0\x80"));             // NUL in two bytes
        CHECK_FALSE(p::is_valid_utf8("\xC0\xAF"));             // '/' in two bytes
        CHECK_FALSE(p::is_valid_utf8("\xC1\xBF"));
        CHECK_FALSE(p::is_valid_utf8("\xE0\x80\xAF"));         // '/' in three bytes
        CHECK_FALSE(p::is_valid_utf8("\xE0\x9F\xBF"));         // U+07FF in three bytes
        CHECK_FALSE(p::is_valid_utf8("\xF0\x80\x80\xAF"));     // '/' in four bytes
        CHECK_FALSE(p::is_valid_utf8("\xF0\x8F\xBF\xBF"));     // U+FFFF in four bytes
    }
    SUBCASE("surrogates")
    {
        CHECK_FALSE(p::is_valid_utf8("\xED\xA0\x80"));         // U+D800
        CHECK_FALSE(p::is_valid_utf8("\xED\xAF\xBF"));         // U+DBFF
        CHECK_FALSE(p::is_valid_utf8("\xED\xB0\x80"));         // U+DC00
        CHECK_FALSE(p::is_valid_utf8("\xED\xBF\xBF"));         // U+DFFF
        CHECK_FALSE(p::is_valid_utf8("\xED\xA0\xBD\xED\xB8\x80")); // a CESU-8 pair
    }
    SUBCASE("past U+10FFFF")
    {
        CHECK_FALSE(p::is_valid_utf8("\xF4\x90\x80\x80"));     // U+110000
        CHECK_FALSE(p::is_valid_utf8("\xF5\x80\x80\x80"));
        CHECK_FALSE(p::is_valid_utf8("\xF7\xBF\xBF\xBF"));
        CHECK_FALSE(p::is_valid_utf8("\xF8\x88\x80\x80\x80")); // five-byte form
        CHECK_FALSE(p::is_valid_utf8("\xFC\x84\x80\x80\x80\x80"));
    }
    SUBCASE("truncated sequences")
    {
        CHECK_FALSE(p::is_valid_utf8("\xC3"));
        CHECK_FALSE(p::is_valid_utf8("\xE2\x82"));
        CHECK_FALSE(p::is_valid_utf8("\xF0\x9F\x98"));
        CHECK_FALSE(p::is_valid_utf8("abc\xE2\x82"));
        CHECK_FALSE(p::is_valid_utf8("\xE2\x82" "abc"));
        CHECK_FALSE(p::is_valid_utf8("\xC3(")); // bad continuation
        CHECK_FALSE(p::is_valid_utf8("\xF0\x9F\x98("));
    }
    SUBCASE("stray bytes")
    {
        CHECK_FALSE(p::is_valid_utf8("\x80"));
        CHECK_FALSE(p::is_valid_utf8("\xBF"));
        CHECK_FALSE(p::is_valid_utf8("a\x80z"));
        CHECK_FALSE(p::is_valid_utf8("\xC3\xA9\xA9"));
        CHECK_FALSE(p::is_valid_utf8("\xFE"));
        CHECK_FALSE(p::is_valid_utf8("\xFF"));
        CHECK_FALSE(p::is_valid_utf8("valid then \xFF"));
    }
}

TEST_CASE("code points are counted, not bytes")
{
    CHECK(p::count_code_points("") == 0);
    CHECK(p::count_code_points("abc") == 3);
    CHECK(p::count_code_points("caf\xC3\xA9") == 4);
    CHECK(p::count_code_points("عربي") == 4);
    CHECK(p::count_code_points("ሰላም") == 3);
    CHECK(p::count_code_points("\xF0\x9F\x98\x80") == 1);
    CHECK(p::count_code_points("a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80") == 4);
    CHECK(p::count_code_points(repeat("\xD8\xB9", 2000)) == 2000);
    CHECK(p::count_code_points(std::string_view{"\0\0", 2}) == 2);
}

TEST_CASE("blank text holds nothing but white space")
{
    SUBCASE("blank")
    {
        for (std::string_view const text : {"", " ", "   ", "\t\n\r\v\f", "\xC2\xA0", "\xE3\x80\x80",
                                            "\xE2\x80\x83\xE2\x80\xAF\xE2\x81\x9F", "\xE1\x9A\x80",
                                            "\xE2\x80\xA8\xE2\x80\xA9", " \xC2\xA0 \xE3\x80\x80 "}) {
            CAPTURE(text);
            CHECK(p::is_blank(text));
        }
    }
    SUBCASE("not blank")
    {
        for (std::string_view const text : {"a", " a ", ".", "\xC2\xA0x", "\xD8\xB9", "   \xF0\x9F\x98\x80",
                                            "\xE3\x80\x80\xE3\x80\x80!"}) {
            CAPTURE(text);
            CHECK_FALSE(p::is_blank(text));
        }
    }
}

TEST_CASE("trim removes white space at both ends only")
{
    CHECK(p::trim("") == "");
    CHECK(p::trim("   ") == "");
    CHECK(p::trim("Amal") == "Amal");
    CHECK(p::trim("  Amal  ") == "Amal");
    CHECK(p::trim("\t\nAmal\r\n") == "Amal");
    CHECK(p::trim("Amal Said") == "Amal Said");
    CHECK(p::trim("  Amal   Said  ") == "Amal   Said");
    CHECK(p::trim("\xC2\xA0" "Amal\xE3\x80\x80") == "Amal");
    CHECK(p::trim("\xE2\x80\x83 أمل \xC2\xA0") == "أمل");
    CHECK(p::trim(" ሰላም ") == "ሰላም");
    CHECK(p::trim("x") == "x");
    CHECK(p::trim(" \xF0\x9F\x98\x80") == "\xF0\x9F\x98\x80");
    SUBCASE("characters that are invisible but no white space stay")
    {
        CHECK(p::trim("\xE2\x80\x8B" "Amal") == "\xE2\x80\x8B" "Amal"); // ZERO WIDTH SPACE
    }
}

TEST_CASE("message text may hold tab and newline but no other control")
{
    CHECK_FALSE(p::holds_refused_text_character(""));
    CHECK_FALSE(p::holds_refused_text_character("hello"));
    CHECK_FALSE(p::holds_refused_text_character("one\ntwo\tthree"));
    CHECK_FALSE(p::holds_refused_text_character("\xE2\x80\xAE mirrored is allowed in text"));
    CHECK_FALSE(p::holds_refused_text_character("مرحبا"));
    CHECK(p::holds_refused_text_character("ring\x07"));
    CHECK(p::holds_refused_text_character("\x1B[2J"));
    CHECK(p::holds_refused_text_character(std::string_view{"a\0b", 3}));
    CHECK(p::holds_refused_text_character("a\x7F"));
    CHECK(p::holds_refused_text_character("a\xC2\x85"));
    CHECK(p::holds_refused_text_character("fine\nfine\x01"));
}
