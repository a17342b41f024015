#include "password.hpp"

#include <doctest/doctest.h>

#include <set>
#include <string>

using kring::generate_password;
using kring::hash_password;
using kring::verify_password;

TEST_CASE("a password hash accepts its password and nothing else")
{
    auto const hash = hash_password("correct horse battery");
    CHECK(verify_password(hash, "correct horse battery"));
    CHECK_FALSE(verify_password(hash, "correct horse batterY"));
    CHECK_FALSE(verify_password(hash, "correct horse battery "));
    CHECK_FALSE(verify_password(hash, ""));
}

TEST_CASE("the encoded hash names Argon2id with OWASP's parameters: 19 MiB, 2 passes, 1 lane")
{
    auto const hash = hash_password("correct horse battery");
    CHECK(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
    // a 16-byte salt and a 32-byte hash, both base64 without padding
    auto const salt_at = hash.find('$', 31);
    REQUIRE(salt_at != std::string::npos);
    CHECK(hash.substr(31, salt_at - 31).size() == 22);
    CHECK(hash.substr(salt_at + 1).size() == 43);
}

TEST_CASE("two hashes of one password differ by their salt, and both verify")
{
    auto const first = hash_password("same password");
    auto const second = hash_password("same password");
    CHECK(first != second);
    CHECK(verify_password(first, "same password"));
    CHECK(verify_password(second, "same password"));
}

TEST_CASE("the parameters a hash was made with are kept in it and used to verify it")
{
    auto const hash = hash_password("lighter for the test", {8192, 1, 1});
    CHECK(hash.starts_with("$argon2id$v=19$m=8192,t=1,p=1$"));
    CHECK(verify_password(hash, "lighter for the test"));
    CHECK_FALSE(verify_password(hash, "lighter for the rest"));
}

TEST_CASE("a password in any script is hashed as its UTF-8 bytes")
{
    auto const hash = hash_password("\xD9\x83\xD9\x84\xD9\x85\xD8\xA9 \xD8\xB3\xD8\xB1");
    CHECK(verify_password(hash, "\xD9\x83\xD9\x84\xD9\x85\xD8\xA9 \xD8\xB3\xD8\xB1"));
    CHECK_FALSE(verify_password(hash, "\xD9\x83\xD9\x84\xD9\x85\xD8\xA9"));
}

TEST_CASE("a malformed or tampered hash never verifies")
{
    auto const hash = hash_password("correct horse battery");
    auto tampered = hash;
    tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
    auto weakened = hash;
    weakened.replace(weakened.find("t=2"), 3, "t=1");

    CHECK_FALSE(verify_password(tampered, "correct horse battery"));
    CHECK_FALSE(verify_password(weakened, "correct horse battery"));
    CHECK_FALSE(verify_password(hash.substr(0, hash.size() - 5), "correct horse battery"));
    CHECK_FALSE(verify_password("", "correct horse battery"));
    CHECK_FALSE(verify_password("", ""));
    CHECK_FALSE(verify_password("not a hash", "correct horse battery"));
    CHECK_FALSE(verify_password(hash + std::string{"\0x", 2}, "correct horse battery"));
    auto argon2i = hash;
    argon2i.replace(0, 9, "$argon2i");
    CHECK_FALSE(verify_password(argon2i, "correct horse battery"));
}

TEST_CASE("a generated password is 5 groups of 4 lowercase letters and digits without look-alikes")
{
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
        auto const password = generate_password();
        REQUIRE(password.size() == 24);
        for (std::size_t at = 0; at < password.size(); ++at) {
            char const c = password[at];
            if (at % 5 == 4) {
                CHECK(c == '-');
                continue;
            }
            bool const letter_or_digit = (c >= 'a' && c <= 'z') || (c >= '2' && c <= '9');
            CHECK(letter_or_digit);
            CHECK(c != 'o');
            CHECK(c != 'l');
        }
        seen.insert(password);
    }
    CHECK(seen.size() == 50);
}
