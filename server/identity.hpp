#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

// Randomness and digests for ephemeral identities. All randomness comes from
// OpenSSL's CSPRNG; a failure there throws, since nothing safe can follow.
namespace kring {

using digest = std::array<unsigned char, 32>;

std::string random_hex(std::size_t bytes);
// A participant's id: 15 hex digits, 60 random bits, few enough that the
// string holds them itself, without a heap block for every identity.
std::string random_participant_id();
std::string to_hex(digest const& d);

// 256 random bits, base64url without padding (43 characters).
std::string random_token();

// A readable random pseudonym in `lang` and its script, with a number in
// its digits ("Gentle Heron 27", "نهر هادئ ٢٧"; deploy/pseudonyms.json);
// English for a language Kring has no names in.
std::string random_pseudonym(std::string_view lang = "en");

digest sha256(std::string_view data);

// HMAC-SHA-256: a hash that only the holder of `key` can make or check.
digest keyed_hash(digest const& key, std::string_view data);

// Compares secrets without leaking where they differ.
bool constant_time_equal(digest const& a, digest const& b);

} // namespace kring
