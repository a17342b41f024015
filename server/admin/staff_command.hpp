#pragma once

#include <string>
#include <vector>

namespace kring {

// `kring moderator add|list|assign|disable|enable|reset-password`: manages
// moderators and admins in the database, also while the server runs.
// Returns the exit code.
int staff_command(std::vector<std::string> const& args);

} // namespace kring
