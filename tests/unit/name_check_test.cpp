// The shape of a display name (check_name): what anyone may be called,
// whoever else is in the circle.
#include <kring/protocol/names.hpp>

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace p = kring::protocol;
using p::name_refusal;

namespace {

std::string repeat(std::string_view piece, std::size_t times)
{
    std::string out;
    for (std::size_t i = 0; i < times; ++i)
        out += piece;
    return out;
}

name_refusal refusal_of(std::string_view name, p::name_rules const& rules = {})
{
    return p::check_name(name, rules).refusal;
}

// What the server keeps and shows of an accepted name.
std::string kept(std::string_view name)
{
    auto const checked = p::check_name(name, {});
    REQUIRE_MESSAGE(checked.ok(), name);
    return checked.name;
}

} // namespace

TEST_CASE("names in the circles' languages and scripts are accepted as they are")
{
    for (std::string_view const name : {
             "Amal", "Gentle Heron 27", "أمل", "عبد الرحمن", "ሃብተማርያም", "Олена", "Ολένα", "Mehmet Yılmaz",
             "Łukasz", "Nguyễn Thị Minh Khai", "Amal أمل", "さくら Sakura 桜", "김민준", "007", "Am-al", "O'Neil",
             "Amal\u200A" "Said", "Amal\u00A0Said", "Am\u2010al", // hair space, no-break space, hyphen
         }) {
        CAPTURE(name);
        CHECK(kept(name) == name);
    }
}

TEST_CASE("the name kept is the NFC form, trimmed")
{
    CHECK(kept("Nguye\u0302\u0303n") == "Nguy\u1EC5n");       // e, circumflex, tilde: ễ
    CHECK(kept("Jose\u0301") == "Jos\u00E9");                  // e and acute: é
    CHECK(kept("\u1112\u1161\u11AB") == "\uD55C");             // Hangul jamo: 한
    CHECK(kept("  Amal Said \u3000") == "Amal Said");
    CHECK(kept("\u00A0Amal\u2003") == "Amal");
    CHECK(kept("\tAmal\n") == "Amal");
}

TEST_CASE("a name that is not UTF-8 is refused as bad_utf8")
{
    for (std::string_view const bytes : {std::string_view{"\xFF"}, std::string_view{"Am\xC0\xAF" "al"},
                                         std::string_view{"\xED\xA0\x80"}, std::string_view{"Amal\xE2\x82"}}) {
        CAPTURE(bytes);
        CHECK(refusal_of(bytes) == name_refusal::bad_utf8);
    }
}

TEST_CASE("a name with nothing left after trimming is empty")
{
    for (std::string_view const name : {"", " ", "   ", "\u00A0\u3000", "\t\n", "\u2003"}) {
        CAPTURE(name);
        CHECK(refusal_of(name) == name_refusal::empty);
    }
}

TEST_CASE("length is counted in code points of the NFC form, after trimming")
{
    CHECK(refusal_of(repeat("a", 32)) == name_refusal::none);
    CHECK(refusal_of(repeat("a", 33)) == name_refusal::too_long);
    CHECK(refusal_of(repeat("\u0639", 32)) == name_refusal::none);
    CHECK(refusal_of(repeat("\u0639", 33)) == name_refusal::too_long);
    CHECK(refusal_of(repeat("\U0001F600", 31) + "a") == name_refusal::none);
    CHECK(refusal_of(repeat("\U0001F600", 33)) == name_refusal::too_long);
    CHECK(refusal_of("abcd", {3, 4}) == name_refusal::too_long);
    CHECK(refusal_of("  " + repeat("a", 32) + "  ") == name_refusal::none);
    SUBCASE("a decomposed name counts as it is shown")
    {
        CHECK(refusal_of(repeat("e\u0301", 32)) == name_refusal::none); // 64 code points, 32 once composed
        CHECK(refusal_of(repeat("e\u0301", 33)) == name_refusal::too_long);
    }
    SUBCASE("far past the limit, a name is refused before it is normalised")
    {
        CHECK(refusal_of(repeat("a", 129)) == name_refusal::too_long);
        CHECK(refusal_of(repeat("\u200B", 1000)) == name_refusal::too_long);
        CHECK(refusal_of(repeat("a", 1 << 20)) == name_refusal::too_long);
    }
}

