#include "circle/participant.hpp"

#include <algorithm>

namespace kring {

participant::participant(std::string id, std::string pseudonym, digest token_key)
    : id_(std::move(id))
    , pseudonym_(std::move(pseudonym))
    , token_key_(token_key)
{
}

void participant::grant(staff_grant grant)
{
    std::lock_guard lock{mutex_};
    staff_ = std::make_unique<staff_grant>(std::move(grant));
}

void participant::revoke_staff()
{
    std::lock_guard lock{mutex_};
    staff_.reset();
}

namespace {

bool holds(std::vector<std::string> const& slugs, std::string_view slug)
{
    return std::find(slugs.begin(), slugs.end(), slug) != slugs.end();
}

} // namespace

std::string_view participant::role() const
{
    std::lock_guard lock{mutex_};
    if (!staff_)
        return "participant";
    if (staff_->admin || !staff_->rooms.empty())
        return staff_->admin ? "admin" : "moderator";
    if (!staff_->facilitates.empty())
        return "facilitator";
    return staff_->interprets.empty() ? "moderator" : "interpreter";
}

std::string_view participant::role_in(std::string_view slug) const
{
    std::lock_guard lock{mutex_};
    if (!staff_)
        return "participant";
    if (staff_->admin)
        return "admin";
    if (holds(staff_->rooms, slug))
        return "moderator";
    if (holds(staff_->facilitates, slug))
        return "facilitator";
    if (holds(staff_->interprets, slug))
        return "interpreter";
    return staff_->rooms.empty() ? "participant" : "moderator"; // a moderator, in a circle not its own
}

bool participant::may_facilitate(std::string_view slug) const
{
    std::lock_guard lock{mutex_};
    return staff_ && (staff_->admin || holds(staff_->rooms, slug) || holds(staff_->facilitates, slug));
}

bool participant::interprets(std::string_view slug) const
{
    std::lock_guard lock{mutex_};
    return staff_ && holds(staff_->interprets, slug);
}

bool participant::keeps_circles() const
{
    std::lock_guard lock{mutex_};
    return staff_ && (staff_->admin || !staff_->rooms.empty());
}

bool participant::is_staff() const
{
    std::lock_guard lock{mutex_};
    return staff_ != nullptr;
}

std::optional<digest> participant::staff_token() const
{
    std::lock_guard lock{mutex_};
    return staff_ ? staff_->token : std::nullopt;
}

bool participant::may_moderate(std::string_view slug) const
{
    std::lock_guard lock{mutex_};
    if (!staff_)
        return false;
    return staff_->admin || holds(staff_->rooms, slug);
}

std::string participant::display_name() const
{
    std::lock_guard lock{mutex_};
    return staff_ ? staff_->name : pseudonym_;
}

void participant::set_marks(ban_marks marks)
{
    std::lock_guard lock{mutex_};
    marks_ = marks;
}

ban_marks participant::marks() const
{
    std::lock_guard lock{mutex_};
    return marks_;
}

void participant::send(shared_frame const& frame) const
{
    std::lock_guard lock{mutex_};
    if (auto sink = sink_.lock())
        sink->send(frame);
}

std::shared_ptr<frame_sink> participant::attach(std::shared_ptr<frame_sink> const& sink)
{
    std::lock_guard lock{mutex_};
    auto previous = sink_.lock();
    sink_ = sink;
    ++generation_;
    for (auto& m : rooms_)
        m.live = false;
    return previous;
}

std::uint64_t participant::detach(frame_sink const* sink)
{
    std::lock_guard lock{mutex_};
    if (sink_.lock().get() != sink)
        return 0;
    sink_.reset();
    for (auto& m : rooms_)
        m.live = false;
    return ++generation_;
}

bool participant::still_detached(std::uint64_t generation) const
{
    std::lock_guard lock{mutex_};
    return generation_ == generation;
}

void participant::enter(std::shared_ptr<room> const& r)
{
    std::lock_guard lock{mutex_};
    rooms_.push_back({r.get(), r, false});
}

void participant::exit(room const* r)
{
    std::lock_guard lock{mutex_};
    std::erase_if(rooms_, [r](membership const& m) { return m.key == r; });
}

void participant::go_live(room const* r, shared_frame const& first_frame)
{
    std::lock_guard lock{mutex_};
    auto sink = sink_.lock();
    auto m = std::find_if(rooms_.begin(), rooms_.end(), [r](membership const& x) { return x.key == r; });
    if (!sink || m == rooms_.end())
        return;
    m->live = true;
    sink->send(first_frame);
}

bool participant::deliver(room const* r, shared_frame const& frame) const
{
    std::lock_guard lock{mutex_};
    auto m = std::find_if(rooms_.begin(), rooms_.end(), [r](membership const& x) { return x.key == r; });
    if (m == rooms_.end() || !m->live)
        return false;
    auto sink = sink_.lock();
    if (!sink)
        return false;
    sink->send(frame);
    return true;
}

std::vector<std::shared_ptr<room>> participant::rooms() const
{
    std::lock_guard lock{mutex_};
    std::vector<std::shared_ptr<room>> out;
    for (auto const& m : rooms_)
        if (auto r = m.where.lock())
            out.push_back(std::move(r));
    return out;
}

std::size_t participant::room_count() const
{
    std::lock_guard lock{mutex_};
    return rooms_.size();
}

void participant::wait_at(std::shared_ptr<room> const& r)
{
    std::lock_guard lock{mutex_};
    if (!waiting_)
        waiting_ = std::make_unique<std::vector<waiting_room>>();
    waiting_->emplace_back(r.get(), r);
}

void participant::stop_waiting(room const* r)
{
    std::lock_guard lock{mutex_};
    if (!waiting_)
        return;
    std::erase_if(*waiting_, [r](auto const& w) { return w.first == r; });
    if (waiting_->empty())
        waiting_.reset();
}

std::vector<std::shared_ptr<room>> participant::waiting_rooms() const
{
    std::lock_guard lock{mutex_};
    std::vector<std::shared_ptr<room>> out;
    if (!waiting_)
        return out;
    for (auto const& w : *waiting_)
        if (auto r = w.second.lock())
            out.push_back(std::move(r));
    return out;
}

std::size_t participant::waiting_count() const
{
    std::lock_guard lock{mutex_};
    return waiting_ ? waiting_->size() : 0;
}

} // namespace kring
