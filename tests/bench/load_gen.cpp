// Kring's load generator: thousands of WebSocket clients over loopback, in
// circles of K, against a real kring process it starts itself. Every client
// says hello and joins its circle; then, for --duration seconds, each sends
// --rate messages a second (open loop) or keeps --in-flight messages on
// their way (closed loop: the next leaves when its own copy comes back).
// Each message's text carries its sender, its number and its send time, so
// that every delivered copy is checked (once, in order, from each sender)
// and timed. It reports deliveries a second, the latency of each delivered
// copy (p50, p99, p99.9), join latency, the server's CPU time and RSS from
// /proc (and its own CPU time, to tell when the clients are the limit), and
// the server's memory per idle joined connection, twice: all its growth
// over every connection, and what each connection after the first tenth
// (at most 100) adds, without what the server sets up once at its first
// connections; as a table, and as JSON with --json FILE. Exit status 0:
// every message reached every member of its circle exactly once and in
// order; 1: not so; 2: it could not run.
//
//   build/tests/load_gen [--connections N] [--room-size K] [--rate R | --in-flight W]
//                        [--duration S] [--text-bytes B] [--threads T]
//                        [--server-cpu C] [--client-cpu C] [--json FILE]
//
// Clients speak from 127.0.x.y, 250 to an address block, as people on many
// networks would; the server is started with its per-network limits and
// message budgets opened wide (a benchmark floods on purpose).
// KRING_BINARY=/path/to/kring runs another build of the server;
// --connect PORT --pid PID drives a server that is already running (the
// uWebSockets server of tests/bench/uws/, side by side: side_by_side.sh).
#include "../integration/kring_process.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <functional>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

namespace {

struct options {
    int connections = 1000;
    int room_size = 10;
    double rate = 1.0; // messages a second per connection (open loop)
    int in_flight = 0; // > 0: closed loop with this many on their way per connection
    double duration = 10.0;
    int text_bytes = 64;
    int threads = 1; // the server's
    int server_cpu = -1;
    int client_cpu = -1;
    double idle_seconds = 2.0; // joined and quiet before RSS is read
    std::string json;
    int connect = 0; // > 0: a server already listening on 127.0.0.1:connect (another server, to compare)
    int pid = 0;     // that server's process, for /proc
};

[[noreturn]] void usage(std::string const& problem)
{
    std::fprintf(problem.empty() ? stdout : stderr,
                 "%s%susage: load_gen [--connections N] [--room-size K] [--rate R | --in-flight W]\n"
                 "                [--duration S] [--text-bytes B] [--threads T] [--server-cpu C]\n"
                 "                [--client-cpu C] [--idle-seconds S] [--json FILE]\n"
                 "                [--connect PORT --pid PID]\n"
                 "See the top of tests/bench/load_gen.cpp for what each does.\n",
                 problem.empty() ? "" : ("load_gen: " + problem).c_str(), problem.empty() ? "" : "\n");
    std::exit(problem.empty() ? 0 : 2);
}

options parse(int argc, char** argv)
{
    options o;
    for (int i = 1; i < argc; i += 2) {
        std::string const name = argv[i];
        if (name == "--help" || name == "-h")
            usage("");
        if (i + 1 >= argc)
            usage(name + " needs a value");
        std::string const value = argv[i + 1];
        auto number = [&] {
            char* end = nullptr;
            double const v = std::strtod(value.c_str(), &end);
            if (end == value.c_str() || *end != '\0' || v < 0)
                usage("invalid value for " + name + ": " + value);
            return v;
        };
        if (name == "--connections")
            o.connections = static_cast<int>(number());
        else if (name == "--room-size")
            o.room_size = static_cast<int>(number());
        else if (name == "--rate")
            o.rate = number();
        else if (name == "--in-flight")
            o.in_flight = static_cast<int>(number());
        else if (name == "--duration")
            o.duration = number();
        else if (name == "--text-bytes")
            o.text_bytes = static_cast<int>(number());
        else if (name == "--threads")
            o.threads = static_cast<int>(number());
        else if (name == "--server-cpu")
            o.server_cpu = static_cast<int>(number());
        else if (name == "--client-cpu")
            o.client_cpu = static_cast<int>(number());
        else if (name == "--idle-seconds")
            o.idle_seconds = number();
        else if (name == "--json")
            o.json = value;
        else if (name == "--connect")
            o.connect = static_cast<int>(number());
        else if (name == "--pid")
            o.pid = static_cast<int>(number());
        else
            usage("unknown option " + name);
    }
    if ((o.connect > 0) != (o.pid > 0))
        usage("--connect and --pid go together");
    if (o.connections < 1 || o.room_size < 1 || o.threads < 1 || o.text_bytes < 48 || o.text_bytes > 2000)
        usage("connections, room size and threads are at least 1; text bytes 48 to 2000");
    return o;
}

// The server's own figures, from /proc.
struct process_sample {
    double cpu_seconds = 0; // user + system
    long rss_kib = 0;
};

process_sample sample(int pid)
{
    process_sample s;
    std::ifstream stat{"/proc/" + std::to_string(pid) + "/stat"};
    std::string text{std::istreambuf_iterator<char>{stat}, {}};
    auto const after_name = text.rfind(')');
    std::istringstream fields{text.substr(after_name + 2)};
    std::string field;
    double ticks = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i)
        if (i == 14 || i == 15)
            ticks += std::stod(field); // utime, stime
    s.cpu_seconds = ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
    std::ifstream status{"/proc/" + std::to_string(pid) + "/status"};
    std::string line;
    while (std::getline(status, line))
        if (line.starts_with("VmRSS:"))
            s.rss_kib = std::stol(line.substr(6));
    return s;
}

