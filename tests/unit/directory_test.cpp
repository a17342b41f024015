#include "directory/directory.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <doctest/doctest.h>

#include <string>
#include <variant>

namespace d = kring::directory;
namespace json = boost::json;

namespace {

// Tuesday 1 December 2026, 12:00 UTC.
constexpr std::int64_t directory_noon = 1'796'126'400'000;

kring::room_record directory_room(std::string slug, std::vector<std::string> languages, std::string org = {})
{
    kring::room_record r;
    r.slug = std::move(slug);
    r.title = "Circle " + r.slug;
    r.languages = std::move(languages);
    if (!org.empty())
        r.organisation = org;
    return r;
}

json::array listed(d::list_request const& asked, std::vector<kring::room_record> const& rooms)
{
    std::vector<kring::organisation_record> const orgs{{"caw", "CAW Noord", "Antwerpen", "03 123 45 67",
                                                        {{"nl", "Hulp voor wie het moeilijk heeft."}}}};
    auto const body = d::circles_json(asked, rooms, orgs, [](std::string_view slug) { return slug.size(); },
                                      directory_noon);
    return json::parse(body).as_object().at("circles").as_array();
}

} // namespace

TEST_CASE("the directory's pages are /api/circles and /api/circles/SLUG.ics")
{
    CHECK_FALSE(d::parse_target("/index.html"));
    CHECK_FALSE(d::parse_target("/apix"));
    auto const all = d::parse_target("/api/circles");
    REQUIRE(all);
    CHECK(std::holds_alternative<d::list_request>(*all));
    auto const filtered = d::parse_target("/api/circles?org=caw&lang=ar&x=1");
    REQUIRE(std::holds_alternative<d::list_request>(*filtered));
    CHECK(std::get<d::list_request>(*filtered).lang == "ar");
    CHECK(std::get<d::list_request>(*filtered).org == "caw");
    auto const calendar = d::parse_target("/api/circles/tea.ics");
    REQUIRE(std::holds_alternative<d::calendar_request>(*calendar));
    CHECK(std::get<d::calendar_request>(*calendar).slug == "tea");
    auto const status_of = [](std::string_view target) {
        auto const parsed = d::parse_target(target);
        REQUIRE(parsed);
        REQUIRE(std::holds_alternative<d::bad_request>(*parsed));
        return std::get<d::bad_request>(*parsed).status;
    };
    CHECK(status_of("/api/circles?lang=Arabic") == 400);
    CHECK(status_of("/api/circles?org=../x") == 400);
    CHECK(status_of("/api/circles/TEA.ics") == 400);
    CHECK(status_of("/api/circles/tea%2e.ics") == 400);
    CHECK(status_of("/api/circles/.ics") == 404);
    CHECK(status_of("/api/circles/tea") == 404);
    CHECK(status_of("/api/rooms") == 404);
}

TEST_CASE("the directory lists the listed circles, filtered by language and organisation")
{
    auto hidden = directory_room("hidden", {"nl"});
    hidden.listed = false;
    std::vector<kring::room_record> const rooms{directory_room("tea", {"nl", "ar"}, "caw"),
                                                directory_room("kabul", {"fa", "ps"}), hidden};
    auto const all = listed({}, rooms);
    REQUIRE(all.size() == 2);
    auto const& tea = all[0].as_object();
    CHECK(tea.at("slug") == "tea");
    CHECK(tea.at("present") == 3);
    CHECK(tea.at("led") == "moderator");
    CHECK(tea.at("code") == false);
    CHECK(tea.at("open_now") == true); // no schedule: whenever someone comes
    CHECK(tea.at("next").is_null());
    CHECK(tea.at("organisation").at("name") == "CAW Noord");
    CHECK(tea.at("organisation").at("about").at("nl") == "Hulp voor wie het moeilijk heeft.");
    CHECK(all[1].at("organisation").is_null());
    CHECK(listed({"fa", std::nullopt}, rooms).size() == 1);
    CHECK(listed({"nl", std::nullopt}, rooms).size() == 1); // not the unlisted one
    CHECK(listed({std::nullopt, "caw"}, rooms).size() == 1);
    CHECK(listed({"fa", "caw"}, rooms).empty());
}

