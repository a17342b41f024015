#include "directory/directory.hpp"

#include <kring/protocol/agreement.hpp>
#include <kring/protocol/client_messages.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <date/tz.h>

#include <algorithm>
#include <array>
#include <chrono>

namespace kring::directory {
namespace {

namespace json = boost::json;
using namespace std::chrono;

// The value of `key` in a query string ("lang=ar&org=tea"), as given:
// Kring's values (tags, slugs) need no percent-decoding, and one that has
// any is refused by the check that follows.
std::optional<std::string> query_value(std::string_view query, std::string_view key)
{
    while (!query.empty()) {
        auto const amp = query.find('&');
        auto const pair = query.substr(0, amp);
        auto const eq = pair.find('=');
        if (pair.substr(0, eq) == key)
            return std::string{eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1)};
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    }
    return std::nullopt;
}

json::object session_json(session_time const& session, std::string const& zone)
{
    return {{"opens", session.opens}, {"start", session.start}, {"end", session.end}, {"zone", zone}};
}

json::object organisation_json(organisation_record const& o)
{
    json::object about;
    for (auto const& [lang, text] : o.about)
        about[lang] = text;
    return {{"slug", o.slug}, {"name", o.name}, {"city", o.city}, {"contact", o.contact}, {"about", about}};
}

// iCalendar TEXT: backslash, semicolon, comma and newline escaped.
std::string ics_text(std::string_view text)
{
    std::string out;
    for (char const c : text) {
        if (c == '\\' || c == ';' || c == ',')
            out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        if (c == '\r')
            continue;
        out += c;
    }
    return out;
}

// How many bytes the UTF-8 character starting with `lead` has.
std::size_t utf8_length(unsigned char lead)
{
    if (lead >= 0xF0)
        return 4;
    if (lead >= 0xE0)
        return 3;
    return lead >= 0xC0 ? 2 : 1;
}

// One content line, folded so that no line has more than 75 octets (a
// continuation's leading space counts), never inside a UTF-8 character.
void ics_line(std::string& out, std::string_view line)
{
    std::size_t width = 0;
    for (std::size_t i = 0; i < line.size();) {
        auto const length = std::min(utf8_length(static_cast<unsigned char>(line[i])), line.size() - i);
        if (width + length > 75) {
            out += "\r\n ";
            width = 1;
        }
        out.append(line.substr(i, length));
        width += length;
        i += length;
    }
    out += "\r\n";
}

std::string ics_local(date::local_seconds t)
{
    return date::format("%Y%m%dT%H%M%S", t);
}

std::string ics_utc(date::sys_seconds t)
{
    return date::format("%Y%m%dT%H%M%SZ", t);
}

std::string ics_offset(seconds offset)
{
    auto const total = offset.count();
    auto const a = total < 0 ? -total : total;
    auto const two = [](long long n) { return std::string{static_cast<char>('0' + n / 10 % 10), static_cast<char>('0' + n % 10)}; };
    return (total < 0 ? "-" : "+") + two(static_cast<long long>(a / 3600)) + two(static_cast<long long>(a / 60 % 60));
}

constexpr std::array<char const*, 7> ics_days{"SU", "MO", "TU", "WE", "TH", "FR", "SA"};

// The zone's changes from a year before `now` to ten years after, each an
// observance (RFC 5545, 3.6.5): clients that know the IANA name (nearly
// all) use their own rules; the others have these.
void append_timezone(std::string& out, date::time_zone const& zone, date::sys_seconds now)
{
    ics_line(out, "BEGIN:VTIMEZONE");
    ics_line(out, "TZID:" + zone.name());
    auto info = zone.get_info(now - date::days{366});
    bool any = false;
    while (info.end < now + date::days{10 * 366} && info.end != date::sys_seconds::max()) {
        auto const next = zone.get_info(info.end);
        auto const kind = next.save == minutes{0} ? "STANDARD" : "DAYLIGHT";
        ics_line(out, std::string{"BEGIN:"} + kind);
        ics_line(out, "DTSTART:" + ics_local(date::local_seconds{(info.end + info.offset).time_since_epoch()}));
        ics_line(out, "TZOFFSETFROM:" + ics_offset(info.offset));
        ics_line(out, "TZOFFSETTO:" + ics_offset(next.offset));
        ics_line(out, "TZNAME:" + next.abbrev);
        ics_line(out, std::string{"END:"} + kind);
        info = next;
        any = true;
    }
    if (!any) { // a zone that keeps one offset
        ics_line(out, "BEGIN:STANDARD");
        ics_line(out, "DTSTART:19700101T000000");
        ics_line(out, "TZOFFSETFROM:" + ics_offset(info.offset));
        ics_line(out, "TZOFFSETTO:" + ics_offset(info.offset));
        ics_line(out, "TZNAME:" + info.abbrev);
        ics_line(out, "END:STANDARD");
    }
    ics_line(out, "END:VTIMEZONE");
}

} // namespace