void pin_process(int pid, int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(static_cast<std::size_t>(cpu), &set);
    for (auto const& task : std::filesystem::directory_iterator{"/proc/" + std::to_string(pid) + "/task"})
        if (sched_setaffinity(std::stoi(task.path().filename().string()), sizeof set, &set) != 0)
            throw std::runtime_error{"cannot pin to CPU " + std::to_string(cpu)};
}

void raise_open_files()
{
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
}

clock_type::duration seconds(double s)
{
    return std::chrono::duration_cast<clock_type::duration>(std::chrono::duration<double>{s});
}

std::int64_t now_ns()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(clock_type::now().time_since_epoch()).count();
}

struct run_state;

// One person: a WebSocket, its circle, what it sent and what it heard.
class client : public std::enable_shared_from_this<client> {
public:
    client(asio::io_context& ioc, run_state& run, int index);
    void start();
    void send_message();
    int index() const { return index_; }
    int room() const { return room_; }
    std::int64_t sent() const { return sent_; }
    std::vector<std::int64_t> const& heard() const { return heard_; }

private:
    void on_frame(std::string_view frame);
    void on_message(std::string_view text);
    void read();
    void write(std::string frame);
    void write_next();

    websocket::stream<beast::tcp_stream> ws_;
    beast::flat_buffer buffer_;
    std::deque<std::string> outbox_;
    bool writing_ = false;
    run_state& run_;
    int index_;
    int room_;
    std::int64_t sent_ = 0;
    std::vector<std::int64_t> heard_; // the last number heard from each member of the circle, by slot
    clock_type::time_point join_sent_;
};

struct run_state {
    options o;
    unsigned short port;
    std::vector<std::shared_ptr<client>> clients;
    bool sending = false;
    int joined = 0;
    int failed = 0;
    std::int64_t deliveries = 0;
    std::int64_t duplicates_or_reordered = 0;
    std::vector<std::uint32_t> latency_us; // one per delivered copy during the load
    std::vector<std::uint32_t> join_us;
    std::string first_failure;
};

client::client(asio::io_context& ioc, run_state& run, int index)
    : ws_(ioc)
    , run_(run)
    , index_(index)
    , room_(index / run.o.room_size)
{
    int const first = room_ * run.o.room_size;
    int const members = std::min(run.o.room_size, run.o.connections - first);
    heard_.assign(static_cast<std::size_t>(members), 0);
}

