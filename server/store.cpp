#include "store.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <array>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace kring {
namespace {

// Each entry moves the schema one version up; never edit a released one.
constexpr std::array<char const*, 1> migrations{
    R"sql(
    CREATE TABLE rooms (
        id          INTEGER PRIMARY KEY,
        slug        TEXT NOT NULL UNIQUE,
        title       TEXT NOT NULL,
        capacity    INTEGER NOT NULL CHECK (capacity > 0),
        code_sha256 BLOB CHECK (code_sha256 IS NULL OR length(code_sha256) = 32),
        created_at  INTEGER NOT NULL
    );
    )sql",
};

SQLite::Database open_database(std::filesystem::path const& file)
{
    if (file.has_parent_path())
        std::filesystem::create_directories(file.parent_path());
    return SQLite::Database{file.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
}

std::int64_t now_seconds()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

room_record read_room(SQLite::Statement& row)
{
    room_record r;
    r.slug = row.getColumn(0).getString();
    r.title = row.getColumn(1).getString();
    r.capacity = static_cast<std::size_t>(row.getColumn(2).getInt64());
    auto const code = row.getColumn(3);
    if (!code.isNull() && code.getBytes() == 32) {
        digest d{};
        std::memcpy(d.data(), code.getBlob(), d.size());
        r.code_digest = d;
    }
    return r;
}

constexpr char const* room_columns = "SELECT slug, title, capacity, code_sha256 FROM rooms";

} // namespace

store::store(std::filesystem::path const& file)
    : db_(open_database(file))
{
    db_.exec("PRAGMA journal_mode = WAL");
    db_.exec("PRAGMA synchronous = FULL");
    db_.exec("PRAGMA foreign_keys = ON");
    db_.exec("PRAGMA secure_delete = ON");
    db_.setBusyTimeout(5000);
    migrate();
}

int store::version()
{
    return db_.execAndGet("PRAGMA user_version").getInt();
}

void store::migrate()
{
    int const current = version();
    if (current > schema_version)
        throw std::runtime_error{"the database was written by a newer Kring (schema " + std::to_string(current) + ")"};
    for (int v = current; v < schema_version; ++v) {
        SQLite::Transaction transaction{db_};
        db_.exec(migrations[static_cast<std::size_t>(v)]);
        db_.exec("PRAGMA user_version = " + std::to_string(v + 1));
        transaction.commit();
    }
}

std::vector<room_record> store::rooms()
{
    SQLite::Statement query{db_, std::string{room_columns} + " ORDER BY slug"};
    std::vector<room_record> out;
    while (query.executeStep())
        out.push_back(read_room(query));
    return out;
}

std::optional<room_record> store::find_room(std::string const& slug)
{
    SQLite::Statement query{db_, std::string{room_columns} + " WHERE slug = ?"};
    query.bind(1, slug);
    if (!query.executeStep())
        return std::nullopt;
    return read_room(query);
}

bool store::add_room(room_record const& room)
{
    SQLite::Statement insert{
        db_, "INSERT INTO rooms (slug, title, capacity, code_sha256, created_at) VALUES (?, ?, ?, ?, ?) "
             "ON CONFLICT (slug) DO NOTHING"};
    insert.bind(1, room.slug);
    insert.bind(2, room.title);
    insert.bind(3, static_cast<std::int64_t>(room.capacity));
    if (room.code_digest)
        insert.bind(4, room.code_digest->data(), static_cast<int>(room.code_digest->size()));
    else
        insert.bind(4);
    insert.bind(5, now_seconds());
    return insert.exec() == 1;
}

} // namespace kring
