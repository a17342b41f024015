#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kring {

// Whether a WebSocket upgrade may proceed, judged by its Origin header. This
// stops another web site from opening a socket in a visitor's browser.
// No Origin (a non-browser client): allowed. Otherwise the origin must equal
// one of `allowed` exactly, or, when that list is empty, "http://" + Host.
bool origin_allowed(std::optional<std::string_view> origin, std::string_view host,
                    std::vector<std::string> const& allowed);

} // namespace kring
