#include <kring/protocol/help_lines.hpp>

#include "data_file_checks.hpp"
#include "json_writer.hpp"
#include <kring/protocol/text.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>


namespace kring::protocol {

namespace json = boost::json;
using detail::bad_file;
using detail::is_date;
using detail::json_object_writer;

namespace {

// The file Kring ships, written on 2026-12-01 from what is generally known of
// these services; no one has looked each up on its own pages or called it
// yet, so no entry says `checked`. The deployment must check every entry,
// its hours above all, before people rely on it.
constexpr std::string_view belgium = R"json({
 "written": "2026-12-01", "check_required": true,
 "lines": [
  {"name": "Emergency (police, ambulance, fire)", "number": "112", "hours": "24/7", "languages": ["all"],
   "url": "https://www.112.be", "source": "to check at https://www.112.be"},
  {"name": "Zelfmoordlijn 1813", "number": "1813", "hours": "24/7", "languages": ["nl"],
   "url": "https://www.zelfmoord1813.be", "source": "to check at https://www.zelfmoord1813.be"},
  {"name": "Centre de Prévention du Suicide", "number": "0800 32 123", "hours": "24/7", "languages": ["fr"],
   "url": "https://www.preventionsuicide.be", "source": "to check at https://www.preventionsuicide.be"},
  {"name": "Tele-Onthaal", "number": "106", "hours": "24/7", "languages": ["nl"],
   "url": "https://www.tele-onthaal.be", "source": "to check at https://www.tele-onthaal.be"},
  {"name": "Télé-Accueil", "number": "107", "hours": "24/7", "languages": ["fr"],
   "url": "https://www.tele-accueil.be", "source": "to check at https://www.tele-accueil.be"},
  {"name": "TelefonHilfe", "number": "108", "hours": "24/7", "languages": ["de"],
   "url": "https://www.telefonhilfe.be", "source": "to check at https://www.telefonhilfe.be"}
 ]})json";

constexpr std::size_t max_lines = 50;
constexpr std::size_t max_field = 200;

std::string text_of(json::object const& o, std::string_view key, std::string const& where, bool required = true)
{
    auto const* v = o.if_contains(key);
    if (!v) {
        if (required)
            throw bad_file{where + ": " + std::string{key} + " is missing"};
        return {};
    }
    if (!v->is_string())
        throw bad_file{where + ": " + std::string{key} + " must be a string"};
    std::string s{v->get_string()};
    if (s.empty() || s.size() > max_field || holds_refused_text_character(s) || s.find('\n') != std::string::npos)
        throw bad_file{where + ": " + std::string{key} + " must be 1 to 200 bytes of text on one line"};
    return s;
}

help_line line_of(json::value const& v, std::string const& where)
{
    if (!v.is_object())
        throw bad_file{where + " must be an object"};
    auto const& o = v.get_object();
    help_line line{text_of(o, "name", where), text_of(o, "number", where), text_of(o, "hours", where), {}, {},
                   std::nullopt, text_of(o, "source", where)};
    if (o.contains("checked")) {
        line.checked = text_of(o, "checked", where);
        if (!is_date(*line.checked))
            throw bad_file{where + ": checked must be a date, YYYY-MM-DD"};
    }
    if (o.contains("url")) {
        line.url = text_of(o, "url", where);
        if (!line.url->starts_with("https://") && !line.url->starts_with("http://"))
            throw bad_file{where + ": url must start with https:// or http://"};
    }
    auto const* languages = o.if_contains("languages");
    if (!languages || !languages->is_array() || languages->get_array().empty())
        throw bad_file{where + ": languages must be a list of language tags, or [\"all\"]"};
    for (auto const& l : languages->get_array()) {
        if (!l.is_string() || l.get_string().empty() || l.get_string().size() > 35)
            throw bad_file{where + ": each language must be a tag such as \"nl\", or \"all\""};
        line.languages.emplace_back(l.get_string());
    }
    return line;
}

void append_lines(json_object_writer& w, help_lines const& lines)
{
    auto& out = w.open_field("lines");
    out += '[';
    bool first = true;
    for (auto const& line : lines.lines) {
        if (!first)
            out += ',';
        first = false;
        json_object_writer l{out};
        l.field("name", line.name).field("number", line.number).field("hours", line.hours);
        auto& langs = l.open_field("languages");
        langs += '[';
        for (std::size_t i = 0; i < line.languages.size(); ++i) {
            if (i > 0)
                langs += ',';
            detail::append_quoted(langs, line.languages[i]);
        }
        langs += ']';
        if (line.url)
            l.field("url", *line.url);
        if (line.checked)
            l.field("checked", *line.checked);
        l.field("source", line.source);
        l.close();
    }
    out += ']';
    w.field("notice", help_notice);
}

} // namespace

std::variant<help_lines, std::string> parse_help_lines(std::string_view text)
{
    return detail::parse_data_file<help_lines>(text, "{written, check_required, lines}", [](json::object const& o) {
        help_lines out;
        out.written = text_of(o, "written", "the file");
        if (!is_date(out.written))
            throw bad_file{"written must be a date, YYYY-MM-DD"};
        if (auto const* check = o.if_contains("check_required")) {
            if (!check->is_bool())
                throw bad_file{"check_required must be true or false"};
            out.check_required = check->get_bool();
        }
        auto const* lines = o.if_contains("lines");
        if (!lines || !lines->is_array() || lines->get_array().empty() || lines->get_array().size() > max_lines)
            throw bad_file{"lines must be a list of 1 to 50 help lines"};
        for (std::size_t i = 0; i < lines->get_array().size(); ++i)
            out.lines.push_back(line_of(lines->get_array()[i], "lines[" + std::to_string(i) + "]"));
        return out;
    });
}

help_lines const& default_help_lines()
{
    static help_lines const lines = std::get<help_lines>(parse_help_lines(belgium));
    return lines;
}

std::string write_resources_object(help_lines const& lines)
{
    std::string out;
    json_object_writer w{out};
    append_lines(w, lines);
    w.close();
    return out;
}

std::string write_resources(help_lines const& lines, std::optional<std::string_view> ref)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "resources");
    append_lines(w, lines);
    if (ref)
        w.field("ref", *ref);
    w.close();
    return out;
}

std::string write_help_sent(std::string_view room, bool reached, help_lines const& lines,
                            std::optional<std::string_view> ref)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "help_sent").field("room", room).field("reached", reached);
    w.raw_field("resources", write_resources_object(lines));
    if (ref)
        w.field("ref", *ref);
    w.close();
    return out;
}

std::string write_help_offered(std::string_view room, help_lines const& lines)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "help_offered").field("room", room);
    w.raw_field("resources", write_resources_object(lines));
    w.close();
    return out;
}

std::string_view to_string(alert_kind kind)
{
    return kind == alert_kind::help ? "help" : "words";
}

std::string write_alert(alert_entry const& alert)
{
    std::string out;
    json_object_writer w{out};
    w.field("type", "alert").field("room", alert.room).field("member", alert.member).field("name", alert.name);
    w.field("kind", to_string(alert.kind)).field("at", alert.at);
    if (alert.message)
        w.field("message", *alert.message);
    if (alert.waited)
        w.field("waited", true);
    w.close();
    return out;
}

} // namespace kring::protocol
