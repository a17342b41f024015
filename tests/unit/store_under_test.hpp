#pragma once

#include "pg_cluster.hpp"
#include "scratch_folder.hpp"
#include "store/pg_connection.hpp"
#include "store/postgres_store.hpp"
#include "store/sqlite_store.hpp"

#include <SQLiteCpp/Database.h>

#include <doctest/doctest.h>

#include <memory>
#include <string>

namespace kring::test {

// One database of one kind, fresh for one test: what the store's tests
// that hold for every store run against.
struct store_under_test {
    virtual ~store_under_test() = default;
    // A store on the database (again: as a restarted server would).
    virtual std::unique_ptr<kring::store> open() = 0;
    // How many rows `table` holds, read past the store.
    virtual std::int64_t count(std::string const& table) = 0;
    // Runs SQL past the store (a trigger that makes a write fail).
    virtual void exec(std::string const& sql) = 0;
    virtual bool is_postgresql() const = 0;
};

struct sqlite_under_test final : store_under_test {
    scratch_folder folder;
    std::unique_ptr<kring::store> open() override { return std::make_unique<sqlite_store>(folder.db()); }
    std::int64_t count(std::string const& table) override
    {
        SQLite::Database raw{folder.db().string(), SQLite::OPEN_READONLY};
        return raw.execAndGet("SELECT count(*) FROM " + table).getInt64();
    }
    void exec(std::string const& sql) override
    {
        SQLite::Database raw{folder.db().string(), SQLite::OPEN_READWRITE};
        raw.exec(sql);
    }
    bool is_postgresql() const override { return false; }
};

struct postgres_under_test final : store_under_test {
    std::string uri = pg_cluster::shared().fresh_database();
    std::unique_ptr<kring::store> open() override { return std::make_unique<postgres_store>(uri); }
    std::int64_t count(std::string const& table) override
    {
        postgres::connection raw{uri};
        return raw.exec("SELECT count(*) FROM " + table).integer(0, 0);
    }
    void exec(std::string const& sql) override
    {
        postgres::connection raw{uri};
        raw.exec_script(sql);
    }
    bool is_postgresql() const override { return true; }
};

} // namespace kring::test

// A test of what every store keeps: its body runs once against SQLite and
// once against PostgreSQL. The PostgreSQL ones form the test suite
// "postgresql", which ctest runs in one process, against one server.
#define KRING_STORE_TEST(function, title)                                                                       \
    static void function(kring::test::store_under_test& under);                                                 \
    TEST_CASE("SQLite store: " title)                                                                           \
    {                                                                                                           \
        kring::test::sqlite_under_test under;                                                                   \
        function(under);                                                                                        \
    }                                                                                                           \
    TEST_CASE("PostgreSQL store: " title* doctest::test_suite("postgresql"))                                    \
    {                                                                                                           \
        kring::test::postgres_under_test under;                                                                 \
        function(under);                                                                                        \
    }                                                                                                           \
    static void function(kring::test::store_under_test& under)
