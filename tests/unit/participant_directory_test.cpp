#include "circle/participant_directory.hpp"
#include "circle_people.hpp"
#include "identity.hpp"

#include <boost/asio/io_context.hpp>

#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <optional>
#include <vector>

using kring::identity_limits;
using kring::participant;
using kring::participant_directory;
using kring::test::recording_sink;

namespace {

kring::digest const network_a = kring::sha256("network a");
kring::digest const network_b = kring::sha256("network b");

// A directory whose grace period never ends during a test, with its clients.
struct directory {
    boost::asio::io_context ioc;
    kring::network_table networks{{}, 1000};
    participant_directory identities;
    std::vector<std::shared_ptr<recording_sink>> sinks;
    std::map<participant const*, std::string> tokens; // as each client keeps its own

    explicit directory(identity_limits limits)
        : identities(ioc.get_executor(), std::chrono::hours{1}, networks, limits)
    {
    }

    std::shared_ptr<participant> connect(std::optional<kring::digest> network)
    {
        auto [who, token] = identities.create(network);
        tokens[who.get()] = token;
        sinks.push_back(std::make_shared<recording_sink>());
        who->attach(sinks.back());
        return who;
    }

    void drop(std::shared_ptr<participant> const& who)
    {
        for (auto const& sink : sinks)
            if (auto const generation = who->detach(sink.get()))
                return identities.disconnected(who, generation);
        FAIL("not connected");
    }

    // Whether the identity can still be resumed (it is, on a new connection).
    bool resumable(std::shared_ptr<participant> const& who)
    {
        sinks.push_back(std::make_shared<recording_sink>());
        return identities.claim(tokens.at(who.get()), sinks.back()).who == who;
    }
};

} // namespace

TEST_CASE("past its network's limit, a new identity takes the place of that network's longest-dropped one")
{
    directory d{{100, 2}};
    auto const first = d.connect(network_a);
    auto const second = d.connect(network_a);
    auto const elsewhere = d.connect(network_b);
    d.drop(first);
    d.drop(second);
    d.drop(elsewhere);
    REQUIRE(d.identities.size() == 3);

    auto const third = d.connect(network_a);
    CHECK(d.identities.size() == 3);
    CHECK_FALSE(d.resumable(first));
    CHECK(d.resumable(second));
    CHECK(d.resumable(elsewhere)); // another network's identities are not touched
    CHECK(third->id() != first->id());
}

TEST_CASE("a connected identity never gives way, whatever the limits")
{
    directory d{{2, 1}};
    auto const first = d.connect(network_a);
    auto const second = d.connect(network_a);
    auto const third = d.connect(network_b);
    CHECK(d.identities.size() == 3);
    CHECK(d.resumable(first));
    CHECK(d.resumable(second));
}

TEST_CASE("past the total limit, the identity dropped longest ago of any network gives way")
{
    directory d{{3, 100}};
    auto const first = d.connect(network_b);
    auto const second = d.connect(network_a);
    auto const third = d.connect(std::nullopt);
    d.drop(first);
    d.drop(second);
    d.drop(third);

    d.connect(network_a);
    CHECK(d.identities.size() == 3);
    CHECK_FALSE(d.resumable(first));
    CHECK(d.resumable(second));
    CHECK(d.resumable(third));
}

TEST_CASE("a resumed identity is no longer waiting, so it is not the one to give way")
{
    directory d{{100, 2}};
    auto const first = d.connect(network_a);
    auto const second = d.connect(network_a);
    d.drop(first);
    d.drop(second);
    REQUIRE(d.resumable(first)); // first is connected again; second still waits

    d.connect(network_a);
    CHECK(d.resumable(first));
    CHECK_FALSE(d.resumable(second));
}

TEST_CASE("an identity that gives way leaves its circles")
{
    directory d{{100, 1}};
    auto const circle = kring::test::make_room();
    auto const first = d.connect(network_a);
    REQUIRE(circle->join(first, "Amal").index() == 0);
    d.drop(first);
    REQUIRE(circle->member_count() == 1);

    d.connect(network_a);
    CHECK(circle->member_count() == 0);
    CHECK(first->room_count() == 0);
}

TEST_CASE("forgetting and expiring an identity frees its network's place")
{
    directory d{{100, 1}};
    auto const first = d.connect(network_a);
    d.identities.forget(first);
    CHECK(d.identities.size() == 0);
    auto const second = d.connect(network_a);
    auto const third = d.connect(network_a); // second is connected: nobody gives way
    d.drop(second);
    d.connect(network_a); // second was the only one waiting
    CHECK_FALSE(d.resumable(second));
    CHECK(d.resumable(third));
}
