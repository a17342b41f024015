#pragma once

#include "identity.hpp"
#include "store/store.hpp"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

// libpq's own types, named here so that only pg_connection.cpp includes libpq.
struct pg_conn;
struct pg_result;

// A thin layer over libpq for the PostgreSQL store: one connection, values
// bound as parameters ($1, $2, ...) and never spliced into SQL, results
// read as text. Not for use outside the store.
namespace kring::postgres {

// The connection went away (the server restarted, the network broke). The
// store reconnects before its next statement.
struct connection_lost : store_unavailable {
    using store_unavailable::store_unavailable;
};

// The server refused a statement: a constraint, a missing table, a typo.
struct statement_failed : std::runtime_error {
    statement_failed(std::string const& what, std::string state)
        : std::runtime_error(what)
        , sqlstate(std::move(state))
    {
    }
    std::string sqlstate; // e.g. "23505" for a unique violation
};

// One value bound to a $N: text, bytes (sent in binary), or NULL.
class param {
public:
    param(std::nullopt_t) {}
    param(std::string text) : value_(std::move(text)) {}
    param(std::string_view text) : value_(std::string{text}) {}
    param(char const* text) : value_(std::string{text}) {}
    param(std::int64_t number) : value_(std::to_string(number)) {}
    param(int number) : value_(std::to_string(number)) {}
    param(unsigned number) : value_(std::to_string(number)) {}
    param(bool flag) : value_(flag ? "t" : "f") {}
    param(digest const& bytes)
        : value_(std::string{reinterpret_cast<char const*>(bytes.data()), bytes.size()})
        , binary_(true)
    {
    }
    template <class T>
    param(std::optional<T> const& value)
    {
        if (value)
            *this = param{*value};
    }

    std::optional<std::string> const& value() const { return value_; }
    bool binary() const { return binary_; }

private:
    std::optional<std::string> value_;
    bool binary_ = false;
};

// What a statement returned; moves, frees itself.
class result {
public:
    explicit result(pg_result* owned) : result_(owned) {}
    result(result&& other) noexcept : result_(std::exchange(other.result_, nullptr)) {}
    result& operator=(result&&) = delete;
    ~result();

    int rows() const;
    bool null(int row, int column) const;
    std::string text(int row, int column) const;
    std::int64_t integer(int row, int column) const;
    bool flag(int row, int column) const;
    std::optional<std::string> optional_text(int row, int column) const;
    std::optional<std::int64_t> optional_integer(int row, int column) const;
    // A bytea column holding exactly 32 bytes; nothing otherwise.
    std::optional<digest> bytes32(int row, int column) const;
    // The rows an INSERT, UPDATE or DELETE touched.
    std::int64_t affected() const;

private:
    pg_result* result_;
};

class connection {
public:
    // Connects to `uri` (postgresql://user:password@host:port/database?...,
    // or a "key=value ..." string). Waits at most 5 s unless the URI sets
    // its own connect_timeout. Throws connection_lost when it can't.
    explicit connection(std::string uri);
    connection(connection const&) = delete;
    connection& operator=(connection const&) = delete;
    ~connection();

    result exec(std::string_view sql, std::vector<param> const& params = {});
    // Several statements without parameters (a migration).
    void exec_script(std::string const& sql);

    // Waits up to `timeout_ms` for notifications of the channels this
    // connection LISTENs to, or for `wake_fd` to become readable; returns
    // their payloads. Throws connection_lost when the connection breaks.
    std::vector<std::string> notifications(int wake_fd, int timeout_ms);

    bool ok() const;
    // Connects again, with the same URI; throws connection_lost when it can't.
    void reset();

    pg_conn* native() { return conn_; }
    std::string const& uri() const { return uri_; }

private:
    std::string uri_;
    pg_conn* conn_ = nullptr;
};

// BEGIN ... COMMIT; rolled back when left without commit().
class transaction {
public:
    explicit transaction(connection& db);
    transaction(transaction const&) = delete;
    transaction& operator=(transaction const&) = delete;
    ~transaction();
    // A connection lost during COMMIT throws commit_unknown: the change may
    // or may not have been made, and is never retried.
    void commit();

private:
    connection& db_;
    bool done_ = false;
};

struct commit_unknown : store_unavailable {
    using store_unavailable::store_unavailable;
};

// Whether `where` names a PostgreSQL database rather than an SQLite file.
bool is_uri(std::string_view where);

// `uri` with its password replaced by "***", for messages and logs.
std::string without_password(std::string const& uri);

} // namespace kring::postgres
