#include "identity.hpp"
#include "scratch_folder.hpp"
#include "store_under_test.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

using kring::audit_entry;
using kring::ban_record;
using kring::report_record;
using kring::test::noted;

namespace {

std::vector<std::string> actions(std::vector<audit_entry> const& entries)
{
    std::vector<std::string> out;
    for (auto const& e : entries)
        out.push_back(e.action);
    return out;
}

std::vector<std::string> reasons(std::vector<ban_record> const& bans)
{
    std::vector<std::string> out;
    for (auto const& b : bans)
        out.push_back(b.reason);
    return out;
}

report_record report_in(std::string room, std::string message_id, std::int64_t at_ms)
{
    return {0, std::move(room), std::move(message_id), "the reported words", "p-author", "Quiet Heron 4",
            "p-reporter", "insulting", at_ms, std::nullopt, "", ""};
}

} // namespace

KRING_STORE_TEST(moderation_audit_whole, "audit entries come back whole, oldest first")
{
    auto const owned = under.open();
    auto& db = *owned;
    audit_entry const mute{2'000, "bo", "mute", "tea", "p-1", "minutes=10"};
    audit_entry const add{1'000, "cli", "moderator_add", "", "bo", "role=moderator"};
    db.audit(mute);
    db.audit(add);

    auto const all = db.audit_log({});
    REQUIRE(all.size() == 2);
    CHECK(all[0].at_ms == 1'000);
    CHECK(all[0].actor == "cli");
    CHECK(all[0].action == "moderator_add");
    CHECK(all[0].room.empty());
    CHECK(all[0].target == "bo");
    CHECK(all[0].detail == "role=moderator");
    CHECK(all[1].at_ms == 2'000);
    CHECK(all[1].actor == "bo");
    CHECK(all[1].room == "tea");
    CHECK(all[1].target == "p-1");
    CHECK(all[1].detail == "minutes=10");
}

KRING_STORE_TEST(moderation_audit_filtered, "the audit log is filtered by room and by a time span, from inclusive and until exclusive")
{
    auto const owned = under.open();
    auto& db = *owned;
    db.audit({100, "bo", "a", "tea", "", ""});
    db.audit({200, "bo", "b", "women", "", ""});
    db.audit({300, "bo", "c", "tea", "", ""});
    db.audit({400, "cli", "d", "", "", ""});

    CHECK(actions(db.audit_log({"tea", std::nullopt, std::nullopt})) == std::vector<std::string>{"a", "c"});
    CHECK(actions(db.audit_log({std::nullopt, 200, std::nullopt})) == std::vector<std::string>{"b", "c", "d"});
    CHECK(actions(db.audit_log({std::nullopt, std::nullopt, 300})) == std::vector<std::string>{"a", "b"});
    CHECK(actions(db.audit_log({std::nullopt, 200, 400})) == std::vector<std::string>{"b", "c"});
    CHECK(actions(db.audit_log({"tea", 101, 400})) == std::vector<std::string>{"c"});
    CHECK(db.audit_log({"nowhere", std::nullopt, std::nullopt}).empty());
    CHECK(db.audit_log({"' OR 1=1 --", std::nullopt, std::nullopt}).empty());
}

KRING_STORE_TEST(moderation_bans, "a ban is active until it expires, and purging deletes only the ended ones")
{
    auto const owned = under.open();
    auto& db = *owned;
    auto const device = kring::sha256("device");
    auto const address = kring::sha256("address");
    auto const room_ban = db.add_ban({0, "tea", device, address, 1'000, "ended", "bo", 10}, noted("ban"));
    auto const server_ban = db.add_ban({0, std::nullopt, device, std::nullopt, std::nullopt, "lasting", "amal", 20}, noted("ban"));
    db.add_ban({0, "tea", std::nullopt, address, 5'000, "later", "bo", 30}, noted("ban"));
    CHECK(room_ban != server_ban);

    CHECK(reasons(db.active_bans(999)) == std::vector<std::string>{"ended", "lasting", "later"});
    auto const active = db.active_bans(1'000);
    REQUIRE(reasons(active) == std::vector<std::string>{"lasting", "later"});
    CHECK(active[0].id == server_ban);
    CHECK_FALSE(active[0].room.has_value());
    CHECK(active[0].device == device);
    CHECK_FALSE(active[0].address.has_value());
    CHECK_FALSE(active[0].expires_at_ms.has_value());
    CHECK(active[0].by == "amal");
    CHECK(active[0].created_at_ms == 20);
    CHECK(active[1].room == "tea");
    CHECK_FALSE(active[1].device.has_value());
    CHECK(active[1].address == address);
    CHECK(active[1].expires_at_ms == 5'000);

    CHECK(under.count("bans") == 3);
    db.purge_ended_bans(1'000);
    CHECK(under.count("bans") == 2);
    db.purge_ended_bans(10'000);
    CHECK(under.count("bans") == 1);
    CHECK(reasons(db.active_bans(1'000'000)) == std::vector<std::string>{"lasting"});
}

KRING_STORE_TEST(moderation_server_secret, "the server secret is made once, 32 random bytes, and kept across reopening")
{
    kring::digest first{};
    {
        auto const db = under.open();
        first = db->server_secret();
        CHECK(db->server_secret() == first);
    }
    CHECK(first != kring::digest{});
    CHECK(under.open()->server_secret() == first);

    // length() counts a BLOB's bytes in SQLite and a bytea's in PostgreSQL.
    CHECK(under.count("secrets WHERE length(value) = 32") == 1);
    CHECK(under.count("secrets") == 1);

    // Another database of the same kind makes a secret of its own.
    std::unique_ptr<kring::test::store_under_test> other;
    if (under.is_postgresql())
        other = std::make_unique<kring::test::postgres_under_test>();
    else
        other = std::make_unique<kring::test::sqlite_under_test>();
    CHECK(other->open()->server_secret() != first);
}

KRING_STORE_TEST(moderation_reports, "reports stay open until resolved, then are purged once resolved before the cut-off")
{
    auto const owned = under.open();
    auto& db = *owned;
    auto const first = db.add_report(report_in("tea", "m-1", 100), noted("report"));
    auto const second = db.add_report(report_in("women", "m-2", 200), noted("report"));
    auto const third = db.add_report(report_in("tea", "m-3", 300), noted("report"));

    auto const found = db.find_report(first);
    REQUIRE(found.has_value());
    CHECK(found->room == "tea");
    CHECK(found->message_id == "m-1");
    CHECK(found->message_text == "the reported words");
    CHECK(found->author_id == "p-author");
    CHECK(found->author_name == "Quiet Heron 4");
    CHECK(found->reporter_id == "p-reporter");
    CHECK(found->reason == "insulting");
    CHECK(found->created_at_ms == 100);
    CHECK_FALSE(found->resolved_at_ms.has_value());
    CHECK_FALSE(db.find_report(first + second + third).has_value());

    CHECK(db.open_reports(std::nullopt).size() == 3);
    CHECK(db.open_reports("tea").size() == 2);
    CHECK(db.open_reports("nowhere").empty());

    CHECK(db.resolve_report(first, "bo", "mute", 1'000, noted("resolve")));
    CHECK_FALSE(db.resolve_report(first, "amal", "ban", 1'500, noted("resolve"))); // resolved already
    CHECK_FALSE(db.resolve_report(first + second + third, "bo", "", 1'000, noted("resolve")));
    CHECK(db.resolve_report(second, "amal", "", 2'000, noted("resolve")));
    auto const resolved = db.find_report(first);
    CHECK(resolved->resolved_at_ms == 1'000);
    CHECK(resolved->resolved_by == "bo");
    CHECK(resolved->resolution == "mute");
    auto const open = db.open_reports(std::nullopt);
    REQUIRE(open.size() == 1);
    CHECK(open[0].id == third);

    db.purge_resolved_reports(1'000);
    CHECK(under.count("reports") == 3);
    db.purge_resolved_reports(1'001);
    CHECK_FALSE(db.find_report(first).has_value());
    CHECK(db.find_report(second).has_value());
    db.purge_resolved_reports(100'000);
    CHECK_FALSE(db.find_report(second).has_value());
    CHECK(db.find_report(third).has_value()); // an open report is never purged
}

KRING_STORE_TEST(moderation_write_and_audit_atomic, "a write and its audit row land together, or neither does")
{
    auto const owned = under.open();
    auto& db = *owned;
    auto const id = db.add_staff("bo", kring::staff_role::moderator, "hash", kring::password_kind::chosen);
    REQUIRE(id);

    auto const ban = db.add_ban({0, "tea", kring::sha256("device"), std::nullopt, std::nullopt, "", "bo", 10},
                                noted("ban", "p-1"));
    auto const report = db.add_report(report_in("tea", "m-1", 100), noted("report"));
    db.add_login_token(kring::sha256("token"), *id, 10'000, noted("login", "bo"));
    db.revoke_token(kring::sha256("token"), noted("logout", "bo"));
    CHECK(db.resolve_report(report, "bo", "none", 200, noted("resolve")));
    CHECK(db.active_bans(0).at(0).id == ban);

    auto const log = db.audit_log({});
    REQUIRE(actions(log) == std::vector<std::string>{"ban", "report", "login", "logout", "resolve"});
    CHECK(log[0].target == "p-1");
    CHECK(log[1].target == std::to_string(report)); // a report's row names the new report

    SUBCASE("a refused resolve adds no row")
    {
        CHECK_FALSE(db.resolve_report(report, "bo", "none", 300, noted("resolve")));
        CHECK(db.audit_log({}).size() == 5);
    }
    SUBCASE("a write that fails takes its audit row with it")
    {
        // No staff has id 999: the token's foreign key fails the transaction.
        CHECK_THROWS(db.add_login_token(kring::sha256("orphan"), 999, 10'000, noted("login", "nobody")));
        CHECK(db.audit_log({}).size() == 5);
        CHECK(under.count("login_tokens") == 1);
    }
}