TEST_CASE("invisible, control and direction-changing characters are refused")
{
    for (std::string_view const name : {
             "Am\u202E" "al",     // RIGHT-TO-LEFT OVERRIDE
             "Am\u202A" "al",     // LEFT-TO-RIGHT EMBEDDING
             "Am\u200B" "al",     // ZERO WIDTH SPACE
             "Am\u200C" "al",     // ZERO WIDTH NON-JOINER
             "Am\u200D" "al",     // ZERO WIDTH JOINER between letters
             "Am\u200F" "al",     // RIGHT-TO-LEFT MARK
             "Am\u2066" "al",     // LEFT-TO-RIGHT ISOLATE
             "Am\u2060" "al",     // WORD JOINER
             "Am\uFEFF" "al",     // BYTE ORDER MARK
             "Am\u00AD" "al",     // SOFT HYPHEN
             "Am\u061C" "al",     // ARABIC LETTER MARK
             "Am\u034F" "al",     // COMBINING GRAPHEME JOINER
             "Am\u180E" "al",     // MONGOLIAN VOWEL SEPARATOR
             "Am\u2028" "al",     // LINE SEPARATOR
             "Am\U000E0001" "al", // LANGUAGE TAG
             "Am\uE000" "al",     // private use: no one knows what it shows
             "Am\u0378" "al",     // unassigned
             "Am\x07" "al", "Am\x1B" "al", "Am\t" "al", "Am\x7F" "al", "Am\xC2\x9B" "al", // C0 and C1 controls
         }) {
        CAPTURE(name);
        CHECK(refusal_of(name) == name_refusal::invisible);
    }
}

TEST_CASE("a zero-width non-joiner or joiner stays where the script needs it, by IDNA's CONTEXTJ rules")
{
    // Dari, Pashto and Persian names and words: a letter that joins on its
    // left, U+200C, one that joins on its right; marks may stand between.
    for (std::string_view const name : {
             "رحمت‌الله", // رحمت‌الله
             "حبیب‌الله", // حبیب‌الله
             "می‌خواهم",       // می‌خواهم
             "رحمتِ‌الله", // a kasra before the non-joiner
             "क्‍ष", // Devanagari: the joiner after a virama (a half form)
             "क्‌ष", // and the non-joiner after one (no conjunct)
             "ന്‍",       // Malayalam: a chillu letter
         }) {
        CAPTURE(name);
        CHECK(kept(name) == name);
    }
    for (std::string_view const name : {
             "‌رحمت",             // nothing before it
             "رحمت‌",             // nothing after it
             "ر‌ا",                         // REH joins only on its right: nothing to break
             "رحمت‌‌ا", // two in a row
             "ب‍ب",                         // the joiner between Arabic letters
             "क‍ष",                         // the joiner with no virama before it
             "Am‌" "al",                              // Latin letters do not join
         }) {
        CAPTURE(name);
        CHECK(refusal_of(name) == name_refusal::invisible);
    }
}

TEST_CASE("blank letters and fillers are refused, alone or inside a name")
{
    for (std::string_view const blank : {"\u2800", "\u3164", "\u115F", "\u1160", "\uFFA0", "\U0001D159"}) {
        CAPTURE(blank);
        CHECK(refusal_of(blank) == name_refusal::invisible);
        CHECK(refusal_of(repeat(blank, 5)) == name_refusal::invisible);
        CHECK(refusal_of("Amal" + std::string{blank}) == name_refusal::invisible);
    }
    CHECK(refusal_of("\u2800") == name_refusal::invisible); // the finding: a name of BRAILLE PATTERN BLANK
}

TEST_CASE("one emoji variation selector may follow an emoji, and a joiner may join two")
{
    SUBCASE("accepted")
    {
        for (std::string_view const name : {
                 "Amal \u2764\uFE0F",                                    // red heart, as phones write it
                 "Amal \u263A\uFE0E",                                    // text-style smiley
                 "Amal \U0001F3F3\uFE0F\u200D\U0001F308",                 // rainbow flag
                 "Amal \U0001F3F3\uFE0F\u200D\u26A7\uFE0F",               // transgender flag
                 "Amal \U0001F469\U0001F3FD\u200D\U0001F4BB",             // woman technologist, medium skin
                 "Amal \U0001F468\u200D\U0001F469\u200D\U0001F467",       // family
                 "Amal 1\uFE0F\u20E3",                                    // keycap one
             }) {
            CAPTURE(name);
            CHECK(kept(name) == name);
        }
    }
    SUBCASE("refused")
    {
        for (std::string_view const name : {
                 "Amal\uFE0F",                      // after a letter
                 "Amal \u2764\uFE0F\uFE0F",         // twice
                 "\uFE0F" "Amal",                   // at the start
                 "Amal \U0001F308\u200D",           // a joiner with nothing after it
                 "Amal \U0001F308\u200D" "a",       // joining a letter
                 "Amal \U0001F308\u200D\u200D\U0001F308",
                 "Amal\uFE00",                      // another variation selector
             }) {
            CAPTURE(name);
            CHECK(refusal_of(name) == name_refusal::invisible);
        }
        CHECK(refusal_of("Amal" + repeat("\uFE0F", 20)) == name_refusal::invisible); // the finding
        CHECK(refusal_of("\u2764" + repeat("\uFE0F", 20)) == name_refusal::invisible);
    }
}

