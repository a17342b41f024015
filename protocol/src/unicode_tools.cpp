#include "unicode_tools.hpp"

#include <unicode/stringpiece.h>
#include <unicode/utypes.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace kring::protocol::detail {
namespace {

[[noreturn]] void give_up(char const* what, UErrorCode status)
{
    std::fprintf(stderr, "kring: ICU could not %s (%s); display names cannot be checked\n", what,
                 u_errorName(status));
    std::abort();
}

// Owns the checker for the life of the process.
struct owned_tools {
    icu::LocalUSpoofCheckerPointer checker;
    unicode_tools tools;
};

owned_tools build()
{
    owned_tools owned;
    UErrorCode status = U_ZERO_ERROR;
    owned.tools.nfc = icu::Normalizer2::getNFCInstance(status);
    owned.tools.nfd = icu::Normalizer2::getNFDInstance(status);
    owned.tools.nfkc_casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
    if (U_FAILURE(status))
        give_up("load its normalisation data", status);
    owned.checker.adoptInstead(uspoof_open(&status));
    // Only the restriction level is checked with uspoof_check2; skeletons
    // (uspoof_getSkeleton) do not depend on the checks chosen.
    uspoof_setChecks(owned.checker.getAlias(), USPOOF_RESTRICTION_LEVEL, &status);
    uspoof_setRestrictionLevel(owned.checker.getAlias(), USPOOF_MODERATELY_RESTRICTIVE);
    if (U_FAILURE(status))
        give_up("open its spoof checker", status);
    owned.tools.spoof = owned.checker.getAlias();
    return owned;
}

} // namespace

unicode_tools const& unicode()
{
    static owned_tools const owned = build();
    return owned.tools;
}

icu::UnicodeString from_utf8(std::string_view text)
{
    auto const length = std::min<std::size_t>(text.size(), INT32_MAX); // far past any name's limit
    return icu::UnicodeString::fromUTF8(icu::StringPiece{text.data(), static_cast<int32_t>(length)});
}

std::string to_utf8(icu::UnicodeString const& text)
{
    std::string out;
    text.toUTF8String(out);
    return out;
}

} // namespace kring::protocol::detail
