#include "identity.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>
#include <string_view>

namespace {

bool is_base64url(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

bool is_lower_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

bool is_word(std::string_view word)
{
    if (word.size() < 2 || word.front() < 'A' || word.front() > 'Z')
        return false;
    for (char const c : word.substr(1))
        if (c < 'a' || c > 'z')
            return false;
    return true;
}

std::string hex_of(kring::digest const& d)
{
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char const byte : d) {
        out.push_back(hex[byte >> 4]);
        out.push_back(hex[byte & 0xFu]);
    }
    return out;
}

} // namespace

TEST_CASE("a resume token is 43 characters of base64url, and two tokens differ")
{
    auto const token = kring::random_token();
    CHECK(token.size() == 43);
    for (char const c : token) {
        CAPTURE(c);
        CHECK(is_base64url(c));
    }
    CHECK(kring::random_token() != token);

    SUBCASE("many tokens are all distinct")
    {
        std::set<std::string> seen;
        for (int i = 0; i < 1000; ++i)
            seen.insert(kring::random_token());
        CHECK(seen.size() == 1000);
    }
    SUBCASE("the last character carries 4 bits of the 32 bytes and 2 zero bits, as base64url of 32 bytes does")
    {
        std::string_view const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < 200; ++i) {
            auto const t = kring::random_token();
            REQUIRE(t.size() == 43);
            CAPTURE(t);
            CHECK(alphabet.find(t.back()) % 4 == 0);
        }
    }
}

TEST_CASE("random_hex gives two lowercase hex digits per byte")
{
    CHECK(kring::random_hex(0).empty());
    for (std::size_t bytes : {1u, 8u, 16u, 33u}) {
        auto const hex = kring::random_hex(bytes);
        CHECK(hex.size() == bytes * 2);
        for (char const c : hex)
            CHECK(is_lower_hex(c));
    }
    CHECK(kring::random_hex(8) != kring::random_hex(8));
}

TEST_CASE("a pseudonym reads as two capitalised words and a number from 1 to 99")
{
    std::set<std::string> seen;
    for (int i = 0; i < 300; ++i) {
        auto const name = kring::random_pseudonym();
        CAPTURE(name);
        seen.insert(name);
        auto const first_space = name.find(' ');
        auto const last_space = name.rfind(' ');
        REQUIRE(first_space != std::string::npos);
        REQUIRE(last_space != first_space);
        CHECK(is_word(std::string_view{name}.substr(0, first_space)));
        CHECK(is_word(std::string_view{name}.substr(first_space + 1, last_space - first_space - 1)));
        auto const number = std::string_view{name}.substr(last_space + 1);
        REQUIRE_FALSE(number.empty());
        CHECK(number.front() != '0');
        CHECK(number.size() <= 2);
        for (char const c : number)
            REQUIRE((c >= '0' && c <= '9'));
        auto const n = std::stoi(std::string{number});
        CHECK(n >= 1);
        CHECK(n <= 99);
    }
    CHECK(seen.size() > 1);
}

TEST_CASE("sha256 gives the known digests")
{
    CHECK(hex_of(kring::sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(hex_of(kring::sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(hex_of(kring::sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(hex_of(kring::sha256(std::string_view{"a\0b", 3})) != hex_of(kring::sha256("a")));
}

TEST_CASE("constant_time_equal tells equal digests from different ones")
{
    auto const a = kring::sha256("open sesame");
    CHECK(kring::constant_time_equal(a, kring::sha256("open sesame")));
    CHECK_FALSE(kring::constant_time_equal(a, kring::sha256("open sesame ")));

    SUBCASE("a difference in the first or the last byte is found")
    {
        auto first = a;
        first.front() ^= 1u;
        CHECK_FALSE(kring::constant_time_equal(a, first));
        auto last = a;
        last.back() ^= 0x80u;
        CHECK_FALSE(kring::constant_time_equal(a, last));
    }
}

TEST_CASE("a participant's id is 15 lowercase hex digits, held within the string itself")
{
    auto const id = kring::random_participant_id();
    CHECK(id.size() == 15);
    CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(id.capacity() == 15); // the small-string room: no heap block
    CHECK(kring::random_participant_id() != id);
}
