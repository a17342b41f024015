#include "identity.hpp"

#include <kring/protocol/pseudonyms.hpp>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace kring {
namespace {

// Gentle, everyday words that translate well and carry no judgement.
constexpr std::array<std::string_view, 64> adjectives{
    "Gentle", "Quiet", "Bright", "Calm", "Kind", "Warm", "Brave", "Steady",
    "Clear", "Soft", "Patient", "Hopeful", "Open", "Golden", "Silver", "Green",
    "Blue", "Early", "Evening", "Morning", "Sunny", "Misty", "Rainy", "Snowy",
    "Little", "Tall", "Swift", "Slow", "Light", "Deep", "Wide", "Round",
    "Curious", "Careful", "Cheerful", "Honest", "Humble", "Joyful", "Loyal", "Merry",
    "Noble", "Peaceful", "Playful", "Proud", "Restful", "Shy", "Simple", "Sincere",
    "Smiling", "Strong", "Tender", "Thankful", "Tidy", "Wise", "Young", "Friendly",
    "Lucky", "Mellow", "Polite", "Quick", "Ready", "Sweet", "Wild", "Cosy"};

constexpr std::array<std::string_view, 64> nouns{
    "Heron", "Cedar", "River", "Meadow", "Olive", "Willow", "Sparrow", "Harbor",
    "Lantern", "Pebble", "Garden", "Maple", "Falcon", "Dolphin", "Orchid", "Canyon",
    "Comet", "Breeze", "Island", "Valley", "Lotus", "Robin", "Oak", "Pine",
    "Fern", "Daisy", "Tulip", "Jasmine", "Almond", "Fig", "Pomegranate", "Lemon",
    "Swan", "Owl", "Deer", "Otter", "Fox", "Rabbit", "Turtle", "Crane",
    "Star", "Moon", "Cloud", "Rainbow", "Shell", "Coral", "Wave", "Stone",
    "Bridge", "Path", "Candle", "Kite", "Feather", "Acorn", "Poppy", "Clover",
    "Hill", "Lake", "Spring", "Dune", "Reed", "Nest", "Seed", "Leaf"};

void fill_random(unsigned char* out, std::size_t size)
{
    if (RAND_bytes(out, static_cast<int>(size)) != 1)
        throw std::runtime_error{"OpenSSL could not produce random bytes"};
}

std::uint32_t random_below(std::uint32_t bound)
{
    // Rejection sampling keeps every value equally likely.
    std::uint32_t const limit = UINT32_MAX - UINT32_MAX % bound;
    for (;;) {
        std::uint32_t value = 0;
        fill_random(reinterpret_cast<unsigned char*>(&value), sizeof value);
        if (value < limit)
            return value % bound;
    }
}

} // namespace

std::string random_hex(std::size_t bytes)
{
    static constexpr char hex[] = "0123456789abcdef";
    std::string raw(bytes, '\0');
    fill_random(reinterpret_cast<unsigned char*>(raw.data()), bytes);
    std::string out;
    out.reserve(bytes * 2);
    for (char const c : raw) {
        auto const byte = static_cast<unsigned char>(c);
        out.push_back(hex[byte >> 4]);
        out.push_back(hex[byte & 0xFu]);
    }
    return out;
}

std::string random_participant_id()
{
    return random_hex(8).substr(0, 15);
}

std::string to_hex(digest const& d)
{
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char const byte : d) {
        out.push_back(hex[byte >> 4]);
        out.push_back(hex[byte & 0xFu]);
    }
    return out;
}

std::string random_token()
{
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::array<unsigned char, 33> raw{}; // 264 bits: 44 characters, no padding
    fill_random(raw.data(), 32);
    std::string out;
    for (std::size_t i = 0; i < raw.size(); i += 3) {
        unsigned const triple = (unsigned{raw[i]} << 16) | (unsigned{raw[i + 1]} << 8) | raw[i + 2];
        for (int shift = 18; shift >= 0; shift -= 6)
            out.push_back(alphabet[(triple >> shift) & 0x3Fu]);
    }
    out.resize(43); // exactly the 256 random bits
    return out;
}

std::string random_pseudonym(std::string_view lang)
{
    auto const number = static_cast<unsigned>(1 + random_below(99));
    if (auto local = protocol::compose_pseudonym(lang, random_below(1u << 20), number))
        return *local;
    std::string name{adjectives[random_below(adjectives.size())]};
    name += ' ';
    name += nouns[random_below(nouns.size())];
    name += ' ';
    name += std::to_string(1 + random_below(99));
    return name;
}

digest sha256(std::string_view data)
{
    digest out{};
    unsigned int size = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &size, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error{"OpenSSL could not compute SHA-256"};
    return out;
}

digest keyed_hash(digest const& key, std::string_view data)
{
    digest out{};
    unsigned int size = 0;
    if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<unsigned char const*>(data.data()),
              data.size(), out.data(), &size))
        throw std::runtime_error{"OpenSSL could not compute HMAC-SHA-256"};
    return out;
}

bool constant_time_equal(digest const& a, digest const& b)
{
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace kring
