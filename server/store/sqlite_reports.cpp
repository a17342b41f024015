// The store's reports: a snapshot of the reported message, kept until a
// moderator resolves the report and the retention period after that ends.
#include "store/sqlite_store.hpp"

#include "store/sqlite_rows.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

namespace kring {
namespace {

constexpr char const* report_columns =
    "SELECT id, room, message_id, message_text, author_id, author_name, reporter_id, reason, created_at_ms, "
    "resolved_at_ms, resolved_by, resolution FROM reports";

report_record read_report(SQLite::Statement& row)
{
    report_record r;
    r.id = row.getColumn(0).getInt64();
    r.room = row.getColumn(1).getString();
    r.message_id = row.getColumn(2).getString();
    r.message_text = row.getColumn(3).getString();
    r.author_id = row.getColumn(4).getString();
    r.author_name = row.getColumn(5).getString();
    r.reporter_id = row.getColumn(6).getString();
    r.reason = row.getColumn(7).getString();
    r.created_at_ms = row.getColumn(8).getInt64();
    r.resolved_at_ms = sqlite_rows::read_optional_int(row.getColumn(9));
    r.resolved_by = row.getColumn(10).getString();
    r.resolution = row.getColumn(11).getString();
    return r;
}

} // namespace

std::int64_t sqlite_store::add_report(report_record const& report, audit_entry const& entry)
{
    SQLite::Transaction transaction{*db_};
    SQLite::Statement insert{*db_, "INSERT INTO reports (room, message_id, message_text, author_id, author_name, "
                                  "reporter_id, reason, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"};
    insert.bind(1, report.room);
    insert.bind(2, report.message_id);
    insert.bind(3, report.message_text);
    insert.bind(4, report.author_id);
    insert.bind(5, report.author_name);
    insert.bind(6, report.reporter_id);
    insert.bind(7, report.reason);
    insert.bind(8, report.created_at_ms);
    insert.exec();
    auto const id = db_->getLastInsertRowid();
    auto audited = entry;
    audited.target = std::to_string(id);
    sqlite_rows::insert_audit(*db_, audited);
    transaction.commit();
    return id;
}

std::vector<report_record> sqlite_store::open_reports(std::optional<std::string> const& room)
{
    std::string sql = std::string{report_columns} + " WHERE resolved_at_ms IS NULL";
    if (room)
        sql += " AND room = ?";
    SQLite::Statement query{*db_, sql + " ORDER BY created_at_ms, id"};
    if (room)
        query.bind(1, *room);
    std::vector<report_record> out;
    while (query.executeStep())
        out.push_back(read_report(query));
    return out;
}

std::optional<report_record> sqlite_store::find_report(std::int64_t id)
{
    SQLite::Statement query{*db_, std::string{report_columns} + " WHERE id = ?"};
    query.bind(1, id);
    if (!query.executeStep())
        return std::nullopt;
    return read_report(query);
}

bool sqlite_store::resolve_report(std::int64_t id, std::string const& by, std::string const& resolution,
                                  std::int64_t now_ms, audit_entry const& entry)
{
    SQLite::Transaction transaction{*db_};
    SQLite::Statement update{*db_, "UPDATE reports SET resolved_at_ms = ?, resolved_by = ?, resolution = ? "
                                  "WHERE id = ? AND resolved_at_ms IS NULL"};
    update.bind(1, now_ms);
    update.bind(2, by);
    update.bind(3, resolution);
    update.bind(4, id);
    if (update.exec() != 1)
        return false;
    sqlite_rows::insert_audit(*db_, entry);
    transaction.commit();
    return true;
}

void sqlite_store::purge_resolved_reports(std::int64_t resolved_before_ms)
{
    SQLite::Statement remove{*db_, "DELETE FROM reports WHERE resolved_at_ms < ?"};
    remove.bind(1, resolved_before_ms);
    remove.exec();
}

} // namespace kring
