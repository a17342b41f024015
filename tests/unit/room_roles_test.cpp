// Who does what in a circle besides its moderators: a peer facilitator runs
// it without remove or ban, an interpreter attaches translations; and what
// a circle asks of a newcomer (its agreement) and lets it read (history).
#include "circle_people.hpp"
#include "session/client.hpp"

#include <boost/json/value.hpp>

#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace json = boost::json;
using kring::protocol::round_step;
using namespace kring::test;

namespace {

// The id of the message `who` says, read from its own copy.
std::string roles_said(std::shared_ptr<kring::room> const& r, person const& who, std::string const& words)
{
    REQUIRE(outcome(r->say(*who.who, words, std::nullopt, 1000)) == "done");
    return text(parsed(who.last()), "id");
}

std::shared_ptr<kring::room> agreeing_room()
{
    auto settings = demo_settings();
    settings.agreement_required = true;
    settings.agreement = std::make_shared<std::vector<kring::protocol::agreement_text> const>(
        std::vector<kring::protocol::agreement_text>{{"en", "draft", std::nullopt, {"Listen.", "Be kind."}},
                                                     {"nl", "draft", std::nullopt, {"Luister.", "Wees lief."}}});
    return std::make_shared<kring::room>(std::move(settings), 200);
}

} // namespace

TEST_CASE("a peer facilitator runs rounds, hands, the pause and the agreement, but removes, mutes and bans no one")
{
    auto const circle = agreeing_room();
    auto const fay = make_facilitator("fay", "Fay", "demo");
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    REQUIRE(join(circle, fay, "Fay") == "joined");
    REQUIRE(outcome(circle->join(amal.who, "Amal", true, true)) == "done");
    CHECK(text(member_of(parsed(amal.last()), "fay"), "role") == "facilitator");
    REQUIRE(outcome(circle->join(badr.who, "Badr", true, true)) == "done");

    // The round leaves her out of the order: she holds it, not the piece.
    CHECK(outcome(circle->start_round(*fay.who, std::nullopt, "How are you?", std::nullopt)) == "done");
    auto const round = parsed(badr.last()).at("order").as_array();
    CHECK(round == json::array{"amal", "badr"});
    CHECK(outcome(circle->say(*fay.who, "Take your time", std::nullopt, 1000)) == "done");
    CHECK(outcome(circle->move_round(*fay.who, round_step::skip, std::nullopt)) == "done");
    CHECK(outcome(circle->move_round(*fay.who, round_step::end, std::nullopt)) == "done");
    CHECK(outcome(circle->hand(*amal.who, std::nullopt, true, std::nullopt, 1000)) == "done");
    CHECK(outcome(circle->hand(*fay.who, std::string{"amal"}, false, std::nullopt, 1000)) == "done");
    CHECK(outcome(circle->point_agreement(*fay.who, 2, std::nullopt)) == "done");
    CHECK(parsed(amal.last()) == json::object{{"type", "agreement_point"}, {"room", "demo"}, {"item", 2}, {"by", "Fay"}});
    CHECK(outcome(circle->pause(*fay.who, 5000, std::nullopt, 1000)) == "done");
    CHECK(outcome(circle->say(*fay.who, "Breathe with me", std::nullopt, 1500)) == "done"); // her pause holds not her
    CHECK(outcome(circle->say(*amal.who, "hi", std::nullopt, 1500)) == "paused");
    CHECK(outcome(circle->pause(*fay.who, std::nullopt, std::nullopt, 2000)) == "done");
    // The moderators' channel is hers too.
    CHECK(outcome(circle->mod_say(*fay.who, "Amal seems low tonight", std::nullopt, 2000)) == "done");

    for (auto const& refused :
         {circle->mute(*fay.who, "amal", std::nullopt, 2000), circle->remove(*fay.who, "amal", std::nullopt),
          circle->delete_message(*fay.who, "m1"), circle->set_locked(*fay.who, true), circle->end(*fay.who)})
        CHECK(outcome(refused) == "forbidden");
    CHECK(outcome(circle->ban_target_of(*fay.who, "amal")) == "forbidden");
    // And a participant does none of it.
    CHECK(outcome(circle->start_round(*amal.who, std::nullopt, std::nullopt, std::nullopt)) == "forbidden");
    CHECK(outcome(circle->point_agreement(*amal.who, 1, std::nullopt)) == "forbidden");
    CHECK(outcome(circle->pause(*amal.who, 5000, std::nullopt, 3000)) == "forbidden");
}

