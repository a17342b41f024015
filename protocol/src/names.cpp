// The shape of a display name: what a participant may call themselves,
// whoever else is in the circle. Roles and look-alikes are in
// name_likeness.cpp.
#include <kring/protocol/names.hpp>
#include <kring/protocol/text.hpp>

#include "unicode_tools.hpp"

#include <unicode/uchar.h>

#include <algorithm>

namespace kring::protocol {
namespace {

bool in_categories(UChar32 c, std::uint32_t mask)
{
    return (static_cast<std::uint32_t>(U_GET_GC_MASK(c)) & mask) != 0;
}

bool has(UChar32 c, UProperty property)
{
    return u_hasBinaryProperty(c, property) != 0;
}

// Characters Unicode gives a glyph that draws nothing, yet no property that
// says so: names of nothing but these look empty.
bool draws_nothing(UChar32 c)
{
    return c == 0x2800 ||  // BRAILLE PATTERN BLANK
           c == 0x1D159 || // MUSICAL SYMBOL NULL NOTEHEAD
           c == 0xFFFC;    // OBJECT REPLACEMENT CHARACTER
}

bool is_invisible(UChar32 c)
{
    constexpr std::uint32_t hidden = U_GC_CC_MASK | U_GC_CF_MASK | U_GC_CS_MASK | U_GC_CO_MASK | U_GC_CN_MASK |
                                     U_GC_ZL_MASK | U_GC_ZP_MASK;
    return in_categories(c, hidden) || has(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) || draws_nothing(c);
}

bool is_variation_selector(UChar32 c)
{
    return c == 0xFE0E || c == 0xFE0F;
}

// U+FE0F (or U+FE0E) right after an emoji asks for its colour (or text)
// form; phones add it by themselves ("❤️" is U+2764 U+FE0F). One is allowed
// there, nowhere else.
bool is_emoji_presentation(std::u32string_view s, std::size_t i)
{
    return is_variation_selector(static_cast<UChar32>(s[i])) && i > 0 &&
           has(static_cast<UChar32>(s[i - 1]), UCHAR_EMOJI);
}

// U+200D ZERO WIDTH JOINER between two pictographs makes one emoji of them
// (the rainbow flag, a family); between anything else it hides.
bool is_emoji_joiner(std::u32string_view s, std::size_t i)
{
    if (s[i] != 0x200D || i == 0 || i + 1 == s.size())
        return false;
    std::size_t before = i - 1;
    while (before > 0 && (is_variation_selector(static_cast<UChar32>(s[before])) ||
                          has(static_cast<UChar32>(s[before]), UCHAR_EMOJI_MODIFIER)))
        --before;
    return has(static_cast<UChar32>(s[before]), UCHAR_EXTENDED_PICTOGRAPHIC) &&
           has(static_cast<UChar32>(s[i + 1]), UCHAR_EXTENDED_PICTOGRAPHIC);
}

bool is_emoji_glue(std::u32string_view s, std::size_t i)
{
    return is_emoji_presentation(s, i) || is_emoji_joiner(s, i);
}

int joining_type(char32_t c)
{
    return u_getIntPropertyValue(static_cast<UChar32>(c), UCHAR_JOINING_TYPE);
}

bool after_virama(std::u32string_view s, std::size_t i)
{
    constexpr std::uint8_t virama = 9; // Canonical_Combining_Class=Virama
    return i > 0 && u_getCombiningClass(static_cast<UChar32>(s[i - 1])) == virama;
}

// U+200C ZERO WIDTH NON-JOINER and U+200D ZERO WIDTH JOINER where writing
// needs them, by IDNA's CONTEXTJ rules (RFC 5892, A.1 and A.2): either after
// a virama (Devanagari, Bengali, Malayalam, Sinhala) or, for the non-joiner,
// between two letters that would otherwise join (Persian writes "می‌خواهم"
// and many names so: an Arabic-script letter that joins on its left, then
// the non-joiner, then one that joins on its right; marks in between).
bool is_script_joiner(std::u32string_view s, std::size_t i)
{
    if (s[i] != 0x200C && s[i] != 0x200D)
        return false;
    if (after_virama(s, i))
        return true;
    if (s[i] != 0x200C)
        return false;
    std::size_t before = i;
    while (before > 0 && joining_type(s[before - 1]) == U_JT_TRANSPARENT)
        --before;
    std::size_t after = i + 1;
    while (after < s.size() && joining_type(s[after]) == U_JT_TRANSPARENT)
        ++after;
    if (before == 0 || after == s.size())
        return false;
    auto const left = joining_type(s[before - 1]);
    auto const right = joining_type(s[after]);
    return (left == U_JT_LEFT_JOINING || left == U_JT_DUAL_JOINING) &&
           (right == U_JT_RIGHT_JOINING || right == U_JT_DUAL_JOINING);
}

bool holds_invisible(std::u32string_view s)
{
    for (std::size_t i = 0; i < s.size(); ++i)
        if (is_invisible(static_cast<UChar32>(s[i])) && !is_emoji_glue(s, i) && !is_script_joiner(s, i))
            return true;
    return false;
}

// Non-spacing and enclosing marks stack over or under their letter and can
// run into the lines around it; spacing marks (Mc) take their own room.
bool is_stacking_mark(UChar32 c)
{
    return in_categories(c, U_GC_MN_MASK | U_GC_ME_MASK);
}

// Too many marks on one base character, the same mark twice on it, or a
// mark with no character before it to sit on.
bool piles_marks(std::u32string_view s, std::size_t max_marks)
{
    std::u32string on_this_base;
    bool base_seen = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (is_emoji_glue(s, i))
            continue;
        if (!is_stacking_mark(static_cast<UChar32>(s[i]))) {
            base_seen = true;
            on_this_base.clear();
            continue;
        }
        if (!base_seen || on_this_base.size() == max_marks || on_this_base.find(s[i]) != std::u32string::npos)
            return true;
        on_this_base.push_back(s[i]);
    }
    return false;
}

bool holds_letter_or_digit(std::u32string_view s)
{
    return std::any_of(s.begin(), s.end(),
                       [](char32_t c) { return in_categories(static_cast<UChar32>(c), U_GC_L_MASK | U_GC_N_MASK); });
}

bool mixes_scripts(icu::UnicodeString const& name)
{
    UErrorCode status = U_ZERO_ERROR;
    auto const failed = uspoof_check2(detail::unicode().spoof, name.getBuffer(), name.length(), nullptr, &status);
    return U_FAILURE(status) || (failed & USPOOF_RESTRICTION_LEVEL) != 0;
}

icu::UnicodeString trimmed(icu::UnicodeString const& text)
{
    int32_t begin = 0;
    int32_t end = text.length();
    while (begin < end && u_isUWhiteSpace(text.char32At(begin)))
        begin = text.moveIndex32(begin, 1);
    while (end > begin && u_isUWhiteSpace(text.char32At(text.moveIndex32(end, -1))))
        end = text.moveIndex32(end, -1);
    return icu::UnicodeString{text, begin, end - begin};
}

std::u32string code_points(icu::UnicodeString const& text)
{
    std::u32string out;
    for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1))
        out.push_back(static_cast<char32_t>(text.char32At(i)));
    return out;
}

