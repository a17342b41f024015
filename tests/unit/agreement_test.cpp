#include <kring/protocol/agreement.hpp>
#include <kring/protocol/client_messages.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <variant>

using kring::protocol::agreement_in;
using kring::protocol::agreements;
using kring::protocol::default_agreements;
using kring::protocol::parse_agreements;

namespace {

std::string agreement_error(std::string const& file)
{
    auto const parsed = parse_agreements(file);
    REQUIRE(std::holds_alternative<std::string>(parsed));
    return std::get<std::string>(parsed);
}

kring::protocol::parse_result parse_frame(std::string const& frame)
{
    return kring::protocol::parse_client_message(frame, {});
}

} // namespace

TEST_CASE("the shipped agreement parses, in every language Kring's participants speak most, all drafts")
{
    auto const& shipped = default_agreements();
    std::vector<std::string> langs;
    for (auto const& text : shipped.languages) {
        langs.push_back(text.lang);
        CHECK(text.review == "draft"); // until a native speaker has read it
        CHECK(text.items.size() == shipped.languages.front().items.size());
        REQUIRE(text.notice);
    }
    for (auto const* lang : {"nl", "fr", "en", "ar", "fa", "uk", "ti", "ps", "ru", "tr"})
        CHECK(std::find(langs.begin(), langs.end(), lang) != langs.end());
}

TEST_CASE("an agreement file is refused with what is wrong and where")
{
    CHECK(agreement_error("[]") == "the file must hold one object {written, languages}");
    CHECK(agreement_error(R"({"written": "soon", "languages": []})") == "written must be a date, YYYY-MM-DD");
    CHECK(agreement_error(R"({"written": "2026-12-01", "languages": []})") ==
          "languages must be a list of 1 to 60 languages");
    CHECK(agreement_error(R"({"written": "2026-12-01", "languages": [{"lang": "EN", "review": "draft", "items": ["a"]}]})") ==
          "languages[0]: lang must be a language tag of 2 or 3 lowercase letters, such as \"nl\"");
    CHECK(agreement_error(R"({"written": "2026-12-01", "languages": [{"lang": "en", "review": "ok", "items": ["a"]}]})") ==
          "languages[0]: review must be \"draft\" or \"reviewed\"");
    CHECK(agreement_error(R"({"written": "2026-12-01", "languages": [{"lang": "en", "review": "draft", "items": []}]})") ==
          "languages[0]: items must be a list of 1 to 20 lines of text");
    CHECK(agreement_error(R"({"written": "2026-12-01", "languages": [{"lang": "en", "review": "draft", "items": ["a\nb"]}]})") ==
          "languages[0]: items[0] must be one line of text");
    CHECK(agreement_error(R"({"written": "2026-12-01", "languages": [{"lang": "en", "review": "draft", "items": ["a"]},
                                                                    {"lang": "nl", "review": "draft", "items": ["a", "b"]}]})") ==
          "languages[1]: nl has 2 items, en 1: every language must have the same items, in the same order");
    CHECK(agreement_error(R"({"written": "2026-12-01", "languages": [{"lang": "en", "review": "draft", "items": ["a"]},
                                                                    {"lang": "en", "review": "draft", "items": ["b"]}]})") ==
          "languages[1]: en is there twice");
    auto const good = parse_agreements(
        R"({"written": "2026-12-01", "languages": [{"lang": "nl", "review": "reviewed", "notice": "Geen noodlijn.", "items": ["Luister."]}]})");
    REQUIRE(std::holds_alternative<agreements>(good));
    auto const& nl = std::get<agreements>(good).languages.at(0);
    CHECK(nl.review == "reviewed");
    CHECK(nl.notice == "Geen noodlijn.");
}

TEST_CASE("the agreement shown is the language asked for, else English, else the first")
{
    std::vector<kring::protocol::agreement_text> const texts{{"nl", "draft", std::nullopt, {"a"}},
                                                             {"en", "draft", std::nullopt, {"b"}}};
    CHECK(agreement_in(texts, "nl")->lang == "nl");
    CHECK(agreement_in(texts, "fa")->lang == "en");
    std::vector<kring::protocol::agreement_text> const dutch{{"nl", "draft", std::nullopt, {"a"}}};
    CHECK(agreement_in(dutch, "fa")->lang == "nl");
    CHECK(agreement_in({}, "fa") == nullptr);
}

TEST_CASE("join carries agree and a language; agreement, agreement_point and translate are checked")
{
    auto const join = parse_frame(R"({"type": "join", "room": "tea", "agree": true, "lang": "FA-ir"})");
    REQUIRE(std::holds_alternative<kring::protocol::request>(join));
    auto const& j = std::get<kring::protocol::join>(std::get<kring::protocol::request>(join).message);
    CHECK(j.agree);
    CHECK(j.lang == "fa");
    auto const code_of = [](std::string const& frame) {
        auto const parsed = parse_frame(frame);
        REQUIRE(std::holds_alternative<kring::protocol::request_error>(parsed));
        return std::string{kring::protocol::to_string(std::get<kring::protocol::request_error>(parsed).code)};
    };
    CHECK(code_of(R"({"type": "join", "room": "tea", "agree": "yes"})") == "bad_field");
    CHECK(code_of(R"({"type": "join", "room": "tea", "lang": "x"})") == "bad_field");
    CHECK(code_of(R"({"type": "join", "room": "tea", "lang": "farsi"})") == "bad_field");
    CHECK(code_of(R"({"type": "agreement_point", "room": "tea", "item": 21})") == "bad_field");
    CHECK(code_of(R"({"type": "agreement_point", "room": "tea"})") == "missing_field");
    CHECK(code_of(R"({"type": "translate", "room": "tea", "message": "m1", "text": "hi"})") == "missing_field");
    CHECK(code_of(R"({"type": "translate", "room": "tea", "message": "m1", "lang": "en", "text": " "})") == "bad_text");
    CHECK(code_of(R"({"type": "translate", "room": "tea", "message": "m1", "lang": "en"})") == "missing_field");
    auto const translate = parse_frame(R"({"type": "translate", "room": "tea", "message": "m1", "lang": "ar", "text": "مرحبا"})");
    REQUIRE(std::holds_alternative<kring::protocol::request>(translate));
    auto const& t = std::get<kring::protocol::translate>(std::get<kring::protocol::request>(translate).message);
    CHECK(t.lang == "ar");
    CHECK(t.text == "مرحبا");
}
