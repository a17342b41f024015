#pragma once

#include <cstddef>
#include <string>
#include <string_view>

// UTF-8 checks for what people type: Kring counts lengths in code points,
// because a limit in bytes would give an Arabic or Tigrinya speaker half the
// room an English speaker gets.
namespace kring::protocol {

bool is_valid_utf8(std::string_view text);

// Number of code points in valid UTF-8.
std::size_t count_code_points(std::string_view text);

// True when the text holds nothing but white space (Unicode spaces included).
bool is_blank(std::string_view text);

// Removes leading and trailing white space (valid UTF-8 in, valid UTF-8 out).
std::string trim(std::string_view text);

// Characters a display name may not hold: controls, zero-width characters and
// bidirectional controls, which can hide or reorder a name on screen.
bool is_refused_in_name(char32_t c);

// Message text may hold no controls other than tab and newline.
bool holds_refused_text_character(std::string_view text);

enum class name_check { ok, empty, too_long, refused_character };

// Checks an already trimmed display name.
name_check check_name(std::string_view name, std::size_t max_code_points);

// The shape of a name as a reader sees it: case folded, accents, spaces and
// punctuation dropped, and letters that look alike (Cyrillic "а", digit "0",
// "rn" for "m") mapped to one Latin letter.
std::string name_skeleton(std::string_view name);

// True when two names would pass for each other on screen.
bool names_look_alike(std::string_view a, std::string_view b);

// True when a name claims a role: "moderator" or "admin" in one of the
// languages of Kring's circles, however it is disguised.
bool is_reserved_name(std::string_view name);

} // namespace kring::protocol
