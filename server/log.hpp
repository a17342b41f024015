#pragma once

#include <exception>
#include <functional>
#include <string>
#include <string_view>

// One line per event on standard error, with a UTC timestamp. Callers never
// pass message text or addresses: Kring's logs hold no one's words.
namespace kring::log {

void info(std::string_view line);
void warn(std::string_view line);
void error(std::string_view line);

// The completion handler every co_spawn gets: an exception that escapes the
// coroutine `what` is logged, never swallowed.
std::function<void(std::exception_ptr)> on_exception(std::string what);

} // namespace kring::log
