#include "circle_people.hpp"

#include <boost/json/value.hpp>

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace json = boost::json;
using kring::room;
using kring::shared_frame;
using namespace kring::test;

TEST_CASE("joining sends joined to the joiner and member_joined to the others")
{
    auto const circle = make_room();
    auto amal = make_person("amal");
    auto badr = make_person("badr");

    REQUIRE(join(circle, amal, "Amal") == "joined");
    REQUIRE(amal.received() == 1);
    auto const first = parsed(amal.last());
    CHECK(text(first, "type") == "joined");
    CHECK(text(first.at("room").as_object(), "slug") == "demo");
    CHECK(text(first.at("room").as_object(), "title") == "Demo circle");
    CHECK(number(first.at("room").as_object(), "capacity") == 12);
    CHECK(text(first.at("you").as_object(), "id") == "amal");
    CHECK(text(first.at("you").as_object(), "name") == "Amal");
    CHECK(text(first.at("you").as_object(), "role") == "participant");
    CHECK(member_ids(first) == ids{"amal"});
    CHECK(history_seqs(first).empty());
    CHECK(number(first, "seq") == 0);
    CHECK_FALSE(first.contains("gap"));

    REQUIRE(join(circle, badr, "Badr") == "joined");
    REQUIRE(badr.received() == 1);
    auto const second = parsed(badr.last());
    CHECK(text(second, "type") == "joined");
    CHECK(text(second.at("you").as_object(), "name") == "Badr");
    CHECK(member_ids(second) == ids{"amal", "badr"});

    REQUIRE(amal.received() == 2);
    auto const announced = parsed(amal.last());
    CHECK(text(announced, "type") == "member_joined");
    CHECK(text(announced, "room") == "demo");
    CHECK(text(announced.at("member").as_object(), "id") == "badr");
    CHECK(text(announced.at("member").as_object(), "name") == "Badr");
    CHECK(text(announced.at("member").as_object(), "role") == "participant");

    CHECK(circle->member_count() == 2);
    CHECK(amal.who->room_count() == 1);
    CHECK(amal.who->rooms().front() == circle);
}

TEST_CASE("a full room refuses a join with room_full")
{
    auto const circle = make_room(2);
    auto amal = make_person("amal");
    auto badr = make_person("badr");
    auto chen = make_person("chen");
    REQUIRE(join(circle, amal, "Amal") == "joined");
    REQUIRE(join(circle, badr, "Badr") == "joined");
    auto const amal_before = amal.received();
    auto const badr_before = badr.received();

    CHECK(join(circle, chen, "Chen") == "room_full");
    CHECK(chen.received() == 0);
    CHECK(chen.who->room_count() == 0);
    CHECK(amal.received() == amal_before);
    CHECK(badr.received() == badr_before);
    CHECK(circle->member_count() == 2);

    SUBCASE("a seat freed by leaving can be taken")
    {
        REQUIRE(circle->leave(*badr.who).done());
        CHECK(join(circle, chen, "Chen") == "joined");
        CHECK(type_of(chen.last()) == "joined");
    }
}

TEST_CASE("joining a room twice gives already_joined")
{
    auto const circle = make_room();
    auto amal = make_person("amal");
    REQUIRE(join(circle, amal, "Amal") == "joined");
    CHECK(join(circle, amal, "Amal again") == "already_joined");
    CHECK(amal.received() == 1);
    CHECK(circle->member_count() == 1);
    CHECK(amal.who->room_count() == 1);
}

