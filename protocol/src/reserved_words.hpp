#pragma once

#include <string_view>

// Words that claim a role in a circle, in the languages Kring ships (en, nl,
// fr, ar, fa, ps, uk, ru, tr, ti) and those of its neighbours (es, pt, de,
// it, pl, ro). Written plainly: case, accents, look-alike letters, spaces and
// punctuation are undone by the comparison (name_likeness.cpp), so "Modérateur"
// covers "MODERATEUR" and "m0derateur", and one Arabic "مدير" covers the
// Persian "مدیر".
namespace kring::protocol::detail {

struct reserved_word {
    std::string_view text;
    // Long, distinctive words count inside a word too ("TheModerator",
    // "المشرف", "Administratorin"); short ones only as a whole word or the
    // whole name, so that "Stafford" and "Ghost" stay free.
    bool inside_words;
};

inline constexpr reserved_word reserved_words[] = {
    // Several languages at once: en, nl, de, pl, ro "moderator"; "admin"
    // also covers administrator, administrateur, administrador...
    {"moderator", true}, {"admin", true}, {"facilitator", true},
    {"mod", false}, {"mods", false}, {"staff", false}, {"host", false}, {"hostess", false},
    {"kring", false}, {"system", false}, {"sistema", false}, {"personal", false},
    // nl
    {"beheerder", true}, {"begeleider", true}, {"gespreksleider", true}, {"gastheer", true},
    {"gastvrouw", true}, {"medewerker", true}, {"personeel", false},
    // fr
    {"modérateur", true}, {"modératrice", true}, {"animateur", true}, {"animatrice", true},
    {"facilitateur", true}, {"facilitatrice", true}, {"hôte", false}, {"hôtesse", false}, {"personnel", false},
    // es, pt ("moderador" covers "moderadora")
    {"moderador", true}, {"facilitador", true}, {"anfitrión", true}, {"anfitriã", true},
    // de
    {"gastgeber", true}, {"betreuer", true}, {"mitarbeiter", true},
    // it ("moderatore" holds "moderator")
    {"amministra", true}, {"personale", false},
    // pl
    {"prowadzący", true}, {"prowadząca", true}, {"gospodarz", true}, {"personel", false}, {"obsługa", false},
    // ro
    {"moderatoare", true}, {"facilitatoare", true}, {"sistem", false},
    // tr
    {"moderatör", true}, {"yönetici", true}, {"kolaylaştırıcı", true}, {"yetkili", false}, {"ev sahibi", false},
    // uk
    {"модератор", true}, {"адмін", true}, {"ведучий", false}, {"ведуча", false}, {"персонал", false},
    {"система", false}, {"крінг", false},
    // ru
    {"админ", true}, {"ведущий", false}, {"ведущая", false}, {"кринг", false},
    // ar: supervisor, manager, overseer, administration, host, "admin"
    {"مشرف", true}, {"مدير", true}, {"ناظر", true}, {"إدارة", true}, {"مضيف", false}, {"أدمن", false},
    // fa: "admin", the one who runs it, host, system
    {"ادمین", true}, {"گرداننده", true}, {"میزبان", false}, {"سیستم", false},
    // ps: "admin", host
    {"اډمین", true}, {"کوربه", false},
    // ti: administrator, "admin"
    {"ኣመሓዳሪ", true}, {"ኣድሚን", true},
};

} // namespace kring::protocol::detail
