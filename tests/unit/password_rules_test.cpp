#include "config.hpp"

#include <kring/protocol/client_messages.hpp>
#include <kring/protocol/password_rules.hpp>
#include <kring/protocol/server_messages.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <doctest/doctest.h>

#include <optional>
#include <set>
#include <string>
#include <variant>

namespace p = kring::protocol;
namespace json = boost::json;
using p::password_refusal;

namespace {

p::password_limits const limits{12, 256};

std::optional<password_refusal> check(std::string const& password, std::string const& user = "sara")
{
    return p::check_new_password(password, user, limits);
}

json::object parsed(std::string const& frame)
{
    CAPTURE(frame);
    auto value = json::parse(frame);
    REQUIRE(value.is_object());
    return value.as_object();
}

p::set_password parsed_set_password(std::string const& frame)
{
    auto result = p::parse_client_message(frame, {});
    REQUIRE(std::holds_alternative<p::request>(result));
    auto& message = std::get<p::request>(result).message;
    REQUIRE(std::holds_alternative<p::set_password>(message));
    return std::get<p::set_password>(message);
}

std::string refusal_code(std::string const& frame)
{
    auto result = p::parse_client_message(frame, {});
    REQUIRE(std::holds_alternative<p::request_error>(result));
    return std::string{p::to_string(std::get<p::request_error>(result).code)};
}

} // namespace

TEST_CASE("a new password is from the shortest to the longest length, counted in characters")
{
    CHECK(check(std::string(11, 'x')) == password_refusal::too_short);
    CHECK(check(std::string(12, 'x')) == std::nullopt);
    CHECK(check(std::string(256, 'x')) == std::nullopt);
    CHECK(check(std::string(257, 'x')) == password_refusal::too_long);
    CHECK(check("") == password_refusal::too_short);

    std::string accented; // 12 characters in 24 bytes
    for (int i = 0; i < 12; ++i)
        accented += "\xC3\xA9";
    CHECK(check(accented) == std::nullopt);
    CHECK(check(accented.substr(2)) == password_refusal::too_short);
    CHECK(p::check_new_password(std::string(20, 'x'), "sara", {20, 20}) == std::nullopt);
    CHECK(p::check_new_password(std::string(21, 'x'), "sara", {20, 20}) == password_refusal::too_long);
}

TEST_CASE("a new password must not contain the name, whatever its case")
{
    CHECK(check("sara likes tea a lot") == password_refusal::contains_name);
    CHECK(check("I AM SARA AND I LIKE TEA") == password_refusal::contains_name);
    CHECK(check("tea with SaRa 2026") == password_refusal::contains_name);
    CHECK(check("tea with Sar a 2026") == std::nullopt);
    CHECK(check("root.admin_1 is me", "Root.Admin_1") == password_refusal::contains_name);
    CHECK(check("about a boat on the lake", "bo") == std::nullopt); // too short a name to look for
    CHECK(check("about a boat on the lake", "boa") == password_refusal::contains_name);
    // Length is judged first: a short password holding the name is too short.
    CHECK(check("sara", "sara") == password_refusal::too_short);
}

TEST_CASE("every refusal of a new password has its stable reason and a description")
{
    std::set<std::string_view> descriptions;
    for (auto const& [reason, name] : {std::pair{password_refusal::too_short, "too_short"},
                                       std::pair{password_refusal::too_long, "too_long"},
                                       std::pair{password_refusal::contains_name, "contains_name"},
                                       std::pair{password_refusal::unchanged, "unchanged"}}) {
        CAPTURE(name);
        CHECK(p::to_string(reason) == name);
        CHECK_FALSE(p::describe(reason).empty());
        descriptions.insert(p::describe(reason));
    }
    CHECK(descriptions.size() == 4);
    CHECK(p::to_string(p::error_code::bad_password) == "bad_password");
    CHECK(p::to_string(p::error_code::password_change_required) == "password_change_required");
    CHECK(p::describe(p::error_code::bad_password) != p::describe(p::error_code::password_change_required));
}

TEST_CASE("set_password is parsed with its new password, and the current one when given")
{
    auto const first = parsed_set_password(R"({"type":"set_password","password":"a new passphrase"})");
    CHECK(first.password == "a new passphrase");
    CHECK_FALSE(first.current.has_value());

    auto const change = parsed_set_password(R"({"type":"set_password","password":"new one","current":"old one"})");
    CHECK(change.password == "new one");
    CHECK(change.current == "old one");

    CHECK(refusal_code(R"({"type":"set_password"})") == "missing_field");
    CHECK(refusal_code(R"({"type":"set_password","password":12})") == "bad_field");
    CHECK(refusal_code(R"({"type":"set_password","password":"x","current":false})") == "bad_field");
    auto const too_long = std::string(1025, 'x');
    CHECK(refusal_code(R"({"type":"set_password","password":")" + too_long + R"("})") == "too_long");
    CHECK(refusal_code(R"({"type":"set_password","password":"x","current":")" + too_long + R"("})") == "too_long");
}

TEST_CASE("choose_password and bad_password are written with the limits a new password must keep")
{
    auto const asked = parsed(p::write_choose_password("sara", {12, 256}));
    CHECK(asked.at("type").as_string() == "choose_password");
    CHECK(asked.at("name").as_string() == "sara");
    CHECK(asked.at("min_length").as_int64() == 12);
    CHECK(asked.at("max_length").as_int64() == 256);
    CHECK(asked.size() == 4);

    auto const refused = parsed(p::write_password_refused(password_refusal::contains_name, {16, 64}, "p1"));
    CHECK(refused.at("type").as_string() == "error");
    CHECK(refused.at("code").as_string() == "bad_password");
    CHECK(refused.at("reason").as_string() == "contains_name");
    CHECK(refused.at("message").as_string() == p::describe(password_refusal::contains_name));
    CHECK(refused.at("min_length").as_int64() == 16);
    CHECK(refused.at("max_length").as_int64() == 64);
    CHECK(refused.at("ref").as_string() == "p1");
    CHECK_FALSE(parsed(p::write_password_refused(password_refusal::too_short, {16, 64}, std::nullopt)).contains("ref"));
}

TEST_CASE("the shortest and longest new password are kring serve options: 12 and 256 by default")
{
    auto const defaults = kring::parse_serve_arguments({});
    REQUIRE(defaults.value);
    CHECK(defaults.value->min_password_length == 12);
    CHECK(defaults.value->max_password_length == 256);

    auto const set = kring::parse_serve_arguments({"--min-password-length", "8", "--max-password-length", "1024"});
    REQUIRE(set.value);
    CHECK(set.value->min_password_length == 8);
    CHECK(set.value->max_password_length == 1024);
    auto const other = kring::parse_serve_arguments({"--min-password-length", "64", "--max-password-length", "64"});
    REQUIRE(other.value);
    CHECK(other.value->min_password_length == 64);

    // The minimum can never pass the maximum: 8-64 and 64-1024.
    for (auto const& [option, value] : {std::pair{"--min-password-length", "7"},
                                        std::pair{"--min-password-length", "65"},
                                        std::pair{"--max-password-length", "63"},
                                        std::pair{"--max-password-length", "1025"},
                                        std::pair{"--min-password-length", "twelve"}}) {
        CAPTURE(value);
        auto const refused = kring::parse_serve_arguments({option, value});
        CHECK_FALSE(refused.value.has_value());
        CHECK(refused.message.find(option) != std::string::npos);
    }
    CHECK(kring::serve_usage().find("--min-password-length N") != std::string::npos);
    CHECK(kring::serve_usage().find("--max-password-length N") != std::string::npos);
}