TEST_CASE("a facilitator hears a participant's call for help")
{
    auto const circle = make_room();
    auto const fay = make_facilitator("fay", "Fay", "demo");
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    seat(circle, {&fay, &amal, &badr});
    auto const before = badr.received();
    auto const outcome_of_help = circle->ask_for_help(*amal.who, 5000);
    REQUIRE(std::holds_alternative<kring::alert_outcome>(outcome_of_help));
    CHECK(std::get<kring::alert_outcome>(outcome_of_help).reached);
    CHECK(type_of(fay.last()) == "alert");
    CHECK(badr.received() == before);
}

TEST_CASE("a facilitator of another circle is a participant here")
{
    auto const circle = make_room();
    auto const fay = make_facilitator("fay", "Fay", "elsewhere");
    auto const amal = make_person("amal");
    seat(circle, {&fay, &amal});
    CHECK(text(member_of(parsed(amal.last()), "fay"), "role") == "participant");
    CHECK(outcome(circle->start_round(*fay.who, std::nullopt, std::nullopt, std::nullopt)) == "forbidden");
}

TEST_CASE("an interpreter's translation reaches everyone, stays with its message and goes with it")
{
    auto const circle = make_session_room();
    auto const mona = make_moderator("mona", "Mona", {"demo"});
    auto const ines = make_interpreter("ines", "Ines", "demo");
    auto const amal = make_person("amal");
    seat(circle, {&mona, &ines, &amal});
    CHECK(text(member_of(parsed(amal.last()), "ines"), "role") == "interpreter");
    auto const id = roles_said(circle, amal, "Ik ben moe");
    auto const before = counts({&mona, &amal});
    CHECK(outcome(circle->translate(*ines.who, id, "en", "I am tired", std::string_view{"t1"})) == "done");
    CHECK(counts({&mona, &amal}) == one_more_each(before));
    json::object const shown{{"type", "translation"}, {"room", "demo"}, {"message", id},
                             {"lang", "en"},          {"text", "I am tired"}, {"by", "Ines"}};
    CHECK(parsed(amal.last()) == shown);
    auto mine = shown;
    mine["ref"] = "t1";
    CHECK(parsed(ines.last()) == mine);
    // A second in the same language replaces the first; another adds one.
    CHECK(outcome(circle->translate(*ines.who, id, "en", "I'm tired", std::nullopt)) == "done");
    CHECK(outcome(circle->translate(*ines.who, id, "ar", "أنا متعبة", std::nullopt)) == "done");
    auto const late = make_person("late");
    seat(circle, {&late});
    auto const history = parsed(late.last()).at("history").as_array();
    REQUIRE(history.size() == 1);
    CHECK(history[0].as_object().at("translations") ==
          json::array{json::object{{"lang", "en"}, {"text", "I'm tired"}, {"by", "Ines"}},
                      json::object{{"lang", "ar"}, {"text", "أنا متعبة"}, {"by", "Ines"}}});
    // Only an interpreter translates; only a message still there.
    CHECK(outcome(circle->translate(*amal.who, id, "en", "mine", std::nullopt)) == "forbidden");
    CHECK(outcome(circle->translate(*mona.who, id, "en", "mine", std::nullopt)) == "forbidden");
    CHECK(outcome(circle->translate(*ines.who, "m999999", "en", "x", std::nullopt)) == "no_such_message");
    CHECK(outcome(circle->delete_message(*mona.who, id)) == "done");
    CHECK(outcome(circle->translate(*ines.who, id, "en", "x", std::nullopt)) == "no_such_message");
    auto const later = make_person("later");
    seat(circle, {&later});
    CHECK(parsed(later.last()).at("history").as_array().empty());
}

TEST_CASE("under history joined a translation reaches only those who could read its message")
{
    auto const circle = make_room();
    auto const ines = make_interpreter("ines", "Ines", "demo");
    auto const amal = make_person("amal");
    seat(circle, {&ines, &amal});
    auto const id = roles_said(circle, amal, "Ik ben moe");
    auto const badr = make_person("badr");
    seat(circle, {&badr});
    auto const before = badr.received();
    REQUIRE(outcome(circle->translate(*ines.who, id, "en", "I am tired", std::nullopt)) == "done");
    CHECK(badr.received() == before);
    CHECK(type_of(amal.last()) == "translation");
}

