#pragma once

#include <cstdint>
#include <string>
#include <string_view>

// Appends JSON fragments to a string. The server writes its frames by hand
// so that a room's messages can be spliced into `joined.history` as they are,
// without parsing them again.
namespace kring::protocol::detail {

void append_quoted(std::string& out, std::string_view text);

class json_object_writer {
public:
    explicit json_object_writer(std::string& out);

    json_object_writer& field(std::string_view key, std::string_view value);
    json_object_writer& field(std::string_view key, char const* value) { return field(key, std::string_view{value}); }
    json_object_writer& field(std::string_view key, std::uint64_t value);
    json_object_writer& field(std::string_view key, std::int64_t value);
    json_object_writer& field(std::string_view key, bool value);
    // `json` must already be valid JSON.
    json_object_writer& raw_field(std::string_view key, std::string_view json);
    // Starts a field whose value the caller appends next.
    std::string& open_field(std::string_view key);
    void close();

private:
    std::string& out_;
    bool first_ = true;
};

} // namespace kring::protocol::detail
