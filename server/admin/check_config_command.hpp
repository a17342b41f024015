#pragma once

#include <string>
#include <vector>

namespace kring {

// `kring check-config FILE`: reads the config file as `kring serve --config`
// would and says what is wrong, each problem naming its line and key.
// Returns 0 when it is fine, 1 when not, 2 for bad arguments.
int check_config_command(std::vector<std::string> const& args);

} // namespace kring
