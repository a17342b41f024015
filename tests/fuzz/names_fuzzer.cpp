// Fuzzes the display-name checks through their public functions only
// (protocol/include/kring/protocol/text.hpp), so that the target outlives a
// rewrite of their insides. The input is a limit and up to two names:
//   byte 0       the limit in code points, 1 to 64
//   the rest     a name, or two names split by a 0xFF byte (never UTF-8)
// Names reach the checks as the parser hands them on: valid UTF-8, trimmed.
#include "fuzz_check.hpp"

#include <kring/protocol/text.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace {

namespace protocol = kring::protocol;

// Each code point of valid UTF-8, for the checks' own promises.
template <class F>
void each_code_point(std::string_view s, F f)
{
    while (!s.empty()) {
        auto const lead = static_cast<unsigned char>(s[0]);
        std::size_t const length = lead < 0x80u ? 1 : lead < 0xE0u ? 2 : lead < 0xF0u ? 3 : 4;
        char32_t c = length == 1 ? lead : lead & (0x7Fu >> length);
        for (std::size_t i = 1; i < length; ++i)
            c = (c << 6) | (static_cast<unsigned char>(s[i]) & 0x3Fu);
        f(c);
        s.remove_prefix(length);
    }
}

// Checks one name as `join` does; the trimmed name when a member may take it.
std::optional<std::string> check_one(std::string_view raw, std::size_t limit)
{
    auto const name = protocol::trim(raw);
    KRING_FUZZ_CHECK(protocol::is_valid_utf8(name));
    KRING_FUZZ_CHECK(protocol::trim(name) == name);
    auto const verdict = protocol::check_name(name, limit);
    KRING_FUZZ_CHECK((verdict == protocol::name_check::empty) == name.empty());
    if (verdict == protocol::name_check::too_long)
        KRING_FUZZ_CHECK(protocol::count_code_points(name) > limit);
    if (verdict != protocol::name_check::ok)
        return std::nullopt;
    // A name let through keeps the limit and holds no refused character.
    KRING_FUZZ_CHECK(protocol::count_code_points(name) <= limit);
    each_code_point(name, [](char32_t c) { KRING_FUZZ_CHECK(!protocol::is_refused_in_name(c)); });
    // What a room does with it next.
    auto const skeleton = protocol::name_skeleton(name);
    KRING_FUZZ_CHECK(protocol::is_valid_utf8(skeleton));
    KRING_FUZZ_CHECK(protocol::names_look_alike(name, name) == !skeleton.empty());
    static_cast<void>(protocol::is_reserved_name(name));
    return name;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    if (size == 0)
        return 0;
    std::size_t const limit = 1 + data[0] % 64;
    std::string_view const rest{reinterpret_cast<char const*>(data + 1), size - 1};
    auto const split = rest.find('\xFF');
    auto const first = rest.substr(0, split);
    auto const second = split == std::string_view::npos ? std::string_view{} : rest.substr(split + 1);
    if (!protocol::is_valid_utf8(first) || !protocol::is_valid_utf8(second))
        return 0; // the parser refuses such a frame before any name is read
    auto const a = check_one(first, limit);
    auto const b = check_one(second, limit);
    if (a && b)
        KRING_FUZZ_CHECK(protocol::names_look_alike(*a, *b) == protocol::names_look_alike(*b, *a));
    return 0;
}