// Marks are counted decomposed (NFD), as they are drawn: "ệ" is an e with
// two marks, whether it came precomposed or not.
icu::UnicodeString decomposed(icu::UnicodeString const& name)
{
    UErrorCode status = U_ZERO_ERROR;
    auto out = detail::unicode().nfd->normalize(name, status);
    return U_FAILURE(status) ? name : out;
}

name_refusal shape_refusal(icu::UnicodeString const& name, name_rules const& rules)
{
    auto const s = code_points(name);
    if (s.empty())
        return name_refusal::empty;
    if (s.size() > rules.max_code_points)
        return name_refusal::too_long;
    if (holds_invisible(s))
        return name_refusal::invisible;
    if (piles_marks(code_points(decomposed(name)), rules.max_marks))
        return name_refusal::too_many_marks;
    if (!holds_letter_or_digit(s) || !detail::has_shape(name))
        return name_refusal::no_letter;
    if (mixes_scripts(name))
        return name_refusal::mixed_scripts;
    return name_refusal::none;
}

} // namespace

checked_name check_name(std::string_view bytes, name_rules const& rules)
{
    if (!is_valid_utf8(bytes))
        return {{}, name_refusal::bad_utf8};
    // NFC joins a letter and its marks, so a name may shrink; not to a
    // quarter, though. Past that, refuse before any work.
    if (count_code_points(bytes) / 4 > rules.max_code_points)
        return {{}, name_refusal::too_long};
    UErrorCode status = U_ZERO_ERROR;
    auto const nfc = trimmed(detail::unicode().nfc->normalize(detail::from_utf8(bytes), status));
    if (U_FAILURE(status))
        return {{}, name_refusal::bad_utf8}; // ICU ran out of memory: the name could not be read
    auto const refusal = shape_refusal(nfc, rules);
    if (refusal != name_refusal::none)
        return {{}, refusal};
    return {detail::to_utf8(nfc), name_refusal::none};
}

std::string_view to_string(name_refusal why)
{
    switch (why) {
    case name_refusal::none: return "none";
    case name_refusal::bad_utf8: return "bad_utf8";
    case name_refusal::empty: return "empty";
    case name_refusal::too_long: return "too_long";
    case name_refusal::invisible: return "invisible";
    case name_refusal::too_many_marks: return "too_many_marks";
    case name_refusal::no_letter: return "no_letter";
    case name_refusal::mixed_scripts: return "mixed_scripts";
    case name_refusal::reserved: return "reserved";
    case name_refusal::imitates_staff: return "imitates_staff";
    }
    return "none";
}

std::string_view describe(name_refusal why)
{
    switch (why) {
    case name_refusal::none: return "the name is fine";
    case name_refusal::bad_utf8: return "the name is not valid UTF-8";
    case name_refusal::empty: return "the name is empty";
    case name_refusal::too_long: return "the name is too long";
    case name_refusal::invisible: return "the name holds invisible or control characters";
    case name_refusal::too_many_marks: return "the name piles too many accents or marks on one letter";
    case name_refusal::no_letter: return "the name needs at least one letter or digit";
    case name_refusal::mixed_scripts: return "the name mixes alphabets in a way that can deceive";
    case name_refusal::reserved: return "the name claims a role such as moderator or admin";
    case name_refusal::imitates_staff: return "the name looks like the name of a moderator in this circle";
    }
    return "the name cannot be used";
}

} // namespace kring::protocol
