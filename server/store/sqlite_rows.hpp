#pragma once

#include "identity.hpp"
#include "store/records.hpp"

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

// Small helpers shared by the SQLite store's source files: binding and
// reading the column types SQLiteCpp has no overload for, and the audit row
// that many writes add in their own transaction. Not for use outside it.
namespace kring::sqlite_rows {

// Adds one audit row; the caller's transaction, if any, decides when it lands.
void insert_audit(SQLite::Database& db, audit_entry const& entry);

inline void bind_digest(SQLite::Statement& statement, int index, std::optional<digest> const& value)
{
    if (value)
        statement.bind(index, value->data(), static_cast<int>(value->size()));
    else
        statement.bind(index);
}

inline void bind_optional(SQLite::Statement& statement, int index, std::optional<std::int64_t> const& value)
{
    if (value)
        statement.bind(index, *value);
    else
        statement.bind(index);
}

inline void bind_optional(SQLite::Statement& statement, int index, std::optional<std::string> const& value)
{
    if (value)
        statement.bind(index, *value);
    else
        statement.bind(index);
}

inline std::optional<digest> read_digest(SQLite::Column const& column)
{
    if (column.isNull() || column.getBytes() != static_cast<int>(digest{}.size()))
        return std::nullopt;
    digest out{};
    std::memcpy(out.data(), column.getBlob(), out.size());
    return out;
}

inline std::optional<std::int64_t> read_optional_int(SQLite::Column const& column)
{
    if (column.isNull())
        return std::nullopt;
    return column.getInt64();
}

} // namespace kring::sqlite_rows