TEST_CASE("a scheduled circle in the directory says whether it is open and when it meets next")
{
    auto tea = directory_room("tea", {"nl"});
    tea.schedule = kring::schedule{"Europe/Brussels", {{2, 19 * 60, 20 * 60 + 30}}, 10};
    auto const circle = listed({}, {tea})[0].as_object();
    CHECK(circle.at("open_now") == false);
    CHECK(circle.at("next") == json::object{{"opens", 1'796'147'400'000},
                                            {"start", 1'796'148'000'000},
                                            {"end", 1'796'153'400'000},
                                            {"zone", "Europe/Brussels"}});
}

TEST_CASE("a circle's calendar has its weekly sessions in its zone, escaped and folded as RFC 5545 says")
{
    auto tea = directory_room("tea", {"nl"});
    tea.title = "Thee, praten; samen";
    tea.description = std::string(100, 'x') + "\u00e9\u00e9\u00e9";
    tea.schedule = kring::schedule{"Europe/Brussels", {{2, 19 * 60, 20 * 60 + 30}, {4, 10 * 60, 11 * 60 + 30}}, 10};
    kring::organisation_record const caw{"caw", "CAW Noord", "Antwerpen"};
    auto const ics = d::circle_calendar(tea, &caw, directory_noon);
    CHECK(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    CHECK(ics.ends_with("END:VCALENDAR\r\n"));
    CHECK(ics.find("DTSTART;TZID=Europe/Brussels:20261201T190000\r\n") != std::string::npos);
    CHECK(ics.find("DTEND;TZID=Europe/Brussels:20261201T203000\r\n") != std::string::npos);
    CHECK(ics.find("RRULE:FREQ=WEEKLY;BYDAY=TU\r\n") != std::string::npos);
    CHECK(ics.find("DTSTART;TZID=Europe/Brussels:20261203T100000\r\n") != std::string::npos);
    CHECK(ics.find("RRULE:FREQ=WEEKLY;BYDAY=TH\r\n") != std::string::npos);
    CHECK(ics.find("SUMMARY:Thee\\, praten\\; samen\r\n") != std::string::npos);
    CHECK(ics.find("TZID:Europe/Brussels\r\n") != std::string::npos);
    // The clocks go back on 25 October 2026 and forward on 28 March 2027.
    CHECK(ics.find("BEGIN:STANDARD\r\nDTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n") !=
          std::string::npos);
    CHECK(ics.find("BEGIN:DAYLIGHT\r\nDTSTART:20270328T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n") !=
          std::string::npos);
    // No line is longer than 75 octets, and a fold never splits a character.
    std::size_t start = 0;
    while (start < ics.size()) {
        auto const end = ics.find("\r\n", start);
        REQUIRE(end != std::string::npos);
        CHECK(end - start <= 75);
        if (end + 2 < ics.size() && ics[end + 2] == ' ')
            CHECK((static_cast<unsigned char>(ics[end + 3]) & 0xC0) != 0x80);
        start = end + 2;
    }
    CHECK(ics.find("DESCRIPTION:" + std::string(63, 'x') + "\r\n " + std::string(37, 'x')) != std::string::npos);
}

TEST_CASE("a zone without daylight saving time has one observance")
{
    auto kabul = directory_room("kabul", {"fa"});
    kabul.schedule = kring::schedule{"Asia/Kabul", {{1, 18 * 60, 19 * 60}}, 10};
    auto const ics = d::circle_calendar(kabul, nullptr, directory_noon);
    CHECK(ics.find("BEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+0430\r\nTZOFFSETTO:+0430\r\n") !=
          std::string::npos);
    CHECK(ics.find("DAYLIGHT") == std::string::npos);
}
