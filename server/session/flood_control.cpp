#include "session/flood_control.hpp"

#include "log.hpp"

#include <variant>

namespace kring::flood_control {

namespace {

constexpr std::uint16_t close_policy_violation = 1008;

// One overload per client message: a new message type does not compile
// until it is said here whether it reaches others.
constexpr bool reaches(protocol::hello const&) { return false; }
constexpr bool reaches(protocol::join const&) { return true; }
constexpr bool reaches(protocol::say const&) { return true; }
constexpr bool reaches(protocol::leave const&) { return true; }
constexpr bool reaches(protocol::ping const&) { return false; }
constexpr bool reaches(protocol::login const&) { return false; }
constexpr bool reaches(protocol::logout const&) { return false; }
constexpr bool reaches(protocol::set_password const&) { return false; }
constexpr bool reaches(protocol::member_action const&) { return true; }
constexpr bool reaches(protocol::ban const&) { return true; }
constexpr bool reaches(protocol::delete_message const&) { return true; }
constexpr bool reaches(protocol::pin const&) { return true; }
constexpr bool reaches(protocol::room_action const&) { return true; }
constexpr bool reaches(protocol::room_set const&) { return true; }
constexpr bool reaches(protocol::report const&) { return true; }
constexpr bool reaches(protocol::list_reports const&) { return false; }
constexpr bool reaches(protocol::resolve const&) { return false; }
constexpr bool reaches(protocol::react const&) { return true; }
constexpr bool reaches(protocol::hand const&) { return true; }
constexpr bool reaches(protocol::listening const&) { return true; }
constexpr bool reaches(protocol::whisper const&) { return true; }
constexpr bool reaches(protocol::mod_say const&) { return true; }
// Asking for help is never refused for sending fast: it reaches the
// moderators at most once a minute (room_alerts.cpp), and its answer only
// the member.
constexpr bool reaches(protocol::help const&) { return false; }
constexpr bool reaches(protocol::round_start const&) { return true; }
constexpr bool reaches(protocol::round_move const&) { return true; }
constexpr bool reaches(protocol::round_give const&) { return true; }
constexpr bool reaches(protocol::nudge const&) { return true; }
constexpr bool reaches(protocol::pause const&) { return true; }
constexpr bool reaches(protocol::resources const&) { return false; }
// Reading an agreement reads the store: it is counted as if it reached others.
constexpr bool reaches(protocol::read_agreement const&) { return true; }
constexpr bool reaches(protocol::point_agreement const&) { return true; }
constexpr bool reaches(protocol::translate const&) { return true; }
constexpr bool reaches(protocol::set_phase const&) { return true; }
constexpr bool reaches(protocol::give_floor const&) { return true; }

// 0 when both budgets had a token and both were taken; otherwise the
// milliseconds to wait, and neither is taken.
std::int64_t take_tokens(client& c, std::int64_t now_ms)
{
    if (auto const wait = c.message_budget.wait_ms(now_ms))
        return wait;
    if (c.connection.network && !c.who->keeps_circles())
        if (auto const wait = c.context.networks.take_message(*c.connection.network, now_ms))
            return wait;
    c.message_budget.take();
    return 0;
}

} // namespace

bool reaches_others(protocol::client_message const& message)
{
    return std::visit([](auto const& m) { return reaches(m); }, message);
}

bool admit(client& c, reply_ref const& ref)
{
    auto const now = c.context.rate_clock();
    auto const wait_ms = take_tokens(c, now);
    if (wait_ms == 0)
        return true;
    if (!c.rare().flood_refusals.allow(now)) {
        log::info("flooding " + c.tag());
        c.close(close_policy_violation, "sending too fast", close_mode::after_queued);
        return false;
    }
    c.reply_refusal(refusal{protocol::error_code::rate_limited, (wait_ms + 999) / 1000}, ref);
    return false;
}

} // namespace kring::flood_control
