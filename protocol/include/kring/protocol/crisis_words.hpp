#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

namespace kring::protocol {

// One language's phrases, as the file has them.
struct crisis_phrases {
    std::string lang;                 // "en", "fa", "ti"
    bool reviewed = false;            // "review": "reviewed"; a draft otherwise
    std::vector<std::string> phrases; // as written
};

// The crisis words of a deployment (`--crisis-words FILE`), as
// protocol/README.md "Crisis words" describes the file:
// {written, about?, languages: [{lang, review, phrases}]}.
struct crisis_words {
    std::string written; // YYYY-MM-DD
    std::vector<crisis_phrases> languages;
};

// Reads a crisis-words file; the error says what is wrong and where.
std::variant<crisis_words, std::string> parse_crisis_words(std::string_view json);

// What Kring ships (deploy/crisis-words.json, compiled in): drafts, in the
// languages its participants speak most.
crisis_words const& default_crisis_words();

// The words of a text as the matcher compares them: case folded, accents
// and other marks taken off, and the few letters Arabic and Persian write
// two ways written one way; words are runs of letters and digits, so that
// "don't" is "don" "t".
std::vector<std::string> comparable_words(std::string_view text);

// Whether a text holds one of the phrases, word for word: "kill myself"
// is in "I want to KILL myself" but not in "skill myself". Built once,
// then only read: safe to use from many threads at once.
class phrase_matcher {
public:
    explicit phrase_matcher(crisis_words const& words);

    bool matches(std::string_view text) const;
    std::size_t size() const { return phrases_.size(); }

private:
    void add(std::vector<std::string> words);

    std::vector<std::vector<std::string>> phrases_;
    // The phrases each first word begins.
    std::unordered_map<std::string, std::vector<std::size_t>> by_first_word_;
};

} // namespace kring::protocol
