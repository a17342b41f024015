#include <kring/protocol/crisis_words.hpp>

#include <doctest/doctest.h>

#include <cstdint>

#include <string>
#include <variant>
#include <vector>

using kring::protocol::comparable_words;
using kring::protocol::crisis_words;
using kring::protocol::default_crisis_words;
using kring::protocol::parse_crisis_words;
using kring::protocol::phrase_matcher;

namespace {

using words = std::vector<std::string>;

crisis_words listing(std::vector<std::string> phrases)
{
    return {"2026-12-01", {{"en", false, std::move(phrases)}}};
}

std::string error_of(std::string const& file)
{
    auto const parsed = parse_crisis_words(file);
    REQUIRE(std::holds_alternative<std::string>(parsed));
    return std::get<std::string>(parsed);
}

} // namespace

// Text of ASCII alone is split without ICU. A no-break space after it sends
// the same text through ICU (it folds to a space, which ends a word), so
// both ways must find the same words, for every ASCII character.
TEST_CASE("ASCII text is split into the same words as ICU splits it")
{
    std::uint32_t seed = 7;
    for (int round = 0; round < 2000; ++round) {
        std::string text;
        auto const length = round % 40;
        for (int i = 0; i < length; ++i) {
            seed = seed * 1103515245u + 12345u;
            text.push_back(static_cast<char>((seed >> 16) % 128));
        }
        CAPTURE(text);
        CHECK(comparable_words(text) == comparable_words(text + "\u00a0"));
    }
    CHECK(comparable_words("Hello WORLD 2day, x_y") == words{"hello", "world", "2day", "x", "y"});
}

TEST_CASE("words are compared without case, accents or the marks of Arabic script")
{
    CHECK(comparable_words("I want to KILL myself!") == words{"i", "want", "to", "kill", "myself"});
    CHECK(comparable_words("Suïcide, zelfmoord") == words{"suicide", "zelfmoord"});
    CHECK(comparable_words("don't") == words{"don", "t"});
    CHECK(comparable_words("ＦＵＬＬ width") == words{"full", "width"});
    // Hamza and the short vowels are marks; the letter under them stays.
    CHECK(comparable_words("أُرِيدُ") == comparable_words("اريد"));
    // Persian writes yeh and kaf its own way; both compare alike.
    CHECK(comparable_words("خودکشی") == comparable_words("خودكشي"));
    // A zero-width non-joiner is part of the word, not a break in it.
    CHECK(comparable_words("می‌خواهم") == comparable_words("میخواهم"));
    CHECK(comparable_words("ክመውት ደልየ").size() == 2);
    CHECK(comparable_words("  ... ").empty());
}

TEST_CASE("a phrase matches whole words only, anywhere in the text")
{
    phrase_matcher const m{listing({"kill myself", "suicide"})};
    CHECK(m.matches("sometimes I want to Kill Myself."));
    CHECK(m.matches("SUICIDE"));
    CHECK(m.matches("thinking about suicide again"));
    CHECK_FALSE(m.matches("I could skill myself up"));
    CHECK_FALSE(m.matches("the killed myself-portrait")); // "killed", not "kill"
    CHECK_FALSE(m.matches("suicides are a word the list does not hold"));
    CHECK_FALSE(m.matches("kill the myself"));
    CHECK_FALSE(m.matches("kill"));
    CHECK_FALSE(m.matches(""));
}

TEST_CASE("the phrases Kring ships match in each of their languages, and ordinary talk does not")
{
    phrase_matcher const m{default_crisis_words()};
    CHECK(m.size() > 100);
    CHECK(m.matches("I don't want to live anymore"));
    CHECK(m.matches("Parfois je veux mourir"));
    CHECK(m.matches("je pense a mettre fin a mes jours")); // without its accents
    CHECK(m.matches("Ik wil dood, echt"));
    CHECK(m.matches("أريد أن أموت"));
    CHECK(m.matches("اريد ان اموت")); // without the hamzas
    CHECK(m.matches("میخوام بمیرم"));
    CHECK(m.matches("я не хочу жити"));
    CHECK(m.matches("Я хочу умереть"));
    CHECK(m.matches("bazen ölmek istiyorum"));
    CHECK(m.matches("ክመውት ደልየ"));
    CHECK(m.matches("می خواهم بمیرم")); // the non-joiner typed as a space
    CHECK(m.matches("він мене бʼє"));    // Ukrainian's own apostrophe, U+02BC
    CHECK_FALSE(m.matches("Thank you all for tonight, it helped"));
    CHECK_FALSE(m.matches("She is a skilled nurse"));
    CHECK_FALSE(m.matches("Merci pour ce soir"));
    CHECK_FALSE(m.matches("Dank je wel voor vanavond"));
    for (auto const& language : default_crisis_words().languages)
        CHECK_MESSAGE(!language.reviewed, language.lang << " says it was reviewed, and no one has reviewed it");
}

TEST_CASE("a crisis-words file with a mistake is refused with where it is")
{
    CHECK(error_of("[") .starts_with("not JSON"));
    CHECK(error_of("[]") == "the file must hold one object {written, languages}");
    CHECK(error_of(R"({"languages": []})") == "the file: written is missing");
    CHECK(error_of(R"({"written": "1 Dec", "languages": []})") == "written must be a date, YYYY-MM-DD");
    CHECK(error_of(R"({"written": "2026-12-01", "languages": []})") == "languages must be a list of 1 to 40 languages");
    CHECK(error_of(R"({"written": "2026-12-01", "languages": [{"lang": "English", "review": "draft", "phrases": ["x"]}]})") ==
          "languages[0]: lang must be a language's two or three letter code, such as \"fa\"");
    CHECK(error_of(R"({"written": "2026-12-01", "languages": [{"lang": "en", "review": "checked", "phrases": ["x"]}]})") ==
          "languages[0]: review must be \"draft\" or \"reviewed\"");
    CHECK(error_of(R"({"written": "2026-12-01", "languages": [{"lang": "en", "review": "draft", "phrases": []}]})") ==
          "languages[0]: phrases must be a list of 1 to 500 phrases");
    CHECK(error_of(R"({"written": "2026-12-01", "languages": [{"lang": "en", "review": "draft", "phrases": ["ok", "!!!"]}]})") ==
          "languages[0].phrases[1] must be 1 to 8 words (letters or digits)");
    CHECK(error_of(R"({"written": "2026-12-01", "languages": [{"lang": "en", "review": "draft", "phrases": ["a b c d e f g h i"]}]})") ==
          "languages[0].phrases[0] must be 1 to 8 words (letters or digits)");
    CHECK(error_of(R"({"written": "2026-12-01", "languages": [{"lang": "en", "review": "draft", "phrases": ["x"]},
                                                               {"lang": "en", "review": "draft", "phrases": ["y"]}]})") ==
          "languages[1]: en is listed twice");
    std::string const long_phrase(201, 'a');
    CHECK(error_of(R"({"written": "2026-12-01", "languages": [{"lang": "en", "review": "draft", "phrases": [")" + long_phrase + "\"]}]}") ==
          "languages[0].phrases[0] must be 1 to 200 bytes of text");

    auto const fine = parse_crisis_words(R"({"written": "2026-12-01", "languages": [{"lang": "nl", "review": "reviewed", "phrases": ["ik wil dood"]}]})");
    REQUIRE(std::holds_alternative<crisis_words>(fine));
    CHECK(std::get<crisis_words>(fine).languages.at(0).reviewed);
}
