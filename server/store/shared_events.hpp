#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace kring {

// What the other nodes sharing a database changed, as it happens: with
// PostgreSQL, the notifications the store's writes send on commit (LISTEN /
// NOTIFY on the channel "kring_events"). Each is a topic:
//   "bans"          bans were added or lifted
//   "room:SLUG"     a circle was edited or archived
//   "*"             the watch (re)connected: notifications may have been
//                   missed, so catch up on everything from the tables
// The handler runs on the watch's own thread; it must hand the work on.
// An SQLite file has no other nodes: nothing is watched.
class shared_events {
public:
    using handler = std::function<void(std::string const& topic)>;
    virtual ~shared_events() = default;
};

// Starts watching `where` (a database open_store() opens), or returns
// nothing for an SQLite file. The watch stops when the result is destroyed.
std::unique_ptr<shared_events> watch_shared_events(std::filesystem::path const& where,
                                                   shared_events::handler on_event);

} // namespace kring
