#pragma once

#include <string_view>

// One line per event on standard error, with a UTC timestamp. Callers never
// pass message text or addresses: Kring's logs hold no one's words.
namespace kring::log {

void info(std::string_view line);
void warn(std::string_view line);
void error(std::string_view line);

} // namespace kring::log
