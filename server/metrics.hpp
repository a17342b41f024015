#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

// What `GET /metrics` reports: counters the hot path moves with relaxed
// atomics, spread over a few cache lines so that network threads delivering
// at once do not fight over one (no lock is ever taken to count). Labels
// are fixed sets (error codes, moderation kinds): never a name, a message
// or an address.
namespace kring {

// A count many threads add to: one slot per shard, summed when read.
class sharded_count {
public:
    void add(std::int64_t n = 1) { slots_[shard()].value.fetch_add(n, std::memory_order_relaxed); }
    std::int64_t value() const;

private:
    static constexpr std::size_t shards = 8;
    struct alignas(64) slot {
        std::atomic<std::int64_t> value{0};
    };
    static std::size_t shard();
    std::array<slot, shards> slots_;
};

// Durations in fixed buckets, from a millisecond to ten seconds.
class latency_histogram {
public:
    static constexpr std::array<double, 12> bounds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                   0.1,   0.25,   0.5,   1.0,  2.5,   10.0};
    void observe(std::chrono::steady_clock::duration took);
    // Observations at or below each bound, then the total count.
    std::array<std::uint64_t, bounds.size() + 1> cumulative() const;
    double sum_seconds() const;

private:
    std::array<std::atomic<std::uint64_t>, bounds.size() + 1> buckets_{}; // the last: above every bound
    std::atomic<std::uint64_t> sum_micros_{0};
};

// Observes, when it goes, how long it lived: a request timed however it ends.
class timed {
public:
    explicit timed(latency_histogram& into)
        : into_(into)
    {
    }
    timed(timed const&) = delete;
    timed& operator=(timed const&) = delete;
    ~timed() { into_.observe(std::chrono::steady_clock::now() - started_); }

private:
    latency_histogram& into_;
    std::chrono::steady_clock::time_point const started_ = std::chrono::steady_clock::now();
};

// The kinds of moderators' actions, as the audit log names them.
inline constexpr std::array<std::string_view, 14> moderation_kinds{
    "mute", "unmute", "remove", "admit", "deny", "delete", "pin", "lock", "unlock", "end", "room_set", "ban", "nudge",
    "pause"};
// Room for every protocol error code, indexed by its enum value (checked
// where the codes are named, in metrics_text.cpp; net/ knows no protocol).
inline constexpr std::size_t error_code_slots = 64;

struct metrics {
    sharded_count joins;              // joins of a circle (or of its waiting room) granted
    sharded_count messages_in;        // chat messages a circle took
    sharded_count deliveries;         // frames queued to clients
    sharded_count slow_clients_closed; // closed with 4001: their send queue was full
    sharded_count queue_bytes;        // bytes queued to clients, not yet written
    std::array<sharded_count, error_code_slots> errors;            // error frames sent, by code
    std::array<sharded_count, moderation_kinds.size() + 1> actions; // by kind; the last: any other
    latency_histogram handshake;      // from accepting the connection to its WebSocket being open
    latency_histogram join;           // from a join request to its answer
    std::atomic<bool> ready{false};   // the store is open and the server listening, not stopping

    void count_error(std::size_t code) { errors[code < error_code_slots ? code : error_code_slots - 1].add(); }
    void count_action(std::string_view kind);
};

// The server's one set of metrics.
metrics& server_metrics();

} // namespace kring
