#include <kring/protocol/text.hpp>

#include <algorithm>
#include <optional>

namespace kring::protocol {
namespace {

struct decoded {
    char32_t code_point;
    std::size_t length;
};

// Decodes one code point at the front of valid or invalid UTF-8; rejects
// overlong forms, surrogates and values past U+10FFFF.
std::optional<decoded> decode(std::string_view s)
{
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    auto continuation = [&](std::size_t i) { return i < s.size() && (byte(i) & 0xC0u) == 0x80u; };

    unsigned char const lead = byte(0);
    if (lead < 0x80u)
        return decoded{lead, 1};
    if (lead >= 0xC2u && lead <= 0xDFu) {
        if (!continuation(1))
            return std::nullopt;
        return decoded{static_cast<char32_t>(((lead & 0x1Fu) << 6) | (byte(1) & 0x3Fu)), 2};
    }
    if (lead >= 0xE0u && lead <= 0xEFu) {
        if (!continuation(1) || !continuation(2))
            return std::nullopt;
        char32_t const c = ((lead & 0x0Fu) << 12) | ((byte(1) & 0x3Fu) << 6) | (byte(2) & 0x3Fu);
        if (c < 0x800u || (c >= 0xD800u && c <= 0xDFFFu))
            return std::nullopt;
        return decoded{c, 3};
    }
    if (lead >= 0xF0u && lead <= 0xF4u) {
        if (!continuation(1) || !continuation(2) || !continuation(3))
            return std::nullopt;
        char32_t const c = ((lead & 0x07u) << 18) | ((byte(1) & 0x3Fu) << 12) |
                           ((byte(2) & 0x3Fu) << 6) | (byte(3) & 0x3Fu);
        if (c < 0x10000u || c > 0x10FFFFu)
            return std::nullopt;
        return decoded{c, 4};
    }
    return std::nullopt;
}

// Calls f(code_point) for each code point; false if the text is not UTF-8.
template <class F>
bool for_each_code_point(std::string_view text, F&& f)
{
    while (!text.empty()) {
        auto const d = decode(text);
        if (!d)
            return false;
        if (!f(d->code_point))
            return true;
        text.remove_prefix(d->length);
    }
    return true;
}

bool is_space(char32_t c)
{
    return c == U' ' || (c >= U'\t' && c <= U'\r') || c == 0x85u || c == 0xA0u || c == 0x1680u ||
           (c >= 0x2000u && c <= 0x200Au) || c == 0x2028u || c == 0x2029u || c == 0x202Fu ||
           c == 0x205Fu || c == 0x3000u;
}

bool is_control(char32_t c)
{
    return c < 0x20u || (c >= 0x7Fu && c <= 0x9Fu);
}

} // namespace

bool is_valid_utf8(std::string_view text)
{
    return for_each_code_point(text, [](char32_t) { return true; });
}

std::size_t count_code_points(std::string_view text)
{
    std::size_t count = 0;
    for (char const c : text)
        if ((static_cast<unsigned char>(c) & 0xC0u) != 0x80u)
            ++count;
    return count;
}

bool is_blank(std::string_view text)
{
    bool blank = true;
    for_each_code_point(text, [&](char32_t c) {
        blank = is_space(c);
        return blank;
    });
    return blank;
}

std::string trim(std::string_view text)
{
    std::size_t begin = text.size();
    std::size_t end = 0;
    std::size_t offset = 0;
    for_each_code_point(text, [&](char32_t c) {
        std::size_t const length = decode(text.substr(offset))->length;
        if (!is_space(c)) {
            begin = std::min(begin, offset);
            end = offset + length;
        }
        offset += length;
        return true;
    });
    if (begin >= end)
        return {};
    return std::string{text.substr(begin, end - begin)};
}

bool holds_refused_text_character(std::string_view text)
{
    bool refused = false;
    for_each_code_point(text, [&](char32_t c) {
        refused = is_control(c) && c != U'\n' && c != U'\t';
        return !refused;
    });
    return refused;
}

} // namespace kring::protocol