TEST_CASE("a message is written once and shared by every member")
{
    auto const circle = make_room();
    auto amal = make_person("amal");
    auto badr = make_person("badr");
    auto chen = make_person("chen");
    for (auto* p : {&amal, &badr, &chen})
        REQUIRE(join(circle, *p, "Name of " + p->who->id()) == "joined");

    SUBCASE("without ref everyone, the sender included, gets the same frame")
    {
        REQUIRE(circle->say(*badr.who, "Good evening everyone", std::nullopt, 1795000000123).done());
        auto const& shared = badr.last();
        CHECK(amal.last().get() == shared.get());
        CHECK(chen.last().get() == shared.get());
        auto const message = parsed(shared);
        CHECK(text(message, "type") == "message");
        CHECK(text(message, "room") == "demo");
        CHECK(number(message, "seq") == 1);
        CHECK(text(message, "text") == "Good evening everyone");
        CHECK(number(message, "ts") == 1795000000123u);
        CHECK(text(message.at("from").as_object(), "id") == "badr");
        CHECK(text(message.at("from").as_object(), "name") == "Name of badr");
        CHECK(text(message.at("from").as_object(), "role") == "participant");
        CHECK_FALSE(text(message, "id").empty());
        CHECK_FALSE(message.contains("ref"));
    }
    SUBCASE("with ref the others share one frame and the sender gets its own copy with the ref")
    {
        auto const badr_before = badr.received();
        REQUIRE(circle->say(*badr.who, "hello", std::string_view{"c7"}, 5).done());
        CHECK(badr.received() == badr_before + 1);
        CHECK(amal.last().get() == chen.last().get());
        CHECK(badr.last().get() != amal.last().get());

        auto const theirs = parsed(amal.last());
        auto const own = parsed(badr.last());
        CHECK_FALSE(theirs.contains("ref"));
        CHECK(text(own, "ref") == "c7");
        CHECK(number(own, "seq") == number(theirs, "seq"));
        CHECK(text(own, "id") == text(theirs, "id"));
        CHECK(text(own, "text") == "hello");
        CHECK(text(theirs, "text") == "hello");
    }
    SUBCASE("every member gets exactly one frame per message")
    {
        auto const amal_before = amal.received();
        auto const badr_before = badr.received();
        auto const chen_before = chen.received();
        REQUIRE(circle->say(*amal.who, "one", std::string_view{"r"}, 1).done());
        CHECK(amal.received() == amal_before + 1);
        CHECK(badr.received() == badr_before + 1);
        CHECK(chen.received() == chen_before + 1);
        REQUIRE(circle->say(*amal.who, "two", std::nullopt, 2).done());
        CHECK(amal.received() == amal_before + 2);
        CHECK(badr.received() == badr_before + 2);
        CHECK(chen.received() == chen_before + 2);
    }
    SUBCASE("message ids differ")
    {
        REQUIRE(circle->say(*amal.who, "one", std::nullopt, 1).done());
        auto const first_id = text(parsed(amal.last()), "id");
        REQUIRE(circle->say(*amal.who, "two", std::nullopt, 2).done());
        CHECK(text(parsed(amal.last()), "id") != first_id);
    }
}

TEST_CASE("seq rises by one per message")
{
    auto const circle = make_room();
    auto amal = make_person("amal");
    auto badr = make_person("badr");
    REQUIRE(join(circle, amal, "Amal") == "joined");
    REQUIRE(join(circle, badr, "Badr") == "joined");

    for (std::uint64_t expected = 1; expected <= 5; ++expected) {
        auto& speaker = expected % 2 ? amal : badr;
        REQUIRE(circle->say(*speaker.who, "turn", std::nullopt, 1).done());
        CHECK(number(parsed(amal.last()), "seq") == expected);
    }

    auto chen = make_person("chen");
    REQUIRE(join(circle, chen, "Chen") == "joined");
    CHECK(number(parsed(chen.last()), "seq") == 5);
}

