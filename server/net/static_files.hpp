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

// Whether a file's name carries a hash of its content, as the bundles an
// install makes do (app-3FFH6JNU.js: a name, '-', eight capitals or digits,
// then .js or .css), so that a browser may keep it for good: new content
// comes under a new name (deploy/bundle_web_client.cmake).
bool named_by_content(std::filesystem::path const& file);

// Whether an Accept-Encoding value takes gzip (RFC 9110, 12.5.3): `gzip`
// (or `x-gzip`), or else `*`, with a weight above zero.
bool accepts_gzip(std::string_view accept_encoding);

// The gzipped copy of the file `target` names (`app.js.gz` beside
// `app.js`), found as resolve_static_path finds files, if there is one and
// it is not older than `original` (the file itself, resolved).
std::optional<std::filesystem::path> gzipped_copy(std::filesystem::path const& web_root, std::string_view target,
                                                  std::filesystem::path const& original);

} // namespace kring
