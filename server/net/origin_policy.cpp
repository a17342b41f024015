#include "net/origin_policy.hpp"

#include <algorithm>

namespace kring {

bool origin_allowed(std::optional<std::string_view> origin, std::string_view host,
                    std::vector<std::string> const& allowed)
{
    if (!origin)
        return true;
    if (!allowed.empty())
        return std::find(allowed.begin(), allowed.end(), *origin) != allowed.end();
    return !host.empty() && origin->size() == host.size() + 7 && origin->starts_with("http://") &&
           origin->substr(7) == host;
}

} // namespace kring
