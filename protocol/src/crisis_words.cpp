#include <kring/protocol/crisis_words.hpp>

#include "data_file_checks.hpp"
#include "unicode_tools.hpp"
#include <kring/protocol/text.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <unicode/uchar.h>

#include <algorithm>
#include <cstddef>

namespace kring::protocol {

namespace detail {
// deploy/crisis-words.json, compiled in (crisis_words_default.cpp.in).
extern std::string_view const shipped_crisis_words;
} // namespace detail

namespace json = boost::json;
using detail::bad_file;
using detail::is_date;

namespace {

constexpr std::size_t max_languages = 40;
constexpr std::size_t max_phrases = 500; // per language
constexpr std::size_t max_phrase_bytes = 200;
constexpr std::size_t max_phrase_words = 8;
constexpr std::size_t max_about_bytes = 2000;

bool is_language(std::string_view s)
{
    return (s.size() == 2 || s.size() == 3) &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

std::string_view string_at(json::object const& o, std::string_view key, std::string const& where)
{
    auto const* v = o.if_contains(key);
    if (!v)
        throw bad_file{where + ": " + std::string{key} + " is missing"};
    if (!v->is_string())
        throw bad_file{where + ": " + std::string{key} + " must be a string"};
    return v->get_string();
}

crisis_phrases language_of(json::value const& v, std::string const& where)
{
    if (!v.is_object())
        throw bad_file{where + " must be an object {lang, review, phrases}"};
    auto const& o = v.get_object();
    crisis_phrases out;
    out.lang = string_at(o, "lang", where);
    if (!is_language(out.lang))
        throw bad_file{where + ": lang must be a language's two or three letter code, such as \"fa\""};
    auto const review = string_at(o, "review", where);
    if (review != "draft" && review != "reviewed")
        throw bad_file{where + ": review must be \"draft\" or \"reviewed\""};
    out.reviewed = review == "reviewed";
    auto const* phrases = o.if_contains("phrases");
    if (!phrases || !phrases->is_array() || phrases->get_array().empty() ||
        phrases->get_array().size() > max_phrases)
        throw bad_file{where + ": phrases must be a list of 1 to 500 phrases"};
    for (std::size_t i = 0; i < phrases->get_array().size(); ++i) {
        auto const& p = phrases->get_array()[i];
        auto const at = where + ".phrases[" + std::to_string(i) + "]";
        if (!p.is_string() || p.get_string().empty() || p.get_string().size() > max_phrase_bytes ||
            holds_refused_text_character(p.get_string()))
            throw bad_file{at + " must be 1 to 200 bytes of text"};
        auto const words = comparable_words(p.get_string()).size();
        if (words == 0 || words > max_phrase_words)
            throw bad_file{at + " must be 1 to 8 words (letters or digits)"};
        out.phrases.emplace_back(p.get_string());
    }
    return out;
}

// One letter of a word as the matcher compares it; 0 for none.
UChar32 comparable(UChar32 c)
{
    switch (c) {
    case 0x0649: // alef maksura
    case 0x06CC: // Persian yeh
        return 0x064A;
    case 0x06A9: // Persian keheh
        return 0x0643;
    case 0x0629: // teh marbuta
    case 0x06C1: // heh goal
        return 0x0647;
    case 0x0640: // tatweel, which only lengthens a line
        return 0;
    case 0x02BB: // modifier letter apostrophes, as Ukrainian spelling writes
    case 0x02BC: // its apostrophe: a break between words, as ' is
        return ' ';
    default:
        break;
    }
    auto const type = u_charType(c);
    if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK)
        return 0;
    return c;
}

// Text of ASCII alone, as much of what is said in English or Dutch is: case
// folding lowers A to Z, nothing decomposes and there are no marks, so the
// words are the runs of letters and digits, without ICU.
std::vector<std::string> ascii_words(std::string_view text)
{
    std::vector<std::string> words;
    std::string word;
    for (char const c : text) {
        if (c >= 'A' && c <= 'Z') {
            word.push_back(static_cast<char>(c - 'A' + 'a'));
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            word.push_back(c);
        } else if (c == '\0') {
            continue; // the ICU path drops a NUL within a word too (none passes the protocol)
        } else if (!word.empty()) {
            words.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty())
        words.push_back(std::move(word));
    return words;
}

} // namespace

std::vector<std::string> comparable_words(std::string_view text)
{
    if (std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; }))
        return ascii_words(text);
    auto const& tools = detail::unicode();
    UErrorCode status = U_ZERO_ERROR;
    // Case folded (with compatibility forms and invisible joiners gone), then
    // decomposed, so that each accent is a mark of its own to drop.
    auto const folded = tools.nfkc_casefold->normalize(detail::from_utf8(text), status);
    auto const decomposed = tools.nfd->normalize(folded, status);
    std::vector<std::string> words;
    if (U_FAILURE(status))
        return words;
    icu::UnicodeString word;
    auto const end_word = [&] {
        if (!word.isEmpty())
            words.push_back(detail::to_utf8(word));
        word.remove();
    };
    for (int32_t i = 0; i < decomposed.length();) {
        auto const c = decomposed.char32At(i);
        i += U16_LENGTH(c);
        auto const letter = comparable(c);
        if (letter == 0)
            continue; // a mark stays within its word
        if (u_isalnum(letter))
            word.append(letter);
        else
            end_word();
    }
    end_word();
    return words;
}

