#pragma once

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <cctype>
#include <string>
#include <string_view>
#include <variant>

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

// The string `key` of `o`; what is wrong says `where` it is.
inline std::string string_field(boost::json::object const& o, std::string_view key, std::string const& where)
{
    auto const* v = o.if_contains(key);
    if (!v || !v->is_string())
        throw bad_file{where + ": " + std::string{key} + " must be a string"};
    return std::string{v->get_string()};
}

// A language's "review": "draft" until a native speaker has read it, then "reviewed".
inline std::string review_field(boost::json::object const& o, std::string const& where)
{
    auto review = string_field(o, "review", where);
    if (review != "draft" && review != "reviewed")
        throw bad_file{where + ": review must be \"draft\" or \"reviewed\""};
    return review;
}

// A data file is JSON holding one object of the given shape ("{written,
// lines}"); `read` makes the Data of that object, and throws bad_file for
// what is wrong in it. The error, when there is one, is the file's answer.
template <class Data, class Read>
std::variant<Data, std::string> parse_data_file(std::string_view text, std::string_view shape, Read read)
{
    boost::system::error_code ec;
    auto const doc = boost::json::parse(text, ec);
    if (ec)
        return "not JSON: " + ec.message();
    try {
        if (!doc.is_object())
            throw bad_file{"the file must hold one object " + std::string{shape}};
        return read(doc.get_object());
    } catch (bad_file const& e) {
        return e.why;
    }
}

} // namespace kring::protocol::detail
