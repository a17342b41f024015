#include "session/store_thread.hpp"

#include "session/run_elsewhere.hpp"

#include "clock.hpp"

#include <boost/asio/use_awaitable.hpp>

namespace kring {

store_thread::store_thread(store& database, boost::asio::any_io_executor thread)
    : database_(database)
    , thread_(std::move(thread))
{
}

template <class Result, class Work>
store_thread::awaitable<Result> store_thread::run(Work work)
{
    return run_elsewhere<Result>(
        thread_, [&database = database_, work = std::move(work)] { return work(database); },
        boost::asio::use_awaitable);
}

store_thread::awaitable<std::optional<room_record>> store_thread::find_room(std::string slug)
{
    return run<std::optional<room_record>>([slug = std::move(slug)](store& s) { return s.find_room(slug); });
}

store_thread::awaitable<store_thread::listing> store_thread::directory(std::string node)
{
    return run<listing>([node = std::move(node)](store& s) {
        // Nodes that said nothing for 10 s (five missed reports) are gone.
        return listing{s.rooms(), s.organisations(), s.presence(now_ms() - 10'000, node)};
    });
}

store_thread::awaitable<bool> store_thread::audit(audit_entry entry)
{
    return run<bool>([entry = std::move(entry)](store& s) {
        s.audit(entry);
        return true;
    });
}

store_thread::awaitable<std::optional<staff_credentials>> store_thread::find_staff(std::string name)
{
    return run<std::optional<staff_credentials>>([name = std::move(name)](store& s) { return s.find_staff(name); });
}

store_thread::awaitable<std::optional<staff_record>> store_thread::staff_for_token(digest token, std::int64_t now_ms)
{
    return run<std::optional<staff_record>>([token, now_ms](store& s) { return s.staff_for_token(token, now_ms); });
}

store_thread::awaitable<bool> store_thread::add_login_token(digest token, std::int64_t staff_id,
                                                            std::int64_t expires_ms, audit_entry entry)
{
    return run<bool>([=, entry = std::move(entry)](store& s) {
        s.add_login_token(token, staff_id, expires_ms, entry);
        return true;
    });
}

store_thread::awaitable<bool> store_thread::revoke_token(digest token, audit_entry entry)
{
    return run<bool>([token, entry = std::move(entry)](store& s) {
        s.revoke_token(token, entry);
        return true;
    });
}

store_thread::awaitable<bool> store_thread::change_password(std::int64_t staff_id, std::string old_hash,
                                                            std::string new_hash, audit_entry entry)
{
    return run<bool>([staff_id, old_hash = std::move(old_hash), new_hash = std::move(new_hash),
                      entry = std::move(entry)](store& s) {
        return s.change_password(staff_id, old_hash, new_hash, entry);
    });
}

store_thread::awaitable<std::int64_t> store_thread::add_ban(ban_record ban, audit_entry entry)
{
    return run<std::int64_t>(
        [ban = std::move(ban), entry = std::move(entry)](store& s) { return s.add_ban(ban, entry); });
}

store_thread::awaitable<std::int64_t> store_thread::add_report(report_record report, audit_entry entry)
{
    return run<std::int64_t>(
        [report = std::move(report), entry = std::move(entry)](store& s) { return s.add_report(report, entry); });
}

store_thread::awaitable<std::vector<report_record>> store_thread::open_reports(std::optional<std::string> room)
{
    return run<std::vector<report_record>>([room = std::move(room)](store& s) { return s.open_reports(room); });
}

store_thread::awaitable<std::optional<report_record>> store_thread::find_report(std::int64_t id)
{
    return run<std::optional<report_record>>([id](store& s) { return s.find_report(id); });
}

store_thread::awaitable<bool> store_thread::resolve_report(std::int64_t id, std::string by, std::string resolution,
                                                           std::int64_t now_ms, audit_entry entry)
{
    return run<bool>([=, by = std::move(by), resolution = std::move(resolution),
                      entry = std::move(entry)](store& s) { return s.resolve_report(id, by, resolution, now_ms, entry); });
}

} // namespace kring
