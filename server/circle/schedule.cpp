#include "circle/schedule.hpp"

#include <date/tz.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <stdexcept>

namespace kring {
namespace {

using namespace std::chrono;

constexpr std::array<std::string_view, 7> weekday_names{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

date::time_zone const* zone_named(std::string_view name)
{
    try {
        return date::locate_zone(name);
    } catch (std::runtime_error const&) {
        return nullptr;
    }
}

// "19:00" as minutes after midnight; 24:00 is the end of the day.
std::optional<unsigned> minutes_of(std::string_view hhmm)
{
    if (hhmm.size() != 5 || hhmm[2] != ':')
        return std::nullopt;
    unsigned h = 0, m = 0;
    auto const hp = std::from_chars(hhmm.data(), hhmm.data() + 2, h);
    auto const mp = std::from_chars(hhmm.data() + 3, hhmm.data() + 5, m);
    if (hp.ec != std::errc{} || hp.ptr != hhmm.data() + 2 || mp.ec != std::errc{} || mp.ptr != hhmm.data() + 5)
        return std::nullopt;
    if (m > 59 || h > 24 || (h == 24 && m != 0))
        return std::nullopt;
    return h * 60 + m;
}

std::int64_t ms_of(date::sys_seconds t)
{
    return duration_cast<milliseconds>(t.time_since_epoch()).count();
}

// A local time of the zone as UTC. A time the clocks skip (spring forward)
// is the moment they jump; a time they pass twice (fall back), the first.
date::sys_seconds utc_of(date::time_zone const& zone, date::local_time<minutes> local)
{
    return zone.to_sys(local, date::choose::earliest);
}

// Every session of the weeks around `now`, in order of opening.
std::vector<session_time> sessions_around(schedule const& s, std::int64_t now_ms)
{
    std::vector<session_time> out;
    auto const* zone = zone_named(s.zone);
    if (!zone)
        return out;
    auto const now = date::sys_time<milliseconds>{milliseconds{now_ms}};
    auto const today = floor<date::days>(zone->to_local(now));
    for (int d = -1; d <= 8; ++d) {
        auto const day = today + date::days{d};
        auto const weekday = date::weekday{day}.c_encoding();
        for (auto const& session : s.sessions) {
            if (session.weekday != weekday)
                continue;
            auto const start = utc_of(*zone, day + minutes{session.start});
            auto const end = utc_of(*zone, day + minutes{session.end});
            out.push_back({ms_of(start - minutes{s.lobby_minutes}), ms_of(start), ms_of(end)});
        }
    }
    std::sort(out.begin(), out.end(), [](auto const& a, auto const& b) { return a.opens < b.opens; });
    return out;
}

} // namespace

bool is_known_zone(std::string_view zone)
{
    return !zone.empty() && zone_named(zone) != nullptr;
}

std::variant<weekly_session, std::string> parse_weekly_session(std::string_view text)
{
    constexpr char const* shape = "a session is a weekday and local hours, like \"tue 19:00-20:30\"";
    if (text.size() != 15 || text[3] != ' ' || text[9] != '-')
        return std::string{shape};
    weekly_session out;
    auto const day = std::find(weekday_names.begin(), weekday_names.end(), text.substr(0, 3));
    if (day == weekday_names.end())
        return std::string{"the weekday must be one of sun, mon, tue, wed, thu, fri, sat"};
    out.weekday = static_cast<unsigned>(day - weekday_names.begin());
    auto const start = minutes_of(text.substr(4, 5));
    auto const end = minutes_of(text.substr(10, 5));
    if (!start || !end)
        return std::string{shape};
    if (*end <= *start)
        return std::string{"a session must end after it starts, on the same day"};
    out.start = *start;
    out.end = *end;
    return out;
}

std::string to_string(weekly_session const& session)
{
    auto const hhmm = [](unsigned minutes) {
        std::string out(5, '0');
        out[0] = static_cast<char>('0' + minutes / 600);
        out[1] = static_cast<char>('0' + minutes / 60 % 10);
        out[2] = ':';
        out[3] = static_cast<char>('0' + minutes % 60 / 10);
        out[4] = static_cast<char>('0' + minutes % 10);
        return out;
    };
    return std::string{weekday_names[session.weekday % 7]} + " " + hhmm(session.start) + "-" + hhmm(session.end);
}

std::optional<session_time> open_session(schedule const& s, std::int64_t now_ms)
{
    for (auto const& session : sessions_around(s, now_ms))
        if (session.opens <= now_ms && now_ms < session.end)
            return session;
    return std::nullopt;
}

std::optional<session_time> next_session(schedule const& s, std::int64_t now_ms)
{
    for (auto const& session : sessions_around(s, now_ms))
        if (session.opens > now_ms)
            return session;
    return std::nullopt;
}

} // namespace kring
