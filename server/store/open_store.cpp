#include "store/store.hpp"

#include "store/pg_connection.hpp"
#include "store/postgres_store.hpp"
#include "store/sqlite_store.hpp"

namespace kring {

bool is_shared_database(std::filesystem::path const& where)
{
    return postgres::is_uri(where.native());
}

std::string printable_database(std::filesystem::path const& where)
{
    return is_shared_database(where) ? postgres::without_password(where.native()) : where.string();
}

std::unique_ptr<store> open_store(std::filesystem::path const& where)
{
    if (is_shared_database(where))
        return std::make_unique<postgres_store>(where.native());
    return std::make_unique<sqlite_store>(where);
}

} // namespace kring
