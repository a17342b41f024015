#include "password.hpp"

#include <argon2.h>
#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace kring {
namespace {

constexpr std::size_t salt_bytes = 16;
constexpr std::size_t hash_bytes = 32;

// 32 characters, so one random byte's low 5 bits pick one without bias.
constexpr std::string_view password_alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
static_assert(password_alphabet.size() == 32);

template <std::size_t size>
std::array<unsigned char, size> random_bytes()
{
    std::array<unsigned char, size> out{};
    if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1)
        throw std::runtime_error{"OpenSSL could not produce random bytes"};
    return out;
}

} // namespace

std::string hash_password(std::string_view password, password_parameters const& parameters)
{
    auto const salt = random_bytes<salt_bytes>();
    std::string encoded(argon2_encodedlen(parameters.passes, parameters.memory_kib, parameters.lanes,
                                          salt_bytes, hash_bytes, Argon2_id),
                        '\0');
    int const result = argon2id_hash_encoded(parameters.passes, parameters.memory_kib, parameters.lanes,
                                             password.data(), password.size(), salt.data(), salt.size(),
                                             hash_bytes, encoded.data(), encoded.size());
    if (result != ARGON2_OK)
        throw std::runtime_error{std::string{"Argon2id failed: "} + argon2_error_message(result)};
    encoded.resize(std::char_traits<char>::length(encoded.c_str()));
    return encoded;
}

bool verify_password(std::string_view encoded_hash, std::string_view password)
{
    if (encoded_hash.find('\0') != std::string_view::npos)
        return false; // libargon2 reads a C string and would ignore the rest
    std::string const terminated{encoded_hash};
    return argon2id_verify(terminated.c_str(), password.data(), password.size()) == ARGON2_OK;
}

std::string generate_password()
{
    auto const raw = random_bytes<20>();
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (i > 0 && i % 4 == 0)
            out.push_back('-');
        out.push_back(password_alphabet[raw[i] & 0x1Fu]);
    }
    return out;
}

} // namespace kring
