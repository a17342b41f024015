#pragma once

#include "identity.hpp"

#include <cstddef>
#include <map>

namespace kring {

// How many of something (open connections, live identities) come from each
// network. What is counted keeps the handle count_in gave it: a pointer to
// its network's entry, which a std::map keeps in place, so that a network's
// mark is held once, not once for each thing from it. Not thread-safe: its
// owner's lock guards it.
class network_counts {
public:
    using handle = std::map<digest, std::size_t>::value_type*;

    std::size_t count(digest const& network) const
    {
        auto const found = counts_.find(network);
        return found == counts_.end() ? 0 : found->second;
    }

    handle count_in(digest const& network)
    {
        auto& counted = *counts_.try_emplace(network, 0).first;
        ++counted.second;
        return &counted;
    }

    // Gone: a network that counts nothing any more is forgotten. Null: nothing to do.
    void count_out(handle counted)
    {
        if (counted && --counted->second == 0) {
            auto const network = counted->first; // a copy: the entry goes
            counts_.erase(network);
        }
    }

private:
    std::map<digest, std::size_t> counts_;
};

} // namespace kring
