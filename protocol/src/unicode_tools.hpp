#pragma once

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <unicode/uspoof.h>

#include <string>
#include <string_view>

// ICU's objects that the name checks share, built once on first use. ICU
// documents a Normalizer2 instance, and a USpoofChecker no longer being
// configured, as safe to use from many threads at once.
namespace kring::protocol::detail {

struct unicode_tools {
    icu::Normalizer2 const* nfc = nullptr;
    icu::Normalizer2 const* nfd = nullptr;
    icu::Normalizer2 const* nfkc_casefold = nullptr;
    USpoofChecker const* spoof = nullptr; // checks the restriction level: moderately restrictive
};

// Built by the first caller (a function-local static: thread-safe). Should
// ICU's data be missing, Kring cannot judge names at all: it says so on
// stderr and aborts rather than let every name through.
unicode_tools const& unicode();

// Valid or invalid UTF-8 in (invalid sequences become U+FFFD), UTF-16 out.
icu::UnicodeString from_utf8(std::string_view text);
std::string to_utf8(icu::UnicodeString const& text);

// True when the name has something a reader goes by once look-alikes,
// marks, lengthening marks and punctuation are set aside: what
// names_look_alike compares (name_likeness.cpp).
bool has_shape(icu::UnicodeString const& name);

} // namespace kring::protocol::detail
