#include <kring/protocol/help_lines.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <doctest/doctest.h>

#include <string>
#include <variant>

namespace p = kring::protocol;
namespace json = boost::json;

namespace {

std::string refusal_of(std::string const& text)
{
    auto const parsed = p::parse_help_lines(text);
    auto const* why = std::get_if<std::string>(&parsed);
    return why ? *why : "accepted";
}

} // namespace

TEST_CASE("Kring ships Belgium's help lines, marked to be checked")
{
    auto const& lines = p::default_help_lines();
    CHECK(lines.written == "2026-12-01");
    CHECK(lines.check_required);
    REQUIRE(lines.lines.size() == 6);
    CHECK(lines.lines[0].number == "112");
    CHECK(lines.lines[0].languages == std::vector<std::string>{"all"});
    CHECK(lines.lines[2].number == "0800 32 123");
    CHECK(lines.lines[5].languages == std::vector<std::string>{"de"});
    auto const written = json::parse(p::write_resources(lines, std::string_view{"h1"})).as_object();
    CHECK(written.at("type") == "resources");
    CHECK(written.at("notice") == "not_an_emergency_service");
    CHECK(written.at("ref") == "h1");
    CHECK(written.at("lines").as_array().size() == 6);
    for (auto const& line : lines.lines)
        CHECK_FALSE(line.checked); // no one has checked them: none may say so
    CHECK_FALSE(written.at("lines").as_array()[1].as_object().contains("checked"));
}

TEST_CASE("a help-lines file is refused with the reason and the place")
{
    std::string const line =
        R"({"name":"n","number":"1","hours":"24/7","languages":["en"],"checked":"2026-11-30","source":"s"})";
    CHECK(refusal_of(R"({"written":"2026-11-30","lines":[)" + line + "]}") == "accepted");
    CHECK(refusal_of("nope").starts_with("not JSON"));
    CHECK(refusal_of(R"({"written":"2026-11-30","lines":[]})") == "lines must be a list of 1 to 50 help lines");
    CHECK(refusal_of(R"({"written":"30 Nov","lines":[)" + line + "]}") == "written must be a date, YYYY-MM-DD");
    CHECK(refusal_of(R"({"written":"2026-11-30","check_required":"yes","lines":[)" + line + "]}") ==
          "check_required must be true or false");
    CHECK(refusal_of(R"({"written":"2026-11-30","lines":[{"name":"n"}]})") == "lines[0]: number is missing");
    std::string const unchecked = R"({"name":"n","number":"1","hours":"24/7","languages":["en"],"source":"s"})";
    CHECK(refusal_of(R"({"written":"2026-11-30","lines":[)" + unchecked + "]}") == "accepted");
    std::string const badly_checked =
        R"({"name":"n","number":"1","hours":"24/7","languages":["en"],"checked":"soon","source":"s"})";
    CHECK(refusal_of(R"({"written":"2026-11-30","lines":[)" + badly_checked + "]}") ==
          "lines[0]: checked must be a date, YYYY-MM-DD");
}