TEST_CASE("facilitators and interpreters of other circles are participants here: moderated like anyone")
{
    auto const circle = make_room();
    auto const mona = make_moderator("mona", "Mona", {"demo"});
    auto const fay = make_facilitator("fay", "Fay", "elsewhere");
    auto const ines = make_interpreter("ines", "Ines", "demo");
    auto const here = make_facilitator("here", "Hera", "demo");
    seat(circle, {&mona, &fay, &ines, &here});
    CHECK(outcome(circle->mute(*mona.who, "fay", std::nullopt, 1000)) == "done");
    CHECK(outcome(circle->mute(*mona.who, "ines", std::nullopt, 1000)) == "done"); // an interpreter is a participant
    CHECK(outcome(circle->mute(*mona.who, "here", std::nullopt, 1000)) == "forbidden"); // she runs this circle
    CHECK(outcome(circle->say(*fay.who, "hello", std::nullopt, 2000)) == "muted");
}

TEST_CASE("a circle's own agreement replaces the deployment's in its languages only, keeping the notice")
{
    kring::room_record record;
    record.slug = "demo";
    record.title = "Demo circle";
    record.agreement = {{"nl", {"Luister."}}};
    auto const deployment = std::make_shared<std::vector<kring::protocol::agreement_text> const>(
        std::vector<kring::protocol::agreement_text>{{"en", "draft", "Not an emergency service.", {"Listen.", "Be kind."}},
                                                     {"nl", "draft", "Geen noodlijn.", {"Luister.", "Wees lief."}}});
    auto const settings = kring::settings_of(record, deployment);
    REQUIRE(settings.agreement);
    auto const& texts = *settings.agreement;
    REQUIRE(texts.size() == 2);
    auto const* nl = kring::protocol::agreement_in(texts, "nl");
    CHECK(nl->review == "circle");
    CHECK(nl->items == std::vector<std::string>{"Luister."});
    CHECK(nl->notice == "Geen noodlijn.");
    CHECK(kring::protocol::agreement_in(texts, "en")->items.size() == 2);
}

TEST_CASE("a circle that requires its agreement seats only those who agreed, and shows it in their language")
{
    auto const circle = agreeing_room();
    auto const amal = make_person("amal");
    CHECK(join(circle, amal, "Amal") == "agreement_required");
    CHECK(circle->member_count() == 0);
    CHECK(amal.received() == 0);
    REQUIRE(outcome(circle->join(amal.who, "Amal", true, true, "nl")) == "done");
    auto const joined = parsed(amal.last());
    CHECK(joined.at("agreement") ==
          json::object{{"lang", "nl"}, {"review", "draft"}, {"items", json::array{"Luister.", "Wees lief."}}});
    CHECK(joined.at("room").at("agreement_required") == true);
    // A language it has not falls back to English.
    CHECK(circle->agreement("ti")->lang == "en");
    CHECK(circle->agreement("nl")->items == std::vector<std::string>{"Luister.", "Wees lief."});
    CHECK(outcome(circle->point_agreement(*amal.who, 1, std::nullopt)) == "forbidden");
    // Its moderators come in without agreeing.
    auto const mona = make_moderator("mona", "Mona", {"demo"});
    CHECK(join(circle, mona, "Mona") == "joined");
    CHECK(outcome(circle->point_agreement(*mona.who, 3, std::nullopt)) == "no_such_item");
    CHECK(outcome(circle->point_agreement(*mona.who, 0, std::nullopt)) == "no_such_item");
}

TEST_CASE("under history joined a newcomer reads from its arrival on, and a resume brings no more")
{
    auto const circle = make_room();
    auto const amal = make_person("amal");
    auto const mona = make_moderator("mona", "Mona", {"demo"});
    seat(circle, {&amal});
    auto const before = roles_said(circle, amal, "before anyone came");
    auto const badr = make_person("badr");
    seat(circle, {&badr});
    CHECK(parsed(badr.last()).at("history").as_array().empty());
    CHECK(outcome(circle->react(*badr.who, before, kring::protocol::reaction::hug, true, std::nullopt, 1000)) ==
          "no_such_message");
    CHECK(outcome(circle->find_reportable(*badr.who, before)) == "no_such_message");
    CHECK(outcome(circle->find_reportable(*amal.who, before)) == "done");
    auto const after = roles_said(circle, amal, "after badr came");
    CHECK(outcome(circle->find_reportable(*badr.who, after)) == "done"); // said while he was there
    drop(circle, badr);
    badr.who->attach(badr.sink);
    circle->resume(*badr.who, 0); // asks for everything
    CHECK(history_seqs(parsed(badr.last())) == seqs{2});
    // Its moderator reads the session.
    seat(circle, {&mona});
    CHECK(history_seqs(parsed(mona.last())) == seqs{1, 2});
}

