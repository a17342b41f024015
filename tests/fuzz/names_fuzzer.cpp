// Fuzzes the display-name checks through their public functions only
// (protocol/include/kring/protocol/names.hpp), so that the target outlives a
// rewrite of their insides. The input is the rules and up to two names:
//   byte 0       the length limit in code points, 1 to 64 (its low six bits),
//                and the cap on marks per character (its top two: 4, the
//                default, then 0, 2 or 8)
//   the rest     a name, or two names split by a 0xFF byte (never UTF-8)
// The names are raw bytes, as check_name takes them: valid UTF-8 or not.
#include "fuzz_check.hpp"

#include <kring/protocol/names.hpp>
#include <kring/protocol/text.hpp>

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace {

namespace protocol = kring::protocol;
using protocol::name_refusal;

// The length of the bytes in NFC, in code points, straight from ICU.
std::size_t nfc_length(std::string_view utf8)
{
    UErrorCode status = U_ZERO_ERROR;
    auto const* nfc = icu::Normalizer2::getNFCInstance(status);
    KRING_FUZZ_CHECK(U_SUCCESS(status));
    auto const text = icu::UnicodeString::fromUTF8(icu::StringPiece{utf8.data(), static_cast<int32_t>(utf8.size())});
    auto const normal = nfc->normalize(text, status);
    KRING_FUZZ_CHECK(U_SUCCESS(status));
    return static_cast<std::size_t>(normal.countChar32());
}

// Checks one name as `join` does; the name a member may take, if any.
std::optional<std::string> check_one(std::string_view raw, protocol::name_rules const& rules)
{
    auto const verdict = protocol::check_name(raw, rules);
    bool const utf8 = protocol::is_valid_utf8(raw);
    KRING_FUZZ_CHECK((verdict.refusal == name_refusal::bad_utf8) == !utf8);
    KRING_FUZZ_CHECK(!protocol::to_string(verdict.refusal).empty());
    KRING_FUZZ_CHECK(!protocol::describe(verdict.refusal).empty());
    // White space alone is `empty`, unless there is so much of it that the
    // name is refused as too long before it is read.
    if (utf8 && protocol::trim(raw).empty())
        KRING_FUZZ_CHECK(verdict.refusal == name_refusal::empty || verdict.refusal == name_refusal::too_long);
    // Too long after NFC, which can lengthen a name (U+095B is U+091C
    // U+093C: found by this target), or so long that it is refused unread.
    if (verdict.refusal == name_refusal::too_long)
        KRING_FUZZ_CHECK(nfc_length(raw) > rules.max_code_points ||
                         protocol::count_code_points(raw) / 4 > rules.max_code_points);
    // check_name judges raw bytes; staff and role words are judged apart.
    KRING_FUZZ_CHECK(verdict.refusal != name_refusal::reserved && verdict.refusal != name_refusal::imitates_staff);
    if (!verdict.ok()) {
        KRING_FUZZ_CHECK(verdict.name.empty());
        return std::nullopt;
    }
    // A name let through is UTF-8, trimmed, within the limit, and already in
    // the form the server keeps: checking it again changes nothing.
    auto const& name = verdict.name;
    KRING_FUZZ_CHECK(protocol::is_valid_utf8(name));
    KRING_FUZZ_CHECK(protocol::trim(name) == name);
    KRING_FUZZ_CHECK(protocol::count_code_points(name) <= rules.max_code_points);
    auto const again = protocol::check_name(name, rules);
    KRING_FUZZ_CHECK(again.ok() && again.name == name);
    // What a room does with it next. A name holds a letter or digit, so it
    // always looks like itself.
    KRING_FUZZ_CHECK(protocol::names_look_alike(name, name));
    static_cast<void>(protocol::is_reserved_name(name));
    return name;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if (size == 0)
        return 0;
    constexpr std::size_t marks[] = {4, 0, 2, 8};
    protocol::name_rules const rules{.max_code_points = 1u + (data[0] & 63u), .max_marks = marks[data[0] >> 6u]};
    std::string_view const rest{reinterpret_cast<char const*>(data + 1), size - 1};
    auto const split = rest.find('\xFF');
    auto const first = rest.substr(0, split);
    auto const second = split == std::string_view::npos ? std::string_view{} : rest.substr(split + 1);
    auto const a = check_one(first, rules);
    auto const b = check_one(second, rules);
    if (a && b)
        KRING_FUZZ_CHECK(protocol::names_look_alike(*a, *b) == protocol::names_look_alike(*b, *a));
    // Roles and look-alikes take any bytes, not only names let through.
    static_cast<void>(protocol::is_reserved_name(first));
    static_cast<void>(protocol::names_look_alike(first, second));
    return 0;
}
