#include <kring/protocol/text.hpp>

#include <doctest/doctest.h>

#include <string>

using kring::protocol::is_reserved_name;
using kring::protocol::names_look_alike;

TEST_CASE("names that claim a moderator's or admin's role are reserved")
{
    for (std::string const name :
         {"moderator", "Moderator Ann", "MODERATOR", "m o d e r a t o r", "Mod3rator", "TheModerator", "SaraAdmin",
          "admin", "Administrator", "Modérateur", "beheerder", "МОДЕРАТОР", "Модератор", "АДМИН", "адмін",
          "مشرف", "المشرف", "مدير", "المدير", "مدیر", "ኣመሓዳሪ"})
        CHECK_MESSAGE(is_reserved_name(name), name);
}

TEST_CASE("ordinary names are not taken for a role")
{
    for (std::string const name : {"Samira", "Ahmad Mina", "Samad Minh", "Chad Minter", "Stafford", "Olena",
                                   "Gentle Heron 27", "Mariam", "Tesfay", "Nour"})
        CHECK_MESSAGE(!is_reserved_name(name), name);
}

TEST_CASE("names that would pass for each other on screen look alike")
{
    CHECK(names_look_alike("Sara", "sara"));
    CHECK(names_look_alike("Sara", "SARA"));
    CHECK(names_look_alike("Sara", "S4ra"));
    CHECK(names_look_alike("Sara", "\u0405ara")); // Cyrillic capital dze
    CHECK(names_look_alike("Sara", "Sára"));
    CHECK(names_look_alike("Sara", "S a r a"));
    CHECK(names_look_alike("Olena", "0lena"));
    CHECK(names_look_alike("Amina", "Arnina"));
    CHECK_FALSE(names_look_alike("Sara", "Samira"));
    CHECK_FALSE(names_look_alike("Sara", "Saba"));
    CHECK_FALSE(names_look_alike("", ""));
}
