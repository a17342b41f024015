// Fuzzes a client session's dispatch: what up to four clients send, frame by
// frame, to sessions wired as in the server, around the unit tests' fake
// store (tests/unit/session_world.hpp), all on one thread, so that an input
// always takes the same path. The input is a script, one line a step:
//   ~0 .. ~3    the next lines come from client 0..3 (client 0 to begin
//               with); a client that hung up comes back as a new connection.
//               Clients 0 and 3 share a network, 1 and 2 have their own.
//   ~x          the current client hangs up
//   ~t / ~m     a second / a minute passes on the message budgets' clock
//   ~b<bytes>   <bytes> as a binary frame
//   anything    else is one text frame. In it, $m0..$m3 stand for client
//               0..3's member id, $t0..$t3 for its resume token, $a0..$a3
//               for its login token, $x0..$x3 for the id of the last
//               message it received (or found in a room's history when it
//               joined): the server makes those at random.
// Each world has the circles demo (12 seats), coded (access code "sesame")
// and pair (2 seats), a moderator "mira" who keeps demo and coded and an
// admin "ada", both with the password in session_world.hpp.
//
// Beyond "no crash, no leak, no exception escapes": every frame the server
// sends is one JSON object with a string `type`; no request ends in
// `internal` (a handler threw: the fake store throws where the real one
// would refuse a write); every frame is handled within 10 seconds; and the
// log holds no one's words and no secret: no "☃" (the seeds put it in
// texts, names, reasons, codes and passwords), no token the server handed
// out, no staff password.
#include "fuzz_check.hpp"
#include "session_world.hpp"

#include "password.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace json = boost::json;
using kring::session_test::session_world;
using kring::session_test::world_connection;

constexpr std::size_t max_steps = 64;
constexpr std::size_t max_connections = 16;
constexpr std::size_t clients = 4;

struct fuzz_connection : world_connection {
    std::size_t read = 0; // frames already checked
};

// One of the clients: its connection, and what the server told it that a
// later frame may name. A client that reconnects keeps them, so that it can
// resume.
struct client_slot {
    fuzz_connection* connection = nullptr;
    std::string id, token, login_token, last_message;
};

using world = session_world<fuzz_connection>;

// Small budgets, so that short scripts reach the limits.
kring::config fuzz_settings()
{
    kring::config c;
    c.max_rooms = 3;
    c.message_burst = 4;
    c.network_message_burst = 6;
    c.flood_refusals = 3;
    c.login_failures = 2;
    c.login_failures_per_network = 2;
    c.max_identities = 6;
    c.max_identities_per_network = 3;
    c.held_seats_per_network = 1;
    c.history = 8;
    return c;
}

std::string const& staff_hash()
{
    static std::string const hash =
        kring::hash_password(kring::session_test::staff_password, {.memory_kib = 64, .passes = 1, .lanes = 1});
    return hash;
}

void furnish(world& w)
{
    auto& db = w.database;
    db.add_room({"demo", "Demo circle", 12, std::nullopt});
    db.add_room({"coded", "Coded circle", 12, kring::sha256("sesame")});
    db.add_room({"pair", "Two seats", 2, std::nullopt});
    db.add_staff("mira", kring::staff_role::moderator, staff_hash(), kring::password_kind::chosen);
    db.add_staff("ada", kring::staff_role::admin, staff_hash(), kring::password_kind::chosen);
    db.assign_room("mira", "demo");
    db.assign_room("mira", "coded");
}

std::string string_field(json::object const& frame, std::string_view key)
{
    auto const* value = frame.if_contains(key);
    return value && value->is_string() ? std::string{value->get_string()} : std::string{};
}

// Checks the frames the client received since the last look, and keeps
// what a later frame may name.
void read_new_frames(client_slot& slot)
{
    if (!slot.connection)
        return;
    auto& c = *slot.connection;
    for (; c.read < c.link->frames.size(); ++c.read) {
        boost::system::error_code ec;
        auto const value = json::parse(c.link->frames[c.read]->text(), ec);
        KRING_FUZZ_CHECK(!ec && value.is_object());
        auto const& frame = value.get_object();
        auto const type = string_field(frame, "type");
        KRING_FUZZ_CHECK(!type.empty());
        if (type == "error")
            KRING_FUZZ_CHECK(string_field(frame, "code") != "internal");
        if (type == "welcome") {
            slot.id = string_field(frame, "id");
            slot.token = string_field(frame, "token");
        }
        if (type == "logged_in")
            slot.login_token = string_field(frame, "token");
        if (type == "message")
            slot.last_message = string_field(frame, "id");
        if (type == "joined") // what was said before it came in
            if (auto const* history = frame.if_contains("history"); history && history->is_array())
                if (auto const& said = history->get_array(); !said.empty() && said.back().is_object())
                    slot.last_message = string_field(said.back().get_object(), "id");
    }
}

