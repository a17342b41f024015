#pragma once

#include "store/store.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <vector>

namespace kring {

// The store as sessions reach it: each call runs on the store's own thread
// and resumes on the caller's thread, so a slow disk never stalls chat.
// None of these is a coroutine: see the note on g++ 12 in session/client.hpp.
class store_thread {
public:
    template <class T>
    using awaitable = boost::asio::awaitable<T>;

    store_thread(store& database, boost::asio::any_io_executor thread);

    awaitable<std::optional<room_record>> find_room(std::string slug);
    // Every circle and organisation, for the directory.
    // present: the other nodes' counts, where nodes share the database
    // (`node` is this one's name there).
    struct listing {
        std::vector<room_record> rooms;
        std::vector<organisation_record> organisations;
        std::optional<store::circle_counts> present = {};
    };
    awaitable<listing> directory(std::string node);
    awaitable<bool> audit(audit_entry entry);
    awaitable<std::optional<staff_credentials>> find_staff(std::string name);
    awaitable<std::optional<staff_record>> staff_for_token(digest token, std::int64_t now_ms);
    awaitable<bool> add_login_token(digest token, std::int64_t staff_id, std::int64_t expires_ms, audit_entry entry);
    awaitable<bool> revoke_token(digest token, audit_entry entry);
    awaitable<bool> change_password(std::int64_t staff_id, std::string old_hash, std::string new_hash,
                                    audit_entry entry);
    awaitable<std::int64_t> add_ban(ban_record ban, audit_entry entry);
    awaitable<std::int64_t> add_report(report_record report, audit_entry entry);
    awaitable<std::vector<report_record>> open_reports(std::optional<std::string> room);
    awaitable<std::optional<report_record>> find_report(std::int64_t id);
    awaitable<bool> resolve_report(std::int64_t id, std::string by, std::string resolution, std::int64_t now_ms,
                                   audit_entry entry);

private:
    template <class Result, class Work>
    awaitable<Result> run(Work work);

    store& database_;
    boost::asio::any_io_executor thread_;
};

} // namespace kring
