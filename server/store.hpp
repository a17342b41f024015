#pragma once

#include "identity.hpp"

#include <SQLiteCpp/Database.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace kring {

struct room_record {
    std::string slug;
    std::string title;
    std::size_t capacity = 12;
    std::optional<digest> code_digest;
};

// What Kring keeps on disk: the circles (and later moderators and the audit
// log). Never message text. One store is used by one thread at a time; the
// server gives it a thread of its own so a slow disk never stalls chat.
class store {
public:
    // Opens or creates the database and brings its schema up to date.
    explicit store(std::filesystem::path const& file);

    static constexpr int schema_version = 1;
    int version();

    std::vector<room_record> rooms();
    std::optional<room_record> find_room(std::string const& slug);

    // False when a room with this slug exists already.
    bool add_room(room_record const& room);

private:
    void migrate();

    SQLite::Database db_;
};

} // namespace kring
