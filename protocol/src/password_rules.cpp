#include <kring/protocol/password_rules.hpp>
#include <kring/protocol/text.hpp>

#include <algorithm>
#include <string>

namespace kring::protocol {
namespace {

constexpr std::size_t shortest_name_looked_for = 3;

// Staff names are ASCII (the command line allows no other), so folding
// ASCII letters is enough to find one in any password.
std::string ascii_lower(std::string_view text)
{
    std::string out{text};
    std::transform(out.begin(), out.end(), out.begin(),
                   [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
    return out;
}

} // namespace

std::string_view to_string(password_refusal reason)
{
    switch (reason) {
    case password_refusal::too_short: return "too_short";
    case password_refusal::too_long: return "too_long";
    case password_refusal::contains_name: return "contains_name";
    case password_refusal::unchanged: return "unchanged";
    }
    return "too_short";
}

std::string_view describe(password_refusal reason)
{
    switch (reason) {
    case password_refusal::too_short: return "the new password is too short";
    case password_refusal::too_long: return "the new password is too long";
    case password_refusal::contains_name: return "the new password must not contain your name";
    case password_refusal::unchanged: return "the new password must differ from the current one";
    }
    return "the new password cannot be used";
}

std::optional<password_refusal> check_new_password(std::string_view password, std::string_view user,
                                                   password_limits const& limits)
{
    auto const length = count_code_points(password);
    if (length < limits.min_length)
        return password_refusal::too_short;
    if (length > limits.max_length)
        return password_refusal::too_long;
    if (user.size() >= shortest_name_looked_for &&
        ascii_lower(password).find(ascii_lower(user)) != std::string::npos)
        return password_refusal::contains_name;
    return std::nullopt;
}

} // namespace kring::protocol
