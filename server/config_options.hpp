#pragma once

#include "config.hpp"

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// The table of `kring serve` options. Each row is one option: its flag
// (--NAME), its key in the config file (NAME = ...), its help, and how its
// value is read and shown. The flags, the file, `kring serve --help`,
// `kring check-config` and deploy/kring.toml.example all come from this one
// table, and every default from `config`, so none of them can drift apart.
// To add an option:
//   1. a field in `config` (config.hpp), with its default and a comment;
//   2. one row in make_options() (config_options.cpp), e.g.
//        size("max-marks", &config::max_marks, 0, 16, "combining marks on one letter of a name"),
//      (number<unsigned>, seconds, hours, path, optional_path, toggle, list
//      for other kinds); the flag --max-marks, the key max-marks, the usage
//      line with its default and check-config follow from it;
//   3. build/server/kring serve --print-config > deploy/kring.toml.example
//      (a unit test fails until the example is regenerated);
//   4. a test that the option reaches what it limits, and the limit in
//      README.md's Limits section.
namespace kring {

// How a value is written: after its flag any text; in the file a TOML value.
enum class option_kind {
    text,      // --db FILE          db = "FILE"
    number,    // --history N        history = 200
    toggle,    // --demo             demo = true
    text_list, // --allow-origin O   allow-origin = ["O", ...] (the flag is repeatable)
};

struct serve_option {
    std::string name;        // "max-connections": the flag without "--", and the key in the file
    std::string placeholder; // "N", "ADDR:PORT" (none for a toggle)
    option_kind kind;
    std::string help;        // what it does, without its default (that is shown from `config`)
    std::string expected;    // what a valid value is, for messages: "a whole number from 1 to 64"
    // Reads one value as typed after the flag; false when it is invalid. A
    // list adds one entry.
    std::function<bool(std::string const&, config&)> set;
    // The value as `set` reads it: one string, a list's entries, or none
    // for an unset path.
    std::function<std::vector<std::string>(config const&)> show;
    // For a list: empties it, so that a source (the file, the command line)
    // replaces the entries of the one before rather than adding to them.
    std::function<void(config&)> clear;
};

std::span<serve_option const> serve_options();
serve_option const* find_serve_option(std::string_view name);

// Sets `option` from the values one source gave it, in order (a list is
// replaced, any other option takes the last). On an invalid value, returns
// it with what was expected: "\"x\" (expected a whole number from 0 to 256)".
std::optional<std::string> apply_option(serve_option const& option, std::vector<std::string> const& values,
                                        config& c);

// The default as a person reads it: "10000", "127.0.0.1:8080", "none".
std::string default_text(serve_option const& option);

// `text` cut into lines of at most `width` characters at spaces.
std::vector<std::string> wrap_words(std::string_view text, std::size_t width);

} // namespace kring
