#pragma once

#include "fake_store.hpp"

#include "circle/ban_list.hpp"
#include "circle/broker.hpp"
#include "circle/login_guard.hpp"
#include "network_buckets.hpp"
#include "circle/participant_directory.hpp"
#include "clock.hpp"
#include "config.hpp"
#include "identity.hpp"
#include "net/client_link.hpp"
#include "password.hpp"
#include "session/client_session.hpp"
#include "session/server_context.hpp"
#include "session/store_thread.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <deque>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

// Client sessions without a socket: a server_context around a fake store,
// sessions that talk to recording links, and frames handed to them as their
// transport would, one at a time, on an io_context the test runs.
namespace kring::session_test {

using kring::test::fake_store;

namespace json = boost::json;
using strings = std::vector<std::string>;

inline std::string const staff_password = "correct horse battery staple";

// Stands in for the WebSocket transport: keeps every frame and every close asked for.
struct recording_link : client_link {
    struct close_request {
        std::uint16_t code;
        close_mode mode;
        std::size_t frames_before; // frames sent before the close was asked for
    };
    std::vector<shared_frame> frames;
    std::vector<close_request> closes;

    void send(shared_frame frame) override { frames.push_back(std::move(frame)); }
    void close(std::uint16_t code, std::string, close_mode mode) override
    {
        closes.push_back({code, mode, frames.size()});
    }
};

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

// One connection: the link its session sends to, the session, and what its
// welcome said.
struct test_client {
    std::shared_ptr<recording_link> link;
    std::shared_ptr<client_session> session;
    boost::asio::any_io_executor strand;
    std::string id, name, token;
    std::size_t taken = 0; // frames already looked at
    bool ended = false;

    // The frames received since the last call.
    std::vector<json::object> take()
    {
        std::vector<json::object> out;
        for (; taken < link->frames.size(); ++taken)
            out.push_back(parsed(*link->frames[taken]));
        return out;
    }
};

// Not a lambda: see the note on g++ 12 in session/client.hpp.
inline boost::asio::awaitable<void> feed(std::shared_ptr<client_session> session,
                                         std::shared_ptr<std::string const> frame, bool binary)
{
    std::string_view const view = *frame;
    co_await session->on_frame(view, binary);
}

// The server as server.cpp wires it, with the store in memory on a thread of
// its own and Argon2id on another. Everything else runs on `ioc`, which only
// runs while a test waits for a session to finish a frame.
class session_harness {
public:
    session_harness()
    {
        REQUIRE(database.add_room({"demo", "Demo circle", 12, std::nullopt}));
    }

    ~session_harness()
    {
        // As each transport would at its end; then the login watches stop.
        participants.shutdown();
        for (auto& c : clients_)
            if (!c.ended)
                boost::asio::post(c.strand, [session = c.session] { session->on_closed(); });
        ioc.restart();
        ioc.poll();
    }

    session_harness(session_harness const&) = delete;
    session_harness& operator=(session_harness const&) = delete;

    config settings; // read through `context` at each request: a test may change it
    fake_store database;
    boost::asio::io_context ioc;
    boost::asio::thread_pool store_pool{1};
    boost::asio::thread_pool hashing_pool{1};
    broker rooms{settings.history, settings.held_seats_per_network};
    participant_directory participants{ioc.get_executor(), settings.resume_grace,
                                       {settings.max_identities, settings.max_identities_per_network}};
    store_thread on_store{database, store_pool.get_executor()};
    ban_list bans;
    login_guard logins{{.per_name_and_network = settings.login_failures,
                        .per_name = settings.login_failures_per_name,
                        .per_network = settings.login_failures_per_network},
                       settings.max_pending_logins};
    login_guard code_guesses{{10, 10, 10}, 0};
    // The networks' budgets take the settings as the harness starts; a
    // connection's own budget takes them as it connects.
    network_buckets network_messages{{static_cast<std::int64_t>(settings.network_message_rate),
                                      static_cast<std::int64_t>(settings.network_message_burst)},
                                     settings.max_connections};
    // The message budgets' clock stands still unless a test moves it (advance).
    std::int64_t rate_now_ms = 1'000'000;
    login_registry open_logins;
    server_context context{settings,
                           rooms,
                           participants,
                           on_store,
                           {.text = settings.max_text, .name = settings.max_name},
                           {settings.max_text, settings.max_name, settings.max_frame_bytes, settings.max_rooms,
                            settings.history, static_cast<std::size_t>(settings.resume_grace.count())},
                           hashing_pool.get_executor(),
                           bans,
                           logins,
                           code_guesses,
                           open_logins,
                           network_messages,
                           database.server_secret(),
                           [this] { return rate_now_ms; }};

    void advance(std::chrono::milliseconds by) { rate_now_ms += by.count(); }

    // A new connection, from `address`, or else from an address of its own.
    test_client& connect(std::optional<std::string> address = std::nullopt)
    {
        auto& c = clients_.emplace_back();
        c.link = std::make_shared<recording_link>();
        c.strand = boost::asio::make_strand(ioc);
        if (!address)
            address = "198.51.100." + std::to_string(clients_.size());
        connection_info const info{clients_.size(), keyed_hash(context.server_secret, *address), c.strand};
        c.session = std::make_shared<client_session>(context, c.link, info);
        return c;
    }

    // Hands one frame to the session, as its transport would, and runs until it is handled.
    void send_raw(test_client& c, std::string frame, bool binary = false)
    {
        bool finished = false;
        std::exception_ptr failure;
        boost::asio::co_spawn(c.strand, feed(c.session, std::make_shared<std::string const>(std::move(frame)), binary),
                              [&](std::exception_ptr e) {
                                  failure = e;
                                  finished = true;
                              });
        run_until(finished);
        if (failure)
            std::rethrow_exception(failure);
    }

    void send(test_client& c, json::object const& message) { send_raw(c, json::serialize(message)); }

    // The connection ended, as its transport tells the session.
    void hang_up(test_client& c)
    {
        bool finished = false;
        boost::asio::post(c.strand, [&] {
            c.session->on_closed();
            finished = true;
        });
        run_until(finished);
        c.ended = true;
    }

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
        REQUIRE(database.add_room({slug, "The " + slug + " circle", 12, code_digest}));
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

    // Runs the sessions' pending work, timers included, until `done()` holds
    // or `limit` has passed; says whether it came to hold.
    template <class Done>
    bool run_while_not(Done done, std::chrono::milliseconds limit)
    {
        auto const guard = boost::asio::make_work_guard(ioc);
        auto const deadline = std::chrono::steady_clock::now() + limit;
        ioc.restart();
        while (!done() && std::chrono::steady_clock::now() < deadline)
            ioc.run_one_for(std::chrono::milliseconds{20});
        ioc.poll();
        return done();
    }

private:
    void run_until(bool const& finished)
    {
        auto const guard = boost::asio::make_work_guard(ioc);
        auto const deadline = std::chrono::steady_clock::now() + std::chrono::seconds{10};
        ioc.restart();
        while (!finished && std::chrono::steady_clock::now() < deadline)
            ioc.run_one_for(std::chrono::milliseconds{50});
        ioc.poll();
        REQUIRE_MESSAGE(finished, "the session did not finish the frame within 10 s");
    }

    std::deque<test_client> clients_;
};

} // namespace kring::session_test
