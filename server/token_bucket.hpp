#pragma once

#include <algorithm>
#include <cstdint>

namespace kring {

// How fast messages may come: `burst` at once, then `per_second` a second.
struct message_rate {
    std::int64_t per_second = 1; // at least 1
    std::int64_t burst = 1;      // at least 1
};

// What a token bucket holds, for a rate kept elsewhere: many buckets of one
// rate (one per network) need not each keep a copy of it. It counts
// thousandths of a token, so that the refill of a few milliseconds is not
// lost to rounding. Not thread-safe.
class token_count {
public:
    token_count(message_rate rate, std::int64_t now_ms)
        : milli_tokens_(capacity(rate))
        , last_ms_(now_ms)
    {
    }

    // 0 when a token is there (it is not taken); otherwise the milliseconds until one is.
    std::int64_t wait_ms(message_rate rate, std::int64_t now_ms)
    {
        refill(rate, now_ms);
        if (milli_tokens_ >= per_token)
            return 0;
        return (per_token - milli_tokens_ + rate.per_second - 1) / rate.per_second;
    }

    // Only after wait_ms said 0.
    void take() { milli_tokens_ -= per_token; }

    // Full again: it knows nothing a new bucket would not.
    bool full(message_rate rate, std::int64_t now_ms) const
    {
        return milli_tokens_ + std::max<std::int64_t>(0, now_ms - last_ms_) * rate.per_second >= capacity(rate);
    }

private:
    static constexpr std::int64_t per_token = 1000;

    static std::int64_t capacity(message_rate rate) { return rate.burst * per_token; }

    // `per_second` tokens a second are `per_second` thousandths a millisecond.
    void refill(message_rate rate, std::int64_t now_ms)
    {
        if (now_ms <= last_ms_)
            return;
        milli_tokens_ = std::min(capacity(rate), milli_tokens_ + (now_ms - last_ms_) * rate.per_second);
        last_ms_ = now_ms;
    }

    std::int64_t milli_tokens_;
    std::int64_t last_ms_;
};

// A token bucket: it holds up to `burst` tokens, gains `per_second` a
// second, and each message takes one. Used on one thread or under its
// owner's lock; not thread-safe.
class token_bucket {
public:
    token_bucket(message_rate rate, std::int64_t now_ms)
        : rate_(rate)
        , count_(rate, now_ms)
    {
    }

    // 0 when a token is there (it is not taken); otherwise the milliseconds until one is.
    std::int64_t wait_ms(std::int64_t now_ms) { return count_.wait_ms(rate_, now_ms); }
    // Only after wait_ms said 0.
    void take() { count_.take(); }
    // Full again: it knows nothing a new bucket would not.
    bool full(std::int64_t now_ms) const { return count_.full(rate_, now_ms); }

private:
    message_rate rate_;
    token_count count_;
};

} // namespace kring
