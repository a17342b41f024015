#include "config.hpp"
#include "metrics.hpp"
#include "metrics_text.hpp"

#include <doctest/doctest.h>

#include <kring/protocol/error_code.hpp>

#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;

TEST_CASE("a sharded count sums what every thread added")
{
    kring::sharded_count count;
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&count] {
            for (int i = 0; i < 10000; ++i)
                count.add();
        });
    for (auto& t : threads)
        t.join();
    CHECK(count.value() == 40000);
    count.add(-40000);
    CHECK(count.value() == 0);
}

TEST_CASE("a latency histogram puts each duration in its bucket, cumulatively")
{
    kring::latency_histogram h;
    h.observe(500us);  // <= 0.001
    h.observe(1ms);    // <= 0.001 (a bound is inclusive)
    h.observe(30ms);   // <= 0.05
    h.observe(20s);    // above every bound
    auto const counts = h.cumulative();
    CHECK(counts[0] == 2);
    CHECK(counts[4] == 2); // <= 0.025
    CHECK(counts[5] == 3); // <= 0.05
    CHECK(counts[counts.size() - 2] == 3);
    CHECK(counts.back() == 4);
    CHECK(h.sum_seconds() == doctest::Approx(20.0315));
}

TEST_CASE("the metrics text names every series with its help and type")
{
    kring::metrics m;
    m.joins.add(3);
    m.count_error(static_cast<std::size_t>(kring::protocol::error_code::rate_limited));
    m.count_action("mute");
    m.count_action("something new");
    m.ready = true;
    auto const text = kring::render_metrics(m, {7, 2});
    CHECK(text.find("# TYPE kring_connections gauge\nkring_connections 7\n") != std::string::npos);
    CHECK(text.find("kring_circles 2\n") != std::string::npos);
    CHECK(text.find("# TYPE kring_joins_total counter\nkring_joins_total 3\n") != std::string::npos);
    CHECK(text.find("kring_errors_total{code=\"rate_limited\"} 1\n") != std::string::npos);
    CHECK(text.find("kring_errors_total{code=\"bad_json\"} 0\n") != std::string::npos);
    CHECK(text.find("kring_moderation_actions_total{kind=\"mute\"} 1\n") != std::string::npos);
    CHECK(text.find("kring_moderation_actions_total{kind=\"other\"} 1\n") != std::string::npos);
    CHECK(text.find("kring_join_duration_seconds_bucket{le=\"+Inf\"} 0\n") != std::string::npos);
    CHECK(text.find("kring_handshake_duration_seconds_bucket{le=\"0.0025\"} 0\n") != std::string::npos);
    CHECK(text.find("kring_ready 1\n") != std::string::npos);
    CHECK(text.back() == '\n');
}

TEST_CASE("the queued-bytes gauge is never shown below zero")
{
    kring::metrics m;
    m.queue_bytes.add(-5); // a read between one thread's add and another's sub
    CHECK(kring::render_metrics(m, {}).find("kring_send_queue_bytes 0\n") != std::string::npos);
}

TEST_CASE("--metrics-listen takes an address, a bare port for loopback, or nothing")
{
    auto parsed = [](std::vector<std::string> const& args) {
        auto result = kring::parse_serve_arguments(args);
        CAPTURE(result.message);
        REQUIRE(result.value.has_value());
        return *result.value;
    };
    CHECK(kring::config{}.metrics_host.empty());
    auto const bare = parsed({"--metrics-listen", "9464"});
    CHECK(bare.metrics_host == "127.0.0.1");
    CHECK(bare.metrics_port == 9464);
    auto const v6 = parsed({"--metrics-listen", "[::1]:9100"});
    CHECK(v6.metrics_host == "::1");
    CHECK(v6.metrics_port == 9100);
    CHECK(parsed({"--metrics-listen", "9464", "--metrics-listen", ""}).metrics_host.empty());
    CHECK(parsed({"--metrics-connections", "3"}).metrics_connections == 3);
    for (auto const* bad : {"localhost:9464", "99999", "127.0.0.1:", "x"}) {
        CAPTURE(bad);
        auto const result = kring::parse_serve_arguments({"--metrics-listen", bad});
        CHECK_FALSE(result.value.has_value());
        CHECK(result.message.find("metrics-listen") != std::string::npos);
    }
    CHECK_FALSE(kring::parse_serve_arguments({"--metrics-connections", "0"}).value.has_value());
}