TEST_CASE("a room's history keeps its last messages, oldest first")
{
    SUBCASE("the ring keeps the last history_limit messages")
    {
        auto const circle = make_session_room(12, 3);
        auto amal = make_person("amal");
        REQUIRE(join(circle, amal, "Amal") == "joined");
        std::vector<shared_frame> said;
        for (int i = 1; i <= 5; ++i) {
            REQUIRE(circle->say(*amal.who, "message " + std::to_string(i), std::nullopt, i).done());
            said.push_back(amal.last());
        }

        auto badr = make_person("badr");
        REQUIRE(join(circle, badr, "Badr") == "joined");
        auto const joined = parsed(badr.last());
        CHECK(history_seqs(joined) == seqs{3, 4, 5});
        CHECK(number(joined, "seq") == 5);
        CHECK(text(joined.at("history").as_array()[0].as_object(), "text") == "message 3");
        // The frames are spliced as they were sent.
        auto const spliced = std::string{said[2]->text()} + "," + std::string{said[3]->text()} + "," + std::string{said[4]->text()};
        CHECK(badr.last()->text().find(spliced) != std::string_view::npos);
    }
    SUBCASE("fewer messages than the limit are all kept")
    {
        auto const circle = make_session_room(12, 10);
        auto amal = make_person("amal");
        REQUIRE(join(circle, amal, "Amal") == "joined");
        REQUIRE(circle->say(*amal.who, "a", std::nullopt, 1).done());
        REQUIRE(circle->say(*amal.who, "b", std::nullopt, 2).done());
        auto badr = make_person("badr");
        REQUIRE(join(circle, badr, "Badr") == "joined");
        CHECK(history_seqs(parsed(badr.last())) == seqs{1, 2});
    }
    SUBCASE("the sender's ref stays out of the history")
    {
        auto const circle = make_session_room(12, 10);
        auto amal = make_person("amal");
        REQUIRE(join(circle, amal, "Amal") == "joined");
        REQUIRE(circle->say(*amal.who, "a", std::string_view{"secret-ref"}, 1).done());
        auto badr = make_person("badr");
        REQUIRE(join(circle, badr, "Badr") == "joined");
        CHECK(badr.last()->text().find("secret-ref") == std::string_view::npos);
        CHECK(history_seqs(parsed(badr.last())) == seqs{1});
    }
    SUBCASE("a history limit of 0 keeps nothing, while seq still counts")
    {
        auto const circle = make_session_room(12, 0);
        auto amal = make_person("amal");
        REQUIRE(join(circle, amal, "Amal") == "joined");
        REQUIRE(circle->say(*amal.who, "a", std::nullopt, 1).done());
        auto badr = make_person("badr");
        REQUIRE(join(circle, badr, "Badr") == "joined");
        auto const joined = parsed(badr.last());
        CHECK(history_seqs(joined).empty());
        CHECK(number(joined, "seq") == 1);
    }
}

TEST_CASE("leaving sends left and member_left, and the leaver can no longer speak")
{
    auto const circle = make_room();
    auto amal = make_person("amal");
    auto badr = make_person("badr");
    REQUIRE(join(circle, amal, "Amal") == "joined");
    REQUIRE(join(circle, badr, "Badr") == "joined");

    REQUIRE(circle->leave(*badr.who).done());
    auto const left = parsed(badr.last());
    CHECK(text(left, "type") == "left");
    CHECK(text(left, "room") == "demo");
    auto const member_left = parsed(amal.last());
    CHECK(text(member_left, "type") == "member_left");
    CHECK(text(member_left, "room") == "demo");
    CHECK(text(member_left, "id") == "badr");
    CHECK(circle->member_count() == 1);
    CHECK(badr.who->room_count() == 0);

    auto const badr_after_leaving = badr.received();
    CHECK(outcome(circle->say(*badr.who, "still here?", std::nullopt, 1)) == "not_in_room");
    CHECK(outcome(circle->leave(*badr.who)) == "not_in_room");

    SUBCASE("and hears nothing more from the room")
    {
        REQUIRE(circle->say(*amal.who, "bye", std::nullopt, 1).done());
        CHECK(badr.received() == badr_after_leaving);
        CHECK(type_of(amal.last()) == "message");
        CHECK(number(parsed(amal.last()), "seq") == 1);
    }
}

TEST_CASE("a member who never joined cannot speak or leave")
{
    auto const circle = make_room();
    auto amal = make_person("amal");
    CHECK(outcome(circle->say(*amal.who, "hi", std::nullopt, 1)) == "not_in_room");
    CHECK(outcome(circle->leave(*amal.who)) == "not_in_room");
    CHECK(amal.received() == 0);
}

