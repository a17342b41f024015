#pragma once

#include "ban_list.hpp"
#include "broker.hpp"
#include "config.hpp"
#include "login_guard.hpp"
#include "connection_registry.hpp"
#include "participant_directory.hpp"
#include "store.hpp"

#include <kring/protocol/client_messages.hpp>
#include <kring/protocol/server_messages.hpp>

#include <boost/asio/any_io_executor.hpp>

namespace kring {

// What every connection shares: the configuration, the rooms, the
// identities, the open connections, and the store with its own thread.
struct server_context {
    config const& settings;
    broker& rooms;
    participant_directory& participants;
    connection_registry& connections;
    store& database;
    boost::asio::any_io_executor database_executor; // the only thread that touches `database`
    protocol::input_limits input_limits;
    protocol::announced_limits announced_limits;
    boost::asio::any_io_executor hashing_executor; // the threads that run Argon2id
    ban_list& bans;
    login_guard& logins;
    login_guard& code_guesses; // wrong room access codes, per network
    digest server_secret; // keys the hashes of device keys and addresses
};

} // namespace kring
