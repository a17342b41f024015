#pragma once

#include "config.hpp"

namespace kring {

// Runs `kring serve` until SIGINT or SIGTERM; returns the exit code.
int serve(config const& settings);

} // namespace kring
