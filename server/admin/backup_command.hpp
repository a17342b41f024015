#pragma once

#include <string>
#include <vector>

namespace kring {

// `kring backup FILE`: a consistent copy of the database while the server
// runs. `kring restore FILE`: puts a checked backup in place of the database
// of a stopped server. Each finds the database by --db or by the config file
// of --config. Return the exit code: 2 for bad arguments, 1 when it can't.
int backup_command(std::vector<std::string> const& args);
int restore_command(std::vector<std::string> const& args);

} // namespace kring
