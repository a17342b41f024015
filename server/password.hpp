#pragma once

#include <string>
#include <string_view>

// Moderator passwords, hashed with Argon2id (libargon2) at OWASP's minimum:
// 19 MiB of memory, 2 passes, 1 lane, a 16-byte random salt per password.
// The encoded hash carries its parameters, so they can be raised later.
namespace kring {

struct password_parameters {
    unsigned memory_kib = 19 * 1024;
    unsigned passes = 2;
    unsigned lanes = 1;
};

std::string hash_password(std::string_view password, password_parameters const& parameters = {});

// True when `password` matches; false for a wrong password or a malformed hash.
bool verify_password(std::string_view encoded_hash, std::string_view password);

// A random one-time password that is easy to read out and type: 5 groups of
// 4 lowercase letters and digits, without look-alikes (0/o, 1/l).
std::string generate_password();

} // namespace kring