std::variant<crisis_words, std::string> parse_crisis_words(std::string_view text)
{
    return detail::parse_data_file<crisis_words>(text, "{written, languages}", [](json::object const& o) {
        crisis_words out;
        out.written = string_at(o, "written", "the file");
        if (!is_date(out.written))
            throw bad_file{"written must be a date, YYYY-MM-DD"};
        if (auto const* about = o.if_contains("about");
            about && (!about->is_string() || about->get_string().size() > max_about_bytes))
            throw bad_file{"about must be text of at most 2000 bytes"};
        auto const* languages = o.if_contains("languages");
        if (!languages || !languages->is_array() || languages->get_array().empty() ||
            languages->get_array().size() > max_languages)
            throw bad_file{"languages must be a list of 1 to 40 languages"};
        for (std::size_t i = 0; i < languages->get_array().size(); ++i) {
            auto language = language_of(languages->get_array()[i], "languages[" + std::to_string(i) + "]");
            for (auto const& earlier : out.languages)
                if (earlier.lang == language.lang)
                    throw bad_file{"languages[" + std::to_string(i) + "]: " + language.lang + " is listed twice"};
            out.languages.push_back(std::move(language));
        }
        return out;
    });
}

crisis_words const& default_crisis_words()
{
    static crisis_words const words = std::get<crisis_words>(parse_crisis_words(detail::shipped_crisis_words));
    return words;
}

phrase_matcher::phrase_matcher(crisis_words const& words)
{
    for (auto const& language : words.languages)
        for (auto const& phrase : language.phrases) {
            add(comparable_words(phrase));
            // Persian joins a prefix with a zero-width non-joiner, which
            // many type as a space: "می‌خواهم" and "می خواهم" both.
            constexpr std::string_view zwnj = "\u200c";
            if (phrase.find(zwnj) != std::string::npos) {
                auto spaced = phrase;
                for (auto at = spaced.find(zwnj); at != std::string::npos; at = spaced.find(zwnj, at))
                    spaced.replace(at, zwnj.size(), " ");
                add(comparable_words(spaced));
            }
        }
}

void phrase_matcher::add(std::vector<std::string> split)
{
    if (split.empty() || std::find(phrases_.begin(), phrases_.end(), split) != phrases_.end())
        return;
    by_first_word_[split.front()].push_back(phrases_.size());
    phrases_.push_back(std::move(split));
}

bool phrase_matcher::matches(std::string_view text) const
{
    if (phrases_.empty())
        return false;
    auto const words = comparable_words(text);
    for (std::size_t at = 0; at < words.size(); ++at) {
        auto const starting = by_first_word_.find(words[at]);
        if (starting == by_first_word_.end())
            continue;
        for (auto const index : starting->second) {
            auto const& phrase = phrases_[index];
            if (phrase.size() <= words.size() - at && std::equal(phrase.begin(), phrase.end(), words.begin() + static_cast<std::ptrdiff_t>(at)))
                return true;
        }
    }
    return false;
}

} // namespace kring::protocol
