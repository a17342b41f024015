#include "server.hpp"

#include "circle/ban_list.hpp"
#include "circle/broker.hpp"
#include "directory/directory_requests.hpp"
#include "circle/login_guard.hpp"
#include "network_table.hpp"
#include "circle/participant_directory.hpp"
#include "clock.hpp"
#include "log.hpp"
#include "metrics_text.hpp"
#include "net/connection_registry.hpp"
#include "net/listener.hpp"
#include "net/metrics_session.hpp"
#include "net/network_threads.hpp"
#include "net/redirect_session.hpp"
#include "net/origin_policy.hpp"
#include "net/tls_context.hpp"
#include "forwarded_for.hpp"
#include "identity.hpp"
#include "open_files.hpp"
#include "session/client_session.hpp"
#include "session/server_context.hpp"
#include "session/store_thread.hpp"
#include "data_files.hpp"

#include <kring/protocol/help_lines.hpp>

#include "store/database_lock.hpp"
#include "store/shared_events.hpp"
#include "store/store.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <fstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace kring {

namespace asio = boost::asio;

namespace {

void ensure_demo_room(store& database, config const& settings)
{
    room_record demo;
    demo.slug = "demo";
    demo.title = "Demo circle";
    demo.capacity = settings.room_capacity;
    if (database.add_room(demo))
        log::info("created the demo circle");
}

void write_port_file(std::filesystem::path const& file, unsigned short port)
{
    auto const partial = file.string() + ".partial";
    {
        std::ofstream out{partial};
        out << port << '\n';
    }
    std::filesystem::rename(partial, file); // readers never see half a number
}

protocol::announced_limits announce(config const& c)
{
    return {c.max_text, c.max_name, c.max_frame_bytes, c.max_rooms, c.history,
            static_cast<std::size_t>(c.resume_grace.count())};
}

protocol::input_limits input_limits_of(config const& c)
{
    protocol::input_limits limits;
    limits.text = c.max_text;
    limits.name = c.max_name;
    limits.name_marks = c.max_name_marks;
    return limits;
}

login_ceilings login_ceilings_of(config const& c)
{
    return {.per_name_and_network = c.login_failures,
            .per_name = c.login_failures_per_name,
            .per_network = c.login_failures_per_network};
}

message_rate network_rate_of(config const& c)
{
    return {static_cast<std::int64_t>(c.network_message_rate), static_cast<std::int64_t>(c.network_message_burst)};
}

// Gives the closing handshakes their time, then stops whatever is left.
asio::awaitable<void> wait_for_connections(network_threads& network, connection_registry const& connections,
                                           std::chrono::seconds timeout)
{
    auto const deadline = std::chrono::steady_clock::now() + timeout + std::chrono::seconds{1};
    asio::steady_timer timer{network.first()};
    while (connections.size() > 0 && std::chrono::steady_clock::now() < deadline) {
        timer.expires_after(std::chrono::milliseconds{20});
        co_await timer.async_wait(asio::use_awaitable);
    }
    network.stop();
}

// Every half idle timeout, the keep-alive tick of every open connection:
// one timer for all of them, rather than one each.
asio::awaitable<void> keep_alive(connection_registry& connections, std::chrono::seconds idle_timeout)
{
    asio::steady_timer timer{co_await asio::this_coro::executor};
    auto const half = std::chrono::duration_cast<std::chrono::milliseconds>(idle_timeout) / 2;
    for (;;) {
        timer.expires_after(half);
        co_await timer.async_wait(asio::use_awaitable);
        connections.check_idle();
    }
}

// Every minute, on the store's thread: forget ended bans (and the address
// hashes they held), expired login tokens and reports past their retention,
// and take up bans lifted with `kring ban lift`.
asio::awaitable<void> keep_tidy(store& database, ban_list& bans, config const& settings, asio::io_context& network)
{
    asio::steady_timer timer{co_await asio::this_coro::executor};
    while (!network.stopped()) {
        auto const now = now_ms();
        try {
            database.purge_ended_bans(now);
            bans.reload(database.active_bans(now)); // bans lifted from the command line end here
            database.purge_expired_tokens(now);
            database.purge_resolved_reports(
                now - std::chrono::duration_cast<std::chrono::milliseconds>(settings.report_retention).count());
        } catch (std::exception const& e) {
            log::warn(std::string{"purging ended bans, tokens and old reports failed, will retry: "} + e.what());
        }
        timer.expires_after(std::chrono::minutes{1});
        co_await timer.async_wait(asio::use_awaitable);
    }
}

// Every 2 s, where nodes share the database: how many are in this node's
// circles, for the directory of every node (store.hpp, set_presence).
asio::awaitable<void> report_presence(store& database, broker const& rooms, std::string node, asio::io_context& network)
{
    asio::steady_timer timer{co_await asio::this_coro::executor};
    bool failing = false;
    while (!network.stopped()) {
        try {
            database.set_presence(node, rooms.presence(), now_ms());
            failing = false;
        } catch (std::exception const& e) {
            if (!failing)
                log::warn(std::string{"telling the other nodes who is here failed, will retry: "} + e.what());
            failing = true;
        }
        timer.expires_after(std::chrono::seconds{2});
        co_await timer.async_wait(asio::use_awaitable);
    }
}

// A change another node (or an admin command) committed to the shared
// database, taken up here on the store's thread: bans at once, a circle's
// settings while it runs; "*" after the watch reconnected, to catch up.
void take_up_shared_change(store& database, ban_list& bans, broker& rooms,
                           std::shared_ptr<std::vector<protocol::agreement_text> const> const& agreement,
                           std::string const& topic)
{
    try {
        if (topic == "bans" || topic == "*")
            bans.reload(database.active_bans(now_ms()));
        if (topic.starts_with("room:"))
            if (auto const live = rooms.find(topic.substr(5)))
                if (auto const record = database.find_room(live->slug()))
                    live->update(settings_of(*record, agreement));
    } catch (std::exception const& e) {
        log::warn("taking up a change from another node failed (" + topic + "): " + e.what());
    }
}

std::filesystem::path canonical_or_same(std::filesystem::path const& p)
{
    std::error_code ec;
    auto canonical = std::filesystem::canonical(p, ec);
    return ec ? p : canonical;
}

// Closes every connection properly on SIGINT or SIGTERM, then stops.
void stop_on_signal(asio::signal_set& signals, network_threads& network, std::vector<std::shared_ptr<listener>> acceptors,
                    participant_directory& participants, circle_timers& timers, connection_registry& connections,
                    config const& settings)
{
    signals.async_wait([&, acceptors = std::move(acceptors)](boost::system::error_code ec, int signal) {
        if (ec)
            return;
        log::info("signal " + std::to_string(signal) + ": closing " + std::to_string(connections.size()) +
                  " connections");
        server_metrics().ready = false; // /readyz says 503 while connections close
        for (auto const& acceptor : acceptors)
            acceptor->stop();
        participants.shutdown();
        timers.shutdown(); // a long pause must not hold up the stop
        connections.shut_down_all();
        asio::co_spawn(network.first(), wait_for_connections(network, connections, settings.shutdown_timeout),
                       log::on_exception("the shutdown"));
    });
}

// Reads the certificate and key again on each SIGHUP: new handshakes get the
// new ones, open connections keep theirs, and files that fail to load leave
// the old ones in use. Without TLS a SIGHUP changes nothing (and, being
// handled, does not end the server).
void reload_on_hangup(asio::signal_set& signals, tls_context* tls)
{
    signals.async_wait([&signals, tls](boost::system::error_code ec, int) {
        if (ec)
            return;
        if (!tls)
            log::info("SIGHUP: nothing to reload (no tls-cert)");
        else if (auto const problem = tls->reload())
            log::warn("SIGHUP: kept the certificate in use: " + *problem);
        else
            log::info("SIGHUP: certificate and key reloaded; new connections use them");
        reload_on_hangup(signals, tls);
    });
}

std::unique_ptr<tls_context> tls_of(config const& settings)
{
    if (!settings.tls_certificate)
        return nullptr;
    return std::make_unique<tls_context>(*settings.tls_certificate, *settings.tls_key);
}

// Raises the open-file limit as far as the system lets it; when even that
// can't hold max-connections and the reserve, lowers max-connections to fit,
// so that the limit is met by a 503 rather than by accept() failing.
config fitted_to_open_files(config c)
{
    auto const open_files = raise_open_file_limit();
    auto const fitting = connections_that_fit(c.max_connections, open_files, c.fd_reserve);
    if (fitting == 0)
        throw std::runtime_error{"the open-file limit (" + std::to_string(open_files) +
                                 ", see ulimit -n) leaves no room for connections after --fd-reserve " +
                                 std::to_string(c.fd_reserve)};
    if (fitting < c.max_connections)
        log::warn("max-connections lowered from " + std::to_string(c.max_connections) + " to " +
                  std::to_string(fitting) + " to fit the open-file limit of " + std::to_string(open_files) +
                  " (ulimit -n) with " + std::to_string(c.fd_reserve) + " kept in reserve (--fd-reserve)");
    c.max_connections = fitting;
    return c;
}

metrics_endpoints metrics_endpoints_of(config const& settings, connection_registry const& connections,
                                       broker const& rooms)
{
    return {[&connections, &rooms] {
                return render_metrics(server_metrics(), {connections.size(), rooms.room_count()});
            },
            [] { return server_metrics().ready.load(); }, settings.http_timeout, settings.metrics_connections};
}

// The plain-HTTP listener that sends browsers on to HTTPS, when
// redirect-listen asks for one (only with native TLS: see config::inconsistency).
std::shared_ptr<listener> start_redirect_listener(network_threads& network, config const& settings,
                                                  http_context const& web)
{
    if (settings.redirect_host.empty())
        return nullptr;
    auto redirector = std::make_shared<listener>(
        network, asio::ip::tcp::endpoint{asio::ip::make_address(settings.redirect_host), settings.redirect_port},
        [&web](network_socket socket) { redirect_session::admit(std::move(socket), web); });
    log::info("listening on " + settings.redirect_host + ":" + std::to_string(redirector->port()) +
              " for HTTP, to send browsers on to HTTPS" +
              (settings.acme_webroot ? " and serve ACME files from " + settings.acme_webroot->string() : ""));
    if (settings.redirect_port_file)
        write_port_file(*settings.redirect_port_file, redirector->port());
    redirector->start();
    return redirector;
}

// The metrics listener, when metrics-listen asks for one.
std::shared_ptr<listener> start_metrics_listener(network_threads& network, config const& settings,
                                                metrics_endpoints& endpoints)
{
    if (settings.metrics_host.empty())
        return nullptr;
    auto const address = asio::ip::make_address(settings.metrics_host);
    if (!address.is_loopback())
        log::warn("metrics-listen " + settings.metrics_host +
                  " is not a loopback address: anyone who reaches it can read the server's counters");
    auto metrics_listener = std::make_shared<listener>(
        network, asio::ip::tcp::endpoint{address, settings.metrics_port},
        [&endpoints](network_socket socket) { metrics_session::admit(std::move(socket), endpoints); });
    log::info("metrics on " + settings.metrics_host + ":" + std::to_string(metrics_listener->port()));
    if (settings.metrics_port_file)
        write_port_file(*settings.metrics_port_file, metrics_listener->port());
    metrics_listener->start();
    return metrics_listener;
}

// What a deployment's data file says, or nothing (and why, in the log).
template <class Data>
std::optional<Data> loaded(std::variant<Data, std::string> read)
{
    if (auto const* why = std::get_if<std::string>(&read)) {
        log::error(*why);
        return std::nullopt;
    }
    return std::get<Data>(std::move(read));
}

int run_server(config const& given, protocol::help_lines const& help, protocol::crisis_words const& words,
               protocol::agreements const& agreement)
{
    config const settings = fitted_to_open_files(given);
    auto const database = open_store(settings.db);
    if (settings.demo)
        ensure_demo_room(*database, settings);

