#pragma once

#include "server_context.hpp"
#include "store.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>
#include <vector>

// The store's work as awaitables that run on the store's own thread and
// resume on the caller's strand. These are plain functions on purpose: g++ 12
// miscompiles lambdas that capture coroutine parameters inside a coroutine.
namespace kring::store_calls {

using boost::asio::awaitable;

awaitable<std::optional<room_record>> find_room(server_context& c, std::string slug);
awaitable<bool> audit(server_context& c, audit_entry entry);
awaitable<std::optional<staff_credentials>> find_staff(server_context& c, std::string name);
awaitable<std::optional<staff_record>> staff_for_token(server_context& c, digest token, std::int64_t now_ms);
awaitable<bool> add_login_token(server_context& c, digest token, std::int64_t staff_id, std::int64_t expires_ms,
                                audit_entry entry);
awaitable<bool> revoke_token(server_context& c, digest token, audit_entry entry);
// Writes the ban and its audit row in that order; both are on disk when it returns.
awaitable<std::int64_t> add_ban(server_context& c, ban_record ban, audit_entry entry);
awaitable<std::int64_t> add_report(server_context& c, report_record report, audit_entry entry);
awaitable<std::vector<report_record>> open_reports(server_context& c, std::optional<std::string> room);
awaitable<std::optional<report_record>> find_report(server_context& c, std::int64_t id);
awaitable<bool> resolve_report(server_context& c, std::int64_t id, std::string by, std::string resolution,
                               std::int64_t now_ms, audit_entry entry);

// Runs Argon2id on the hashing threads, not the network or store threads.
// An empty hash stands for an unknown name: it is hashed all the same and fails.
awaitable<bool> verify_password(server_context& c, std::string encoded_hash, std::string password);

} // namespace kring::store_calls
