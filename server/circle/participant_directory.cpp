#include "circle/participant_directory.hpp"

#include "log.hpp"
#include "circle/room.hpp"

#include <boost/asio/strand.hpp>

namespace kring {

participant_directory::participant_directory(boost::asio::any_io_executor executor, std::chrono::seconds grace)
    : executor_(std::move(executor))
    , grace_(grace)
{
}

std::shared_ptr<participant> participant_directory::create()
{
    for (;;) {
        auto token = random_token();
        auto const key = sha256(token);
        std::lock_guard lock{mutex_};
        if (by_token_.contains(key))
            continue; // 2^-256: never, but cheap to be sure
        auto who = std::make_shared<participant>(random_hex(8), random_pseudonym(), std::move(token));
        by_token_.emplace(key, entry{who, nullptr});
        return who;
    }
}

participant_directory::claimed participant_directory::claim(std::string_view token,
                                                             std::shared_ptr<frame_sink> const& sink)
{
    // Looking up the token's digest, not the token, keeps the map's
    // comparisons from telling an attacker how close a guess came.
    auto const key = sha256(token);
    std::lock_guard lock{mutex_};
    auto const found = by_token_.find(key);
    if (found == by_token_.end() || !constant_time_equal(found->first, key))
        return {};
    auto replaced = found->second.who->attach(sink);
    return {found->second.who, std::move(replaced)};
}

void participant_directory::disconnected(std::shared_ptr<participant> const& who, std::uint64_t generation)
{
    auto timer = std::make_shared<boost::asio::steady_timer>(boost::asio::make_strand(executor_), grace_);
    {
        std::lock_guard lock{mutex_};
        if (stopping_)
            return;
        auto found = by_token_.find(sha256(who->token()));
        if (found == by_token_.end())
            return;
        found->second.grace_timer = timer;
    }
    timer->async_wait([this, who, generation](boost::system::error_code ec) {
        if (!ec)
            expire(who, generation);
    });
}

void participant_directory::expire(std::shared_ptr<participant> const& who, std::uint64_t generation)
{
    {
        // Under the lock, so that a resume either wins or finds nothing.
        std::lock_guard lock{mutex_};
        if (!who->still_detached(generation))
            return;
        by_token_.erase(sha256(who->token()));
    }
    leave_everything(*who);
    log::info("identity expired id=" + who->id());
}

std::optional<digest> participant_directory::staff_token_of(std::string_view token) const
{
    auto const key = sha256(token);
    std::lock_guard lock{mutex_};
    auto const found = by_token_.find(key);
    if (found == by_token_.end())
        return std::nullopt;
    return found->second.who->staff_token();
}

void participant_directory::forget(std::shared_ptr<participant> const& who)
{
    {
        std::lock_guard lock{mutex_};
        by_token_.erase(sha256(who->token()));
    }
    leave_everything(*who);
}

void participant_directory::leave_everything(participant& who)
{
    for (auto const& r : who.rooms())
        r->expire(who);
    for (auto const& r : who.waiting_rooms())
        r->expire(who);
}

void participant_directory::shutdown()
{
    std::lock_guard lock{mutex_};
    stopping_ = true;
    for (auto& [key, e] : by_token_)
        if (e.grace_timer)
            e.grace_timer->cancel();
}

std::size_t participant_directory::size() const
{
    std::lock_guard lock{mutex_};
    return by_token_.size();
}

} // namespace kring