TEST_CASE("real names keep their marks: Vietnamese, Arabic harakat, Devanagari, Hebrew, Tibetan, Thai")
{
    for (std::string_view const name : {
             "Nguy\u1EC5n V\u0103n \u0110\u1EE9c",   // Nguyễn Văn Đức
             "Nguye\u0323\u0302n",                    // ệ sent decomposed: two marks before NFC
             "\u0645\u064F\u062D\u064E\u0645\u064E\u0651\u062F", // مُحَمَّد: mim with shadda and fatha
             "\u0627\u0644\u0644\u0651\u064E\u0670\u0647",       // lam with shadda, fatha, dagger alif
             "\u092A\u094D\u0930\u093F\u092F\u0902\u0915\u093E", // प्रियंका
             "\u091C\u093C\u0948\u0928\u092C",                   // ज़ैनब: nukta and vowel sign
             "\u05E9\u05BC\u05C1\u05B8\u05DC\u05D5\u05B9\u05DD", // שָּׁלוֹם: dagesh, shin dot, qamats
             "\u0F66\u0F92\u0FB2\u0F7C\u0F63\u0F0B\u0F58",       // སྒྲོལ་མ (Drolma): three stacked
             "\u0E2A\u0E21\u0E28\u0E31\u0E01\u0E14\u0E34\u0E4C", // สมศักดิ์
             "\u1000\u103B\u1031\u102C\u103A",                   // ကျော် (Kyaw): spacing marks do not count
         }) {
        CAPTURE(name);
        CHECK(refusal_of(name) == name_refusal::none);
    }
}

TEST_CASE("marks piled on one character are refused, counted decomposed")
{
    std::string const five_marks = "a\u0300\u0301\u0302\u0303\u0304";
    CHECK(refusal_of("a\u0300\u0301\u0302\u0303" "b") == name_refusal::none); // four: the default
    CHECK(refusal_of("\u00E0\u0301\u0302\u0303") == name_refusal::none);       // à holds the first
    CHECK(refusal_of("\u00E0\u0301\u0302\u0303\u0304") == name_refusal::too_many_marks);
    CHECK(refusal_of(five_marks) == name_refusal::too_many_marks);
    SUBCASE("the findings: Zalgo")
    {
        CHECK(refusal_of("Z" + repeat("\u0336", 30)) == name_refusal::too_many_marks); // 30 marks on one letter
        std::string ten_different = "Z";
        for (char32_t mark = 0x0300; mark < 0x030A; ++mark)
            ten_different += std::string{"\xCC"} + static_cast<char>(0x80 + (mark - 0x0300));
        CHECK(refusal_of(ten_different) == name_refusal::too_many_marks);
        CHECK(refusal_of("Z\u0315\u0354\u0359\u0356a\u0363\u0364\u0365\u0366\u0367") ==
              name_refusal::too_many_marks);
    }
    SUBCASE("the same mark twice on one character, composed or not")
    {
        CHECK(refusal_of("Sa\u0301\u0301ra") == name_refusal::too_many_marks);
        CHECK(refusal_of("S\u00E1\u0301ra") == name_refusal::too_many_marks);
        CHECK(refusal_of("\u0645\u064E\u064E") == name_refusal::too_many_marks);
    }
    SUBCASE("a mark with nothing to sit on")
    {
        CHECK(refusal_of("\u0301" "Amal") == name_refusal::too_many_marks);
        CHECK(refusal_of(" \u0301Amal") == name_refusal::too_many_marks); // the space is trimmed first
    }
    SUBCASE("the count is per character: many letters may each carry marks")
    {
        CHECK(refusal_of(repeat("a\u0300\u0301", 10)) == name_refusal::none);
    }
    SUBCASE("the cap is the operator's")
    {
        std::string const muhammad = "\u0645\u064F\u062D\u064E\u0645\u064E\u0651\u062F";
        CHECK(refusal_of(muhammad, {32, 1}) == name_refusal::too_many_marks);
        CHECK(refusal_of(muhammad, {32, 2}) == name_refusal::none);
        CHECK(refusal_of("Jose", {32, 0}) == name_refusal::none);
        CHECK(refusal_of("Jos\u00E9", {32, 0}) == name_refusal::too_many_marks); // é: e and a mark
        CHECK(refusal_of("Nguy\u1EC5n", {32, 1}) == name_refusal::too_many_marks); // ễ: e and two
        CHECK(refusal_of("Nguy\u1EC5n", {32, 2}) == name_refusal::none);
        CHECK(refusal_of(five_marks, {32, 5}) == name_refusal::none);
    }
}

