#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

// What a moderator's new password must be: long enough, not too long, and
// not built on her own name. Both the server (`set_password`) and the
// `kring moderator` command line check passwords with these rules.
namespace kring::protocol {

struct password_limits {
    std::size_t min_length = 0; // code points
    std::size_t max_length = 0; // code points
};

// Why a new password was refused: the `reason` of a `bad_password` error.
// Clients match on the string form, so never rename one.
enum class password_refusal {
    too_short,     // fewer code points than min_length
    too_long,      // more code points than max_length
    contains_name, // holds the moderator's name, whatever its case
    unchanged,     // the same as the current password (decided by the server, which holds the hash)
};

std::string_view to_string(password_refusal reason);

// A short English explanation for people; programs use the reason.
std::string_view describe(password_refusal reason);

// Checks a new password (valid UTF-8) for `user`; nothing when it may be used.
// A name shorter than 3 characters is not looked for: two letters turn up in
// too many words ("bo" in "about") to say anything about a password.
std::optional<password_refusal> check_new_password(std::string_view password, std::string_view user,
                                                   password_limits const& limits);

} // namespace kring::protocol
