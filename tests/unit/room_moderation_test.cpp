// What the moderators' verbs on members and messages do, as the members see
// it: mute, unmute, remove, ban, delete, pin, and finding a reported message.
// Who may use them, and the rules they set, are in room_rules_test.cpp.
#include "circle_people.hpp"

#include <boost/json/value.hpp>

#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace json = boost::json;
using kring::ban_target;
using kring::reported_message;
using namespace kring::test;

namespace {

// What a newcomer's joined.room shows pinned, if anything.
std::optional<json::object> pinned_for_a_newcomer(std::shared_ptr<kring::room> const& circle)
{
    auto newcomer = make_person("newcomer");
    REQUIRE(join(circle, newcomer, "Newcomer") == "joined");
    auto const room = parsed(newcomer.last()).at("room").as_object();
    if (!room.contains("pinned"))
        return std::nullopt;
    return room.at("pinned").as_object();
}

} // namespace

TEST_CASE("a muted member still hears the room, but its say gets muted until unmute")
{
    auto const circle = make_room();
    auto mona = make_moderator("mona", "Mona", {"demo"});
    auto amal = make_person("amal");
    auto badr = make_person("badr");
    seat(circle, {&mona, &amal, &badr});
    auto const before = counts({&mona, &amal, &badr});

    REQUIRE(circle->mute(*mona.who, "amal", std::nullopt, 1000).done());
    // Not before the circle: only the moderators and the member hear of it.
    CHECK(counts({&mona, &amal, &badr}) == std::vector<std::size_t>{before[0] + 1, before[1] + 1, before[2]});
    CHECK(amal.last().get() == mona.last().get());
    CHECK(parsed(mona.last()) == json::object{{"type", "muted"}, {"room", "demo"}, {"member", "amal"}});

    auto const after_mute = counts({&mona, &amal, &badr});
    CHECK(outcome(circle->say(*amal.who, "can you hear me?", std::nullopt, 2000)) == "muted");
    CHECK(outcome(circle->say(*amal.who, "much later", std::nullopt, 999'999'999)) == "muted");
    CHECK(counts({&mona, &amal, &badr}) == after_mute);
    REQUIRE(circle->say(*badr.who, "I am not muted", std::nullopt, 2000).done());
    CHECK(text(parsed(amal.last()), "text") == "I am not muted");

    SUBCASE("the mute stays through leaving and rejoining")
    {
        REQUIRE(circle->leave(*amal.who).done());
        REQUIRE(join(circle, amal, "Amal") == "joined");
        CHECK(outcome(circle->say(*amal.who, "back", std::nullopt, 3000)) == "muted");
    }
    SUBCASE("unmute tells the moderators and the member, and lets it speak again")
    {
        auto const now = counts({&mona, &amal, &badr});
        REQUIRE(circle->unmute(*mona.who, "amal").done());
        CHECK(counts({&mona, &amal, &badr}) == std::vector<std::size_t>{now[0] + 1, now[1] + 1, now[2]});
        CHECK(parsed(amal.last()) == json::object{{"type", "unmuted"}, {"room", "demo"}, {"member", "amal"}});
        CHECK(mona.last().get() == amal.last().get());
        CHECK(circle->say(*amal.who, "thank you", std::nullopt, 3000).done());
    }
    SUBCASE("a member who left can be unmuted before coming back")
    {
        REQUIRE(circle->leave(*amal.who).done());
        auto const badr_had = badr.received();
        REQUIRE(circle->unmute(*mona.who, "amal").done());
        CHECK(type_of(mona.last()) == "unmuted");
        CHECK(badr.received() == badr_had);
        REQUIRE(join(circle, amal, "Amal") == "joined");
        CHECK(circle->say(*amal.who, "hello again", std::nullopt, 3000).done());
    }
}

