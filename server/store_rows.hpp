#pragma once

#include "identity.hpp"

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>

// Small helpers shared by the store's source files: binding and reading the
// column types SQLiteCpp has no overload for. Not for use outside the store.
namespace kring::store_rows {

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

} // namespace kring::store_rows
