#include "net/client_link.hpp"

namespace kring {

std::optional<std::string> websocket_circle(std::string_view target)
{
    if (target == "/ws")
        return std::string{};
    constexpr std::string_view prefix = "/ws/c/";
    if (!target.starts_with(prefix))
        return std::nullopt;
    auto const slug = target.substr(prefix.size());
    if (slug.empty() || slug.size() > 64)
        return std::nullopt;
    for (char const c : slug)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return std::nullopt;
    return std::string{slug};
}

} // namespace kring