TEST_CASE("a detached participant gets nothing until it resumes")
{
    auto const circle = make_room();
    auto amal = make_person("amal");
    auto badr = make_person("badr");
    REQUIRE(join(circle, amal, "Amal") == "joined");
    REQUIRE(join(circle, badr, "Badr") == "joined");
    auto const before = amal.received();

    auto const generation = amal.who->detach(amal.sink.get());
    CHECK(generation != 0);
    CHECK(amal.who->still_detached(generation));
    REQUIRE(circle->say(*badr.who, "are you there?", std::nullopt, 1).done());
    auto chen = make_person("chen");
    REQUIRE(join(circle, chen, "Chen") == "joined");
    CHECK(amal.received() == before);
    CHECK(circle->member_count() == 3);

    SUBCASE("a new connection hears nothing before the room resumes it")
    {
        auto const fresh = std::make_shared<recording_sink>();
        CHECK(amal.who->attach(fresh) == nullptr);
        CHECK_FALSE(amal.who->still_detached(generation));
        REQUIRE(circle->say(*badr.who, "hello again", std::nullopt, 2).done());
        CHECK(fresh->frames.empty());

        circle->resume(*amal.who, std::nullopt);
        REQUIRE(fresh->frames.size() == 1);
        CHECK(type_of(fresh->frames.back()) == "joined");
        REQUIRE(circle->say(*badr.who, "welcome back", std::nullopt, 3).done());
        REQUIRE(fresh->frames.size() == 2);
        CHECK(text(parsed(fresh->frames.back()), "text") == "welcome back");
        CHECK(amal.received() == before);
    }
    SUBCASE("detaching a connection that was already replaced changes nothing")
    {
        auto const fresh = std::make_shared<recording_sink>();
        amal.who->attach(fresh);
        circle->resume(*amal.who, std::nullopt);
        CHECK(amal.who->detach(amal.sink.get()) == 0);
        REQUIRE(circle->say(*badr.who, "still live", std::nullopt, 2).done());
        CHECK(type_of(fresh->frames.back()) == "message");
    }
    SUBCASE("attaching returns the connection it replaces")
    {
        auto const first = std::make_shared<recording_sink>();
        auto const second = std::make_shared<recording_sink>();
        CHECK(amal.who->attach(first) == nullptr);
        CHECK(amal.who->attach(second) == first);
    }
}

TEST_CASE("resume sends joined with exactly the messages after since")
{
    auto const circle = make_room(12, 5);
    auto amal = make_person("amal");
    auto badr = make_person("badr");
    REQUIRE(join(circle, amal, "Amal") == "joined");
    REQUIRE(join(circle, badr, "Badr") == "joined");
    for (int i = 1; i <= 3; ++i)
        REQUIRE(circle->say(*badr.who, "before " + std::to_string(i), std::nullopt, i).done());
    REQUIRE(number(parsed(amal.last()), "seq") == 3);

    amal.who->detach(amal.sink.get());
    for (int i = 4; i <= 5; ++i)
        REQUIRE(circle->say(*badr.who, "while away " + std::to_string(i), std::nullopt, i).done());
    auto const fresh = std::make_shared<recording_sink>();
    amal.who->attach(fresh);

    SUBCASE("the ring still covers what was missed: no gap")
    {
        circle->resume(*amal.who, 3);
        REQUIRE(fresh->frames.size() == 1);
        auto const joined = parsed(fresh->frames.back());
        CHECK(text(joined, "type") == "joined");
        CHECK(history_seqs(joined) == seqs{4, 5});
        CHECK(number(joined, "seq") == 5);
        CHECK_FALSE(joined.contains("gap"));
        CHECK(text(joined.at("you").as_object(), "name") == "Amal");
        CHECK(member_ids(joined) == ids{"amal", "badr"});
    }
    SUBCASE("since equal to the room's seq: nothing to send and no gap")
    {
        circle->resume(*amal.who, 5);
        auto const joined = parsed(fresh->frames.back());
        CHECK(history_seqs(joined).empty());
        CHECK_FALSE(joined.contains("gap"));
    }
    SUBCASE("no since: the whole ring and no gap")
    {
        circle->resume(*amal.who, std::nullopt);
        auto const joined = parsed(fresh->frames.back());
        CHECK(history_seqs(joined) == seqs{1, 2, 3, 4, 5});
        CHECK_FALSE(joined.contains("gap"));
    }
    SUBCASE("the other members see neither a leave nor a join")
    {
        auto const badr_before = badr.received();
        circle->resume(*amal.who, 3);
        CHECK(badr.received() == badr_before);
        CHECK(circle->member_count() == 2);
    }
}

