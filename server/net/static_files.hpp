#pragma once

#include <filesystem>
#include <optional>
#include <string_view>

namespace kring {

// Maps a request target to a file below the web root, or nothing. Only plain
// names of letters, digits, '-', '_' and '.' are served: no "..", no
// percent-encoding, no hidden files, so nothing outside the root is reachable.
// Symbolic links are resolved: the answer is the file's canonical path, and
// a link that leads out of the (canonical) root, or to a hidden name, is
// refused like a missing file.
std::optional<std::filesystem::path> resolve_static_path(std::filesystem::path const& web_root,
                                                         std::string_view target);

std::string_view content_type_for(std::filesystem::path const& file);

} // namespace kring
