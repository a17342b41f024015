#include "directory/directory_requests.hpp"

#include "clock.hpp"
#include "directory/directory.hpp"

#include <algorithm>
#include <mutex>

namespace kring::directory {

namespace {

http_answer json_answer(unsigned status, std::string body)
{
    return {status, "application/json; charset=utf-8", std::move(body)};
}

std::string error_json(std::string const& why)
{
    std::string out = "{\"error\":\"";
    for (char const c : why)
        out += c == '"' ? std::string{"\\\""} : std::string(1, c); // our own words, no control characters
    return out + "\"}";
}

// Not in the coroutine: its frame would hold the lambda's type, which has
// no linkage (g++'s -Wsubobject-linkage in a unity build).
http_answer list_answer(list_request const& list, store_thread::listing const& listing, broker const& rooms,
                        std::int64_t now)
{
    auto const present = [&rooms, &listing](std::string_view slug) -> std::size_t {
        auto const r = rooms.find(slug);
        std::size_t here = r ? r->member_count() : 0;
        if (!listing.present)
            return here;
        // And the other nodes' members, from the shared database, by slug.
        auto const& counts = *listing.present;
        auto const found = std::lower_bound(counts.begin(), counts.end(), slug,
                                            [](auto const& entry, std::string_view s) { return entry.first < s; });
        return here + (found != counts.end() && found->first == slug ? found->second : 0);
    };
    return json_answer(200, circles_json(list, listing.rooms, listing.organisations, present, now));
}

// The store's circles and organisations, read again at most once a second:
// anyone may ask for the directory, and the store's one thread also serves
// joins and logins.
boost::asio::awaitable<store_thread::listing> recent_listing(store_thread& database, std::string node)
{
    static std::mutex mutex;
    static std::optional<store_thread::listing> kept;
    static std::int64_t kept_at = 0;
    auto const now = steady_ms();
    {
        std::lock_guard lock{mutex};
        if (kept && now - kept_at < 1000)
            co_return *kept;
    }
    auto fresh = co_await database.directory(std::move(node));
    std::lock_guard lock{mutex};
    kept = fresh;
    kept_at = now;
    co_return fresh;
}

} // namespace

boost::asio::awaitable<std::optional<http_answer>> answer(store_thread& database, broker const& rooms,
                                                          std::string node, std::string target)
{
    auto const parsed = parse_target(target);
    if (!parsed)
        co_return std::nullopt;
    if (auto const* bad = std::get_if<bad_request>(&*parsed))
        co_return json_answer(bad->status, error_json(bad->why));
    auto const listing = co_await recent_listing(database, std::move(node));
    auto const now = now_ms();
    if (auto const* list = std::get_if<list_request>(&*parsed))
        co_return list_answer(*list, listing, rooms, now);
    // One answer for a circle that is not there and one without a schedule:
    // the calendar does not tell which slugs exist.
    auto const& slug = std::get<calendar_request>(*parsed).slug;
    auto const none = json_answer(404, error_json("no calendar for this circle"));
    for (auto const& r : listing.rooms) {
        if (r.slug != slug)
            continue;
        if (!r.schedule)
            co_return none;
        organisation_record const* organisation = nullptr;
        for (auto const& o : listing.organisations)
            if (r.organisation && o.slug == *r.organisation)
                organisation = &o;
        co_return http_answer{200, "text/calendar; charset=utf-8", circle_calendar(r, organisation, now)};
    }
    co_return none;
}

} // namespace kring::directory