TEST_CASE("unmuting a moderator or an admin is forbidden too")
{
    auto const circle = make_room();
    auto mona = make_moderator("mona", "Mona", {"demo"});
    auto nour = make_moderator("nour", "Nour", {"demo"});
    auto ada = make_admin("ada", "Ada");
    auto amal = make_person("amal");
    give_device(nour, "shared-tablet");
    give_device(amal, "shared-tablet");
    seat(circle, {&mona, &nour, &ada, &amal});
    REQUIRE(circle->mute(*mona.who, "amal", std::nullopt, 1).done());
    auto const before = counts({&mona, &nour, &ada, &amal});

    CHECK(outcome(circle->unmute(*mona.who, "nour")) == "forbidden");
    CHECK(outcome(circle->unmute(*mona.who, "ada")) == "forbidden");
    CHECK(counts({&mona, &nour, &ada, &amal}) == before);
    // Nor does it lift the mute of a participant on the same device.
    CHECK(outcome(circle->say(*amal.who, "am I free?", std::nullopt, 2)) == "muted");
}

TEST_CASE("a mute with until ends by itself at that time")
{
    auto const circle = make_room();
    auto mona = make_moderator("mona", "Mona", {"demo"});
    auto amal = make_person("amal");
    seat(circle, {&mona, &amal});

    REQUIRE(circle->mute(*mona.who, "amal", 61'000, 1'000).done());
    CHECK(parsed(amal.last())
          == json::object{{"type", "muted"}, {"room", "demo"}, {"member", "amal"}, {"until", 61'000}});

    SUBCASE("muted until then, free from then on")
    {
        CHECK(outcome(circle->say(*amal.who, "early", std::nullopt, 60'999)) == "muted");
        CHECK(circle->say(*amal.who, "on time", std::nullopt, 61'000).done());
        CHECK(text(parsed(amal.last()), "text") == "on time");
    }
    SUBCASE("muting again without until replaces it with a mute that does not end")
    {
        REQUIRE(circle->mute(*mona.who, "amal", std::nullopt, 2'000).done());
        CHECK_FALSE(parsed(amal.last()).contains("until"));
        CHECK(outcome(circle->say(*amal.who, "later", std::nullopt, 120'000)) == "muted");
    }
    SUBCASE("muting again with a sooner until shortens it")
    {
        REQUIRE(circle->mute(*mona.who, "amal", 5'000, 2'000).done());
        CHECK(number(parsed(amal.last()), "until") == 5'000u);
        CHECK(circle->say(*amal.who, "sooner", std::nullopt, 5'000).done());
    }
}

TEST_CASE("remove takes a member out with removed, which replaces member_left")
{
    auto const circle = make_room();
    auto mona = make_moderator("mona", "Mona", {"demo"});
    auto amal = make_person("amal");
    auto badr = make_person("badr");
    seat(circle, {&mona, &amal, &badr});
    auto const before = counts({&mona, &amal, &badr});

    SUBCASE("with a reason")
    {
        REQUIRE(circle->remove(*mona.who, "badr", std::string{"please be kind"}).done());
        CHECK(parsed(badr.last()) == json::object{{"type", "removed"}, {"room", "demo"}, {"member", "badr"},
                                                  {"reason", "please be kind"}});
    }
    SUBCASE("without a reason")
    {
        REQUIRE(circle->remove(*mona.who, "badr", std::nullopt).done());
        CHECK(parsed(badr.last()) == json::object{{"type", "removed"}, {"room", "demo"}, {"member", "badr"}});
    }
    // Everyone got that one frame and nothing else: no left, no member_left.
    CHECK(counts({&mona, &amal, &badr}) == one_more_each(before));
    CHECK(amal.last().get() == badr.last().get());
    CHECK(circle->member_count() == 2);
    CHECK(badr.who->room_count() == 0);
    CHECK(outcome(circle->say(*badr.who, "hello?", std::nullopt, 1)) == "not_in_room");
    auto const badr_out = badr.received();
    REQUIRE(circle->say(*amal.who, "after", std::nullopt, 1).done());
    CHECK(badr.received() == badr_out);
    CHECK(join(circle, badr, "Badr") == "joined"); // it was not banned
}

TEST_CASE("a ban names its target with its marks, and apply_ban takes it out with banned")
{
    auto const circle = make_room();
    auto mona = make_moderator("mona", "Mona", {"demo"});
    auto amal = make_person("amal");
    auto badr = make_person("badr");
    give_device(badr, "badr-phone");
    seat(circle, {&mona, &amal, &badr});

    SUBCASE("a seated member, banned from the room for a while")
    {
        auto const target = circle->ban_target_of(*mona.who, "badr");
        REQUIRE(std::holds_alternative<ban_target>(target));
        CHECK(std::get<ban_target>(target).who == badr.who);
        CHECK(std::get<ban_target>(target).marks.device == kring::sha256("badr-phone"));
        CHECK_FALSE(std::get<ban_target>(target).marks.address);
        CHECK(type_of(badr.last()) == "joined"); // naming the target tells no one

        auto const before = counts({&mona, &amal, &badr});
        circle->apply_ban("badr", "room", 3'600'000);
        CHECK(parsed(badr.last()) == json::object{{"type", "banned"}, {"room", "demo"}, {"member", "badr"},
                                                  {"until", 3'600'000}, {"scope", "room"}});
        CHECK(counts({&mona, &amal, &badr}) == one_more_each(before));
        CHECK(amal.last().get() == badr.last().get());
        CHECK(circle->member_count() == 2);
        CHECK(badr.who->room_count() == 0);
        CHECK(outcome(circle->say(*badr.who, "hey", std::nullopt, 1)) == "not_in_room");
    }
    SUBCASE("a server-wide ban without end")
    {
        circle->apply_ban("badr", "server", std::nullopt);
        CHECK(parsed(amal.last()) == json::object{{"type", "banned"}, {"room", "demo"}, {"member", "badr"},
                                                  {"scope", "server"}});
        CHECK(circle->member_count() == 2);
    }
    SUBCASE("someone in the waiting room")
    {
        REQUIRE(circle->configure(*mona.who, true, std::nullopt, std::nullopt).done());
        auto wafa = make_person("wafa");
        give_device(wafa, "wafa-phone");
        REQUIRE(join(circle, wafa, "Wafa") == "waiting");
        auto const target = circle->ban_target_of(*mona.who, "wafa");
        REQUIRE(std::holds_alternative<ban_target>(target));
        CHECK(std::get<ban_target>(target).who == wafa.who);
        CHECK(std::get<ban_target>(target).marks.device == kring::sha256("wafa-phone"));

        auto const seated_before = counts({&mona, &amal, &badr});
        auto const wafa_before = wafa.received();
        circle->apply_ban("wafa", "room", std::nullopt);
        REQUIRE(wafa.received() == wafa_before + 1);
        CHECK(parsed(wafa.last()) == json::object{{"type", "banned"}, {"room", "demo"}, {"member", "wafa"},
                                                  {"scope", "room"}});
        CHECK(wafa.who->waiting_count() == 0);
        CHECK(counts({&mona, &amal, &badr}) == seated_before);
        CHECK(outcome(circle->admit(*mona.who, "wafa")) == "no_such_member");
        CHECK(circle->member_count() == 3);
    }
    SUBCASE("someone who is not here: nothing to do")
    {
        auto const before = counts({&mona, &amal, &badr});
        circle->apply_ban("nobody", "room", std::nullopt);
        CHECK(counts({&mona, &amal, &badr}) == before);
        CHECK(circle->member_count() == 3);
    }
}

TEST_CASE("delete takes a message out of the ring and tells everyone")
{
    auto const circle = make_session_room();
    auto mona = make_moderator("mona", "Mona", {"demo"});
    auto amal = make_person("amal");
    auto badr = make_person("badr");
    seat(circle, {&mona, &amal, &badr});
    std::vector<std::string> said;
    for (int i = 1; i <= 3; ++i) {
        REQUIRE(circle->say(*amal.who, "message " + std::to_string(i), std::nullopt, i).done());
        said.push_back(text(parsed(amal.last()), "id"));
    }

    SUBCASE("everyone hears deleted, and later joins do not get the message")
    {
        auto const before = counts({&mona, &amal, &badr});
        REQUIRE(circle->delete_message(*mona.who, said[1]).done());
        CHECK(counts({&mona, &amal, &badr}) == one_more_each(before));
        CHECK(parsed(badr.last()) == json::object{{"type", "deleted"}, {"room", "demo"}, {"message", said[1]}});

        auto chen = make_person("chen");
        REQUIRE(join(circle, chen, "Chen") == "joined");
        auto const joined = parsed(chen.last());
        CHECK(history_seqs(joined) == seqs{1, 3});
        CHECK_FALSE(joined.contains("deleted"));
        CHECK(outcome(circle->delete_message(*mona.who, said[1])) == "no_such_message");
        CHECK(outcome(circle->pin(*mona.who, said[1], std::nullopt)) == "no_such_message");
        CHECK(outcome(circle->find_reportable(*badr.who, said[1])) == "no_such_message");
    }
    SUBCASE("a resume after the deletion names it in deleted")
    {
        badr.who->detach(badr.sink.get());
        REQUIRE(circle->delete_message(*mona.who, said[1]).done());
        auto const fresh = std::make_shared<recording_sink>();
        badr.who->attach(fresh);
        circle->resume(*badr.who, 3);
        REQUIRE(fresh->frames.size() == 1);
        auto const joined = parsed(fresh->frames.back());
        CHECK(history_seqs(joined).empty());
        REQUIRE(joined.contains("deleted"));
        CHECK(joined.at("deleted") == json::value(json::array{json::string(said[1])}));
    }
    SUBCASE("a resume does not repeat a deletion heard before since")
    {
        REQUIRE(circle->delete_message(*mona.who, said[0]).done());
        REQUIRE(circle->say(*amal.who, "message 4", std::nullopt, 4).done());
        badr.who->detach(badr.sink.get());
        auto const fresh = std::make_shared<recording_sink>();
        badr.who->attach(fresh);
        circle->resume(*badr.who, 4);
        REQUIRE(fresh->frames.size() == 1);
        CHECK_FALSE(parsed(fresh->frames.back()).contains("deleted"));
    }
    SUBCASE("an unknown message gives no_such_message and tells no one")
    {
        auto const before = counts({&mona, &amal, &badr});
        CHECK(outcome(circle->delete_message(*mona.who, "m-nope")) == "no_such_message");
        CHECK(counts({&mona, &amal, &badr}) == before);
    }
}

TEST_CASE("deleting the pinned message unpins it")
{
    auto const circle = make_room();
    auto mona = make_moderator("mona", "Mona", {"demo"});
    auto amal = make_person("amal");
    REQUIRE(join(circle, mona, "Mona") == "joined");
    REQUIRE(join(circle, amal, "Amal") == "joined");
    REQUIRE(circle->say(*amal.who, "pin me", std::nullopt, 1).done());
    auto const pinned_id = text(parsed(amal.last()), "id");
    REQUIRE(circle->say(*amal.who, "not me", std::nullopt, 2).done());
    auto const other_id = text(parsed(amal.last()), "id");
    REQUIRE(circle->pin(*mona.who, pinned_id, std::nullopt).done());
    auto const before = amal.received();

    SUBCASE("the pinned one: deleted, then pinned without anything")
    {
        REQUIRE(circle->delete_message(*mona.who, pinned_id).done());
        CHECK(types_since(amal, before) == ids{"deleted", "pinned"});
        CHECK(parsed(amal.last()) == json::object{{"type", "pinned"}, {"room", "demo"}});
        CHECK_FALSE(pinned_for_a_newcomer(circle));
    }
    SUBCASE("another one: the pin stays")
    {
        REQUIRE(circle->delete_message(*mona.who, other_id).done());
        CHECK(types_since(amal, before) == ids{"deleted"});
        auto const shown = pinned_for_a_newcomer(circle);
        REQUIRE(shown);
        CHECK(text(*shown, "message") == pinned_id);
    }
}

TEST_CASE("pin shows everyone a message or a prompt, and pinning nothing unpins")
{
    auto const circle = make_room();
    auto mona = make_moderator("mona", "Mona", {"demo"});
    auto amal = make_person("amal");
    REQUIRE(join(circle, mona, "Mona") == "joined");
    REQUIRE(join(circle, amal, "Amal") == "joined");
    REQUIRE(circle->say(*amal.who, "Let us breathe together", std::nullopt, 1).done());
    auto const message = text(parsed(amal.last()), "id");
    auto const before = counts({&mona, &amal});

    SUBCASE("a message of the ring")
    {
        REQUIRE(circle->pin(*mona.who, message, std::nullopt).done());
        CHECK(counts({&mona, &amal}) == one_more_each(before));
        CHECK(parsed(amal.last()) == json::object{{"type", "pinned"}, {"room", "demo"}, {"message", message},
                                                  {"text", "Let us breathe together"}, {"by", "Mona"}});
        CHECK(pinned_for_a_newcomer(circle)
              == json::object{{"message", message}, {"text", "Let us breathe together"}, {"by", "Mona"}});
    }
    SUBCASE("a prompt, which replaces a pinned message")
    {
        REQUIRE(circle->pin(*mona.who, message, std::nullopt).done());
        REQUIRE(circle->pin(*mona.who, std::nullopt, std::string{"What helped you this week?"}).done());
        CHECK(parsed(amal.last()) == json::object{{"type", "pinned"}, {"room", "demo"},
                                                  {"text", "What helped you this week?"}, {"by", "Mona"}});
        CHECK(pinned_for_a_newcomer(circle) == json::object{{"text", "What helped you this week?"}, {"by", "Mona"}});
    }
    SUBCASE("neither unpins")
    {
        REQUIRE(circle->pin(*mona.who, std::nullopt, std::string{"a prompt"}).done());
        REQUIRE(circle->pin(*mona.who, std::nullopt, std::nullopt).done());
        CHECK(parsed(amal.last()) == json::object{{"type", "pinned"}, {"room", "demo"}});
        CHECK_FALSE(pinned_for_a_newcomer(circle));
    }
    SUBCASE("an unknown message gives no_such_message and keeps the pin")
    {
        REQUIRE(circle->pin(*mona.who, message, std::nullopt).done());
        auto const pinned_once = counts({&mona, &amal});
        CHECK(outcome(circle->pin(*mona.who, std::string{"m-nope"}, std::nullopt)) == "no_such_message");
        CHECK(counts({&mona, &amal}) == pinned_once);
        auto const shown = pinned_for_a_newcomer(circle);
        REQUIRE(shown);
        CHECK(text(*shown, "message") == message);
    }
}

TEST_CASE("find_reportable gives a member the message as the ring holds it")
{
    auto const circle = make_room(12, 2);
    auto mona = make_moderator("mona", "Mona", {"demo"});
    auto amal = make_person("amal");
    auto badr = make_person("badr");
    seat(circle, {&mona, &badr});
    REQUIRE(join(circle, amal, "Amal") == "joined");
    REQUIRE(circle->say(*amal.who, "hurtful words", std::nullopt, 1).done());
    auto const message = text(parsed(amal.last()), "id");

    for (auto const* reporter : {&badr, &mona}) {
        auto const found = circle->find_reportable(*reporter->who, message);
        REQUIRE(std::holds_alternative<reported_message>(found));
        auto const& report = std::get<reported_message>(found);
        CHECK(report.id == message);
        CHECK(report.text == "hurtful words");
        CHECK(report.author_id == "amal");
        CHECK(report.author_name == "Amal"); // the name in this room, not the pseudonym
    }
    CHECK(outcome(circle->find_reportable(*badr.who, "m-nope")) == "no_such_message");
    auto chen = make_person("chen");
    CHECK(outcome(circle->find_reportable(*chen.who, message)) == "not_in_room");
    REQUIRE(circle->leave(*badr.who).done());
    CHECK(outcome(circle->find_reportable(*badr.who, message)) == "not_in_room");

    SUBCASE("a message that fell out of the ring can no longer be reported")
    {
        REQUIRE(circle->say(*amal.who, "two", std::nullopt, 2).done());
        REQUIRE(circle->say(*amal.who, "three", std::nullopt, 3).done());
        CHECK(outcome(circle->find_reportable(*mona.who, message)) == "no_such_message");
    }
}
