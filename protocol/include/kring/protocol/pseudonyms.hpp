#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

// The pseudonyms Kring gives participants, in their own language and
// script (deploy/pseudonyms.json): whole two-word phrases, each written as
// a unit so that its grammar is right, followed by a number in the digits
// that language's readers use. English has a generator of its own.
namespace kring::protocol {

struct pseudonym_language {
    std::string lang;             // a BCP 47 primary tag: "ar", "ti"
    std::string review = "draft"; // "draft" until a native speaker has read it, then "reviewed"
    std::vector<std::string> names;
};

struct pseudonyms {
    std::vector<pseudonym_language> languages;
};

// Reads a pseudonyms file {about?, languages: [{lang, review, names}]};
// every name must be one a participant could choose (check_name) with room
// for its number. The error says what is wrong and where.
std::variant<pseudonyms, std::string> parse_pseudonyms(std::string_view json);

// What Kring ships: drafts, not yet read by native speakers.
pseudonyms const& default_pseudonyms();

// The pseudonym for `lang` from the shipped lists: the name `pick` (modulo
// the list) and `number`, written in that language's digits ("نهر هادئ ٢٧");
// nothing when Kring has no list for `lang`.
std::optional<std::string> compose_pseudonym(std::string_view lang, std::size_t pick, unsigned number);

} // namespace kring::protocol
