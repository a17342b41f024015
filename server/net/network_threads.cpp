#include "net/network_threads.hpp"

#include <thread>

namespace kring {

namespace asio = boost::asio;

network_threads::network_threads(unsigned count)
{
    for (unsigned i = 0; i < std::max(count, 1u); ++i) {
        loops_.push_back(std::make_unique<asio::io_context>(1)); // one thread runs it
        if (i > 0)
            waiting_.push_back(asio::make_work_guard(loops_.back()->get_executor()));
    }
}

network_executor network_threads::next()
{
    auto const n = turn_.fetch_add(1, std::memory_order_relaxed);
    return loops_[n % loops_.size()]->get_executor();
}

void network_threads::run()
{
    std::vector<std::jthread> others;
    for (std::size_t i = 1; i < loops_.size(); ++i)
        others.emplace_back([loop = loops_[i].get()] { loop->run(); });
    first().run();
    stop(); // should the first loop run out of work on its own
}

void network_threads::stop()
{
    for (auto const& loop : loops_)
        loop->stop();
}

} // namespace kring
