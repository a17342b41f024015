#pragma once

#include <cstddef>

namespace kring {

// Every connection holds a file descriptor, so the process's limit on open
// files bounds the connections it can hold; past it accept() fails.

// Raises the soft limit on open files to the hard limit, where the system
// allows it; returns the limit now in force (SIZE_MAX when there is none).
std::size_t raise_open_file_limit();

// How many of `wanted` connections fit under a limit of `open_files` when
// `reserve` descriptors are kept for the listener, the database, the log and
// the files being served. 0 when none fit.
std::size_t connections_that_fit(std::size_t wanted, std::size_t open_files, std::size_t reserve);

} // namespace kring