TEST_CASE("resume reports a gap only when the ring no longer holds what was missed")
{
    auto const circle = make_room(12, 2);
    auto amal = make_person("amal");
    auto badr = make_person("badr");
    REQUIRE(join(circle, amal, "Amal") == "joined");
    REQUIRE(join(circle, badr, "Badr") == "joined");
    REQUIRE(circle->say(*badr.who, "one", std::nullopt, 1).done());
    amal.who->detach(amal.sink.get());
    for (int i = 2; i <= 5; ++i)
        REQUIRE(circle->say(*badr.who, "missed", std::nullopt, i).done());
    auto const fresh = std::make_shared<recording_sink>();
    amal.who->attach(fresh);

    SUBCASE("messages 2 and 3 are gone: gap")
    {
        circle->resume(*amal.who, 1);
        auto const joined = parsed(fresh->frames.back());
        CHECK(history_seqs(joined) == seqs{4, 5});
        REQUIRE(joined.contains("gap"));
        CHECK(joined.at("gap") == json::value(true));
    }
    SUBCASE("only message 3 is gone: still a gap")
    {
        circle->resume(*amal.who, 2);
        auto const joined = parsed(fresh->frames.back());
        CHECK(history_seqs(joined) == seqs{4, 5});
        CHECK(joined.contains("gap"));
    }
    SUBCASE("the ring begins right after since: no gap")
    {
        circle->resume(*amal.who, 3);
        auto const joined = parsed(fresh->frames.back());
        CHECK(history_seqs(joined) == seqs{4, 5});
        CHECK_FALSE(joined.contains("gap"));
    }
    SUBCASE("a room that keeps no history has a gap whenever something was missed")
    {
        auto const bare = make_room(12, 0);
        auto chen = make_person("chen");
        REQUIRE(join(bare, chen, "Chen") == "joined");
        REQUIRE(bare->say(*chen.who, "x", std::nullopt, 1).done());
        bare->resume(*chen.who, 0);
        CHECK(parsed(chen.last()).contains("gap"));
        bare->resume(*chen.who, 1);
        CHECK_FALSE(parsed(chen.last()).contains("gap"));
    }
}

TEST_CASE("resume for a room the participant is not in sends nothing")
{
    auto const circle = make_room();
    auto amal = make_person("amal");
    circle->resume(*amal.who, 0);
    CHECK(amal.received() == 0);
}

TEST_CASE("expire sends member_left to the others")
{
    auto const circle = make_room();
    auto amal = make_person("amal");
    auto badr = make_person("badr");
    REQUIRE(join(circle, amal, "Amal") == "joined");
    REQUIRE(join(circle, badr, "Badr") == "joined");
    auto const generation = amal.who->detach(amal.sink.get());
    REQUIRE(generation != 0);
    auto const amal_before = amal.received();
    auto const badr_before = badr.received();

    circle->expire(*amal.who);
    REQUIRE(badr.received() == badr_before + 1);
    auto const gone = parsed(badr.last());
    CHECK(text(gone, "type") == "member_left");
    CHECK(text(gone, "room") == "demo");
    CHECK(text(gone, "id") == "amal");
    CHECK(amal.received() == amal_before);
    CHECK(circle->member_count() == 1);
    CHECK(amal.who->room_count() == 0);
    CHECK(outcome(circle->say(*amal.who, "late", std::nullopt, 1)) == "not_in_room");

    SUBCASE("expiring again changes nothing")
    {
        circle->expire(*amal.who);
        CHECK(badr.received() == badr_before + 1);
    }
}

TEST_CASE("a room with an access code admits only that code")
{
    SUBCASE("with a code")
    {
        kring::room_settings settings;
        settings.slug = "quiet";
        settings.code_digest = kring::sha256("open sesame");
        room const circle{settings, 10};
        CHECK(circle.code_matches(std::string{"open sesame"}));
        CHECK_FALSE(circle.code_matches(std::string{"open sesam"}));
        CHECK_FALSE(circle.code_matches(std::string{"Open sesame"}));
        CHECK_FALSE(circle.code_matches(std::string{"open sesame "}));
        CHECK_FALSE(circle.code_matches(std::string{""}));
        CHECK_FALSE(circle.code_matches(std::nullopt));
    }
    SUBCASE("without a code anything matches")
    {
        kring::room_settings settings;
        settings.slug = "open";
        room const circle{settings, 10};
        CHECK(circle.code_matches(std::nullopt));
        CHECK(circle.code_matches(std::string{"whatever"}));
    }
}
