#pragma once

#include <string>
#include <vector>

namespace kring {

// `kring org add|edit|about|list`: the organisations that host circles, as
// the directory shows them. Returns the exit code.
int organisation_command(std::vector<std::string> const& args);

} // namespace kring