void client::start()
{
    auto& socket = beast::get_lowest_layer(ws_).socket();
    // 127.0.x.y: 250 people to a network, as many networks as it takes.
    auto const local = asio::ip::make_address_v4(
        (127u << 24) | ((1u + static_cast<unsigned>(index_) / 250u) << 8) | (1u + static_cast<unsigned>(index_) % 250u));
    socket.open(tcp::v4());
    socket.set_option(tcp::no_delay(true));
    socket.bind(tcp::endpoint{local, 0});
    ws_.read_message_max(1 << 20);
    auto const self = shared_from_this();
    beast::get_lowest_layer(ws_).async_connect(
        tcp::endpoint{asio::ip::make_address("127.0.0.1"), run_.port}, [self](beast::error_code ec) {
            if (ec)
                return void(++self->run_.failed);
            self->ws_.async_handshake("127.0.0.1", "/ws", [self](beast::error_code handshake_ec) {
                if (handshake_ec)
                    return void(++self->run_.failed);
                self->write(R"({"type":"hello","v":1})");
                self->read();
            });
        });
}

void client::read()
{
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        if (ec) {
            if (self->run_.sending || self->run_.joined < self->run_.o.connections)
                ++self->run_.failed;
            return;
        }
        std::string_view const frame{static_cast<char const*>(self->buffer_.data().data()), self->buffer_.size()};
        self->on_frame(frame);
        self->buffer_.consume(self->buffer_.size());
        self->read();
    });
}

void client::on_frame(std::string_view frame)
{
    if (frame.starts_with(R"({"type":"message")")) {
        auto const at = frame.find(R"("text":")");
        if (at != std::string_view::npos)
            on_message(frame.substr(at + 8));
    } else if (frame.starts_with(R"({"type":"welcome")")) {
        join_sent_ = clock_type::now();
        write(R"({"type":"join","room":"load-)" + std::to_string(room_) + R"("})");
    } else if (frame.starts_with(R"({"type":"joined")")) {
        run_.join_us.push_back(static_cast<std::uint32_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(clock_type::now() - join_sent_).count()));
        ++run_.joined;
    } else if (frame.starts_with(R"({"type":"error")")) {
        ++run_.failed;
        if (run_.first_failure.empty())
            run_.first_failure = std::string{frame};
    }
}

// "<sender> <number> <sent at, ns> xxx...": once, in order, from each member.
void client::on_message(std::string_view text)
{
    std::int64_t values[3] = {};
    char const* p = text.data();
    char const* const end = text.data() + text.size();
    for (auto& v : values) {
        auto const [next, ec] = std::from_chars(p, end, v);
        if (ec != std::errc{}) {
            ++run_.duplicates_or_reordered;
            return;
        }
        p = next + 1;
    }
    auto const sender = values[0];
    auto const slot = static_cast<std::size_t>(sender - room_ * run_.o.room_size);
    if (sender < 0 || slot >= heard_.size() || values[1] != heard_[slot] + 1) {
        ++run_.duplicates_or_reordered;
        if (slot < heard_.size())
            heard_[slot] = std::max(heard_[slot], values[1]);
        return;
    }
    heard_[slot] = values[1];
    ++run_.deliveries;
    run_.latency_us.push_back(static_cast<std::uint32_t>((now_ns() - values[2]) / 1000));
    if (sender == index_ && run_.o.in_flight > 0 && run_.sending)
        send_message(); // closed loop: one back, one out
}

void client::send_message()
{
    ++sent_;
    std::string text = std::to_string(index_) + " " + std::to_string(sent_) + " " + std::to_string(now_ns()) + " ";
    text.resize(static_cast<std::size_t>(run_.o.text_bytes), 'x');
    write(R"({"type":"say","room":"load-)" + std::to_string(room_) + R"(","text":")" + text + R"("})");
}

void client::write(std::string frame)
{
    outbox_.push_back(std::move(frame));
    if (!writing_)
        write_next();
}

void client::write_next()
{
    if (outbox_.empty())
        return void(writing_ = false);
    writing_ = true;
    ws_.async_write(asio::buffer(outbox_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
        if (ec)
            return void(++self->run_.failed);
        self->outbox_.pop_front();
        self->write_next();
    });
}

