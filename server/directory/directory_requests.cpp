#include "directory/directory_requests.hpp"

#include "clock.hpp"
#include "directory/directory.hpp"

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

} // namespace

boost::asio::awaitable<std::optional<http_answer>> answer(store_thread& database, broker const& rooms,
                                                          std::string target)
{
    auto const parsed = parse_target(target);
    if (!parsed)
        co_return std::nullopt;
    if (auto const* bad = std::get_if<bad_request>(&*parsed))
        co_return json_answer(bad->status, error_json(bad->why));
    auto const listing = co_await database.directory();
    auto const now = now_ms();
    if (auto const* list = std::get_if<list_request>(&*parsed)) {
        auto const present = [&rooms](std::string_view slug) -> std::size_t {
            auto const r = rooms.find(slug);
            return r ? r->member_count() : 0;
        };
        co_return json_answer(200, circles_json(*list, listing.rooms, listing.organisations, present, now));
    }
    auto const& slug = std::get<calendar_request>(*parsed).slug;
    for (auto const& r : listing.rooms) {
        if (r.slug != slug)
            continue;
        if (!r.schedule)
            co_return json_answer(404, error_json("the circle " + slug + " has no schedule"));
        organisation_record const* organisation = nullptr;
        for (auto const& o : listing.organisations)
            if (r.organisation && o.slug == *r.organisation)
                organisation = &o;
        co_return http_answer{200, "text/calendar; charset=utf-8", circle_calendar(r, organisation, now)};
    }
    co_return json_answer(404, error_json("no such circle: " + slug));
}

} // namespace kring::directory
