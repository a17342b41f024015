#include "metrics_text.hpp"

#include <kring/protocol/error_code.hpp>

#include <algorithm>
#include <cstdio>

namespace kring {
namespace {

constexpr auto error_codes = static_cast<std::size_t>(protocol::error_code::internal) + 1;
static_assert(error_codes <= error_code_slots, "metrics::errors has a slot for every error code");

void head(std::string& out, char const* name, char const* type, char const* help)
{
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += type;
    out += '\n';
}

void one(std::string& out, char const* name, char const* type, char const* help, std::int64_t value)
{
    head(out, name, type, help);
    out += name;
    out += ' ';
    out += std::to_string(value);
    out += '\n';
}

std::string number(double value)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

void histogram(std::string& out, char const* name, char const* help, latency_histogram const& h)
{
    head(out, name, "histogram", help);
    auto const counts = h.cumulative();
    for (std::size_t i = 0; i < latency_histogram::bounds.size(); ++i)
        out += std::string{name} + "_bucket{le=\"" + number(latency_histogram::bounds[i]) + "\"} " +
               std::to_string(counts[i]) + '\n';
    out += std::string{name} + "_bucket{le=\"+Inf\"} " + std::to_string(counts.back()) + '\n';
    out += std::string{name} + "_sum " + number(h.sum_seconds()) + '\n';
    out += std::string{name} + "_count " + std::to_string(counts.back()) + '\n';
}

void by_label(std::string& out, char const* name, char const* label, std::string_view value, std::int64_t count)
{
    out += std::string{name} + '{' + label + "=\"" + std::string{value} + "\"} " + std::to_string(count) + '\n';
}

} // namespace

std::string render_metrics(metrics const& m, gauges const& now)
{
    std::string out;
    one(out, "kring_connections", "gauge", "Open HTTP and WebSocket connections.",
        static_cast<std::int64_t>(now.connections));
    one(out, "kring_circles", "gauge", "Circles the server holds.", static_cast<std::int64_t>(now.circles));
    one(out, "kring_joins_total", "counter", "Joins of a circle or of its waiting room granted.", m.joins.value());
    one(out, "kring_messages_in_total", "counter", "Chat messages circles took from their members.",
        m.messages_in.value());
    one(out, "kring_deliveries_total", "counter", "Frames queued to clients.", m.deliveries.value());
    one(out, "kring_slow_clients_closed_total", "counter",
        "Clients closed with 4001 because their send queue was full.", m.slow_clients_closed.value());
    one(out, "kring_send_queue_bytes", "gauge", "Bytes queued to clients and not yet written.",
        std::max<std::int64_t>(0, m.queue_bytes.value()));

    head(out, "kring_errors_total", "counter", "Error frames sent to clients, by error code.");
    for (std::size_t i = 0; i < error_codes; ++i)
        by_label(out, "kring_errors_total", "code", protocol::to_string(static_cast<protocol::error_code>(i)),
                 m.errors[i].value());
    head(out, "kring_moderation_actions_total", "counter", "Moderators' actions carried out, by kind.");
    for (std::size_t i = 0; i < moderation_kinds.size(); ++i)
        by_label(out, "kring_moderation_actions_total", "kind", moderation_kinds[i], m.actions[i].value());
    by_label(out, "kring_moderation_actions_total", "kind", "other", m.actions.back().value());

    histogram(out, "kring_handshake_duration_seconds",
              "From accepting a connection to its WebSocket being open.", m.handshake);
    histogram(out, "kring_join_duration_seconds", "From a join request to its answer.", m.join);
    one(out, "kring_ready", "gauge", "1 when the store is open and the server listening, 0 otherwise.",
        m.ready.load(std::memory_order_relaxed) ? 1 : 0);
    return out;
}

} // namespace kring
