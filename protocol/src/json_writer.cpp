#include "json_writer.hpp"

namespace kring::protocol::detail {

void append_quoted(std::string& out, std::string_view text)
{
    static constexpr char hex[] = "0123456789abcdef";
    out.push_back('"');
    for (char const c : text) {
        auto const byte = static_cast<unsigned char>(c);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default:
            if (byte < 0x20u) {
                out += "\\u00";
                out.push_back(hex[byte >> 4]);
                out.push_back(hex[byte & 0xFu]);
            } else {
                out.push_back(c);
            }
        }
    }
    out.push_back('"');
}

json_object_writer::json_object_writer(std::string& out)
    : out_(out)
{
    out_.push_back('{');
}

std::string& json_object_writer::open_field(std::string_view key)
{
    if (!first_)
        out_.push_back(',');
    first_ = false;
    append_quoted(out_, key);
    out_.push_back(':');
    return out_;
}

json_object_writer& json_object_writer::field(std::string_view key, std::string_view value)
{
    append_quoted(open_field(key), value);
    return *this;
}

json_object_writer& json_object_writer::field(std::string_view key, std::uint64_t value)
{
    open_field(key) += std::to_string(value);
    return *this;
}

json_object_writer& json_object_writer::field(std::string_view key, std::int64_t value)
{
    open_field(key) += std::to_string(value);
    return *this;
}

json_object_writer& json_object_writer::field(std::string_view key, bool value)
{
    open_field(key) += value ? "true" : "false";
    return *this;
}

json_object_writer& json_object_writer::raw_field(std::string_view key, std::string_view json)
{
    open_field(key) += json;
    return *this;
}

void json_object_writer::close()
{
    out_.push_back('}');
}

} // namespace kring::protocol::detail
