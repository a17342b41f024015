#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace kring::protocol {

// One place to call for help: shown to members as it is, never changed.
struct help_line {
    std::string name;                   // "Zelfmoordlijn 1813"
    std::string number;                 // "1813": what to dial
    std::string hours;                  // "24/7"
    std::vector<std::string> languages; // BCP 47 tags ("nl", "fr"), or "all"
    std::optional<std::string> url;
    std::optional<std::string> checked; // YYYY-MM-DD: when someone last checked it; none: no one has
    std::string source;                 // where it was checked
};

// The help lines of a deployment (`--help-lines FILE`), as protocol/README.md
// "Help lines" describes the file: {written, check_required, lines: [...]}.
struct help_lines {
    std::string written; // YYYY-MM-DD
    bool check_required = false; // the deployment must check each entry itself
    std::vector<help_line> lines;
};

// Reads a help-lines file; the error says what is wrong and where.
std::variant<help_lines, std::string> parse_help_lines(std::string_view json);

// What Kring ships: Belgium's lines as they were written, to be checked.
help_lines const& default_help_lines();

// The stable code of the notice that goes with every list: clients translate it.
inline constexpr std::string_view help_notice = "not_an_emergency_service";

// The `resources` object {lines, notice}, for welcome.resources.
std::string write_resources_object(help_lines const& lines);
// The `resources` frame {type, lines, notice, ref?}, answering `resources`.
std::string write_resources(help_lines const& lines, std::optional<std::string_view> ref);

// `help_sent` {room, reached, resources, ref?}: a member's `help` was heard.
// `reached`: a moderator of the circle is there and was told; false: none
// is, and the first to come will be.
std::string write_help_sent(std::string_view room, bool reached, help_lines const& lines,
                            std::optional<std::string_view> ref);
// `help_offered` {room, resources}: what a member said in the circle may mean
// they are in danger; the help lines, gently, to them alone.
std::string write_help_offered(std::string_view room, help_lines const& lines);

// What a moderator is told, privately, when someone in their circle may be
// in danger: who and where, never what they said. `alert` {room, member,
// name, kind, at, message?, waited?}.
enum class alert_kind { help, words };
std::string_view to_string(alert_kind kind);

struct alert_entry {
    std::string_view room;
    std::string_view member;
    std::string_view name;
    alert_kind kind = alert_kind::help;
    std::int64_t at = 0;                  // UTC ms, when it was raised
    std::optional<std::string_view> message; // words: the message's id (what they said, the moderator reads there)
    bool waited = false;                  // raised when no moderator was there
};
std::string write_alert(alert_entry const& alert);

} // namespace kring::protocol
