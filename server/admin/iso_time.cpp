#include "admin/iso_time.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace kring {
namespace {

using namespace std::chrono;

// Reads exactly `width` digits at `at`; nothing if any is not a digit.
std::optional<int> digits(std::string_view text, std::size_t at, std::size_t width)
{
    if (at + width > text.size())
        return std::nullopt;
    int value = 0;
    for (std::size_t i = at; i < at + width; ++i) {
        if (text[i] < '0' || text[i] > '9')
            return std::nullopt;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

std::optional<sys_days> parse_date(std::string_view text)
{
    auto const y = digits(text, 0, 4);
    auto const m = digits(text, 5, 2);
    auto const d = digits(text, 8, 2);
    if (!y || !m || !d || text[4] != '-' || text[7] != '-')
        return std::nullopt;
    year_month_day const date{year{*y}, month{static_cast<unsigned>(*m)}, day{static_cast<unsigned>(*d)}};
    if (!date.ok())
        return std::nullopt;
    return sys_days{date};
}

// "HH:MM:SS", then ".mmm" or nothing, then "Z", from `text[11]` on.
std::optional<milliseconds> parse_time_of_day(std::string_view text)
{
    auto const h = digits(text, 11, 2);
    auto const m = digits(text, 14, 2);
    auto const s = digits(text, 17, 2);
    if (!h || !m || !s || text[13] != ':' || text[16] != ':' || *h > 23 || *m > 59 || *s > 59)
        return std::nullopt;
    int ms = 0;
    std::size_t zone_at = 19;
    if (text.size() == 24 && text[19] == '.') {
        auto const fraction = digits(text, 20, 3);
        if (!fraction)
            return std::nullopt;
        ms = *fraction;
        zone_at = 23;
    }
    if (text.size() != zone_at + 1 || text[zone_at] != 'Z')
        return std::nullopt;
    return hours{*h} + minutes{*m} + seconds{*s} + milliseconds{ms};
}

std::optional<std::int64_t> parse_milliseconds(std::string_view text)
{
    std::int64_t value = 0;
    auto const [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < 0)
        return std::nullopt;
    return value;
}

} // namespace

std::string format_iso_utc(std::int64_t ms_since_epoch)
{
    sys_time<milliseconds> const at{milliseconds{ms_since_epoch}};
    auto const day_start = floor<days>(at);
    year_month_day const date{day_start};
    hh_mm_ss<milliseconds> const time{at - day_start};
    char out[32];
    std::snprintf(out, sizeof out, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()), static_cast<int>(time.subseconds().count()));
    return out;
}

std::optional<std::int64_t> parse_time(std::string_view text)
{
    if (!text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos)
        return parse_milliseconds(text);
    auto const date = parse_date(text);
    if (!date)
        return std::nullopt;
    auto const midnight = duration_cast<milliseconds>(date->time_since_epoch()).count();
    if (text.size() == 10)
        return midnight;
    if (text[10] != 'T')
        return std::nullopt;
    auto const time = parse_time_of_day(text);
    if (!time)
        return std::nullopt;
    return midnight + time->count();
}

} // namespace kring
