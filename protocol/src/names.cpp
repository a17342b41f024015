#include <kring/protocol/text.hpp>

#include <array>
#include <string_view>
#include <utility>
#include <vector>

namespace kring::protocol {
namespace {

// Decodes valid UTF-8 one code point at a time (names are checked before).
char32_t next_code_point(std::string_view& s)
{
    auto const lead = static_cast<unsigned char>(s[0]);
    std::size_t length = lead < 0x80u ? 1 : lead < 0xE0u ? 2 : lead < 0xF0u ? 3 : 4;
    length = std::min(length, s.size());
    char32_t c = length == 1 ? lead : lead & (0x7Fu >> length);
    for (std::size_t i = 1; i < length; ++i)
        c = (c << 6) | (static_cast<unsigned char>(s[i]) & 0x3Fu);
    s.remove_prefix(length);
    return c;
}

void append_utf8(std::string& out, char32_t c)
{
    if (c < 0x80u) {
        out.push_back(static_cast<char>(c));
    } else if (c < 0x800u) {
        out.push_back(static_cast<char>(0xC0u | (c >> 6)));
        out.push_back(static_cast<char>(0x80u | (c & 0x3Fu)));
    } else if (c < 0x10000u) {
        out.push_back(static_cast<char>(0xE0u | (c >> 12)));
        out.push_back(static_cast<char>(0x80u | ((c >> 6) & 0x3Fu)));
        out.push_back(static_cast<char>(0x80u | (c & 0x3Fu)));
    } else {
        out.push_back(static_cast<char>(0xF0u | (c >> 18)));
        out.push_back(static_cast<char>(0x80u | ((c >> 12) & 0x3Fu)));
        out.push_back(static_cast<char>(0x80u | ((c >> 6) & 0x3Fu)));
        out.push_back(static_cast<char>(0x80u | (c & 0x3Fu)));
    }
}

// Letters from other scripts, digits and symbols that pass for Latin ones.
constexpr std::array<std::pair<char32_t, char>, 74> look_alikes{{
    {U'0', 'o'}, {U'1', 'l'}, {U'3', 'e'}, {U'4', 'a'}, {U'5', 's'}, {U'7', 't'}, {U'8', 'b'},
    {U'@', 'a'}, {U'$', 's'}, {U'|', 'l'}, {U'!', 'l'}, {U'i', 'l'},
    // Cyrillic
    {U'а', 'a'}, {U'в', 'b'}, {U'е', 'e'}, {U'ё', 'e'}, {U'к', 'k'}, {U'м', 'm'}, {U'н', 'h'},
    {U'о', 'o'}, {U'р', 'p'}, {U'с', 'c'}, {U'т', 't'}, {U'у', 'y'}, {U'х', 'x'}, {U'і', 'l'},
    {U'ј', 'j'}, {U'ѕ', 's'}, {U'ԁ', 'd'}, {U'ԛ', 'q'}, {U'ԝ', 'w'}, {U'А', 'a'}, {U'В', 'b'},
    {U'Е', 'e'}, {U'К', 'k'}, {U'М', 'm'}, {U'Н', 'h'}, {U'О', 'o'}, {U'Р', 'p'}, {U'С', 'c'},
    {U'Т', 't'}, {U'Х', 'x'}, {U'У', 'y'}, {U'І', 'l'}, {U'Ј', 'j'}, {U'Ѕ', 's'},
    // Greek
    {U'α', 'a'}, {U'ο', 'o'}, {U'ρ', 'p'}, {U'ν', 'v'}, {U'τ', 't'}, {U'κ', 'k'}, {U'ι', 'l'},
    {U'Α', 'a'}, {U'Β', 'b'}, {U'Ε', 'e'}, {U'Ζ', 'z'}, {U'Η', 'h'}, {U'Ι', 'l'}, {U'Κ', 'k'},
    {U'Μ', 'm'}, {U'Ν', 'n'}, {U'Ο', 'o'}, {U'Ρ', 'p'}, {U'Τ', 't'}, {U'Υ', 'y'}, {U'Χ', 'x'},
    {U'ε', 'e'}, {U'υ', 'u'}, {U'ω', 'w'}, {U'ϲ', 'c'}, {U'ı', 'l'}, {U'ɑ', 'a'}, {U'ℓ', 'l'},
}};

// Latin-1 letters without their accents, from U+00C0.
constexpr std::string_view latin1_bases = "aaaaaaaceeeeiiiidnooooo*ouuuuyts"
                                          "aaaaaaaceeeeiiiidnooooo/ouuuuyty";

char32_t fold(char32_t c)
{
    if (c >= U'A' && c <= U'Z')
        c = c - U'A' + U'a';
    if (c >= 0xFF21u && c <= 0xFF3Au) // fullwidth
        c = c - 0xFF21u + U'a';
    if (c >= 0xFF41u && c <= 0xFF5Au)
        c = c - 0xFF41u + U'a';
    if (c >= 0x410u && c <= 0x42Fu) // Cyrillic capitals
        c += 0x20u;
    if (c >= 0x400u && c <= 0x40Fu)
        c += 0x50u;
    if (c >= 0x391u && c <= 0x3A9u && c != 0x3A2u) // Greek capitals
        c += 0x20u;
    if (c >= 0xC0u && c <= 0xFFu)
        c = static_cast<unsigned char>(latin1_bases[c - 0xC0u]);
    for (auto const& [from, to] : look_alikes)
        if (c == from)
            return static_cast<unsigned char>(to);
    return c;
}

bool is_dropped(char32_t c)
{
    bool const ascii_punctuation = c < 0x80u && !((c >= U'a' && c <= U'z') || (c >= U'0' && c <= U'9'));
    bool const combining = (c >= 0x300u && c <= 0x36Fu) || (c >= 0x64Bu && c <= 0x65Fu); // accents, Arabic harakat
    bool const tatweel = c == 0x640u;
    return ascii_punctuation || combining || tatweel || is_refused_in_name(c) || c == 0xA0u || c == 0x3000u;
}

void replace_all(std::string& s, std::string_view from, std::string_view to)
{
    for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
}

} // namespace

std::string name_skeleton(std::string_view name)
{
    std::string out;
    while (!name.empty()) {
        char32_t const c = fold(next_code_point(name));
        if (!is_dropped(c))
            append_utf8(out, c);
    }
    replace_all(out, "rn", "m");
    replace_all(out, "vv", "w");
    replace_all(out, "\xDB\x8C", "\xD9\x8A"); // Persian yeh as Arabic yeh
    return out;
}

bool names_look_alike(std::string_view a, std::string_view b)
{
    auto const skeleton = name_skeleton(a);
    return !skeleton.empty() && skeleton == name_skeleton(b);
}

bool is_reserved_name(std::string_view name)
{
    static constexpr std::array<std::string_view, 12> reserved{
        "moderator", "moderateur", "moderatrice", "admin", "beheerder",
        "модератор", "адмін", "админ", // Ukrainian, Russian
        "مشرف", "مدير",              // Arabic; Persian مدیر folds to the same
        "ناظر",                       // Persian: supervisor
        "ኣመሓዳሪ",                    // Tigrinya: administrator
    };
    // Inside each word, so that "Ahmad Mina" is not read as "admin" while
    // "TheModerator" and "المشرف" are caught; and the whole name squeezed
    // together, so that "m o d e r a t o r" is too.
    std::vector<std::string> shapes{name_skeleton(name)};
    std::string word;
    auto flush = [&] {
        if (!word.empty())
            shapes.push_back(name_skeleton(word));
        word.clear();
    };
    for (char const c : name) {
        bool const separator = c == ' ' || c == '-' || c == '_' || c == '.' || c == ',' || c == '\'';
        if (separator)
            flush();
        else
            word.push_back(c);
    }
    flush();
    for (auto const word_shape : reserved) {
        auto const reserved_shape = name_skeleton(word_shape);
        if (shapes.front() == reserved_shape)
            return true;
        for (std::size_t i = 1; i < shapes.size(); ++i)
            if (shapes[i].find(reserved_shape) != std::string::npos)
                return true;
    }
    return false;
}

} // namespace kring::protocol
