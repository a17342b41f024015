#pragma once

#include <kring/protocol/error_code.hpp>
#include <kring/protocol/names.hpp>

#include <cstdint>
#include <optional>

namespace kring {

// Why a circle refused a request; `seconds` says how long to wait (slow mode),
// `name_reason` which rule a display name broke (bad_name), `until_ms` until
// when the circle is paused (paused).
struct refusal {
    refusal(protocol::error_code c, std::int64_t s = 0)
        : code(c)
        , seconds(s)
    {
    }
    refusal(protocol::name_refusal why)
        : code(protocol::error_code::bad_name)
        , seconds(0)
        , name_reason(why)
    {
    }
    protocol::error_code code;
    std::int64_t seconds;
    protocol::name_refusal name_reason = protocol::name_refusal::none;
    std::int64_t until_ms = 0; // paused: until when (UTC ms)
    friend bool operator==(refusal const& r, protocol::error_code c) { return r.code == c; }
};

// A circle's answer to a request: done, or refused and why.
class verdict {
public:
    verdict() = default; // done
    verdict(refusal why)
        : refused_(why)
    {
    }

    bool done() const { return !refused_; }
    // Only when not done.
    refusal const& refused() const { return *refused_; }

private:
    std::optional<refusal> refused_;
};

inline verdict const done{};

} // namespace kring
