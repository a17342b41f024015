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

// Message text may hold no controls other than tab and newline.
bool holds_refused_text_character(std::string_view text);

// Display names: kring/protocol/names.hpp.

} // namespace kring::protocol
