#include "identity.hpp"

#include <kring/protocol/names.hpp>
#include <kring/protocol/pseudonyms.hpp>

#include <doctest/doctest.h>

#include <unicode/uscript.h>
#include <unicode/unistr.h>

#include <set>
#include <string>
#include <variant>

using kring::protocol::compose_pseudonym;
using kring::protocol::default_pseudonyms;
using kring::protocol::parse_pseudonyms;

namespace {

// The scripts of the letters in `text` (Common and Inherited left out).
std::set<UScriptCode> scripts_of(std::string const& text)
{
    std::set<UScriptCode> out;
    auto const u = icu::UnicodeString::fromUTF8(text);
    for (int32_t i = 0; i < u.length(); i = u.moveIndex32(i, 1)) {
        UChar32 const c = u.char32At(i);
        UErrorCode status = U_ZERO_ERROR;
        auto const script = uscript_getScript(c, &status);
        if (U_SUCCESS(status) && script != USCRIPT_COMMON && script != USCRIPT_INHERITED)
            out.insert(script);
    }
    return out;
}

std::string pseudonyms_error(std::string const& file)
{
    auto const parsed = parse_pseudonyms(file);
    REQUIRE(std::holds_alternative<std::string>(parsed));
    return std::get<std::string>(parsed);
}

} // namespace

TEST_CASE("the shipped pseudonyms parse, in the languages of Kring's participants, all drafts")
{
    auto const& shipped = default_pseudonyms();
    std::set<std::string> langs;
    for (auto const& language : shipped.languages) {
        CAPTURE(language.lang);
        langs.insert(language.lang);
        CHECK(language.review == "draft"); // no native speaker has read them yet
        CHECK(language.names.size() >= 40);
        CHECK(std::set<std::string>(language.names.begin(), language.names.end()).size() == language.names.size());
    }
    CHECK(langs == std::set<std::string>{"nl", "fr", "ar", "fa", "ps", "ti", "uk", "ru", "tr"});
}

TEST_CASE("a pseudonym is written in its language's script, with the digits its readers use")
{
    struct expected {
        char const* lang;
        UScriptCode script;
        char const* number; // 27
    };
    for (auto const& e : {expected{"ar", USCRIPT_ARABIC, "\xD9\xA2\xD9\xA7"},   // ٢٧
                          expected{"fa", USCRIPT_ARABIC, "\xDB\xB2\xDB\xB7"},   // ۲۷
                          expected{"ps", USCRIPT_ARABIC, "\xDB\xB2\xDB\xB7"},   // ۲۷
                          expected{"ti", USCRIPT_ETHIOPIC, "27"},
                          expected{"uk", USCRIPT_CYRILLIC, "27"},
                          expected{"ru", USCRIPT_CYRILLIC, "27"},
                          expected{"nl", USCRIPT_LATIN, "27"},
                          expected{"fr", USCRIPT_LATIN, "27"},
                          expected{"tr", USCRIPT_LATIN, "27"}}) {
        CAPTURE(e.lang);
        for (std::size_t pick = 0; pick < 60; ++pick) {
            auto const name = compose_pseudonym(e.lang, pick, 27);
            REQUIRE(name.has_value());
            CAPTURE(*name);
            CHECK(name->ends_with(std::string{" "} + e.number));
            CHECK(scripts_of(*name) == std::set<UScriptCode>{e.script});
            // What the server gives, a participant could have chosen.
            auto const checked = kring::protocol::check_name(*name);
            CHECK(checked.ok());
            CHECK(checked.name == *name);
        }
    }
    CHECK_FALSE(compose_pseudonym("en", 0, 27).has_value()); // English has its own generator
    CHECK_FALSE(compose_pseudonym("xx", 0, 27).has_value());
}

TEST_CASE("a new identity's pseudonym is in the language it asked for, and English otherwise")
{
    for (int i = 0; i < 50; ++i) {
        CHECK(scripts_of(kring::random_pseudonym("ar")) == std::set<UScriptCode>{USCRIPT_ARABIC});
        CHECK(scripts_of(kring::random_pseudonym("ti")) == std::set<UScriptCode>{USCRIPT_ETHIOPIC});
        CHECK(scripts_of(kring::random_pseudonym("en")) == std::set<UScriptCode>{USCRIPT_LATIN});
        CHECK(scripts_of(kring::random_pseudonym("de")) == std::set<UScriptCode>{USCRIPT_LATIN});
    }
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i)
        seen.insert(kring::random_pseudonym("uk"));
    CHECK(seen.size() > 10);
}

TEST_CASE("a pseudonyms file is refused with what is wrong and where")
{
    CHECK(pseudonyms_error("[]").find("one object") != std::string::npos);
    CHECK(pseudonyms_error(R"({"languages":[]})").find("languages must be") != std::string::npos);
    CHECK(pseudonyms_error(R"({"languages":[{"lang":"NL","review":"draft","names":["Stille Rivier"]}]})")
              .find("languages[0]: lang") != std::string::npos);
    CHECK(pseudonyms_error(R"({"languages":[{"lang":"nl","review":"done","names":["Stille Rivier"]}]})")
              .find("review") != std::string::npos);
    CHECK(pseudonyms_error(R"({"languages":[{"lang":"nl","review":"draft","names":[]}]})")
              .find("names must be") != std::string::npos);
    CHECK(pseudonyms_error(R"({"languages":[{"lang":"nl","review":"draft","names":["Stille\u0007Rivier"]}]})")
              .find("names[0] is not a name") != std::string::npos);
    CHECK(pseudonyms_error(R"({"languages":[{"lang":"nl","review":"draft","names":["Moderator"]}]})")
              .find("names[0] claims a role") != std::string::npos);
    CHECK(pseudonyms_error(R"({"languages":[{"lang":"nl","review":"draft","names":["Stille Rivier"]},)"
                           R"({"lang":"nl","review":"draft","names":["Zachte Wind"]}]})")
              .find("languages[1]: nl is there twice") != std::string::npos);
    auto const ok = parse_pseudonyms(R"({"languages":[{"lang":"nl","review":"reviewed","names":["Stille Rivier"]}]})");
    REQUIRE(std::holds_alternative<kring::protocol::pseudonyms>(ok));
    CHECK(std::get<kring::protocol::pseudonyms>(ok).languages.at(0).names.at(0) == "Stille Rivier");
}
