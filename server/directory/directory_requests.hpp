#pragma once

#include "circle/broker.hpp"
#include "net/http_context.hpp"
#include "session/store_thread.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

namespace kring::directory {

// Answers a request under /api/ from the store (read on its thread) and the
// circles now hosted; nothing for any other target. `node`: this server's
// name among the nodes that share its database, whose members it counts
// itself.
boost::asio::awaitable<std::optional<http_answer>> answer(store_thread& database, broker const& rooms,
                                                          std::string node, std::string target);

} // namespace kring::directory