TEST_CASE("in a moderated circle the one running it gives a participant the floor, and takes it back")
{
    auto const circle = make_room();
    auto const fay = make_facilitator("fay", "Fay", "demo");
    auto const mona = make_moderator("mona", "Mona", {"demo"});
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    seat(circle, {&fay, &mona, &amal, &badr});
    CHECK(outcome(circle->give_floor(*fay.who, std::string{"amal"}, std::nullopt)) == "wrong_phase"); // not moderated
    REQUIRE(outcome(circle->configure(*mona.who, std::nullopt, std::nullopt, true)) == "done");
    CHECK(outcome(circle->say(*amal.who, "may I?", std::nullopt, 1000)) == "moderated");
    REQUIRE(outcome(circle->hand(*amal.who, std::nullopt, true, std::nullopt, 1000)) == "done");
    CHECK(outcome(circle->give_floor(*fay.who, std::string{"amal"}, std::string_view{"f"})) == "done");
    CHECK(parsed(badr.sink->frames[badr.received() - 2]) ==
          json::object{{"type", "floor"}, {"room", "demo"}, {"member", "amal"}, {"by", "Fay"}});
    CHECK(parsed(badr.last()).at("type") == "hand"); // her hand went down with it
    CHECK(parsed(badr.last()).at("up") == false);
    CHECK(outcome(circle->say(*amal.who, "thank you for the space", std::nullopt, 1000)) == "done");
    CHECK(outcome(circle->say(*badr.who, "me too", std::nullopt, 1000)) == "moderated");
    CHECK(outcome(circle->give_floor(*badr.who, std::string{"badr"}, std::nullopt)) == "forbidden");
    CHECK(outcome(circle->give_floor(*fay.who, std::string{"nobody"}, std::nullopt)) == "no_such_member");
    CHECK(outcome(circle->give_floor(*fay.who, std::nullopt, std::nullopt)) == "done");
    CHECK(parsed(badr.last()) == json::object{{"type", "floor"}, {"room", "demo"}, {"by", "Fay"}});
    CHECK(outcome(circle->say(*amal.who, "one more", std::nullopt, 1000)) == "moderated");
    // Given again, it goes when she leaves.
    REQUIRE(outcome(circle->give_floor(*mona.who, std::string{"amal"}, std::nullopt)) == "done");
    REQUIRE(outcome(circle->leave(*amal.who)) == "done");
    CHECK(parsed(badr.sink->frames[badr.received() - 2]) == json::object{{"type", "floor"}, {"room", "demo"}});
}

TEST_CASE("a resume brings the new counts and translations of the messages the member already has")
{
    auto const circle = make_room();
    auto const ines = make_interpreter("ines", "Ines", "demo");
    auto const amal = make_person("amal");
    auto const badr = make_person("badr");
    seat(circle, {&ines, &amal, &badr});
    auto const id = roles_said(circle, amal, "Ik ben moe");
    drop(circle, badr);
    REQUIRE(outcome(circle->react(*amal.who, id, kring::protocol::reaction::hug, true, std::nullopt, 1000)) == "done");
    REQUIRE(outcome(circle->translate(*ines.who, id, "en", "I am tired", std::nullopt)) == "done");
    badr.who->attach(badr.sink);
    auto const before = badr.received();
    circle->resume(*badr.who, 1); // it has message 1
    REQUIRE(badr.received() == before + 3);
    CHECK(type_of(badr.sink->frames[before]) == "joined");
    CHECK(parsed(badr.sink->frames[before]).at("history").as_array().empty());
    CHECK(parsed(badr.sink->frames[before + 1]) ==
          json::object{{"type", "reactions"}, {"room", "demo"}, {"message", id}, {"counts", {{"hug", 1}}}});
    CHECK(parsed(badr.sink->frames[before + 2]).at("text") == "I am tired");
}