    network_threads network{settings.thread_count()};
    auto& ioc = network.first(); // the listeners, the signals and the server's timers
    asio::thread_pool database_thread{1};
    asio::thread_pool hashing_threads{settings.hashing_threads};
    ban_list bans;
    for (auto& ban : database->active_bans(now_ms()))
        bans.add(std::move(ban));
    login_guard logins{login_ceilings_of(settings), settings.max_pending_logins};
    login_guard code_guesses{{10, 10, 10}, 0};
    // A network counts while it has connections or identities: as many are held.
    network_table networks{{settings.connection_rate_per_network, network_rate_of(settings)},
                           settings.max_connections + settings.max_identities};
    circle_timers timers{ioc.get_executor()};
    broker rooms{settings.history, settings.held_seats_per_network, &timers};
    auto const shared_agreement = std::make_shared<std::vector<protocol::agreement_text> const>(agreement.languages);
    for (auto const& r : database->rooms())
        rooms.add(settings_of(r, shared_agreement));
    participant_directory participants{ioc.get_executor(), settings.resume_grace, networks,
                                       {settings.max_identities, settings.max_identities_per_network}};
    connection_registry connections{settings.max_connections, settings.max_connections_per_network, networks};
    store_thread on_store{*database, database_thread.get_executor()};
    auto const secret = database->server_secret();
    login_registry open_logins;
    protocol::phrase_matcher const crisis{words};
    server_context context{settings,          rooms,        participants,        timers,   help,       crisis,
                           on_store,          input_limits_of(settings), announce(settings),
                           hashing_threads.get_executor(), bans, logins,
                           code_guesses,      open_logins,  networks,
                           secret,            steady_ms,    shared_agreement};
    asio::co_spawn(database_thread, keep_tidy(*database, bans, settings, ioc), log::on_exception("the tidying"));
    asio::co_spawn(ioc, keep_alive(connections, settings.idle_timeout), log::on_exception("the keep-alive"));
    auto const node = random_hex(8); // this process, among the nodes on a shared database
    if (is_shared_database(settings.db)) {
        log::info("node " + node + " on the shared database " + printable_database(settings.db));
        asio::co_spawn(database_thread, report_presence(*database, rooms, node, ioc),
                       log::on_exception("the presence report"));
    }
    // Bans and circles changed through another node sharing the database
    // reach this one when they are committed (store/shared_events.hpp).
    auto const shared_changes = watch_shared_events(settings.db, [&](std::string const& topic) {
        asio::post(database_thread, [&, topic] { take_up_shared_change(*database, bans, rooms, shared_agreement, topic); });
    });

