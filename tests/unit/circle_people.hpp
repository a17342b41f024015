#pragma once

// People and rooms for the circle's unit tests: a fake connection that keeps
// every frame, participants and staff, readers for the JSON frames, and the
// frames that say what rules a room is under.
#include "identity.hpp"
#include "circle/participant.hpp"
#include "circle/room.hpp"

#include <kring/protocol/error_code.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_to.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace kring::test {

// Stands in for a connection: keeps every frame it is handed.
struct recording_sink : frame_sink {
    std::vector<shared_frame> frames;

    void send(shared_frame frame) override { frames.push_back(std::move(frame)); }
    void close_replaced() override {}
};

struct person {
    std::shared_ptr<recording_sink> sink;
    std::shared_ptr<participant> who;

    std::size_t received() const { return sink->frames.size(); }
    shared_frame const& last() const
    {
        REQUIRE_FALSE(sink->frames.empty());
        return sink->frames.back();
    }
};

inline person make_person(std::string const& id)
{
    person p{std::make_shared<recording_sink>(), std::make_shared<participant>(id, "Pseudonym " + id, kring::sha256("token-" + id))};
    p.who->attach(p.sink);
    return p;
}

// A moderator who keeps `rooms`, logged in under `name`.
inline person make_moderator(std::string const& id, std::string name, std::vector<std::string> rooms)
{
    auto p = make_person(id);
    p.who->grant(staff_grant{false, std::move(name), std::move(rooms), {}, {}, std::nullopt});
    return p;
}

// A peer facilitator of `room`, logged in under `name`.
inline person make_facilitator(std::string const& id, std::string name, std::string room)
{
    auto p = make_person(id);
    p.who->grant(staff_grant{false, std::move(name), {}, {std::move(room)}, {}, std::nullopt});
    return p;
}

// An interpreter in `room`, logged in under `name`.
inline person make_interpreter(std::string const& id, std::string name, std::string room)
{
    auto p = make_person(id);
    p.who->grant(staff_grant{false, std::move(name), {}, {}, {std::move(room)}, std::nullopt});
    return p;
}

// An admin, who keeps every room.
inline person make_admin(std::string const& id, std::string name)
{
    auto p = make_person(id);
    p.who->grant(staff_grant{true, std::move(name), {}, {}, {}, std::nullopt});
    return p;
}

// What the client's device key leaves on the identity (its keyed hash).
inline void give_device(person const& p, std::string_view device_key)
{
    p.who->set_marks({sha256(device_key), std::nullopt});
}

// The demo circle as `kring room add` makes one, with its defaults.
inline room_settings demo_settings(std::size_t capacity = 12, bool quiet_arrivals = false)
{
    room_settings settings;
    settings.slug = "demo";
    settings.title = "Demo circle";
    settings.capacity = capacity;
    settings.quiet_arrivals = quiet_arrivals;
    return settings;
}

inline std::shared_ptr<room> make_room(std::size_t capacity = 12, std::size_t history_limit = 200)
{
    return std::make_shared<room>(demo_settings(capacity), history_limit);
}

// A circle whose newcomers read the session's ring (history session).
inline std::shared_ptr<room> make_session_room(std::size_t capacity = 12, std::size_t history_limit = 200)
{
    auto settings = demo_settings(capacity);
    settings.history = protocol::history_mode::session;
    return std::make_shared<room>(std::move(settings), history_limit);
}

// "joined", "waiting", or the name of the error code that refused the join.
inline std::string join(std::shared_ptr<room> const& r, person const& p, std::string name)
{
    auto const result = r->join(p.who, std::move(name));
    if (auto const* refused = std::get_if<refusal>(&result))
        return std::string{protocol::to_string(refused->code)};
    return std::get<room::admission>(result) == room::admission::joined ? "joined" : "waiting";
}

// Seats each of `people` under its display name.
inline void seat(std::shared_ptr<room> const& r, std::vector<person const*> const& people)
{
    for (auto const* p : people)
        REQUIRE(join(r, *p, p->who->display_name()) == "joined");
}

// What the directory does when a connection drops: the rooms stop sending to
// it, and each is told. Returns the generation that ended.
inline std::uint64_t drop(std::shared_ptr<room> const& r, person const& p)
{
    auto const generation = p.who->detach(p.sink.get());
    REQUIRE(generation != 0);
    r->member_dropped(*p.who, generation);
    return generation;
}

