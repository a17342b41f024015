#pragma once

#include <string>
#include <vector>

namespace kring {

// `kring room add|edit|archive|list`: manages circles in the database, also while the
// server runs. Returns the exit code.
int room_command(std::vector<std::string> const& args);

} // namespace kring