std::uint32_t percentile(std::vector<std::uint32_t>& values, double p)
{
    if (values.empty())
        return 0;
    auto const at = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(at), values.end());
    return values[at];
}

std::vector<std::string> server_arguments(options const& o)
{
    auto const many = std::to_string(1000000);
    return {"--threads", std::to_string(o.threads), "--max-connections", std::to_string(o.connections + 100),
            "--max-connections-per-network", many, "--connection-rate-per-network", many,
            "--max-identities", std::to_string(2 * o.connections + 100), "--max-identities-per-network", many,
            "--message-rate", "100000", "--message-burst", "100000", "--network-message-rate", many,
            "--network-message-burst", many, "--flood-refusals", "100000"};
}

// One circle per K people, each with room for them all.
void add_circles(options const& o, std::filesystem::path const& db)
{
    int const rooms = (o.connections + o.room_size - 1) / o.room_size;
    for (int r = 0; r < rooms; ++r) {
        auto const result = kring::test::run_kring({"room", "add", "load-" + std::to_string(r), "--title", "Load",
                                                    "--capacity", std::to_string(o.room_size), "--db", db.string()});
        if (result.status != 0)
            throw std::runtime_error{"kring room add failed: " + result.output};
    }
}

} // namespace

int main(int argc, char** argv)
{
    auto const o = parse(argc, argv);
    raise_open_files();
    if (o.client_cpu >= 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(static_cast<std::size_t>(o.client_cpu), &set);
        sched_setaffinity(0, sizeof set, &set);
    }
    try {
        std::unique_ptr<kring::test::kring_process> kring;
        if (o.connect == 0)
            kring = std::make_unique<kring::test::kring_process>(server_arguments(o),
                                                                 [&](auto const& db) { add_circles(o, db); });
        int const server_pid = kring ? kring->pid() : o.pid;
        auto const server_port = kring ? kring->port() : static_cast<unsigned short>(o.connect);
        if (o.server_cpu >= 0)
            pin_process(server_pid, o.server_cpu);
        asio::io_context ioc{1};
        run_state run{o, server_port, {}, false, 0, 0, 0, 0, {}, {}, {}};
        auto const before = sample(server_pid);

        // Everyone in, 200 handshakes at a time. The first circles' worth (a tenth, at most 100 people)
        // comes in first: what the server sets up once, at its first connections (code and library
        // pages touched for the first time, a name checker made at first use), is measured apart
        // from what each further connection costs.
        run.join_us.reserve(static_cast<std::size_t>(o.connections));
        for (int i = 0; i < o.connections; ++i)
            run.clients.push_back(std::make_shared<client>(ioc, run, i));
        std::size_t started = 0;
        auto const deadline = clock_type::now() + std::chrono::seconds{60 + o.connections / 100};
        auto join_up_to = [&](int count) {
            while (run.joined + run.failed < count && clock_type::now() < deadline) {
                while (static_cast<int>(started) < count && static_cast<int>(started) - run.joined - run.failed < 200)
                    run.clients[started++]->start();
                ioc.run_for(std::chrono::milliseconds{10});
            }
            return run.joined >= count;
        };
        int const first_ones = std::min(o.connections / 10, 100) / o.room_size * o.room_size;
        bool all_in = join_up_to(first_ones);
        if (all_in && first_ones > 0)
            ioc.run_for(std::chrono::milliseconds{200});
        auto const after_first = sample(server_pid);
        all_in = all_in && join_up_to(o.connections);
        if (!all_in) {
            std::fprintf(stderr, "load_gen: %d of %d joined (%d failed) %s\n", run.joined, o.connections, run.failed,
                         run.first_failure.c_str());
            return 2;
        }
        ioc.run_for(seconds(o.idle_seconds));
        auto const idle = sample(server_pid);

        // The load.
        run.sending = true;
        run.latency_us.reserve(static_cast<std::size_t>(
            std::min(5e7, (o.in_flight > 0 ? 2e5 : o.rate * o.connections) * o.room_size * o.duration)));
        auto const load_start = clock_type::now();
        auto const cpu_start = sample(server_pid);
        auto const own_start = sample(getpid());
        asio::steady_timer tick{ioc};
        std::function<void()> pace; // lives as long as the timer's waits
        if (o.in_flight > 0) {
            for (auto const& c : run.clients)
                for (int w = 0; w < o.in_flight; ++w)
                    c->send_message();
        } else {
            // Each client's messages spread evenly over the second, with its own offset.
            pace = [&] {
                double const elapsed = std::chrono::duration<double>(clock_type::now() - load_start).count();
                if (elapsed >= o.duration)
                    return void(run.sending = false);
                for (auto const& c : run.clients) {
                    double const offset = static_cast<double>(c->index() % 1000) / 1000.0;
                    auto const due = static_cast<std::int64_t>(o.rate * elapsed + offset);
                    while (c->sent() < due)
                        c->send_message();
                }
                tick.expires_after(std::chrono::milliseconds{2});
                tick.async_wait([&](beast::error_code) { pace(); });
            };
            pace();
        }
        ioc.run_for(seconds(o.duration));
        run.sending = false;
        auto const cpu_end = sample(server_pid);
        auto const own_end = sample(getpid());
        auto const load_seconds = std::chrono::duration<double>(clock_type::now() - load_start).count();
        std::int64_t const in_load = run.deliveries;

        // Then what is still on its way, up to 10 s.
        std::int64_t expected = 0;
        auto count_expected = [&] {
            expected = 0;
            for (auto const& c : run.clients) {
                int const first = c->room() * o.room_size;
                int const members = std::min(o.room_size, o.connections - first);
                expected += c->sent() * members;
            }
        };
        count_expected();
        auto const drain_deadline = clock_type::now() + std::chrono::seconds{10};
        while (run.deliveries < expected && clock_type::now() < drain_deadline)
            ioc.run_for(std::chrono::milliseconds{20});

        // Once and in order, from each member: every count heard matches what was sent.
        std::int64_t missing = 0;
        for (auto const& c : run.clients) {
            int const first = c->room() * o.room_size;
            for (std::size_t slot = 0; slot < c->heard().size(); ++slot)
                missing += run.clients[static_cast<std::size_t>(first) + slot]->sent() - c->heard()[slot];
        }
        std::int64_t sent = 0;
        for (auto const& c : run.clients)
            sent += c->sent();
        bool const correct = missing == 0 && run.duplicates_or_reordered == 0 && run.failed == 0 &&
                             run.deliveries == expected;

        double const cpu = cpu_end.cpu_seconds - cpu_start.cpu_seconds;
        double const own_cpu = own_end.cpu_seconds - own_start.cpu_seconds; // near 100 %: the clients are the limit
        double const per_second = static_cast<double>(in_load) / load_seconds;
        double const rss_per_connection =
            1024.0 * static_cast<double>(idle.rss_kib - before.rss_kib) / static_cast<double>(o.connections);
        double const rss_per_further_connection =
            first_ones > 0 ? 1024.0 * static_cast<double>(idle.rss_kib - after_first.rss_kib) /
                                 static_cast<double>(o.connections - first_ones)
                           : rss_per_connection;
        auto p50 = percentile(run.latency_us, 0.50);
        auto p99 = percentile(run.latency_us, 0.99);
        auto p999 = percentile(run.latency_us, 0.999);
        auto join_p50 = percentile(run.join_us, 0.50);
        auto join_p99 = percentile(run.join_us, 0.99);

        char rate[32];
        std::snprintf(rate, sizeof rate, "%g", o.rate);
        std::string const mode = o.in_flight > 0 ? "closed loop, " + std::to_string(o.in_flight) + " in flight each"
                                                 : "open loop, " + std::string{rate} + " msg/s each";
        std::printf("connections %d in circles of %d, %s, %.1f s, text %d bytes, server threads %d\n",
                    o.connections, o.room_size,
                    mode.c_str(),
                    o.duration, o.text_bytes, o.threads);
        std::printf("| figure | value |\n| --- | ---: |\n");
        std::printf("| messages sent | %lld |\n", static_cast<long long>(sent));
        std::printf("| deliveries | %lld of %lld |\n", static_cast<long long>(run.deliveries),
                    static_cast<long long>(expected));
        std::printf("| deliveries/s during the load | %.0f |\n", per_second);
        std::printf("| delivery latency p50 / p99 / p99.9 | %.2f / %.2f / %.2f ms |\n", p50 / 1000.0, p99 / 1000.0,
                    p999 / 1000.0);
        std::printf("| join latency p50 / p99 | %.2f / %.2f ms |\n", join_p50 / 1000.0, join_p99 / 1000.0);
        std::printf("| server CPU during the load | %.2f s (%.0f %% of one core) |\n", cpu, 100.0 * cpu / load_seconds);
        std::printf("| server CPU per delivery | %.2f us |\n", in_load > 0 ? 1e6 * cpu / static_cast<double>(in_load) : 0.0);
        std::printf("| load generator CPU during the load | %.2f s (%.0f %% of one core) |\n", own_cpu,
                    100.0 * own_cpu / load_seconds);
        std::printf("| server RSS: started / first %d joined / all joined and idle / after the load | %ld / %ld / "
                    "%ld / %ld KiB |\n",
                    first_ones, before.rss_kib, after_first.rss_kib, idle.rss_kib, sample(server_pid).rss_kib);
        std::printf("| server RSS per idle joined connection | %.0f bytes |\n", rss_per_connection);
        std::printf("| server RSS per idle joined connection after the first %d | %.0f bytes |\n", first_ones,
                    rss_per_further_connection);
        std::printf("| missing / duplicated or out of order / failed connections | %lld / %lld / %d |\n",
                    static_cast<long long>(missing), static_cast<long long>(run.duplicates_or_reordered), run.failed);
        std::printf("%s\n", correct ? "every message reached every member of its circle once, in order"
                                    : "NOT every message reached every member once and in order");

        if (!o.json.empty()) {
            std::ofstream out{o.json};
            out << "{\"connections\":" << o.connections << ",\"room_size\":" << o.room_size
                << ",\"mode\":\"" << (o.in_flight > 0 ? "closed" : "open") << "\",\"rate\":" << o.rate
                << ",\"in_flight\":" << o.in_flight << ",\"duration\":" << o.duration
                << ",\"text_bytes\":" << o.text_bytes << ",\"threads\":" << o.threads << ",\"sent\":" << sent
                << ",\"deliveries\":" << run.deliveries << ",\"expected\":" << expected
                << ",\"deliveries_per_second\":" << per_second << ",\"latency_ms\":{\"p50\":" << p50 / 1000.0
                << ",\"p99\":" << p99 / 1000.0 << ",\"p999\":" << p999 / 1000.0 << "},\"join_ms\":{\"p50\":"
                << join_p50 / 1000.0 << ",\"p99\":" << join_p99 / 1000.0 << "},\"server_cpu_seconds\":" << cpu
                << ",\"server_cpu_us_per_delivery\":"
                << (in_load > 0 ? 1e6 * cpu / static_cast<double>(in_load) : 0.0)
                << ",\"load_generator_cpu_seconds\":" << own_cpu
                << ",\"rss_kib\":{\"started\":" << before.rss_kib << ",\"first_joined\":" << after_first.rss_kib
                << ",\"idle\":" << idle.rss_kib << "},\"first_connections\":" << first_ones
                << ",\"rss_bytes_per_idle_connection\":" << rss_per_connection
                << ",\"rss_bytes_per_further_idle_connection\":" << rss_per_further_connection
                << ",\"missing\":" << missing
                << ",\"duplicated_or_reordered\":" << run.duplicates_or_reordered << ",\"failed\":" << run.failed
                << ",\"correct\":" << (correct ? "true" : "false") << "}\n";
        }
        return correct ? 0 : 1;
    } catch (std::exception const& e) {
        std::fprintf(stderr, "load_gen: %s\n", e.what());
        return 2;
    }
}
