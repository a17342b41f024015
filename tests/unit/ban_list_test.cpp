#include "circle/ban_list.hpp"

#include <doctest/doctest.h>

using namespace kring;

namespace {

digest mark(unsigned char seed)
{
    digest d{};
    d.fill(seed);
    return d;
}

ban_record stored_ban(std::int64_t id, std::optional<std::string> room, digest device,
                      std::optional<std::int64_t> until = std::nullopt)
{
    ban_record ban;
    ban.id = id;
    ban.room = std::move(room);
    ban.device = device;
    ban.expires_at_ms = until;
    return ban;
}

} // namespace

TEST_CASE("a ban holds for its room, or every room, until it ends")
{
    ban_list bans;
    bans.add(stored_ban(1, "tea", mark(1), 1000));
    bans.add(stored_ban(2, std::nullopt, mark(2)));
    ban_marks const first{mark(1), std::nullopt};
    ban_marks const second{mark(2), std::nullopt};
    CHECK(bans.holds("tea", "x", first, 999));
    CHECK_FALSE(bans.holds("tea", "x", first, 1000)); // ended
    CHECK_FALSE(bans.holds("other", "x", first, 0));  // another room
    CHECK(bans.holds("any", "x", second, 5000));      // server-wide, no end
    CHECK_FALSE(bans.holds("tea", "x", ban_marks{mark(3), mark(4)}, 0));
}

TEST_CASE("an address ban holds for a new device on the same network")
{
    ban_list bans;
    ban_record ban;
    ban.id = 7;
    ban.room = "tea";
    ban.address = mark(9);
    bans.add(ban);
    CHECK(bans.holds("tea", "x", ban_marks{mark(1), mark(9)}, 0));
    CHECK_FALSE(bans.holds("tea", "x", ban_marks{mark(1), mark(8)}, 0));
}

TEST_CASE("reloading takes up bans lifted in the store and keeps identity-only bans")
{
    ban_list bans;
    bans.add(stored_ban(1, "tea", mark(1)));
    bans.add(stored_ban(2, "tea", mark(2)));
    ban_record identity_only;
    identity_only.room = "tea";
    bans.add(identity_only, "member-without-device");

    bans.reload({stored_ban(2, "tea", mark(2))}); // ban 1 was lifted
    CHECK_FALSE(bans.holds("tea", "x", ban_marks{mark(1), std::nullopt}, 0));
    CHECK(bans.holds("tea", "x", ban_marks{mark(2), std::nullopt}, 0));
    CHECK(bans.holds("tea", "member-without-device", ban_marks{}, 0));
    CHECK_FALSE(bans.holds("tea", "someone-else", ban_marks{}, 0));
}
