#include <kring/protocol/agreement.hpp>

#include "data_file_checks.hpp"
#include "json_writer.hpp"
#include <kring/protocol/text.hpp>

#include <boost/json/array.hpp>

namespace kring::protocol {

namespace detail {
extern std::string_view const shipped_agreement; // agreement_default.cpp, made from deploy/agreement.json
}

namespace json = boost::json;
using detail::bad_file;
using detail::json_object_writer;

namespace {

constexpr std::size_t max_agreement_languages = 60;

agreement_text agreement_language_of(json::value const& v, std::string const& where)
{
    if (!v.is_object())
        throw bad_file{where + " must be an object {lang, review, notice, items}"};
    auto const& o = v.get_object();
    agreement_text out;
    out.lang = detail::string_field(o, "lang", where);
    if (!is_language_tag(out.lang))
        throw bad_file{where + ": lang must be a language tag of 2 or 3 lowercase letters, such as \"nl\""};
    out.review = detail::review_field(o, where);
    if (o.contains("notice")) {
        out.notice = detail::string_field(o, "notice", where);
        if (auto const problem = agreement_item_problem(*out.notice))
            throw bad_file{where + ": notice " + *problem};
    }
    auto const* items = o.if_contains("items");
    if (!items || !items->is_array() || items->get_array().empty() ||
        items->get_array().size() > max_agreement_items)
        throw bad_file{where + ": items must be a list of 1 to 20 lines of text"};
    for (std::size_t i = 0; i < items->get_array().size(); ++i) {
        auto const& item = items->get_array()[i];
        auto const at = where + ": items[" + std::to_string(i) + "]";
        if (!item.is_string())
            throw bad_file{at + " must be a string"};
        if (auto const problem = agreement_item_problem(item.get_string()))
            throw bad_file{at + " " + *problem};
        out.items.emplace_back(item.get_string());
    }
    return out;
}

void append_items(std::string& out, std::vector<std::string> const& items)
{
    out += '[';
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0)
            out += ',';
        detail::append_quoted(out, items[i]);
    }
    out += ']';
}

void append_agreement_fields(json_object_writer& w, agreement_text const& text)
{
    w.field("lang", text.lang).field("review", text.review);
    append_items(w.open_field("items"), text.items);
    if (text.notice)
        w.field("notice", *text.notice);
}

} // namespace

bool is_language_tag(std::string_view tag)
{
    if (tag.size() < 2 || tag.size() > 3)
        return false;
    for (char const c : tag)
        if (c < 'a' || c > 'z')
            return false;
    return true;
}

std::optional<std::string> agreement_item_problem(std::string_view item)
{
    if (item.empty() || !is_valid_utf8(item) || holds_refused_text_character(item) ||
        item.find('\n') != std::string_view::npos || item.find('\r') != std::string_view::npos)
        return "must be one line of text";
    if (count_code_points(item) > max_agreement_item)
        return "must be at most 300 characters";
    return std::nullopt;
}

std::variant<agreements, std::string> parse_agreements(std::string_view text)
{
    return detail::parse_data_file<agreements>(text, "{written, languages}", [](json::object const& o) {
        agreements out;
        out.written = detail::string_field(o, "written", "the file");
        if (!detail::is_date(out.written))
            throw bad_file{"written must be a date, YYYY-MM-DD"};
        auto const* languages = o.if_contains("languages");
        if (!languages || !languages->is_array() || languages->get_array().empty() ||
            languages->get_array().size() > max_agreement_languages)
            throw bad_file{"languages must be a list of 1 to 60 languages"};
        for (std::size_t i = 0; i < languages->get_array().size(); ++i) {
            auto const where = "languages[" + std::to_string(i) + "]";
            auto language = agreement_language_of(languages->get_array()[i], where);
            for (auto const& seen : out.languages)
                if (seen.lang == language.lang)
                    throw bad_file{where + ": " + language.lang + " is there twice"};
            if (!out.languages.empty() && language.items.size() != out.languages.front().items.size())
                throw bad_file{where + ": " + language.lang + " has " + std::to_string(language.items.size()) +
                               " items, " + out.languages.front().lang + " " +
                               std::to_string(out.languages.front().items.size()) +
                               ": every language must have the same items, in the same order"};
            out.languages.push_back(std::move(language));
        }
        return out;
    });
}

agreements const& default_agreements()
{
    static agreements const shipped = [] {
        auto parsed = parse_agreements(detail::shipped_agreement);
        return std::get<agreements>(std::move(parsed)); // tested: the shipped file parses
    }();
    return shipped;
}

agreement_text const* agreement_in(std::vector<agreement_text> const& texts, std::string_view lang)
{
    agreement_text const* english = nullptr;
    for (auto const& text : texts) {
        if (text.lang == lang)
            return &text;
        if (text.lang == "en")
            english = &text;
    }
    if (english)
        return english;
    return texts.empty() ? nullptr : &texts.front();
}

std::string write_agreement_object(agreement_text const& text)
{
    std::string out;
    json_object_writer w{out};
    append_agreement_fields(w, text);
    w.close();
    return out;
}

std::string write_agreement(std::string_view room, agreement_text const& text, std::optional<std::string_view> ref)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "agreement").field("room", room);
    append_agreement_fields(w, text);
    if (ref)
        w.field("ref", *ref);
    w.close();
    return out;
}

std::string write_agreement_required(std::string_view room, agreement_text const& text,
                                     std::optional<std::string_view> ref)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "error").field("code", "agreement_required");
    w.field("message", "read the circle's agreement and join again with agree: true").field("room", room);
    w.raw_field("agreement", write_agreement_object(text));
    if (ref)
        w.field("ref", *ref);
    w.close();
    return out;
}

std::string write_agreement_point(std::string_view room, std::size_t item, std::string_view by,
                                  std::optional<std::string_view> ref)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "agreement_point").field("room", room).field("item", std::uint64_t{item}).field("by", by);
    if (ref)
        w.field("ref", *ref);
    w.close();
    return out;
}

} // namespace kring::protocol