TEST_CASE("a name needs at least one visible letter or digit")
{
    for (std::string_view const name : {"\U0001F33B", "\u2764\uFE0F", "!!!", "...", "\U0001F600\U0001F600", "-_-",
                                        "\u2605 \u2605", "\u00B7"}) {
        CAPTURE(name);
        CHECK(refusal_of(name) == name_refusal::no_letter);
    }
    CHECK(refusal_of("Amal \U0001F33B") == name_refusal::none);
    CHECK(refusal_of("7") == name_refusal::none);
    // Lengthening marks and modifier letters are letters to Unicode, yet no
    // one reads them as a name (found by the names fuzzer).
    for (std::string_view const name : {"\u0640", "\u0640\u0640\u0640", "\u30FC", "\u02BC"}) {
        CAPTURE(name);
        CHECK(refusal_of(name) == name_refusal::no_letter);
    }
    CHECK(refusal_of("\u0645\u0640\u0640\u0631\u064A\u0645") == name_refusal::none); // Maryam, lengthened
    CHECK(refusal_of("\u0663") == name_refusal::none); // Arabic-Indic three
}

TEST_CASE("scripts mixed beyond UTS #39's moderately restrictive level are refused")
{
    for (std::string_view const name : {
             "\u0405" "ara",      // Cyrillic Dze, then Latin
             "P\u0430yP\u0430l",  // Cyrillic a inside Latin
             "Olena \u041E\u043B\u0435\u043D\u0430", // Latin and Cyrillic
             "\u0391mal",         // Greek Alpha
             "\u0623\u0645\u0644 \u041E\u043B\u0435\u043D\u0430", // Arabic and Cyrillic: two besides Latin
             "\u1200\u12ED \u0623\u0645\u0644",      // Ethiopic and Arabic
         }) {
        CAPTURE(name);
        CHECK(refusal_of(name) == name_refusal::mixed_scripts);
    }
    // Latin with one other script (but Cyrillic, Greek or Cherokee) is fine, as is
    // one script with digits, spaces, punctuation and emoji.
    for (std::string_view const name : {"Amal \u0623\u0645\u0644", "Tesfay \u1270\u1235\u134B\u12ED",
                                        "\u041E\u043B\u0435\u043D\u0430 27", "\u0623\u0645\u0644 \u0663",
                                        "Sakura \u3055\u304F\u3089 \u685C", "Amal \U0001F33B"}) {
        CAPTURE(name);
        CHECK(refusal_of(name) == name_refusal::none);
    }
}

TEST_CASE("any bytes at all get an answer and never a crash")
{
    std::string every_byte;
    for (int b = 0; b < 256; ++b)
        every_byte.push_back(static_cast<char>(b));
    CHECK_FALSE(p::check_name(every_byte, {}).ok());
    CHECK_FALSE(p::check_name(std::string_view{"A\0B", 3}, {}).ok());
    CHECK(p::check_name(every_byte, {}).name.empty());
    CHECK(p::check_name("\xF4\x8F\xBF\xBF", {}).refusal == name_refusal::invisible); // U+10FFFF
}

TEST_CASE("names are checked from many threads at once")
{
    std::vector<std::thread> threads;
    std::vector<int> wrong(4, 0);
    for (std::size_t t = 0; t < wrong.size(); ++t)
        threads.emplace_back([&wrong, t] {
            for (int i = 0; i < 200; ++i) {
                wrong[t] += p::check_name("Nguye\u0302\u0303n", {}).name != "Nguy\u1EC5n";
                wrong[t] += p::check_name("\u0405ara", {}).refusal != name_refusal::mixed_scripts;
                wrong[t] += !p::is_reserved_name("Moderador");
            }
        });
    for (auto& thread : threads)
        thread.join();
    for (int const w : wrong)
        CHECK(w == 0);
}

TEST_CASE("every refusal has a stable code and a sentence")
{
    std::vector<std::pair<name_refusal, std::string_view>> const codes{
        {name_refusal::bad_utf8, "bad_utf8"},       {name_refusal::empty, "empty"},
        {name_refusal::too_long, "too_long"},       {name_refusal::invisible, "invisible"},
        {name_refusal::too_many_marks, "too_many_marks"}, {name_refusal::no_letter, "no_letter"},
        {name_refusal::mixed_scripts, "mixed_scripts"}, {name_refusal::reserved, "reserved"},
        {name_refusal::imitates_staff, "imitates_staff"},
    };
    for (auto const& [why, code] : codes) {
        CHECK(p::to_string(why) == code);
        CHECK(p::describe(why).size() > 10);
    }
}
