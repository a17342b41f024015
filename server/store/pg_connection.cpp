#include "store/pg_connection.hpp"

#include <libpq-fe.h>

#include <array>
#include <cerrno>
#include <poll.h>
#include <charconv>
#include <cstring>
#include <memory>

namespace kring::postgres {
namespace {

// libpq prints the server's notices on stderr unless told otherwise; they
// say nothing an admin must act on ("relation already exists, skipping").
void ignore_notice(void*, char const*) {}

std::string trimmed(char const* message)
{
    std::string out = message ? message : "";
    while (!out.empty() && (out.back() == '\n' || out.back() == ' '))
        out.pop_back();
    return out;
}

int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

pg_conn* connect(std::string const& uri)
{
    // Defaults first: the URI's own keywords, expanded at "dbname", override them.
    std::array<char const*, 4> const keys{"connect_timeout", "application_name", "dbname", nullptr};
    std::array<char const*, 4> const values{"5", "kring", uri.c_str(), nullptr};
    pg_conn* conn = PQconnectdbParams(keys.data(), values.data(), 1);
    if (conn == nullptr)
        throw connection_lost{"cannot reach PostgreSQL: out of memory"};
    if (PQstatus(conn) != CONNECTION_OK) {
        auto const why = trimmed(PQerrorMessage(conn));
        PQfinish(conn);
        throw connection_lost{"cannot reach PostgreSQL at " + without_password(uri) + ": " + why};
    }
    PQsetNoticeProcessor(conn, ignore_notice, nullptr);
    return conn;
}

} // namespace

result::~result()
{
    if (result_)
        PQclear(result_);
}

int result::rows() const
{
    return PQntuples(result_);
}

bool result::null(int row, int column) const
{
    return PQgetisnull(result_, row, column) != 0;
}

std::string result::text(int row, int column) const
{
    return {PQgetvalue(result_, row, column), static_cast<std::size_t>(PQgetlength(result_, row, column))};
}

std::int64_t result::integer(int row, int column) const
{
    char const* const begin = PQgetvalue(result_, row, column);
    char const* const end = begin + PQgetlength(result_, row, column);
    std::int64_t out = 0;
    auto const [stop, error] = std::from_chars(begin, end, out);
    if (error != std::errc{} || stop != end)
        throw std::runtime_error{"PostgreSQL returned a number Kring cannot read: " + std::string{begin, end}};
    return out;
}

bool result::flag(int row, int column) const
{
    return PQgetvalue(result_, row, column)[0] == 't';
}

std::optional<std::string> result::optional_text(int row, int column) const
{
    if (null(row, column))
        return std::nullopt;
    return text(row, column);
}

std::optional<std::int64_t> result::optional_integer(int row, int column) const
{
    if (null(row, column))
        return std::nullopt;
    return integer(row, column);
}

std::optional<digest> result::bytes32(int row, int column) const
{
    if (null(row, column))
        return std::nullopt;
    // bytea in text form is "\x" and two hex digits a byte.
    std::string_view const hex{PQgetvalue(result_, row, column),
                               static_cast<std::size_t>(PQgetlength(result_, row, column))};
    digest out{};
    if (hex.size() != 2 + 2 * out.size() || hex.substr(0, 2) != "\\x")
        return std::nullopt;
    for (std::size_t i = 0; i < out.size(); ++i) {
        int const high = hex_value(hex[2 + 2 * i]);
        int const low = hex_value(hex[3 + 2 * i]);
        if (high < 0 || low < 0)
            return std::nullopt;
        out[i] = static_cast<unsigned char>(high * 16 + low);
    }
    return out;
}

std::int64_t result::affected() const
{
    char const* const count = PQcmdTuples(result_);
    return count[0] == '\0' ? 0 : std::strtoll(count, nullptr, 10);
}

connection::connection(std::string uri)
    : uri_(std::move(uri))
    , conn_(connect(uri_))
{
}

connection::~connection()
{
    if (conn_)
        PQfinish(conn_);
}

bool connection::ok() const
{
    return conn_ != nullptr && PQstatus(conn_) == CONNECTION_OK;
}

void connection::reset()
{
    auto* fresh = connect(uri_);
    if (conn_)
        PQfinish(conn_);
    conn_ = fresh;
}

namespace {

// `raw`, checked: the statement's rows, or what went wrong, thrown.
result checked(pg_conn* conn, pg_result* raw)
{
    result out{raw};
    if (raw == nullptr)
        throw connection_lost{"PostgreSQL gave no answer: " + trimmed(PQerrorMessage(conn))};
    auto const status = PQresultStatus(raw);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        return out;
    auto const why = trimmed(PQresultErrorMessage(raw));
    if (PQstatus(conn) != CONNECTION_OK)
        throw connection_lost{"the connection to PostgreSQL was lost: " + why};
    char const* const state = PQresultErrorField(raw, PG_DIAG_SQLSTATE);
    throw statement_failed{"PostgreSQL refused a statement: " + why, state ? state : ""};
}

} // namespace

result connection::exec(std::string_view sql, std::vector<param> const& params)
{
    if (!ok())
        throw connection_lost{"the connection to PostgreSQL is gone"};
    std::vector<char const*> values;
    std::vector<int> lengths;
    std::vector<int> formats;
    for (auto const& p : params) {
        values.push_back(p.value() ? p.value()->data() : nullptr);
        lengths.push_back(p.value() ? static_cast<int>(p.value()->size()) : 0);
        formats.push_back(p.binary() ? 1 : 0);
    }
    std::string const statement{sql};
    return checked(conn_, PQexecParams(conn_, statement.c_str(), static_cast<int>(params.size()), nullptr,
                                       values.data(), lengths.data(), formats.data(), 0));
}

void connection::exec_script(std::string const& sql)
{
    if (!ok())
        throw connection_lost{"the connection to PostgreSQL is gone"};
    checked(conn_, PQexec(conn_, sql.c_str()));
}

std::vector<std::string> connection::notifications(int wake_fd, int timeout_ms)
{
    std::vector<std::string> out;
    auto const take = [&] {
        while (PGnotify* note = PQnotifies(conn_)) {
            out.emplace_back(note->extra ? note->extra : "");
            PQfreemem(note);
        }
    };
    take();
    if (!out.empty())
        return out;
    std::array<pollfd, 2> fds{pollfd{PQsocket(conn_), POLLIN, 0}, pollfd{wake_fd, POLLIN, 0}};
    if (::poll(fds.data(), fds.size(), timeout_ms) < 0 && errno != EINTR)
        throw connection_lost{"cannot wait for PostgreSQL's notifications"};
    if ((fds[0].revents & (POLLIN | POLLERR | POLLHUP)) != 0 && PQconsumeInput(conn_) == 0)
        throw connection_lost{"the connection to PostgreSQL was lost: " + trimmed(PQerrorMessage(conn_))};
    take();
    return out;
}

transaction::transaction(connection& db)
    : db_(db)
{
    db_.exec("BEGIN");
}

transaction::~transaction()
{
    if (done_ || !db_.ok())
        return;
    try {
        db_.exec("ROLLBACK");
    } catch (...) {
        // The connection broke meanwhile: the server rolls back on its own.
    }
}

void transaction::commit()
{
    try {
        db_.exec("COMMIT");
        done_ = true;
    } catch (connection_lost const& lost) {
        done_ = true;
        throw commit_unknown{std::string{lost.what()} + " while committing: the change may or may not be saved"};
    }
}

bool is_uri(std::string_view where)
{
    return where.starts_with("postgresql://") || where.starts_with("postgres://");
}

std::string without_password(std::string const& uri)
{
    std::string out = uri;
    // postgresql://user:password@host/...: the password is between the
    // first ':' after the scheme and the '@'.
    auto const scheme_end = out.find("://");
    auto const at = scheme_end == std::string::npos ? std::string::npos : out.find('@', scheme_end + 3);
    auto const colon = at == std::string::npos ? std::string::npos : out.find(':', scheme_end + 3);
    if (colon != std::string::npos && colon < at)
        out = out.substr(0, colon + 1) + "***" + out.substr(at);
    // ...?password=...&...: up to the next '&'.
    for (auto const* key : {"?password=", "&password="}) {
        auto const start = out.find(key);
        if (start == std::string::npos)
            continue;
        auto const value = start + std::string_view{key}.size();
        auto const end = out.find('&', value);
        out = out.substr(0, value) + "***" + (end == std::string::npos ? std::string{} : out.substr(end));
    }
    return out;
}

} // namespace kring::postgres
