#include "store_calls.hpp"

#include "password.hpp"
#include "run_elsewhere.hpp"

#include <boost/asio/use_awaitable.hpp>

namespace kring::store_calls {

namespace asio = boost::asio;

namespace {

template <class Result, class Work>
awaitable<Result> on_store(server_context& c, Work work)
{
    return run_elsewhere<Result>(
        c.database_executor, [&database = c.database, work = std::move(work)] { return work(database); },
        asio::use_awaitable);
}

} // namespace

awaitable<std::optional<room_record>> find_room(server_context& c, std::string slug)
{
    return on_store<std::optional<room_record>>(c, [slug = std::move(slug)](store& s) { return s.find_room(slug); });
}

awaitable<bool> audit(server_context& c, audit_entry entry)
{
    return on_store<bool>(c, [entry = std::move(entry)](store& s) {
        s.audit(entry);
        return true;
    });
}

awaitable<std::optional<staff_credentials>> find_staff(server_context& c, std::string name)
{
    return on_store<std::optional<staff_credentials>>(c, [name = std::move(name)](store& s) { return s.find_staff(name); });
}

awaitable<std::optional<staff_record>> staff_for_token(server_context& c, digest token, std::int64_t now_ms)
{
    return on_store<std::optional<staff_record>>(c, [token, now_ms](store& s) { return s.staff_for_token(token, now_ms); });
}

awaitable<bool> add_login_token(server_context& c, digest token, std::int64_t staff_id, std::int64_t expires_ms,
                                audit_entry entry)
{
    return on_store<bool>(c, [=, entry = std::move(entry)](store& s) {
        return s.atomically([&] {
            s.add_login_token(token, staff_id, expires_ms);
            s.audit(entry);
            return true;
        });
    });
}

awaitable<bool> revoke_token(server_context& c, digest token, audit_entry entry)
{
    return on_store<bool>(c, [token, entry = std::move(entry)](store& s) {
        return s.atomically([&] {
            s.revoke_token(token);
            s.audit(entry);
            return true;
        });
    });
}

awaitable<std::int64_t> add_ban(server_context& c, ban_record ban, audit_entry entry)
{
    return on_store<std::int64_t>(c, [ban = std::move(ban), entry = std::move(entry)](store& s) {
        return s.atomically([&] {
            auto const id = s.add_ban(ban);
            s.audit(entry);
            return id;
        });
    });
}

awaitable<std::int64_t> add_report(server_context& c, report_record report, audit_entry entry)
{
    return on_store<std::int64_t>(c, [report = std::move(report), entry = std::move(entry)](store& s) {
        return s.atomically([&] {
            auto const id = s.add_report(report);
            auto e = entry;
            e.target = std::to_string(id);
            s.audit(e);
            return id;
        });
    });
}

awaitable<std::vector<report_record>> open_reports(server_context& c, std::optional<std::string> room)
{
    return on_store<std::vector<report_record>>(c, [room = std::move(room)](store& s) { return s.open_reports(room); });
}

awaitable<std::optional<report_record>> find_report(server_context& c, std::int64_t id)
{
    return on_store<std::optional<report_record>>(c, [id](store& s) { return s.find_report(id); });
}

awaitable<bool> resolve_report(server_context& c, std::int64_t id, std::string by, std::string resolution,
                               std::int64_t now_ms, audit_entry entry)
{
    return on_store<bool>(c, [=, by = std::move(by), resolution = std::move(resolution),
                              entry = std::move(entry)](store& s) {
        return s.atomically([&] {
            if (!s.resolve_report(id, by, resolution, now_ms))
                return false;
            s.audit(entry);
            return true;
        });
    });
}

awaitable<bool> verify_password(server_context& c, std::string encoded_hash, std::string password)
{
    return run_elsewhere<bool>(
        c.hashing_executor,
        [encoded_hash = std::move(encoded_hash), password = std::move(password)] {
            // An unknown name costs the same hash as a wrong password, so
            // timing does not tell which names exist.
            static std::string const no_such_user = hash_password(random_token());
            if (encoded_hash.empty())
                return kring::verify_password(no_such_user, password) && false;
            return kring::verify_password(encoded_hash, password);
        },
        asio::use_awaitable);
}

} // namespace kring::store_calls
