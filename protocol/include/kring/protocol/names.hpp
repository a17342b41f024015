#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// Display names, judged by Unicode's own rules through ICU: NFC
// normalisation, the UTS #39 restriction levels and confusable skeletons, and
// the character properties (default-ignorable, general category) instead of
// lists of our own. Every function here is pure, thread-safe and never
// throws, whatever bytes it is given: a fuzzer may call each one directly.
namespace kring::protocol {

// Why a display name was refused. The string forms (to_string) are the
// `reason` of the error frame, documented in protocol/README.md; clients
// match on them, so never rename one.
enum class name_refusal {
    none,
    bad_utf8,       // not UTF-8 (a JSON string always is; for callers of raw bytes)
    empty,          // nothing left once white space is trimmed
    too_long,       // more code points (after NFC) than allowed
    invisible,      // a control, format, default-ignorable, private-use, unassigned or blank character
    too_many_marks, // more combining marks on one character than allowed, one mark twice, or a mark on nothing
    no_letter,      // not one letter or digit
    mixed_scripts,  // scripts mixed beyond UTS #39's "moderately restrictive" level
    reserved,       // claims a role: "moderator", "admin", "Kring"... in one of many languages
    imitates_staff, // would pass for a moderator or admin present in the circle
};

std::string_view to_string(name_refusal why);

// A short English explanation for people; programs use to_string.
std::string_view describe(name_refusal why);

struct name_rules {
    std::size_t max_code_points = 32; // in the NFC form, once trimmed
    std::size_t max_marks = 4;        // non-spacing and enclosing marks on one base character, in NFD
};

struct checked_name {
    std::string name;                          // NFC and trimmed; empty unless accepted
    name_refusal refusal = name_refusal::none; // the first rule the name broke
    bool ok() const { return refusal == name_refusal::none; }
};

// Checks what a participant sent as a display name, from raw bytes: UTF-8,
// NFC, trimmed, length, invisible characters, combining marks, at least one
// letter or digit, and mixed scripts. Roles and staff are judged apart
// (is_reserved_name, names_look_alike), since they depend on who asks and who
// is present. Input far past the length limit is refused before any
// normalisation, so the work per call is bounded.
checked_name check_name(std::string_view bytes, name_rules const& rules = {});

// True when the name claims a role: "moderator", "admin", "staff", "host",
// "facilitator", "Kring"... in the languages of Kring's circles and their
// neighbours, however it is disguised with look-alike letters, case, accents,
// spaces or punctuation. Long role words count inside a word ("TheModerator",
// "المشرف"), short ones only as a whole word ("Staff" but not "Stafford").
bool is_reserved_name(std::string_view name);

// True when two names would pass for each other on screen: the same UTS #39
// confusable skeleton once case, marks, spaces and punctuation are set aside.
bool names_look_alike(std::string_view a, std::string_view b);

// The form in which two display names of one circle are compared, so that no
// two members go by the same name: NFC, Unicode's full case folding (ICU's
// foldCase: "AMAL" is "amal", "STRASSE" is "straße"), and NFC again. Names
// that merely look alike stay apart here; staff look-alikes are judged by
// names_look_alike.
std::string name_key(std::string_view name);

} // namespace kring::protocol
