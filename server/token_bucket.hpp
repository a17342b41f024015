#pragma once

#include <algorithm>
#include <cstdint>

namespace kring {

// How fast messages may come: `burst` at once, then `per_second` a second.
struct message_rate {
    std::int64_t per_second = 1; // at least 1
    std::int64_t burst = 1;      // at least 1
};

// A token bucket: it holds up to `burst` tokens, gains `per_second` a
// second, and each message takes one. It counts thousandths of a token, so
// that the refill of a few milliseconds is not lost to rounding. Used on one
// thread or under its owner's lock; not thread-safe.
class token_bucket {
public:
    token_bucket(message_rate rate, std::int64_t now_ms)
        : rate_(rate)
        , milli_tokens_(capacity())
        , last_ms_(now_ms)
    {
    }

    // 0 when a token is there (it is not taken); otherwise the milliseconds until one is.
    std::int64_t wait_ms(std::int64_t now_ms)
    {
        refill(now_ms);
        if (milli_tokens_ >= per_token)
            return 0;
        return (per_token - milli_tokens_ + rate_.per_second - 1) / rate_.per_second;
    }

    // Only after wait_ms said 0.
    void take() { milli_tokens_ -= per_token; }

    // Full again: it knows nothing a new bucket would not.
    bool full(std::int64_t now_ms) const
    {
        return milli_tokens_ + std::max<std::int64_t>(0, now_ms - last_ms_) * rate_.per_second >= capacity();
    }

private:
    static constexpr std::int64_t per_token = 1000;

    std::int64_t capacity() const { return rate_.burst * per_token; }

    // `per_second` tokens a second are `per_second` thousandths a millisecond.
    void refill(std::int64_t now_ms)
    {
        if (now_ms <= last_ms_)
            return;
        milli_tokens_ = std::min(capacity(), milli_tokens_ + (now_ms - last_ms_) * rate_.per_second);
        last_ms_ = now_ms;
    }

    message_rate rate_;
    std::int64_t milli_tokens_;
    std::int64_t last_ms_;
};

} // namespace kring
