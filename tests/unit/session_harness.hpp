#pragma once

#include "session_world.hpp"

#include "clock.hpp"
#include "password.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

// Client sessions without a socket, for doctest: the session_world and
// what tests say about the frames its sessions send.
namespace kring::session_test {

namespace json = boost::json;
using strings = std::vector<std::string>;

inline json::object parsed(std::string const& frame)
{
    CAPTURE(frame);
    boost::system::error_code ec;
    auto value = json::parse(frame, ec);
    REQUIRE_FALSE(ec);
    REQUIRE(value.is_object());
    return value.as_object();
}

inline std::string text(json::object const& object, std::string_view key)
{
    REQUIRE(object.contains(key));
    REQUIRE(object.at(key).is_string());
    return std::string{object.at(key).as_string()};
}

inline std::int64_t number(json::object const& object, std::string_view key)
{
    REQUIRE(object.contains(key));
    REQUIRE(object.at(key).is_int64());
    return object.at(key).as_int64();
}

inline bool flag(json::object const& object, std::string_view key)
{
    REQUIRE(object.contains(key));
    REQUIRE(object.at(key).is_bool());
    return object.at(key).as_bool();
}

inline json::object const& inner(json::object const& object, std::string_view key)
{
    REQUIRE(object.contains(key));
    REQUIRE(object.at(key).is_object());
    return object.at(key).as_object();
}

// Each frame's type, and for an error its code: {"joined", "error bad_code"}.
inline strings kinds(std::vector<json::object> const& frames)
{
    strings out;
    for (auto const& f : frames)
        out.push_back(text(f, "type") == "error" ? "error " + text(f, "code") : text(f, "type"));
    return out;
}

// One connection, with what its welcome said.
struct test_client : world_connection {
    std::string id, name, token;
    std::size_t taken = 0; // frames already looked at

    // The frames received since the last call.
    std::vector<json::object> take()
    {
        std::vector<json::object> out;
        for (; taken < link->frames.size(); ++taken)
            out.push_back(parsed(std::string{link->frames[taken]->text()}));
        return out;
    }
};

// The session_world with the `demo` circle, and steps that REQUIRE what
// they need.
// A circle as `kring room add` makes one, with its defaults.
inline room_record circle_record(std::string slug, std::string title, std::optional<digest> code = std::nullopt)
{
    room_record record;
    record.slug = std::move(slug);
    record.title = std::move(title);
    record.code_digest = code;
    return record;
}

class session_harness : public session_world<test_client> {
public:
    session_harness()
    {
        REQUIRE(database.add_room(circle_record("demo", "Demo circle")));
    }

    // A new connection, from `address`, or else from an address of its own.
    test_client& connect(std::optional<std::string> address = std::nullopt)
    {
        return connect_from(address.value_or("198.51.100." + std::to_string(connection_count() + 1)));
    }

    // Hands one frame to the session, as its transport would, and runs until it is handled.
    void send_raw(test_client& c, std::string frame, bool binary = false)
    {
        REQUIRE_MESSAGE(hand_frame(c, std::move(frame), binary), "the session did not finish the frame within 10 s");
    }

    void send(test_client& c, json::object const& message) { send_raw(c, json::serialize(message)); }

    // The connection ended, as its transport tells the session.
    void hang_up(test_client& c) { REQUIRE(end_connection(c)); }

    // A new connection (from `address`, if given) that said hello (with
    // `device`, if given) and was welcomed.
    test_client& hello(std::optional<std::string> device = std::nullopt,
                       std::optional<std::string> address = std::nullopt)
    {
        auto& c = connect(address);
        json::object message{{"type", "hello"}, {"v", 1}};
        if (device)
            message["device"] = *device;
        send(c, message);
        auto const got = c.take();
        REQUIRE(kinds(got) == strings{"welcome"});
        c.id = text(got[0], "id");
        c.name = text(got[0], "name");
        c.token = text(got[0], "token");
        return c;
    }

    // Joins `room`; what the join brought is taken.
    void join(test_client& c, std::string const& room)
    {
        send(c, {{"type", "join"}, {"room", room}});
        auto const got = c.take();
        REQUIRE_FALSE(got.empty());
        REQUIRE(kinds(got).front() == "joined");
    }

    // Sends a login as `user` with `password`, and leaves the answer to the test.
    void try_login(test_client& c, std::string const& user, std::string const& password)
    {
        send(c, {{"type", "login"}, {"user", user}, {"password", password}, {"ref", "l1"}});
    }

    // Logs in as `user`; returns the login token.
    std::string log_in(test_client& c, std::string const& user)
    {
        send(c, {{"type", "login"}, {"user", user}, {"password", staff_password}});
        auto const got = c.take();
        REQUIRE(kinds(got) == strings{"logged_in"});
        return text(got[0], "token");
    }

    void add_room(std::string const& slug, std::optional<std::string> const& code = std::nullopt)
    {
        std::optional<digest> code_digest;
        if (code)
            code_digest = sha256(*code);
        REQUIRE(database.add_room(circle_record(slug, "The " + slug + " circle", code_digest)));
    }

    // Cheap Argon2id parameters: the encoded hash carries them, so the
    // session verifies as cheaply (password_test covers the real ones).
    // With `one_time`, staff_password is one the command line handed over.
    void add_staff(std::string const& name, staff_role role, strings const& keeps = {},
                   password_kind kind = password_kind::chosen)
    {
        auto const hash = hash_password(staff_password, {.memory_kib = 64, .passes = 1, .lanes = 1});
        REQUIRE(database.add_staff(name, role, hash, kind));
        for (auto const& slug : keeps)
            REQUIRE(database.assign_room(name, slug));
    }

    // The bans in the store, taken up as the server does every minute.
    void reload_bans() { bans.reload(database.active_bans(now_ms())); }

    std::vector<audit_entry> audit_rows() { return database.audit_log({}); }
};

} // namespace kring::session_test
