#pragma once

#include "store/pg_connection.hpp"
#include "store/postgres_store.hpp"
#include "store/records.hpp"

// What the PostgreSQL store's source files share: the retry around each
// method and the audit row many writes add. Not for use outside the store.
namespace kring {

template <class Work>
auto postgres_store::with_db(Work work)
{
    try {
        if (!db_->ok())
            db_->reset();
        return work(*db_);
    } catch (postgres::connection_lost const&) {
        // Nothing was committed (a loss while committing is commit_unknown):
        // connect again and run it once more. A second loss is thrown.
        db_->reset();
        return work(*db_);
    }
}

namespace postgres_rows {

// Adds one audit row in the caller's transaction.
inline void insert_audit(postgres::connection& db, audit_entry const& entry)
{
    db.exec("INSERT INTO audit (at_ms, actor, action, room, target, detail) VALUES ($1, $2, $3, $4, $5, $6)",
            {entry.at_ms, entry.actor, entry.action, entry.room, entry.target, entry.detail});
}

// Tells every node watching (shared_events.hpp) that `topic` changed; sent
// when the caller's transaction commits, and not at all if it rolls back.
inline void notify(postgres::connection& db, std::string const& topic)
{
    db.exec("SELECT pg_notify('kring_events', $1)", {topic});
}

} // namespace postgres_rows
} // namespace kring