std::optional<request> parse_target(std::string_view target)
{
    if (!target.starts_with("/api/"))
        return std::nullopt;
    auto const question = target.find('?');
    auto const path = target.substr(0, question);
    auto const query = question == std::string_view::npos ? std::string_view{} : target.substr(question + 1);
    if (path == "/api/circles") {
        list_request out;
        if (auto lang = query_value(query, "lang")) {
            if (!protocol::is_language_tag(*lang))
                return bad_request{400, "lang must be a language tag of 2 or 3 lowercase letters, such as ar"};
            out.lang = std::move(lang);
        }
        if (auto org = query_value(query, "org")) {
            if (!protocol::is_valid_slug(*org, 32))
                return bad_request{400, "org must be an organisation's slug"};
            out.org = std::move(org);
        }
        return out;
    }
    constexpr std::string_view prefix = "/api/circles/";
    if (path.starts_with(prefix) && path.ends_with(".ics") && path.size() > prefix.size() + 4) {
        auto const slug = path.substr(prefix.size(), path.size() - prefix.size() - 4);
        if (!protocol::is_valid_slug(slug, 32))
            return bad_request{400, "not a circle's calendar: /api/circles/SLUG.ics"};
        return calendar_request{std::string{slug}};
    }
    return bad_request{404, "no such page: /api/circles or /api/circles/SLUG.ics"};
}

std::string circles_json(list_request const& asked, std::vector<room_record> const& rooms,
                         std::vector<organisation_record> const& organisations, presence const& present,
                         std::int64_t now_ms)
{
    json::array circles;
    for (auto const& r : rooms) {
        if (!r.listed)
            continue;
        if (asked.org && r.organisation != asked.org)
            continue;
        if (asked.lang && std::find(r.languages.begin(), r.languages.end(), *asked.lang) == r.languages.end())
            continue;
        json::object c{{"slug", r.slug},
                       {"title", r.title},
                       {"description", r.description},
                       {"capacity", r.capacity},
                       {"present", present(r.slug)},
                       {"led", r.peer_led ? "peer" : "moderator"},
                       {"code", r.code_digest.has_value()},
                       {"agreement_required", r.agreement_required}};
        json::array languages;
        for (auto const& l : r.languages)
            languages.emplace_back(l);
        c["languages"] = std::move(languages);
        c["organisation"] = nullptr;
        if (r.organisation)
            for (auto const& o : organisations)
                if (o.slug == *r.organisation)
                    c["organisation"] = organisation_json(o);
        c["next"] = nullptr;
        c["open_now"] = !r.schedule.has_value();
        if (r.schedule) {
            auto const open = open_session(*r.schedule, now_ms);
            auto const next = open ? open : next_session(*r.schedule, now_ms);
            if (next)
                c["next"] = session_json(*next, r.schedule->zone);
            c["open_now"] = open.has_value();
        }
        circles.emplace_back(std::move(c));
    }
    return json::serialize(json::object{{"circles", std::move(circles)}});
}

std::string circle_calendar(room_record const& room, organisation_record const* organisation, std::int64_t now_ms)
{
    std::string out;
    ics_line(out, "BEGIN:VCALENDAR");
    ics_line(out, "VERSION:2.0");
    ics_line(out, "PRODID:-//Kring//Kring circles//EN");
    ics_line(out, "CALSCALE:GREGORIAN");
    ics_line(out, "METHOD:PUBLISH");
    ics_line(out, "X-WR-CALNAME:" + ics_text(room.title));
    date::time_zone const* zone = nullptr;
    if (room.schedule) {
        try {
            zone = date::locate_zone(room.schedule->zone);
        } catch (std::runtime_error const&) {
            zone = nullptr;
        }
    }
    auto const now = date::sys_seconds{duration_cast<seconds>(milliseconds{now_ms})};
    if (zone) {
        append_timezone(out, *zone, now);
        auto const today = floor<date::days>(zone->to_local(now));
        for (auto const& session : room.schedule->sessions) {
            // Its first day on or after today, in the circle's own zone.
            auto day = today;
            while (static_cast<unsigned>(date::weekday{day}.c_encoding()) != session.weekday)
                day += date::days{1};
            ics_line(out, "BEGIN:VEVENT");
            ics_line(out, "UID:" + room.slug + "-" + ics_days[session.weekday % 7] + "-" +
                              std::to_string(session.start) + "@kring");
            ics_line(out, "DTSTAMP:" + ics_utc(now));
            ics_line(out, "DTSTART;TZID=" + zone->name() + ":" + ics_local(day + minutes{session.start}));
            ics_line(out, "DTEND;TZID=" + zone->name() + ":" + ics_local(day + minutes{session.end}));
            ics_line(out, std::string{"RRULE:FREQ=WEEKLY;BYDAY="} + ics_days[session.weekday % 7]);
            ics_line(out, "SUMMARY:" + ics_text(room.title));
            if (!room.description.empty())
                ics_line(out, "DESCRIPTION:" + ics_text(room.description));
            if (organisation)
                ics_line(out, "LOCATION:" + ics_text("Kring, " + organisation->name +
                                                     (organisation->city.empty() ? "" : ", " + organisation->city)));
            ics_line(out, "END:VEVENT");
        }
    }
    ics_line(out, "END:VCALENDAR");
    return out;
}

} // namespace kring::directory
