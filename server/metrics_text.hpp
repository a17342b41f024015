#pragma once

#include "metrics.hpp"

#include <cstddef>
#include <string>

namespace kring {

// What is counted elsewhere, read when /metrics is asked for.
struct gauges {
    std::size_t connections = 0; // open HTTP and WebSocket connections
    std::size_t circles = 0;     // circles the server holds
};

// `m` in the Prometheus text exposition format (version 0.0.4), every
// series present from the start (zero until something happens).
std::string render_metrics(metrics const& m, gauges const& now);

} // namespace kring
