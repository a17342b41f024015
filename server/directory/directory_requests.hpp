#pragma once

#include "circle/broker.hpp"
#include "net/http_context.hpp"
#include "session/store_thread.hpp"

#include <boost/asio/awaitable.hpp>

#include <optional>
#include <string>

namespace kring::directory {

// Answers a request under /api/ from the store (read on its thread) and the
// circles now hosted; nothing for any other target.
boost::asio::awaitable<std::optional<http_answer>> answer(store_thread& database, broker const& rooms,
                                                          std::string target);

} // namespace kring::directory