    http_context web{settings, connections, secret, canonical_or_same(settings.web_root),
                     [&context](std::shared_ptr<client_link> link, connection_info const& info) {
                         return std::make_shared<client_session>(context, std::move(link), info);
                     },
                     {},
                     {},
                     forwarded_header::x_forwarded_for,
                     [&on_store, &rooms, &node](std::string target) {
                         return directory::answer(on_store, rooms, node, std::move(target));
                     }};
    for (auto const& proxy : settings.trusted_proxies)
        web.trusted_proxies.push_back(*parse_address_range(proxy)); // checked when read
    if (settings.forwarded_header == "forwarded")
        web.forwarded = forwarded_header::forwarded;
    asio::ip::tcp::endpoint const endpoint{asio::ip::make_address(settings.listen_host), settings.listen_port};
    auto const tls = tls_of(settings);
    auto const acceptor = std::make_shared<listener>(network, endpoint, web, tls.get());
    web.hosts = {settings.server_names, origin_hosts(settings.allowed_origins), acceptor->port()}; // once bound
    acceptor->start();
    log::info("listening on " + settings.listen_host + ":" + std::to_string(acceptor->port()) + " for " +
              (tls ? "HTTPS" : "HTTP") + " with " +
              std::to_string(settings.thread_count()) + " threads, " + std::to_string(rooms.room_count()) +
              " circles");
    // The signals are Kring's before anyone can know the port: one sent as
    // soon as the port file is there waits for its handler below, and a
    // SIGHUP does not end the server by the default action.
    asio::signal_set signals{ioc, SIGINT, SIGTERM};
    asio::signal_set hangups{ioc, SIGHUP};
    if (settings.port_file)
        write_port_file(*settings.port_file, acceptor->port());
    auto const redirector = start_redirect_listener(network, settings, web);
    auto scrape = metrics_endpoints_of(settings, connections, rooms);
    auto const metrics_acceptor = start_metrics_listener(network, settings, scrape);
    server_metrics().ready = true;
    std::vector<std::shared_ptr<listener>> chat_listeners{acceptor};
    if (redirector)
        chat_listeners.push_back(redirector);
    stop_on_signal(signals, network, std::move(chat_listeners), participants, timers, connections, settings);
    reload_on_hangup(hangups, tls.get());

