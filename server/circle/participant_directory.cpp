#include "circle/participant_directory.hpp"

#include "circle/room.hpp"
#include "log.hpp"

#include <boost/asio/strand.hpp>

namespace kring {

participant_directory::participant_directory(boost::asio::any_io_executor executor, std::chrono::seconds grace,
                                             network_table& networks, identity_limits limits)
    : executor_(std::move(executor))
    , grace_(grace)
    , limits_(limits)
    , networks_(networks)
{
}

participant_directory::created participant_directory::create(std::optional<digest> const& network,
                                                              std::string_view lang)
{
    for (;;) {
        auto token = random_token();
        auto const key = sha256(token);
        std::shared_ptr<participant> pushed_out;
        std::shared_ptr<participant> who;
        {
            std::lock_guard lock{mutex_};
            if (by_token_.contains(key))
                continue; // 2^-256: never, but cheap to be sure
            pushed_out = make_room_locked(network);
            who = std::make_shared<participant>(random_participant_id(), random_pseudonym(lang), key);
            auto const counted = network ? networks_.add_identity(*network) : nullptr;
            by_token_.emplace(key, entry{who, nullptr, counted, std::nullopt, std::nullopt});
        }
        if (pushed_out) {
            leave_everything(*pushed_out);
            log::info("identity pushed out id=" + pushed_out->id());
        }
        return {std::move(who), std::move(token)};
    }
}

// Past a limit, the identity that has waited longest to be resumed gives way.
std::shared_ptr<participant> participant_directory::make_room_locked(std::optional<digest> const& network)
{
    if (network) {
        auto const waiting = waiting_by_network_.find(*network);
        if (networks_.identities(*network) >= limits_.per_network && waiting != waiting_by_network_.end())
            return erase_locked(by_token_.find(waiting->second.front()));
    }
    if (by_token_.size() >= limits_.total && !waiting_.empty())
        return erase_locked(by_token_.find(waiting_.front()));
    return nullptr;
}

std::shared_ptr<participant> participant_directory::erase_locked(std::map<token_key, entry>::iterator found)
{
    auto& e = found->second;
    if (e.grace_timer)
        e.grace_timer->cancel();
    stop_waiting_locked(e);
    networks_.remove_identity(e.network);
    auto who = std::move(e.who);
    by_token_.erase(found);
    return who;
}

void participant_directory::stop_waiting_locked(entry& e)
{
    if (e.waiting)
        waiting_.erase(*e.waiting);
    if (e.waiting_in_network) {
        auto const list = waiting_by_network_.find(e.network->first);
        list->second.erase(*e.waiting_in_network);
        if (list->second.empty())
            waiting_by_network_.erase(list);
    }
    e.waiting.reset();
    e.waiting_in_network.reset();
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
    stop_waiting_locked(found->second);
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
        auto const key = who->token_key();
        auto found = by_token_.find(key);
        if (found == by_token_.end())
            return;
        auto& e = found->second;
        e.grace_timer = timer;
        stop_waiting_locked(e);
        e.waiting = waiting_.insert(waiting_.end(), key);
        if (e.network) {
            auto& list = waiting_by_network_[e.network->first];
            e.waiting_in_network = list.insert(list.end(), key);
        }
        // Under the lock: a resume or a shutdown on another thread cancels the
        // timer under it too, and a timer may not be touched by two at once.
        timer->async_wait([this, who, generation](boost::system::error_code ec) {
            if (!ec)
                expire(who, generation);
        });
    }
    for (auto const& r : who->rooms())
        r->member_dropped(*who, generation);
}

void participant_directory::expire(std::shared_ptr<participant> const& who, std::uint64_t generation)
{
    {
        // Under the lock, so that a resume either wins or finds nothing.
        std::lock_guard lock{mutex_};
        if (!who->still_detached(generation))
            return;
        auto const found = by_token_.find(who->token_key());
        if (found == by_token_.end() || found->second.who != who)
            return;
        erase_locked(found);
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
        auto const found = by_token_.find(who->token_key());
        if (found != by_token_.end() && found->second.who == who)
            erase_locked(found);
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
