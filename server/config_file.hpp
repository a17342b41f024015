#pragma once

#include "config.hpp"

#include <filesystem>
#include <string>
#include <vector>

// Kring's config file (`kring serve --config FILE`): TOML, one key per
// `kring serve` option, named as the flag without its dashes
// (max-connections = 10000). Read with toml++, so that a syntax error, a
// value of the wrong type and an unknown key are each told with the line.
namespace kring {

// Sets in `c` every key the file gives; the rest of `c` is left as it is.
// Returns the problems, one line each ("FILE:LINE: KEY: what is wrong"),
// in the order of the file; `c` is to be used only when there are none.
std::vector<std::string> read_config_file(std::filesystem::path const& file, config& c);

// The configuration `c` as a config file, every key with its help: a key
// whose value is the one in `defaults` is commented out, showing it.
// deploy/kring.toml.example is this for `config{}`.
std::string write_config_file(config const& c, config const& defaults);

} // namespace kring