// The connection comes back and resumes the identity.
inline void come_back(std::shared_ptr<room> const& r, person const& p)
{
    p.who->attach(p.sink);
    r->resume(*p.who, std::nullopt);
}

// "done", or the name of the error code that refused the request.
inline std::string outcome(verdict const& result)
{
    return result.done() ? "done" : std::string{protocol::to_string(result.refused().code)};
}

// The same for an answer that carries a value when it is not refused.
template <class Value>
std::string outcome(std::variant<Value, refusal> const& result)
{
    if (auto const* refused = std::get_if<refusal>(&result))
        return std::string{protocol::to_string(refused->code)};
    return "done";
}

// How many frames each of `people` has had so far.
inline std::vector<std::size_t> counts(std::vector<person const*> const& people)
{
    std::vector<std::size_t> out;
    for (auto const* p : people)
        out.push_back(p->received());
    return out;
}

// What `counts` says once each got exactly one more frame.
inline std::vector<std::size_t> one_more_each(std::vector<std::size_t> counted)
{
    for (auto& n : counted)
        ++n;
    return counted;
}

inline boost::json::object parsed(shared_frame const& frame)
{
    REQUIRE(frame);
    std::string const text{frame->text()};
    CAPTURE(text);
    boost::system::error_code ec;
    auto value = boost::json::parse(text, ec);
    REQUIRE_FALSE(ec);
    REQUIRE(value.is_object());
    return value.as_object();
}

inline std::string text(boost::json::object const& object, std::string_view key)
{
    REQUIRE(object.contains(key));
    REQUIRE(object.at(key).is_string());
    return std::string{object.at(key).as_string()};
}

inline std::uint64_t number(boost::json::object const& object, std::string_view key)
{
    REQUIRE(object.contains(key));
    return boost::json::value_to<std::uint64_t>(object.at(key));
}

// The entry for member `id` in a joined frame's members.
inline boost::json::object member_of(boost::json::object const& joined, std::string const& id)
{
    for (auto const& m : joined.at("members").as_array())
        if (text(m.as_object(), "id") == id)
            return m.as_object();
    FAIL("no member " << id);
    return {};
}

inline std::string type_of(shared_frame const& frame)
{
    return text(parsed(frame), "type");
}

// The types of the frames `p` got after its first `before` frames.
inline std::vector<std::string> types_since(person const& p, std::size_t before)
{
    REQUIRE(p.received() >= before);
    std::vector<std::string> out;
    for (auto i = before; i < p.received(); ++i)
        out.push_back(type_of(p.sink->frames[i]));
    return out;
}

inline std::vector<std::uint64_t> history_seqs(boost::json::object const& joined)
{
    REQUIRE(joined.contains("history"));
    REQUIRE(joined.at("history").is_array());
    std::vector<std::uint64_t> out;
    for (auto const& message : joined.at("history").as_array())
        out.push_back(number(message.as_object(), "seq"));
    return out;
}

inline std::vector<std::string> member_ids(boost::json::object const& joined)
{
    std::vector<std::string> out;
    for (auto const& m : joined.at("members").as_array())
        out.push_back(text(m.as_object(), "id"));
    return out;
}

struct room_rules {
    bool locked = false;
    bool waiting = false;
    std::int64_t slow = 0;
    char const* mode = "open";
};

// The room_state frame of make_room()'s room under these rules.
inline boost::json::object room_state(room_rules s)
{
    return {{"type", "room_state"}, {"room", "demo"}, {"locked", s.locked}, {"waiting", s.waiting},
            {"slow", s.slow}, {"mode", s.mode}};
}

// That room as joined.room describes it, with nothing pinned.
inline boost::json::object joined_room(room_rules s)
{
    auto out = room_state(s);
    out.erase("type");
    out.erase("room");
    out.insert({{"slug", "demo"}, {"title", "Demo circle"}, {"capacity", 12}, {"history", "joined"}, {"led", "moderator"}});
    return out;
}

using seqs = std::vector<std::uint64_t>;
using ids = std::vector<std::string>;

} // namespace kring::test

// So that a failed check on counts, seqs or ids shows the lists.
template <class T>
struct doctest::StringMaker<std::vector<T>> {
    static doctest::String convert(std::vector<T> const& items)
    {
        doctest::String out = "{";
        for (std::size_t i = 0; i < items.size(); ++i)
            out += (i > 0 ? ", " : "") + doctest::toString(items[i]);
        return out + "}";
    }
};