// What Kring logs while one input runs. Its log writes to stderr
// (server/log.cpp), which points here meanwhile; libFuzzer and the
// sanitizers write to the file descriptor, not through this stream.
class caught_log {
public:
    caught_log()
        : stream_(open_memstream(&buffer_, &size_))
        , original_(stderr)
    {
        KRING_FUZZ_CHECK(stream_ != nullptr);
        stderr = stream_;
    }

    // With KRING_FUZZ_SHOW_LOG set (when replaying an input), the log is
    // written out as the input ends.
    ~caught_log()
    {
        stderr = original_;
        std::fclose(stream_);
        if (std::getenv("KRING_FUZZ_SHOW_LOG"))
            std::fwrite(buffer_, 1, size_, stderr);
        std::free(buffer_);
    }

    caught_log(caught_log const&) = delete;
    caught_log& operator=(caught_log const&) = delete;

    bool holds(std::string_view piece)
    {
        std::fflush(stream_);
        return !piece.empty() && std::string_view{buffer_, size_}.find(piece) != std::string_view::npos;
    }

private:
    char* buffer_ = nullptr;
    std::size_t size_ = 0;
    FILE* stream_;
    FILE* original_;
};

void replace_all(std::string& s, std::string_view from, std::string_view to)
{
    for (auto at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
}

class script {
public:
    script()
        : world_(fuzz_settings(), kring::session_test::work_threads::sessions)
    {
        furnish(world_);
    }

    // One line of the script; false when the script must stop here.
    bool step(std::string_view line)
    {
        if (line.size() >= 2 && line[0] == '~') {
            auto const command = line[1];
            if (command >= '0' && command < static_cast<char>('0' + clients)) {
                current_ = static_cast<std::size_t>(command - '0');
                return true;
            }
            if (command == 'x')
                return hang_up();
            if (command == 't' || command == 'm') {
                world_.advance(command == 't' ? std::chrono::seconds{1} : std::chrono::minutes{1});
                return true;
            }
            if (command == 'b')
                return send(std::string{line.substr(2)}, true);
        }
        return send(with_names(line), false);
    }

    void finish()
    {
        for (auto& slot : slots_)
            read_new_frames(slot);
    }

    // Secrets the server handed out, which no log line may hold.
    std::vector<std::string> secrets() const
    {
        std::vector<std::string> out{kring::session_test::staff_password};
        for (auto const& slot : slots_) {
            out.push_back(slot.token);
            out.push_back(slot.login_token);
        }
        return out;
    }

private:
    // The current client's connection, opened if it has none.
    fuzz_connection* connection()
    {
        auto& slot = slots_[current_];
        if (slot.connection && !slot.connection->ended)
            return slot.connection;
        if (world_.connection_count() >= max_connections)
            return nullptr;
        static constexpr std::array<std::string_view, clients> addresses{"192.0.2.1", "198.51.100.2", "203.0.113.3",
                                                                         "192.0.2.1"};
        slot.connection = &world_.connect_from(std::string{addresses[current_]});
        return slot.connection;
    }

    bool send(std::string frame, bool binary)
    {
        auto* c = connection();
        if (!c)
            return false;
        KRING_FUZZ_CHECK(world_.hand_frame(*c, std::move(frame), binary));
        finish();
        return true;
    }

    bool hang_up()
    {
        auto* c = slots_[current_].connection;
        if (c && !c->ended)
            KRING_FUZZ_CHECK(world_.end_connection(*c));
        finish();
        return true;
    }

    std::string with_names(std::string_view line) const
    {
        std::string frame{line};
        if (frame.find('$') == std::string::npos)
            return frame;
        for (std::size_t i = 0; i < clients; ++i) {
            auto const& slot = slots_[i];
            auto const n = std::to_string(i);
            replace_all(frame, "$m" + n, slot.id);
            replace_all(frame, "$t" + n, slot.token);
            replace_all(frame, "$a" + n, slot.login_token);
            replace_all(frame, "$x" + n, slot.last_message);
        }
        return frame;
    }

    world world_;
    std::array<client_slot, clients> slots_{};
    std::size_t current_ = 0;
};

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    static_cast<void>(staff_hash());
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(std::uint8_t const* data, std::size_t size)
{
    std::string_view input{reinterpret_cast<char const*>(data), size};
    caught_log log;
    std::vector<std::string> secrets;
    {
        script s;
        for (std::size_t steps = 0; steps < max_steps && !input.empty(); ++steps) {
            auto const end = input.find('\n');
            auto const line = input.substr(0, end);
            input = end == std::string_view::npos ? std::string_view{} : input.substr(end + 1);
            if (!line.empty() && !s.step(line))
                break;
        }
        s.finish();
        secrets = s.secrets();
    } // the world ends here, and what it logs as it ends is caught too
    KRING_FUZZ_CHECK(!log.holds("\xE2\x98\x83")); // ☃
    for (auto const& secret : secrets)
        KRING_FUZZ_CHECK(!log.holds(secret));
    return 0;
}
