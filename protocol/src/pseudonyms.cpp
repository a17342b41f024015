#include <kring/protocol/pseudonyms.hpp>

#include "data_file_checks.hpp"
#include <kring/protocol/agreement.hpp>
#include <kring/protocol/names.hpp>

#include <boost/json/array.hpp>

#include <unicode/locid.h>
#include <unicode/numfmt.h>
#include <unicode/unistr.h>

#include <memory>

namespace kring::protocol {

namespace detail {
extern std::string_view const shipped_pseudonyms; // pseudonyms_default.cpp, made from deploy/pseudonyms.json
}

namespace json = boost::json;
using detail::bad_file;

namespace {

constexpr std::size_t max_pseudonym_languages = 60;
constexpr std::size_t max_names = 1000;

pseudonym_language language_of(json::value const& v, std::string const& where)
{
    if (!v.is_object())
        throw bad_file{where + " must be an object {lang, review, names}"};
    auto const& o = v.get_object();
    pseudonym_language out;
    out.lang = detail::string_field(o, "lang", where);
    if (!is_language_tag(out.lang))
        throw bad_file{where + ": lang must be a language tag of 2 or 3 lowercase letters, such as \"ar\""};
    out.review = detail::review_field(o, where);
    auto const* names = o.if_contains("names");
    if (!names || !names->is_array() || names->get_array().empty() || names->get_array().size() > max_names)
        throw bad_file{where + ": names must be a list of 1 to 1000 names"};
    for (std::size_t i = 0; i < names->get_array().size(); ++i) {
        auto const& name = names->get_array()[i];
        auto const at = where + ": names[" + std::to_string(i) + "]";
        if (!name.is_string())
            throw bad_file{at + " must be a string"};
        // With its number, it must be a name a participant could choose.
        std::string const with_number = std::string{name.get_string()} + " 99";
        auto const checked = check_name(with_number);
        if (!checked.ok() || checked.name != with_number)
            throw bad_file{at + " is not a name a participant could choose (with its number): " +
                           std::string{to_string(checked.refusal)}};
        if (is_reserved_name(name.get_string()))
            throw bad_file{at + " claims a role"};
        out.names.emplace_back(name.get_string());
    }
    return out;
}

// `number` in the digits of `lang`'s default numbering system (ICU's
// locale data: Arabic-Indic for ar, extended for fa and ps, ASCII for the
// others), without grouping.
std::string local_digits(std::string_view lang, unsigned number)
{
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::NumberFormat> format{
        icu::NumberFormat::createInstance(icu::Locale{std::string{lang}.c_str()}, status)};
    if (U_FAILURE(status) || !format)
        return std::to_string(number);
    format->setGroupingUsed(false);
    icu::UnicodeString text;
    format->format(static_cast<int32_t>(number), text);
    std::string out;
    text.toUTF8String(out);
    return out;
}

} // namespace

std::variant<pseudonyms, std::string> parse_pseudonyms(std::string_view text)
{
    return detail::parse_data_file<pseudonyms>(text, "{languages}", [](json::object const& o) {
        pseudonyms out;
        auto const* languages = o.if_contains("languages");
        if (!languages || !languages->is_array() || languages->get_array().empty() ||
            languages->get_array().size() > max_pseudonym_languages)
            throw bad_file{"languages must be a list of 1 to 60 languages"};
        for (std::size_t i = 0; i < languages->get_array().size(); ++i) {
            auto const where = "languages[" + std::to_string(i) + "]";
            auto language = language_of(languages->get_array()[i], where);
            for (auto const& seen : out.languages)
                if (seen.lang == language.lang)
                    throw bad_file{where + ": " + language.lang + " is there twice"};
            out.languages.push_back(std::move(language));
        }
        return out;
    });
}

pseudonyms const& default_pseudonyms()
{
    static pseudonyms const shipped = [] {
        auto parsed = parse_pseudonyms(detail::shipped_pseudonyms);
        return std::get<pseudonyms>(std::move(parsed)); // tested: the shipped file parses
    }();
    return shipped;
}

std::optional<std::string> compose_pseudonym(std::string_view lang, std::size_t pick, unsigned number)
{
    for (auto const& language : default_pseudonyms().languages)
        if (language.lang == lang)
            return language.names[pick % language.names.size()] + ' ' + local_digits(lang, number);
    return std::nullopt;
}

} // namespace kring::protocol
