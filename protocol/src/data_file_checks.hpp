#pragma once

#include <cctype>
#include <string>
#include <string_view>

// What the deployment's data files (help lines, crisis words) share in
// their checks.
namespace kring::protocol::detail {

// Thrown inside a file's parser with what is wrong and where; the parser
// returns its text.
struct bad_file {
    std::string why;
};

// YYYY-MM-DD, digits only (the value is not checked against a calendar).
inline bool is_date(std::string_view s)
{
    if (s.size() != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (std::size_t i = 0; i < s.size(); ++i)
        if (i != 4 && i != 7 && !std::isdigit(static_cast<unsigned char>(s[i])))
            return false;
    return true;
}

} // namespace kring::protocol::detail
