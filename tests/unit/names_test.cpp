// Names that pass for others: a role's (is_reserved_name) or a present staff
// member's (names_look_alike).
#include <kring/protocol/names.hpp>

#include <doctest/doctest.h>

#include <string>

using kring::protocol::is_reserved_name;
using kring::protocol::names_look_alike;

TEST_CASE("names that claim a moderator's or admin's role are reserved")
{
    for (std::string const name :
         {"moderator", "Moderator Ann", "MODERATOR", "m o d e r a t o r", "TheModerator", "SaraAdmin",
          "admin", "Administrator", "Modérateur", "beheerder", "МОДЕРАТОР", "Модератор", "АДМИН", "адмін",
          "مشرف", "المشرف", "مدير", "المدير", "مدیر", "ኣመሓዳሪ"})
        CHECK_MESSAGE(is_reserved_name(name), name);
}

TEST_CASE("the findings: Spanish and Turkish role words are reserved too")
{
    CHECK(is_reserved_name("Moderador"));
    CHECK(is_reserved_name("Yönetici"));
}

TEST_CASE("role words are reserved in every shipped language and the neighbouring ones")
{
    for (std::string const name : {
             "Staff", "Host", "The Host", "Facilitator", "Kring", "Kring Team", "Mod", "System", // en
             "Gespreksleider", "Begeleider Ans", "Gastvrouw", "Medewerker",                     // nl
             "Modératrice", "Animateur", "Facilitatrice", "Hôte",                                // fr
             "المشرفة", "إدارة", "الإدارة", "مضيف",                                               // ar
             "ادمین", "گرداننده", "میزبان",                                                      // fa
             "اډمین", "کوربه",                                                                  // ps
             "Модераторка", "Адміністратор", "Ведучий", "Крінг",                                 // uk
             "Администратор", "Ведущая", "Персонал",                                            // ru
             "Moderatör", "YÖNETİCİ", "Kolaylaştırıcı", "Yetkili", "Ev Sahibi",                 // tr
             "ኣድሚን",                                                                           // ti
             "Moderadora", "Administradora", "Anfitrión", "Facilitadora", "Personal",           // es
             "Anfitriã", "Anfitrião", "Sistema",                                                 // pt
             "Moderatorin", "Gastgeberin", "Betreuer", "Mitarbeiterin",                          // de
             "Moderatore", "Amministratore", "Amministratrice", "Personale",                    // it
             "Moderatorka", "Prowadząca", "Gospodarz", "Obsługa",                               // pl
             "Moderatoare", "Facilitatoare", "Sistem",                                           // ro
         })
        CHECK_MESSAGE(is_reserved_name(name), name);
}

TEST_CASE("a role word is recognised however it is disguised")
{
    for (std::string const name : {
             "M0DERATOR",                       // digit zero for O
             "ＡＤＭＩＮ",                        // fullwidth
             "\U0001D41A\U0001D41D\U0001D426\U0001D422\U0001D427", // mathematical bold "admin"
             "ADMlN",                           // small L for capital I
             "Adrnin",                          // r and n for m
             "m.o.d.e.r.a.t.o.r", "S-T-A-F-F", "Mod_erator",
             "Mödèrätör", "Yonetici", "yönetıcı", // marks added or dropped, dotless i
             "مُشْرِف", "مـشـرف",                // harakat; tatweel
             "Yöneti\u0307ci",                  // a combining dot
         })
        CHECK_MESSAGE(is_reserved_name(name), name);
}

TEST_CASE("ordinary names are not taken for a role")
{
    for (std::string const name : {"Samira", "Ahmad Mina", "Samad Minh", "Chad Minter", "Stafford", "Olena",
                                   "Gentle Heron 27", "Mariam", "Tesfay", "Nour", "Ghost", "Hostetler", "Kringle",
                                   "Modesta", "Systema Jo", "Mehmet", "Zeynep", "Ayşe", "Dawit", "ሃብተማርያም",
                                   "Fatima", "Reza", "Łukasz", "Oksana", "Олена", "محمد", "Nazanin", "نازنین",
                                   "Evelyn", "Hosna", "Personality"})
        CHECK_MESSAGE(!is_reserved_name(name), name);
}

TEST_CASE("digits that do not look like letters are not read as letters")
{
    // Unicode's confusables are about what the eye mistakes: a 0 for an O,
    // yes; a 3 for an e, no. The old hand-made table read "Mod3rator" and
    // "S4ra" as words; Kring now follows UTS #39 and lets them be.
    CHECK_FALSE(is_reserved_name("Mod3rator"));
    CHECK_FALSE(names_look_alike("Sara", "S4ra"));
    CHECK(is_reserved_name("M0derator"));
}

TEST_CASE("names that would pass for each other on screen look alike")
{
    CHECK(names_look_alike("Sara", "sara"));
    CHECK(names_look_alike("Sara", "SARA"));
    CHECK(names_look_alike("Sara", "\u0405ara")); // Cyrillic capital dze
    CHECK(names_look_alike("Sara", "\u0405\u0430r\u0430"));
    CHECK(names_look_alike("Sara", "Sára"));
    CHECK(names_look_alike("Sara", "Śara"));
    CHECK(names_look_alike("Sara", "S a r a"));
    CHECK(names_look_alike("Sara", "S.a.r.a."));
    CHECK(names_look_alike("Sara", "ＳＡＲＡ"));
    CHECK(names_look_alike("Olena", "0lena"));
    CHECK(names_look_alike("Amina", "Arnina"));
    CHECK(names_look_alike("Samuel", "SamueI")); // capital i for small L
    CHECK(names_look_alike("Boss", "B0SS"));
    CHECK(names_look_alike("Олена", "Oлeнa")); // Cyrillic and Latin letters mixed
    CHECK(names_look_alike("أمل", "أَمَل"));    // with harakat
    CHECK(names_look_alike("رحمت‌الله",
                           "رحمتالله")); // with and without the non-joiner
    CHECK_FALSE(names_look_alike("Sara", "Samira"));
    CHECK_FALSE(names_look_alike("Sara", "Saba"));
    CHECK_FALSE(names_look_alike("Sara", "Sarah"));
    CHECK_FALSE(names_look_alike("Ian", "Lan")); // a capital I is not a capital L
    CHECK_FALSE(names_look_alike("", ""));
    CHECK_FALSE(names_look_alike("\U0001F33B", "\U0001F33B")); // no letters: nothing to mistake
}

TEST_CASE("the likeness checks take any bytes")
{
    CHECK_FALSE(is_reserved_name("\xFF\xFE"));
    CHECK_FALSE(is_reserved_name(std::string_view{"\0", 1}));
    CHECK_FALSE(names_look_alike("\xC0", "\xC0"));
    CHECK(is_reserved_name("admin\xFF"));
}
