// Names that pass for others: a moderator's, or a role's. Both are judged on
// UTS #39 confusable skeletons (ICU's uspoof_getSkeleton), with case, marks,
// spaces and punctuation set aside, since a reader sets them aside too.
#include <kring/protocol/names.hpp>

#include "reserved_words.hpp"
#include "unicode_tools.hpp"

#include <unicode/locid.h>
#include <unicode/uchar.h>

#include <algorithm>
#include <vector>

namespace kring::protocol {
namespace {

using icu::UnicodeString;

// What a reader goes by: letters and digits. Marks, spaces, punctuation,
// symbols and lengthening marks (the Arabic tatweel in "مـشـرف") go.
bool counts_for_shape(UChar32 c)
{
    bool const letter_or_digit = (static_cast<std::uint32_t>(U_GET_GC_MASK(c)) & (U_GC_L_MASK | U_GC_N_MASK)) != 0;
    return letter_or_digit && !u_hasBinaryProperty(c, UCHAR_EXTENDER);
}

UnicodeString letters_only(UnicodeString const& text)
{
    UErrorCode status = U_ZERO_ERROR;
    auto const decomposed = detail::unicode().nfd->normalize(text, status);
    UnicodeString out;
    for (int32_t i = 0; i < decomposed.length(); i = decomposed.moveIndex32(i, 1))
        if (counts_for_shape(decomposed.char32At(i)))
            out.append(decomposed.char32At(i));
    return out;
}

UnicodeString skeleton(UnicodeString const& text)
{
    UErrorCode status = U_ZERO_ERROR;
    UnicodeString out;
    uspoof_getSkeletonUnicodeString(detail::unicode().spoof, 0, text, out, &status);
    return U_FAILURE(status) ? text : out;
}

UnicodeString folded(UnicodeString const& text)
{
    UErrorCode status = U_ZERO_ERROR;
    auto out = detail::unicode().nfkc_casefold->normalize(text, status);
    return U_FAILURE(status) ? text : out;
}

// Two shapes, because the confusables of UTS #39 are case-sensitive: a
// capital I passes for a small l ("SamueI"), while "ADMIN" must still read as
// "admin". `blind` folds case (and width: "ＡＤＭＩＮ") before the skeleton
// and after it (the skeleton writes a digit 0 as a capital O); `cased` is the
// skeleton as UTS #39 defines it.
struct shape {
    std::string blind;
    std::string cased;
};

shape shape_of(UnicodeString const& text)
{
    return {detail::to_utf8(letters_only(folded(skeleton(folded(text))))),
            detail::to_utf8(letters_only(skeleton(text)))};
}

// The words of a name: its runs of letters, digits and marks (and format
// characters, which hide inside a word rather than part it).
std::vector<UnicodeString> words_of(UnicodeString const& text)
{
    constexpr std::uint32_t in_word = U_GC_L_MASK | U_GC_N_MASK | U_GC_M_MASK | U_GC_CF_MASK;
    std::vector<UnicodeString> words;
    UnicodeString word;
    for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
        auto const c = text.char32At(i);
        if ((static_cast<std::uint32_t>(U_GET_GC_MASK(c)) & in_word) != 0) {
            word.append(c);
        } else if (!word.isEmpty()) {
            words.push_back(word);
            word.remove();
        }
    }
    if (!word.isEmpty())
        words.push_back(word);
    return words;
}

struct reserved_shape {
    std::string text;
    bool inside_words;
};

// Each reserved word as it may be written: case-blind, and case-kept in
// lower and in upper case ("ADMlN" with a small l passes for "ADMIN").
std::vector<reserved_shape> build_reserved_shapes()
{
    std::vector<reserved_shape> shapes;
    auto add = [&](std::string text, bool inside_words) {
        bool const known = std::any_of(shapes.begin(), shapes.end(), [&](reserved_shape const& s) {
            return s.text == text && s.inside_words == inside_words;
        });
        if (!text.empty() && !known)
            shapes.push_back({std::move(text), inside_words});
    };
    for (auto const& word : detail::reserved_words) {
        auto const text = detail::from_utf8(word.text);
        auto const lower = shape_of(text);
        auto upper = text;
        upper.toUpper(icu::Locale::getRoot());
        add(lower.blind, word.inside_words);
        add(lower.cased, word.inside_words);
        add(shape_of(upper).cased, word.inside_words);
    }
    return shapes;
}

std::vector<reserved_shape> const& reserved_shapes()
{
    static std::vector<reserved_shape> const shapes = build_reserved_shapes();
    return shapes;
}

bool claims(shape const& s, reserved_shape const& reserved, bool whole_name)
{
    for (auto const* text : {&s.blind, &s.cased}) {
        if (*text == reserved.text)
            return true;
        if (!whole_name && reserved.inside_words && text->find(reserved.text) != std::string::npos)
            return true;
    }
    return false;
}

} // namespace

bool is_reserved_name(std::string_view name)
{
    auto const text = detail::from_utf8(name);
    // The whole name squeezed together ("m o d e r a t o r"), and each word
    // on its own, so that "TheModerator" is caught while "Ahmad Mina" is not
    // taken for "admin".
    auto const whole = shape_of(text);
    std::vector<shape> words;
    for (auto const& word : words_of(text))
        words.push_back(shape_of(word));
    return std::any_of(reserved_shapes().begin(), reserved_shapes().end(), [&](reserved_shape const& reserved) {
        return claims(whole, reserved, true) ||
               std::any_of(words.begin(), words.end(), [&](shape const& w) { return claims(w, reserved, false); });
    });
}

bool detail::has_shape(UnicodeString const& name)
{
    auto const s = shape_of(name);
    return !s.blind.empty() || !s.cased.empty();
}

bool names_look_alike(std::string_view a, std::string_view b)
{
    auto const first = shape_of(detail::from_utf8(a));
    auto const second = shape_of(detail::from_utf8(b));
    return (!first.blind.empty() && first.blind == second.blind) ||
           (!first.cased.empty() && first.cased == second.cased);
}

std::string name_key(std::string_view name)
{
    auto const& nfc = *detail::unicode().nfc;
    UErrorCode status = U_ZERO_ERROR;
    auto composed = nfc.normalize(detail::from_utf8(name), status);
    composed.foldCase(U_FOLD_CASE_DEFAULT);
    auto const key = nfc.normalize(composed, status);
    return U_FAILURE(status) ? std::string{name} : detail::to_utf8(key);
}

} // namespace kring::protocol
