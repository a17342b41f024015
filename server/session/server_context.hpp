#pragma once

#include "circle/ban_list.hpp"
#include "circle/broker.hpp"
#include "circle/login_guard.hpp"
#include "network_table.hpp"
#include "circle/participant_directory.hpp"
#include "circle/circle_timers.hpp"
#include "clock.hpp"
#include "config.hpp"
#include "identity.hpp"
#include "session/login_registry.hpp"
#include "session/store_thread.hpp"

#include <kring/protocol/agreement.hpp>
#include <kring/protocol/client_messages.hpp>
#include <kring/protocol/crisis_words.hpp>
#include <kring/protocol/help_lines.hpp>
#include <kring/protocol/server_messages.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <cstdint>
#include <functional>

namespace kring {

// What every client session shares: the configuration, the circles, the
// identities, the bans and throttles, and the store on its own thread.
struct server_context {
    config const& settings;
    broker& rooms;
    participant_directory& participants;
    circle_timers& timers; // the ends of the circles' pauses and scheduled sessions
    protocol::help_lines const& help; // the help lines sent on welcome and on `resources`
    protocol::phrase_matcher const& crisis; // the crisis words, read in every participant's message
    store_thread& database;
    protocol::input_limits input_limits;
    protocol::announced_limits announced_limits;
    boost::asio::any_io_executor hashing_executor; // the threads that run Argon2id
    ban_list& bans;
    login_guard& logins;
    login_guard& code_guesses;         // wrong room access codes, per network
    login_registry& open_logins;       // which connections each moderator's login is open on
    network_table& networks; // each client network's counts and budgets (flood_control takes its messages)
    digest server_secret;              // keys the hashes of device keys and addresses
    std::function<std::int64_t()> rate_clock = steady_ms; // the message budgets' clock; tests set their own
    // The deployment's agreement, by language, for circles with none of their own.
    std::shared_ptr<std::vector<protocol::agreement_text> const> agreement =
        std::make_shared<std::vector<protocol::agreement_text> const>(protocol::default_agreements().languages);
};

} // namespace kring
