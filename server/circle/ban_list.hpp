#pragma once

#include "circle/participant.hpp"
#include "store/records.hpp"

#include <mutex>
#include <string>
#include <vector>

namespace kring {

// The bans in force, kept in memory so a join is checked without the disk.
// The store holds the same bans for after a restart.
class ban_list {
public:
    void add(ban_record ban, std::string participant_id = {});

    // Takes the store's bans in force as they are now (some may have been
    // lifted with `kring ban lift`); bans kept only in memory stay.
    void reload(std::vector<ban_record> stored);

    // True when a ban on this room or on the whole server holds for the
    // identity, its device or its address.
    bool holds(std::string_view room, std::string_view participant_id, ban_marks const& marks,
               std::int64_t now_ms) const;

private:
    struct entry {
        ban_record ban;
        std::string participant_id; // for identities without a device key; not stored
    };
    mutable std::mutex mutex_;
    std::vector<entry> bans_;
};

} // namespace kring
