#pragma once

#include <string>
#include <vector>

namespace kring {

// `kring ban list|lift`: the bans in force, and ending one early. A running
// server takes a lifted ban up within a minute. Returns the exit code.
int ban_command(std::vector<std::string> const& args);

} // namespace kring
