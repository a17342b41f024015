// The PostgreSQL side of shared_events: a connection of its own that
// LISTENs on "kring_events", on a thread of its own.
#include "store/shared_events.hpp"

#include "log.hpp"
#include "store/pg_connection.hpp"
#include "store/store.hpp"

#include <atomic>
#include <chrono>
#include <fcntl.h>
#include <thread>
#include <unistd.h>

namespace kring {
namespace {

class postgres_events final : public shared_events {
public:
    postgres_events(std::string uri, handler on_event)
        : uri_(std::move(uri))
        , on_event_(std::move(on_event))
    {
        if (::pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0)
            throw std::runtime_error{"pipe failed"};
        thread_ = std::thread{[this] { run(); }};
    }

    ~postgres_events() override
    {
        stopping_ = true;
        char const byte = 0;
        [[maybe_unused]] auto const written = ::write(wake_[1], &byte, 1);
        thread_.join();
        ::close(wake_[0]);
        ::close(wake_[1]);
    }

private:
    void run()
    {
        bool warned = false;
        while (!stopping_) {
            try {
                postgres::connection db{uri_};
                db.exec("LISTEN kring_events");
                if (warned)
                    log::info("shared events: connected to PostgreSQL again");
                warned = false;
                // Whatever was sent while no one listened is caught up from the tables.
                on_event_("*");
                while (!stopping_)
                    for (auto const& topic : db.notifications(wake_[0], 1000))
                        on_event_(topic);
            } catch (store_unavailable const& e) {
                if (!warned)
                    log::warn(std::string{"shared events: "} + e.what() + "; trying again every second");
                warned = true;
                pause(std::chrono::seconds{1});
            }
        }
    }

    // Sleeps, unless the watch is being stopped.
    void pause(std::chrono::seconds how_long)
    {
        auto const until = std::chrono::steady_clock::now() + how_long;
        while (!stopping_ && std::chrono::steady_clock::now() < until)
            std::this_thread::sleep_for(std::chrono::milliseconds{50});
    }

    std::string uri_;
    handler on_event_;
    int wake_[2] = {-1, -1};
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

} // namespace

std::unique_ptr<shared_events> watch_shared_events(std::filesystem::path const& where,
                                                   shared_events::handler on_event)
{
    if (!postgres::is_uri(where.native()))
        return nullptr;
    return std::make_unique<postgres_events>(where.native(), std::move(on_event));
}

} // namespace kring
