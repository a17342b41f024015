#pragma once

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>

#include <exception>
#include <utility>

namespace kring {

// Runs `work()` on `worker` (e.g. the store's thread) and completes on the
// caller's own executor with (exception_ptr, result). With use_awaitable a
// coroutine simply writes `auto r = co_await run_elsewhere(worker, work, use_awaitable);`
template <class Result, class Work, class CompletionToken>
auto run_elsewhere(boost::asio::any_io_executor worker, Work work, CompletionToken&& token)
{
    auto initiation = [worker](auto handler, Work w) {
        boost::asio::post(worker, [handler = std::move(handler), w = std::move(w)]() mutable {
            std::exception_ptr failure;
            Result result{};
            try {
                result = w();
            } catch (...) {
                failure = std::current_exception();
            }
            // Everything moves to the caller's thread, the exception too: a
            // copy left here would let this thread free the exception after
            // the caller has read it, through a reference count that
            // ThreadSanitizer cannot see (libstdc++'s, uninstrumented).
            auto const home = boost::asio::get_associated_executor(handler);
            boost::asio::post(home, [handler = std::move(handler), failure = std::move(failure),
                                     result = std::move(result)]() mutable {
                std::move(handler)(failure, std::move(result));
            });
        });
    };
    return boost::asio::async_initiate<CompletionToken, void(std::exception_ptr, Result)>(
        std::move(initiation), token, std::move(work));
}

} // namespace kring