    network.run();
    database_thread.stop();
    database_thread.join();
    hashing_threads.join();
    log::info("stopped");
    return 0;
}

} // namespace

int serve(config const& settings)
{
    log::configure(settings.log_format == "json" ? log::format::json : log::format::text, log::stderr_is_journal());
    // Two servers on one SQLite file would each keep circles and bans of
    // their own, and a restore must not replace the file under a running
    // server. A PostgreSQL database is shared by design: each node keeps
    // its own circles, and the nodes learn each other's bans from it.
    bool const shared = is_shared_database(settings.db);
    auto const lock = shared ? std::optional<database_lock>{} : database_lock::try_lock(settings.db);
    if (!shared && !lock) {
        log::error("another kring serve, or a kring restore, is using " + settings.db.string() + " (it holds " +
                   database_lock::lock_file(settings.db).string() + ")");
        return 1;
    }
    if (!std::filesystem::is_regular_file(settings.web_root / "index.html"))
        log::warn("no web client at " + settings.web_root.string() +
                  " (the page is not served; set web-root, e.g. --web-root web-client in the source tree)");
    auto const help = loaded(help_lines_of(settings));
    auto const words = loaded(crisis_words_of(settings));
    auto const agreement = loaded(agreements_of(settings));
    if (!help || !words || !agreement)
        return 2;
    for (auto const& language : agreement->languages)
        if (language.review != "reviewed")
            log::info("agreement: the " + language.lang + " text is a draft no one has reviewed yet");
    for (auto const& language : words->languages)
        if (!language.reviewed)
            log::info("crisis words: the " + language.lang + " phrases are a draft no one has reviewed yet");
    return run_server(settings, *help, *words, *agreement);
}

} // namespace kring
