#pragma once

#include "fake_store.hpp"

#include "circle/ban_list.hpp"
#include "circle/broker.hpp"
#include "circle/login_guard.hpp"
#include "network_table.hpp"
#include "circle/participant_directory.hpp"
#include "config.hpp"
#include "identity.hpp"
#include "net/client_link.hpp"
#include "session/client_session.hpp"
#include "session/server_context.hpp"
#include "session/store_thread.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <string>
#include <utility>
#include <vector>

// Client sessions without a socket, and without a test framework: a
// server_context around a fake store, sessions that talk to recording
// links, and frames handed to them as their transport would, one at a time,
// on an io_context that runs only while a frame is being handled. The unit
// tests (session_harness.hpp) and the session fuzzer (tests/fuzz) both
// build on it.
namespace kring::session_test {

using kring::test::fake_store;

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

    boost::asio::any_io_executor strand;

    void send(shared_frame frame) override { frames.push_back(std::move(frame)); }
    boost::asio::any_io_executor executor() override { return strand; }
    void close(std::uint16_t code, std::string, close_mode mode) override
    {
        closes.push_back({code, mode, frames.size()});
    }
};

// One connection: the link its session sends to, and the session.
struct world_connection {
    std::shared_ptr<recording_link> link;
    std::shared_ptr<client_session> session;
    boost::asio::any_io_executor strand;
    bool ended = false;
};

// Not a lambda: see the note on g++ 12 in session/client.hpp.
inline boost::asio::awaitable<void> feed(std::shared_ptr<client_session> session,
                                         std::shared_ptr<std::string const> frame, bool binary)
{
    std::string_view const view = *frame;
    co_await session->on_frame(view, binary);
}

// Where the store and Argon2id run: on a thread each, as in the server; or
// on the sessions' own thread, so that a run goes the same way each time
// and switches no threads (the fuzzer's choice).
enum class work_threads { own, sessions };

// The server as server.cpp wires it, with the store in memory. `Connection`
// is world_connection or a type made from it that keeps more.
template <class Connection = world_connection>
class session_world {
public:
    // `initial` is read by the parts made here (the guards, the buckets, the
    // directory) as well as at each request.
    explicit session_world(config initial = {}, work_threads threads = work_threads::own)
        : settings(std::move(initial))
        , store_pool(threads == work_threads::own ? std::make_unique<boost::asio::thread_pool>(1) : nullptr)
        , hashing_pool(threads == work_threads::own ? std::make_unique<boost::asio::thread_pool>(1) : nullptr)
    {
    }

    ~session_world()
    {
        // As each transport would at its end; then the login watches stop.
        participants.shutdown();
        timers.shutdown();
        for (auto& c : connections_)
            if (!c.ended)
                boost::asio::post(c.strand, [session = c.session] { session->on_closed(); });
        ioc.restart();
        ioc.poll();
    }

    session_world(session_world const&) = delete;
    session_world& operator=(session_world const&) = delete;

    config settings; // read through `context` at each request: a test may change it
    fake_store database;
    boost::asio::io_context ioc;
    std::unique_ptr<boost::asio::thread_pool> store_pool;   // none: the store runs on `ioc`
    std::unique_ptr<boost::asio::thread_pool> hashing_pool; // none: so does Argon2id
    circle_timers timers{ioc.get_executor()};
    broker rooms{settings.history, settings.held_seats_per_network, &timers};
    // The networks' budgets take the settings as the world starts; a
    // connection's own budget takes them as it connects.
    network_table networks{{settings.connection_rate_per_network,
                            {static_cast<std::int64_t>(settings.network_message_rate),
                             static_cast<std::int64_t>(settings.network_message_burst)}},
                           settings.max_connections + settings.max_identities};
    participant_directory participants{ioc.get_executor(), settings.resume_grace, networks,
                                       {settings.max_identities, settings.max_identities_per_network}};
    store_thread on_store{database, executor_of(store_pool)};
    ban_list bans;
    login_guard logins{{.per_name_and_network = settings.login_failures,
                        .per_name = settings.login_failures_per_name,
                        .per_network = settings.login_failures_per_network},
                       settings.max_pending_logins};
    login_guard code_guesses{{10, 10, 10}, 0};
    // The message budgets' clock stands still unless it is moved (advance).
    std::int64_t rate_now_ms = 1'000'000;
    login_registry open_logins;
    protocol::phrase_matcher crisis{protocol::default_crisis_words()};
    server_context context{settings,
                           rooms,
                           participants,
                           timers,
                           protocol::default_help_lines(),
                           crisis,
                           on_store,
                           {.text = settings.max_text, .name = settings.max_name},
                           {settings.max_text, settings.max_name, settings.max_frame_bytes, settings.max_rooms,
                            settings.history, static_cast<std::size_t>(settings.resume_grace.count())},
                           executor_of(hashing_pool),
                           bans,
                           logins,
                           code_guesses,
                           open_logins,
                           networks,
                           database.server_secret(),
                           [this] { return rate_now_ms; }};

    void advance(std::chrono::milliseconds by) { rate_now_ms += by.count(); }

    // A new connection from `address`.
    Connection& connect_from(std::string const& address)
    {
        auto& c = connections_.emplace_back();
        c.link = std::make_shared<recording_link>();
        c.strand = boost::asio::make_strand(ioc);
        c.link->strand = c.strand;
        connection_info const info{connections_.size(), keyed_hash(context.server_secret, address)};
        c.session = std::make_shared<client_session>(context, c.link, info);
        return c;
    }

    std::size_t connection_count() const { return connections_.size(); }

    // Hands one frame to the session, as its transport would, and runs until
    // it is handled; false if that took longer than `limit`. An exception
    // that escaped the session is thrown here.
    bool hand_frame(Connection& c, std::string frame, bool binary,
                    std::chrono::milliseconds limit = std::chrono::seconds{10})
    {
        // Shared with the completion, which may come after a late return.
        auto const outcome = std::make_shared<std::pair<bool, std::exception_ptr>>();
        boost::asio::co_spawn(c.strand, feed(c.session, std::make_shared<std::string const>(std::move(frame)), binary),
                              [outcome](std::exception_ptr e) { *outcome = {true, e}; });
        bool const in_time = run_while_not([&] { return outcome->first; }, limit);
        if (outcome->second)
            std::rethrow_exception(outcome->second);
        return in_time;
    }

    // The connection ended, as its transport tells the session; false if
    // that was not done within `limit`.
    bool end_connection(Connection& c, std::chrono::milliseconds limit = std::chrono::seconds{10})
    {
        auto const finished = std::make_shared<bool>(false);
        boost::asio::post(c.strand, [session = c.session, finished] {
            session->on_closed();
            *finished = true;
        });
        c.ended = true;
        return run_while_not([&] { return *finished; }, limit);
    }

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
    boost::asio::any_io_executor executor_of(std::unique_ptr<boost::asio::thread_pool> const& pool)
    {
        if (pool)
            return pool->get_executor();
        return ioc.get_executor();
    }

    std::deque<Connection> connections_;
};

} // namespace kring::session_test
